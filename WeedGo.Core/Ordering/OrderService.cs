using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Compliance;
using WeedGo.Core.Data;
using WeedGo.Core.Inventory;
using WeedGo.Core.Live;

namespace WeedGo.Core.Ordering;

/// <summary>A staff member's choice of batch for one line when packing (null: oldest packaged first, FIFO).</summary>
public sealed record BatchPick(Guid ProductId, Guid BatchId);

/// <summary>A line of a phone or counter order a staff member enters.</summary>
public sealed record InStoreLine(Guid ProductId, int Quantity);

public sealed record ReorderOutcome(int Added, IReadOnlyList<string> Skipped);

/// <summary>
/// Everything that happens to an order after it is placed: staff move it along (confirm → pack → ready / out for delivery →
/// complete), cancel or return it with a reason, and refund; the customer may cancel until it is packed, and reorder.
/// Stock moves with the status in one transaction: packing sells from the order's hold (FIFO batches unless staff pick),
/// cancelling before packing releases the hold, cancelling after packing or returning puts the units back in their batches.
/// </summary>
public sealed class OrderService(
    IDbContextFactory<WeedGoDbContext> contexts, ICurrentUser user, StockLedger ledger, IPaymentGateway gateway, CartService carts,
    IOptions<OrderingOptions> options, TimeProvider clock, ILiveEvents live, ILogger<OrderService> logger)
{
    private readonly OrderingOptions _rules = options.Value;

    public Task<Result> ConfirmAsync(Guid orderId, CancellationToken ct = default) =>
        StaffMoveAsync(orderId, OrderStatus.Confirmed, null, (o, _) => Task.FromResult(
            o.Status == OrderStatus.Placed ? Result.Ok() : Refuse(o, "confirmed")), ct);

    /// <summary>Packs the order: its units leave the shelf as sales, from the oldest packaged batches first unless a batch is
    /// picked for a line.</summary>
    public Task<Result> PackAsync(Guid orderId, IReadOnlyCollection<BatchPick>? picks = null, CancellationToken ct = default) =>
        StaffMoveAsync(orderId, OrderStatus.Packed, null, async (o, s) =>
        {
            if (o.Status is not (OrderStatus.Placed or OrderStatus.Confirmed))
            {
                return Refuse(o, "packed");
            }
            foreach (var line in o.Lines.OrderBy(l => l.ProductId))
            {
                var batch = picks?.FirstOrDefault(p => p.ProductId == line.ProductId)?.BatchId;
                var sold = await s.RemoveAsync(o.StoreId, line.ProductId, line.Quantity, MovementKind.Sale, null, batch, o.Number, null, fromReservation: true);
                if (!sold.Succeeded)
                {
                    return sold;
                }
            }
            return Result.Ok();
        }, ct);

    public Task<Result> MarkReadyAsync(Guid orderId, CancellationToken ct = default) =>
        StaffMoveAsync(orderId, OrderStatus.ReadyForPickup, null, (o, _) => Task.FromResult(
            o.Status != OrderStatus.Packed ? Refuse(o, "marked ready")
            : o.Fulfilment != Fulfilment.Pickup ? Error.Validation($"Order {o.Number} is for delivery; send it out for delivery instead.")
            : Result.Ok()), ct);

    /// <summary>Sends a packed delivery order out; its delivery record (to be assigned a driver) is created in the same
    /// transaction.</summary>
    public Task<Result> SendOutAsync(Guid orderId, CancellationToken ct = default) =>
        StaffMoveAsync(orderId, OrderStatus.OutForDelivery, null, (o, _) => Task.FromResult(
            o.Status != OrderStatus.Packed ? Refuse(o, "sent out")
            : o.Fulfilment != Fulfilment.Delivery ? Error.Validation($"Order {o.Number} is for pickup; mark it ready instead.")
            : Result.Ok()), ct, after: (o, db) => Deliveries.DeliveryRecords.EnsureAsync(db, o, ct));

    /// <summary>For <see cref="Deliveries.DeliveryService"/>, which has checked who may act: a packed delivery order leaves
    /// the store with its driver. <paramref name="alongside"/> runs in the same transaction.</summary>
    internal Task<Result> SendOutByDeliveryAsync(Guid orderId, Func<WeedGoDbContext, Task> alongside, CancellationToken ct) =>
        MoveAsync(orderId, OrderStatus.OutForDelivery, "Picked up by the driver", (_, _) => Task.FromResult<Error?>(null), (o, _) => Task.FromResult(
            o.Status != OrderStatus.Packed ? Refuse(o, "sent out") : Result.Ok()), ct, after: (_, db) => alongside(db));

    /// <summary>For <see cref="Deliveries.DeliveryService"/>: the driver handed the order over after the ID check.</summary>
    internal Task<Result> CompleteByDeliveryAsync(Guid orderId, string note, Func<WeedGoDbContext, Task> alongside, CancellationToken ct) =>
        MoveAsync(orderId, OrderStatus.Completed, note, (_, _) => Task.FromResult<Error?>(null), (o, _) =>
        {
            if (o.Status != OrderStatus.OutForDelivery)
            {
                return Task.FromResult(Refuse(o, "delivered"));
            }
            o.IdCheckedBy = user.UserId;
            o.IdCheckedAt = clock.GetUtcNow();
            if (o.PaymentStatus == PaymentStatus.Due)
            {
                o.PaymentStatus = PaymentStatus.Paid; // collected at the door
            }
            return Task.FromResult(Result.Ok());
        }, ct, after: async (o, db) =>
        {
            await db.Payments.Where(p => p.OrderId == o.Id && p.Kind == PaymentKind.Charge && p.Status == PaymentAttemptStatus.Pending)
                .ExecuteUpdateAsync(u => u.SetProperty(p => p.Status, PaymentAttemptStatus.Approved).SetProperty(p => p.Message, "Collected at the door"), ct);
            await alongside(db);
        });

    /// <summary>For <see cref="Deliveries.DeliveryService"/>: an undelivered order comes back to its store; its units return
    /// to their batches as ledger returns and a card payment is refunded in full.</summary>
    internal async Task<Result> ReturnUndeliveredAsync(Guid orderId, string reason, Func<WeedGoDbContext, Task> alongside, CancellationToken ct)
    {
        var r = await MoveAsync(orderId, OrderStatus.Returned, reason, (_, _) => Task.FromResult<Error?>(null), (o, s) =>
            o.Status is OrderStatus.OutForDelivery or OrderStatus.Packed ? UndoStockAsync(o, s, reason, OrderStatus.Returned) : Task.FromResult(Refuse(o, "returned")),
            ct, after: (_, db) => alongside(db));
        return r.Succeeded ? await RefundRestAsync(orderId, "returned", ct) : r;
    }

    /// <summary>Hands the order over. The law wants ID checked for anyone who looks under 25: staff must confirm they did.</summary>
    public Task<Result> CompleteAsync(Guid orderId, bool idChecked, string? note = null, CancellationToken ct = default) =>
        StaffMoveAsync(orderId, OrderStatus.Completed, note, (o, _) =>
        {
            if (o.Status is not (OrderStatus.ReadyForPickup or OrderStatus.OutForDelivery))
            {
                return Task.FromResult(Refuse(o, "completed"));
            }
            if (!idChecked)
            {
                return Task.FromResult<Result>(Error.Validation("Confirm that you checked the customer's government ID (19+) before handing over the order."));
            }
            o.IdCheckedBy = user.UserId;
            o.IdCheckedAt = clock.GetUtcNow();
            if (o.PaymentStatus == PaymentStatus.Due)
            {
                o.PaymentStatus = PaymentStatus.Paid; // collected at the counter or the door
            }
            return Task.FromResult(Result.Ok());
        }, ct, after: async (o, db) =>
        {
            await db.Payments.Where(p => p.OrderId == o.Id && p.Kind == PaymentKind.Charge && p.Status == PaymentAttemptStatus.Pending)
                .ExecuteUpdateAsync(u => u.SetProperty(p => p.Status, PaymentAttemptStatus.Approved).SetProperty(p => p.Message, "Collected at handover"), ct);
        });

    /// <summary>Staff cancel with a reason: before packing the hold is released; after, the units go back to their batches.
    /// A card payment is refunded in full.</summary>
    public async Task<Result> CancelAsync(Guid orderId, string reason, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return Error.Validation("Say why the order is cancelled (the customer sees it).");
        }
        var r = await StaffMoveAsync(orderId, OrderStatus.Cancelled, reason, (o, s) => UndoStockAsync(o, s, reason, OrderStatus.Cancelled), ct);
        return r.Succeeded ? await RefundRestAsync(orderId, "cancelled", ct) : r;
    }

    /// <summary>A completed order comes back: units return to their batches, a card payment is refunded in full.</summary>
    public async Task<Result> ReturnAsync(Guid orderId, string reason, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return Error.Validation("Say why the order is returned.");
        }
        var r = await StaffMoveAsync(orderId, OrderStatus.Returned, reason, (o, s) =>
            o.Status == OrderStatus.Completed ? UndoStockAsync(o, s, reason, OrderStatus.Returned) : Task.FromResult(Refuse(o, "returned")), ct);
        return r.Succeeded ? await RefundRestAsync(orderId, "returned", ct) : r;
    }

    /// <summary>The customer cancels their own order while it is not yet packed; the hold is released, a card refunded.</summary>
    public async Task<Result> CancelMineAsync(Guid orderId, CancellationToken ct = default)
    {
        var r = await MoveAsync(orderId, OrderStatus.Cancelled, "Cancelled by the customer", async (db, o) =>
        {
            if (user.UserId is null || o.CustomerId != user.UserId)
            {
                return Error.NotFound("That order");
            }
            return o.Status is OrderStatus.Placed or OrderStatus.Confirmed
                ? null
                : Error.Conflict($"Order {o.Number} is already {Describe(o.Status)}, so it can no longer be cancelled online. Call the store.");
        }, (o, s) => UndoStockAsync(o, s, "Cancelled by the customer", OrderStatus.Cancelled), ct);
        return r.Succeeded ? await RefundRestAsync(orderId, "cancelled", ct) : r;
    }

    /// <summary>Refunds part or all of what a card paid (store managers and up).</summary>
    public async Task<Result> RefundAsync(Guid orderId, decimal amount, string reason, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, ct);
        if (order is null)
        {
            return Error.NotFound("That order");
        }
        if (await StaffAccessAsync(db, order.StoreId, ct) is { } denied)
        {
            return denied;
        }
        // Giving money back is a manager's call (a budtender cancels or returns; those refund in full on their own).
        if (!user.Satisfies(Policies.StoreManagement))
        {
            return Error.Forbidden("Only a store manager can refund an order; ask one to do it.");
        }
        if (string.IsNullOrWhiteSpace(reason))
        {
            return Error.Validation("Say why you are refunding.");
        }
        amount = OrderMath.Round(amount);
        if (amount <= 0 || amount > order.Total - order.RefundedAmount)
        {
            return RefundBounds(order);
        }
        // The key names what the person saw ("refund X after Y was refunded"): a double submit is the same refund, made once.
        return await RefundCoreAsync(db, orderId, amount, reason.Trim(), $"{orderId:N}:refund:{order.RefundedAmount}:{amount}", ct);
    }

    /// <summary>Puts the order's lines back in the cart (what the store still has).</summary>
    public async Task<Result<ReorderOutcome>> ReorderAsync(Guid orderId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var order = await db.Orders.AsNoTracking().Include(o => o.Lines).FirstOrDefaultAsync(o => o.Id == orderId, ct);
        if (order is null || user.UserId is null || order.CustomerId != user.UserId)
        {
            return Error.NotFound("That order");
        }
        var added = 0;
        var skipped = new List<string>();
        foreach (var line in order.Lines)
        {
            var r = await carts.AddAsync(order.StoreId, line.ProductId, line.Quantity, ct);
            if (r.Succeeded)
            {
                added++;
            }
            else
            {
                skipped.Add(r.Error!.Message);
            }
        }
        return new ReorderOutcome(added, skipped);
    }

    /// <summary>A phone or counter order entered by staff: the same purchase limit and stock hold as online, paid at pickup.</summary>
    public async Task<Result<PlacedOrder>> CreateInStoreAsync(Guid storeId, string customerName, string? phone, IReadOnlyList<InStoreLine> lines,
        CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await StaffAccessAsync(db, storeId, ct) is { } denied)
        {
            return denied;
        }
        if (string.IsNullOrWhiteSpace(customerName))
        {
            return Error.Validation("Enter the customer's name (checked against ID at pickup).");
        }
        var merged = lines.GroupBy(l => l.ProductId).Select(g => new InStoreLine(g.Key, g.Sum(l => l.Quantity))).Where(l => l.Quantity > 0).ToList();
        if (merged.Count == 0)
        {
            return Error.Validation("Add at least one product.");
        }
        var store = await db.Stores.AsNoTracking().FirstAsync(s => s.Id == storeId, ct);
        var ids = merged.Select(l => l.ProductId).ToList();
        var products = await db.Products.AsNoTracking().Where(p => ids.Contains(p.Id))
            .Select(p => new
            {
                p.Id, p.Sku, p.ProductName, p.Brand, p.Size, p.UnitPrice, p.IsCannabis, p.DriedFlowerEquivalency,
                Override = db.Inventory.Where(i => i.StoreId == storeId && i.ProductId == p.Id).Select(i => i.RetailPriceOverride).FirstOrDefault(),
            }).ToDictionaryAsync(p => p.Id, ct);
        var orderLines = new List<OrderLine>();
        foreach (var l in merged)
        {
            if (!products.TryGetValue(l.ProductId, out var p))
            {
                return Error.NotFound("A product on the order");
            }
            if (OrderMath.ShelfPrice(p.Override, p.UnitPrice) is not { } price)
            {
                return Error.Validation($"{p.ProductName} has no price at {store.Name}.");
            }
            orderLines.Add(new OrderLine
            {
                TenantId = store.TenantId, ProductId = p.Id, Sku = p.Sku, ProductName = p.ProductName, Brand = p.Brand, Size = p.Size, Quantity = l.Quantity,
                UnitPrice = price, LineTotal = OrderMath.Round(price * l.Quantity), EquivalencyPerUnit = p.IsCannabis ? p.DriedFlowerEquivalency : 0m,
            });
        }
        var meter = PurchaseLimit.Measure(orderLines.Select(l => new LimitLine(l.ProductId, l.Quantity, l.EquivalencyPerUnit)), _rules.PurchaseLimitGrams);
        if (meter.IsOver)
        {
            return OrderingErrors.OverLimit($"This order would hold {meter.Describe()} of dried-cannabis equivalent; the legal limit is {PurchaseLimit.Grams(_rules.PurchaseLimitGrams)} per order, in store too.");
        }
        var now = clock.GetUtcNow();
        var totals = OrderMath.Compute(orderLines.Select(l => new PricedLine(l.ProductId, l.Quantity, l.UnitPrice)), 0, _rules.TaxRate);
        var number = "WG-" + await db.Database.SqlQuery<long>($"SELECT nextval('order_numbers') AS \"Value\"").SingleAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var held = await Reservations.ReserveAsync(db, store.TenantId, storeId, store.Name, number, merged.Select(l => (l.ProductId, l.Quantity)), user.UserId, now, ct);
        if (!held.Succeeded)
        {
            return held.Error!;
        }
        var order = new Order
        {
            TenantId = store.TenantId, StoreId = storeId, Number = number, CustomerName = customerName.Trim(), CustomerPhone = phone?.Trim(),
            Source = OrderSource.InStore, Fulfilment = Fulfilment.Pickup, PickupAt = now, Status = OrderStatus.Placed, PaymentMethod = PaymentMethod.PayAtPickup,
            PaymentStatus = PaymentStatus.Due, Subtotal = totals.Subtotal, Tax = totals.Tax, Total = totals.Total, EquivalencyGrams = meter.UsedGrams,
            PlacedAt = now, Lines = orderLines,
            History = [new OrderStatusChange { TenantId = store.TenantId, To = OrderStatus.Placed, UserId = user.UserId, OccurredAt = now, Note = "Entered by staff" }],
        };
        db.Orders.Add(order);
        db.Payments.Add(new PaymentTransaction
        {
            TenantId = store.TenantId, StoreId = storeId, OrderId = order.Id, Kind = PaymentKind.Charge, Method = PaymentMethod.PayAtPickup,
            Status = PaymentAttemptStatus.Pending, Amount = totals.Total, Provider = "in-person", IdempotencyKey = $"{order.Id:N}:in-store", UserId = user.UserId,
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await Reservations.PublishAsync(live, store.TenantId, storeId, held.Value, ct);
        await PublishAsync(order, isNew: true, ct);
        return new PlacedOrder(order.Id, number, false);
    }

    private async Task<Result> UndoStockAsync(Order o, LedgerSession s, string reason, OrderStatus to)
    {
        if (to == OrderStatus.Cancelled && o.Status is OrderStatus.Completed or OrderStatus.Cancelled or OrderStatus.Returned)
        {
            return Refuse(o, "cancelled");
        }
        if (to == OrderStatus.Cancelled)
        {
            await Pricing.PromotionUsages.ReleaseAsync(s.Db, o.Id, clock.GetUtcNow(), CancellationToken.None);
        }
        if (o.Status is OrderStatus.Placed or OrderStatus.Confirmed)
        {
            return await Reservations.ReleaseAllAsync(s, o.StoreId, o.Number, o.Lines.Select(l => l.ProductId), CancellationToken.None);
        }
        // Packed or later: the sale rows say which batches the units came from; put them back there.
        var sold = await s.Db.StockLedger.AsNoTracking()
            .Where(m => m.StoreId == o.StoreId && m.Reference == o.Number && (m.Kind == MovementKind.Sale || m.Kind == MovementKind.Return))
            .GroupBy(m => new { m.ProductId, m.BatchId }).Select(g => new { g.Key.ProductId, g.Key.BatchId, Out = -g.Sum(m => m.OnHandDelta) })
            .ToListAsync();
        foreach (var part in sold.Where(p => p.Out > 0).OrderBy(p => p.ProductId))
        {
            var back = await s.AddAsync(o.StoreId, part.ProductId, part.Out, MovementKind.Return, null, part.BatchId, o.Number, reason);
            if (!back.Succeeded)
            {
                return back;
            }
        }
        return Result.Ok();
    }

    private async Task<Result> RefundRestAsync(Guid orderId, string why, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var order = await db.Orders.AsNoTracking().FirstAsync(o => o.Id == orderId, ct);
        if (order.PaymentMethod != PaymentMethod.Card || order.PaymentStatus != PaymentStatus.Paid && order.PaymentStatus != PaymentStatus.PartiallyRefunded)
        {
            if (order.PaymentStatus == PaymentStatus.Due)
            {
                await db.Orders.Where(o => o.Id == orderId).ExecuteUpdateAsync(u => u.SetProperty(o => o.PaymentStatus, PaymentStatus.Void), ct);
                await db.Payments.Where(p => p.OrderId == orderId && p.Status == PaymentAttemptStatus.Pending)
                    .ExecuteUpdateAsync(u => u.SetProperty(p => p.Status, PaymentAttemptStatus.Failed).SetProperty(p => p.Message, "Order " + why + " before payment"), ct);
                // The status event went out before the payment was voided: tell open screens again so they show "void", not "due".
                await PublishAsync(order, false, ct);
            }
            return Result.Ok();
        }
        return order.Total - order.RefundedAmount <= 0 ? Result.Ok() : await RefundCoreAsync(db, orderId, null, $"Order {why}", $"{orderId:N}:refund:{why}", ct);
    }

    private static Error RefundBounds(Order order) =>
        Error.Validation($"Refund between $0.01 and {OrderMath.Money(order.Total - order.RefundedAmount)} (what is left of the payment).");

    /// <summary>Refunds <paramref name="amount"/> (null: all that is left) to the card, under a lock on the order row so that
    /// refunds made at the same moment add up and never exceed what was paid.</summary>
    private async Task<Result> RefundCoreAsync(WeedGoDbContext db, Guid orderId, decimal? amount, string reason, string key, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var order = await db.Orders.FromSql($"SELECT * FROM orders WHERE id = {orderId} FOR UPDATE").AsNoTracking().FirstAsync(ct);
        var charge = await db.Payments.AsNoTracking()
            .FirstOrDefaultAsync(p => p.OrderId == order.Id && p.Kind == PaymentKind.Charge && p.Status == PaymentAttemptStatus.Approved, ct);
        if (charge is null || order.PaymentMethod != PaymentMethod.Card || charge.ProviderReference is null)
        {
            return Error.Validation($"Order {order.Number} was not paid by card online; refund it at the counter.");
        }
        if (await db.Payments.AsNoTracking().FirstOrDefaultAsync(p => p.IdempotencyKey == key, ct) is { } earlier)
        {
            // This refund was already asked for: same answer again (a declined one is not reported as made).
            return earlier.Status == PaymentAttemptStatus.Approved
                ? Result.Ok()
                : OrderingErrors.PaymentFailed($"The refund did not go through: {earlier.Message}");
        }
        var left = order.Total - order.RefundedAmount;
        var take = amount ?? left;
        if (take <= 0 && amount is null)
        {
            return Result.Ok(); // nothing left to give back
        }
        if (take <= 0 || take > left)
        {
            return RefundBounds(order); // another refund got there first
        }
        var answer = await gateway.RefundAsync(charge.ProviderReference, take, key, ct);
        db.Payments.Add(new PaymentTransaction
        {
            TenantId = order.TenantId, StoreId = order.StoreId, OrderId = order.Id, Kind = PaymentKind.Refund, Method = PaymentMethod.Card,
            Status = answer.Outcome == GatewayOutcome.Approved ? PaymentAttemptStatus.Approved : answer.Outcome == GatewayOutcome.Declined ? PaymentAttemptStatus.Declined : PaymentAttemptStatus.Failed,
            Amount = take, Provider = gateway.Name, ProviderReference = answer.Reference, IdempotencyKey = key, CardBrand = charge.CardBrand,
            CardLast4 = charge.CardLast4, Message = answer.Message ?? reason, UserId = user.UserId,
        });
        await db.SaveChangesAsync(ct);
        if (answer.Outcome != GatewayOutcome.Approved)
        {
            await tx.CommitAsync(ct); // the declined attempt stays recorded
            return OrderingErrors.PaymentFailed($"The refund did not go through: {answer.Message}");
        }
        var refunded = order.RefundedAmount + take;
        await db.Orders.Where(o => o.Id == order.Id).ExecuteUpdateAsync(u => u
            .SetProperty(o => o.RefundedAmount, refunded)
            .SetProperty(o => o.UpdatedAt, clock.GetUtcNow())
            .SetProperty(o => o.PaymentStatus, refunded >= order.Total ? PaymentStatus.Refunded : PaymentStatus.PartiallyRefunded), ct);
        await tx.CommitAsync(ct);
        await PublishAsync(order, false, ct);
        return Result.Ok();
    }

    private Task<Result> StaffMoveAsync(Guid orderId, OrderStatus to, string? note, Func<Order, LedgerSession, Task<Result>> work, CancellationToken ct,
        Func<Order, WeedGoDbContext, Task>? after = null) =>
        MoveAsync(orderId, to, note, (db, o) => StaffAccessAsync(db, o.StoreId, ct), work, ct, after);

    /// <summary>Loads and locks the order, checks access, does the work (stock included) and the status change in one
    /// transaction, then tells every open screen.</summary>
    private async Task<Result> MoveAsync(Guid orderId, OrderStatus to, string? note, Func<WeedGoDbContext, Order, Task<Error?>> access,
        Func<Order, LedgerSession, Task<Result>> work, CancellationToken ct, Func<Order, WeedGoDbContext, Task>? after = null)
    {
        Order? moved = null;
        var result = await ledger.RunAsync<bool>(async s =>
        {
            var order = await s.Db.Orders.FromSql($"SELECT * FROM orders WHERE id = {orderId} FOR UPDATE")
                .Include(o => o.Lines).FirstOrDefaultAsync(ct);
            if (order is null)
            {
                return Error.NotFound("That order");
            }
            if (await access(s.Db, order) is { } denied)
            {
                return denied;
            }
            var from = order.Status;
            var done = await work(order, s);
            if (!done.Succeeded)
            {
                return done.Error!;
            }
            order.Status = to;
            if (to == OrderStatus.Cancelled)
            {
                order.CancelReason = note;
            }
            s.Db.OrderHistory.Add(new OrderStatusChange
            {
                TenantId = order.TenantId, OrderId = order.Id, From = from, To = to, UserId = user.UserId, Note = note, OccurredAt = clock.GetUtcNow(),
            });
            if (after is not null)
            {
                await after(order, s.Db);
            }
            moved = order;
            return true;
        }, ct);
        if (!result.Succeeded)
        {
            return result.Error!;
        }
        await PublishAsync(moved!, false, ct);
        return Result.Ok();
    }

    private Task<Error?> StaffAccessAsync(WeedGoDbContext db, Guid storeId, CancellationToken ct) =>
        Tenancy.StoreAccess.CheckAsync(db, user, Policies.StoreOperations, storeId, "serve its orders", ct);

    private static Result Refuse(Order o, string verb) =>
        Error.Conflict($"Order {o.Number} is {Describe(o.Status)}, so it cannot be {verb} now.");

    public static string Describe(OrderStatus s) => s switch
    {
        OrderStatus.Placed => "placed",
        OrderStatus.Confirmed => "confirmed",
        OrderStatus.Packed => "packed",
        OrderStatus.ReadyForPickup => "ready for pickup",
        OrderStatus.OutForDelivery => "out for delivery",
        OrderStatus.Completed => "completed",
        OrderStatus.Cancelled => "cancelled",
        OrderStatus.Returned => "returned",
        _ => s.ToString(),
    };

    private async Task PublishAsync(Order o, bool isNew, CancellationToken ct)
    {
        try
        {
            await live.PublishAsync(new OrderChanged(o.TenantId, o.StoreId, o.Id, o.Number, o.Status.ToString(), o.CustomerId, isNew), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Publishing OrderChanged failed for {Order}", o.Number);
        }
    }
}
