using Microsoft.EntityFrameworkCore;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Data;
using WeedGo.Core.Inventory;
using WeedGo.Core.Tenancy;

namespace WeedGo.Core.Ordering;

public sealed record OrderSummary(
    Guid Id, string Number, Guid StoreId, string StoreName, string StoreSlug, DateTimeOffset PlacedAt, OrderStatus Status, Fulfilment Fulfilment,
    decimal Total, int Items, string CustomerName, DateTimeOffset? PickupAt, PaymentMethod PaymentMethod, PaymentStatus PaymentStatus, OrderSource Source,
    string TimeZoneId);

public sealed record OrderLineView(Guid ProductId, string Sku, string ProductName, string? Brand, string? Size, int Quantity, decimal UnitPrice,
    decimal LineDiscount, decimal LineTotal, decimal EquivalencyPerUnit);

public sealed record OrderHistoryView(OrderStatus? From, OrderStatus To, DateTimeOffset At, string? Who, string? Note);

public sealed record PaymentView(PaymentKind Kind, PaymentMethod Method, PaymentAttemptStatus Status, decimal Amount, string Provider,
    string? Reference, string? Card, string? Message, DateTimeOffset At);

/// <summary>A batch the packer may pick for a line (oldest packaged first).</summary>
public sealed record PickOption(Guid BatchId, string BatchLot, DateTime? PackagedOn, int Remaining);

public sealed record OrderDetail(
    OrderSummary Summary, string StoreAddress, string? StorePhone, string? CustomerEmail, string? CustomerPhone, DeliveryAddress? DeliveryAddress,
    decimal Subtotal, decimal Discount, decimal DeliveryFee, decimal Tax, decimal RefundedAmount, decimal EquivalencyGrams, string? Notes,
    string? CancelReason, DateTimeOffset? IdCheckedAt, IReadOnlyList<OrderLineView> Lines, IReadOnlyList<OrderHistoryView> History,
    IReadOnlyList<PaymentView> Payments)
{
    /// <summary>The customer may still cancel online.</summary>
    public bool CustomerCanCancel => Summary.Status is OrderStatus.Placed or OrderStatus.Confirmed;
}

/// <summary>Today's orders and sales of one store (the store's own calendar day).</summary>
public sealed record StoreDay(Guid StoreId, string StoreName, int Orders, int Open, decimal Sales);

/// <summary>Reads of orders: a customer's own, a store's queue for its staff, one order in detail, the day's figures.</summary>
public sealed class OrderQueries(IDbContextFactory<WeedGoDbContext> contexts, ICurrentUser user, TimeProvider clock)
{
    public static readonly OrderStatus[] OpenStatuses =
        [OrderStatus.Placed, OrderStatus.Confirmed, OrderStatus.Packed, OrderStatus.ReadyForPickup, OrderStatus.OutForDelivery];

    /// <summary>The signed-in customer's orders, newest first.</summary>
    public async Task<IReadOnlyList<OrderSummary>> MineAsync(int take = 50, CancellationToken ct = default)
    {
        if (user.UserId is not { } me)
        {
            return [];
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await Summaries(db, db.Orders.Where(o => o.CustomerId == me).OrderByDescending(o => o.PlacedAt).Take(take)).ToListAsync(ct);
        return rows.OrderByDescending(o => o.PlacedAt).ToList();
    }

    /// <summary>A store's orders for staff: open ones (oldest first, the order they are served in), or those finished today
    /// (store time, newest first).</summary>
    public async Task<Result<IReadOnlyList<OrderSummary>>> QueueAsync(Guid storeId, bool openOnly = true, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await StaffAccessAsync(db, storeId, ct) is { } denied)
        {
            return denied;
        }
        var query = db.Orders.Where(o => o.StoreId == storeId);
        if (openOnly)
        {
            var open = await Summaries(db, query.Where(o => OpenStatuses.Contains(o.Status)).OrderBy(o => o.PlacedAt).Take(200)).ToListAsync(ct);
            return open.OrderBy(o => o.PlacedAt).ToList();
        }
        // Finished today: completed, cancelled or returned since midnight in the store's own time zone.
        var zone = await db.Stores.AsNoTracking().Where(s => s.Id == storeId).Select(s => s.TimeZoneId).FirstAsync(ct);
        var since = StartOfDay(zone, clock.GetUtcNow());
        var done = await Summaries(db, query.Where(o => !OpenStatuses.Contains(o.Status) && o.UpdatedAt >= since).OrderByDescending(o => o.PlacedAt).Take(200))
            .ToListAsync(ct);
        return done.OrderByDescending(o => o.PlacedAt).ToList();
    }

    /// <summary>One order: its customer sees it, and staff of its store.</summary>
    public async Task<Result<OrderDetail>> DetailAsync(Guid orderId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var order = await db.Orders.AsNoTracking().Include(o => o.Lines).Include(o => o.History).FirstOrDefaultAsync(o => o.Id == orderId, ct);
        if (order is null)
        {
            return Error.NotFound("That order");
        }
        var isCustomer = user.UserId is { } me && order.CustomerId == me;
        if (!isCustomer && await StaffAccessAsync(db, order.StoreId, ct) is not null)
        {
            return Error.NotFound("That order"); // not theirs: say nothing about it
        }
        var summary = await Summaries(db, db.Orders.Where(o => o.Id == orderId)).FirstAsync(ct);
        var store = await db.Stores.AsNoTracking().Where(s => s.Id == order.StoreId).Select(s => new { s.Address, s.Phone }).FirstAsync(ct);
        var userIds = order.History.Where(h => h.UserId != null).Select(h => h.UserId!.Value).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var payments = await db.Payments.AsNoTracking().Where(p => p.OrderId == orderId).OrderBy(p => p.CreatedAt)
            .Select(p => new PaymentView(p.Kind, p.Method, p.Status, p.Amount, p.Provider, p.ProviderReference,
                p.CardLast4 == null ? null : p.CardBrand + " •••• " + p.CardLast4, p.Message, p.CreatedAt))
            .ToListAsync(ct);
        return new OrderDetail(summary, store.Address.ToString(), store.Phone, order.CustomerEmail, order.CustomerPhone, order.DeliveryAddress,
            order.Subtotal, order.Discount, order.DeliveryFee, order.Tax, order.RefundedAmount, order.EquivalencyGrams, order.Notes, order.CancelReason,
            order.IdCheckedAt,
            order.Lines.OrderBy(l => l.CreatedAt).Select(l => new OrderLineView(l.ProductId, l.Sku, l.ProductName, l.Brand, l.Size, l.Quantity, l.UnitPrice,
                l.LineDiscount, l.LineTotal, l.EquivalencyPerUnit)).ToList(),
            order.History.OrderBy(h => h.OccurredAt).Select(h => new OrderHistoryView(h.From, h.To, h.OccurredAt,
                isCustomer ? null : h.UserId is { } u ? names.GetValueOrDefault(u) : null, h.Note)).ToList(),
            isCustomer ? payments.Select(p => p with { Reference = null }).ToList() : payments);
    }

    /// <summary>Batches the packer may choose from for each line of an order, oldest packaged first (the FIFO default).</summary>
    public async Task<Result<IReadOnlyDictionary<Guid, IReadOnlyList<PickOption>>>> PickOptionsAsync(Guid orderId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var order = await db.Orders.AsNoTracking().Include(o => o.Lines).FirstOrDefaultAsync(o => o.Id == orderId, ct);
        if (order is null)
        {
            return Error.NotFound("That order");
        }
        if (await StaffAccessAsync(db, order.StoreId, ct) is { } denied)
        {
            return denied;
        }
        var ids = order.Lines.Select(l => l.ProductId).ToList();
        var batches = await db.Batches.AsNoTracking().Where(b => b.StoreId == order.StoreId && ids.Contains(b.ProductId) && b.RemainingQuantity > 0)
            .OrderBy(b => b.PackagedOn == null).ThenBy(b => b.PackagedOn).ThenBy(b => b.ReceivedAt)
            .Select(b => new { b.ProductId, Option = new PickOption(b.Id, b.BatchLot, b.PackagedOn, b.RemainingQuantity) })
            .ToListAsync(ct);
        return ids.ToDictionary(id => id, id => (IReadOnlyList<PickOption>)batches.Where(b => b.ProductId == id).Select(b => b.Option).ToList());
    }

    /// <summary>Today's orders and sales per store the staff member works at (each store's own day).</summary>
    public async Task<IReadOnlyList<StoreDay>> TodayAsync(CancellationToken ct = default)
    {
        if (!user.Satisfies(Policies.StoreOperations))
        {
            return [];
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var stores = db.Stores.AsNoTracking().Where(s => s.IsActive);
        if (!user.SeesAllStores())
        {
            var mine = user.StoreIds.ToList();
            stores = stores.Where(s => mine.Contains(s.Id));
        }
        var list = await stores.OrderBy(s => s.Name).Select(s => new { s.Id, s.Name, s.TimeZoneId }).ToListAsync(ct);
        var now = clock.GetUtcNow();
        var result = new List<StoreDay>();
        foreach (var s in list)
        {
            var start = StartOfDay(s.TimeZoneId, now);
            var day = await db.Orders.AsNoTracking().Where(o => o.StoreId == s.Id && o.PlacedAt >= start)
                .GroupBy(_ => 1)
                .Select(g => new
                {
                    Orders = g.Count(),
                    Open = g.Count(o => OpenStatuses.Contains(o.Status)),
                    Sales = g.Where(o => o.Status != OrderStatus.Cancelled && o.Status != OrderStatus.Returned).Sum(o => o.Total - o.RefundedAmount),
                })
                .FirstOrDefaultAsync(ct);
            result.Add(new StoreDay(s.Id, s.Name, day?.Orders ?? 0, day?.Open ?? 0, day?.Sales ?? 0));
        }
        return result;
    }

    /// <summary>Midnight of <paramref name="now"/>'s day in the store's time zone, as a UTC instant.</summary>
    public static DateTimeOffset StartOfDay(string timeZoneId, DateTimeOffset now)
    {
        var local = StoreHours.AtStore(timeZoneId, now);
        return new DateTimeOffset(local.Date, local.Offset).ToUniversalTime();
    }

    private static IQueryable<OrderSummary> Summaries(WeedGoDbContext db, IQueryable<Order> orders) =>
        orders.AsNoTracking().Join(db.Stores, o => o.StoreId, s => s.Id, (o, s) => new OrderSummary(
            o.Id, o.Number, o.StoreId, s.Name, s.Slug, o.PlacedAt, o.Status, o.Fulfilment, o.Total, o.Lines.Sum(l => l.Quantity), o.CustomerName,
            o.PickupAt, o.PaymentMethod, o.PaymentStatus, o.Source, s.TimeZoneId));

    private async Task<Error?> StaffAccessAsync(WeedGoDbContext db, Guid storeId, CancellationToken ct)
    {
        if (user.Demand(Policies.StoreOperations) is { } denied)
        {
            return denied;
        }
        var exists = await db.Stores.AsNoTracking().AnyAsync(s => s.Id == storeId, ct);
        if (!exists)
        {
            return Error.NotFound("That store");
        }
        return user.SeesAllStores() || user.StoreIds.Contains(storeId) ? null : Error.Forbidden("You do not work at that store.");
    }
}
