using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using WeedGo.Core.Common;
using WeedGo.Core.Data;
using WeedGo.Core.Live;

namespace WeedGo.Core.Inventory;

/// <summary>What a receipt puts into a batch: its lot, packaged-on date, cost per each and barcodes.</summary>
public sealed record BatchReceipt(
    string BatchLot, DateTime? PackagedOn = null, decimal? UnitCost = null, string? CaseGtin = null, string? EachGtin = null, Guid? ShipmentId = null);

/// <summary>Stock figures of one product at one store after a movement.</summary>
public sealed record StockFigures(Guid StoreId, Guid ProductId, string Sku, int OnHand, int Reserved, int Available);

/// <summary>
/// The stock engine. Every change to <c>ocs_inventory</c> and batches goes through here, inside one transaction: the inventory
/// row is created if missing and locked (<c>SELECT … FOR UPDATE</c>), figures and batches change, and one immutable
/// <see cref="StockMovement"/> is written per batch touched. <see cref="StockChanged"/> is published after the commit.
/// It checks that stock never goes below zero (the database CHECKs are the last wall) but it does NOT check roles or store
/// access: the services that call it (<see cref="InventoryService"/>, <see cref="ReceivingService"/>, ordering) do.
/// </summary>
public sealed class StockLedger(
    IDbContextFactory<WeedGoDbContext> contexts, ICurrentUser user, TimeProvider clock, ILiveEvents live, ILogger<StockLedger> logger)
{
    /// <summary>Runs <paramref name="work"/> in one transaction. A failed result rolls everything back; on success the
    /// changes commit together and a <see cref="StockChanged"/> is published for every product touched.</summary>
    public async Task<Result<T>> RunAsync<T>(Func<LedgerSession, Task<Result<T>>> work, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        // Any failure rolls the whole unit back, so a savepoint around each save (EF's default inside a transaction: two more
        // round trips per save) would never be used.
        db.Database.AutoSavepointsEnabled = false;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var session = new LedgerSession(db, user, clock, ct);
        Result<T> result;
        try
        {
            result = await work(session);
            if (!result.Succeeded)
            {
                await tx.RollbackAsync(ct);
                return result;
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.CheckViolation } check)
        {
            // The last wall: PostgreSQL refused figures below zero that the checks above should have caught.
            logger.LogWarning(e, "A stock CHECK refused a movement ({Constraint})", check.ConstraintName);
            return InventoryAccess.OutOfStock("There is not enough stock for that: the change would take stock below zero, so nothing was saved.");
        }
        await PublishAsync(session.Touched, ct);
        return result;
    }

    /// <summary>Receives <paramref name="quantity"/> eaches into a batch (created or credited) and on hand.</summary>
    public Task<Result<StockFigures>> ReceiveAsync(Guid storeId, Guid productId, int quantity, BatchReceipt batch,
        string? reference = null, string? note = null, CancellationToken ct = default) =>
        Single(s => s.ReceiveAsync(storeId, productId, quantity, batch, reference, note), storeId, productId, ct);

    /// <summary>Sells <paramref name="quantity"/>: consumes the oldest packaged-on batch first (FIFO) unless a batch is
    /// named. With <paramref name="fromReservation"/> the sale converts that much of the reservation held by
    /// <paramref name="reference"/> (its owner) instead of taking available stock.</summary>
    public Task<Result<StockFigures>> SellAsync(Guid storeId, Guid productId, int quantity, string reference,
        bool fromReservation = false, Guid? batchId = null, string? note = null, CancellationToken ct = default) =>
        Single(s => s.RemoveAsync(storeId, productId, quantity, MovementKind.Sale, null, batchId, reference, note, fromReservation),
            storeId, productId, ct);

    /// <summary>Holds <paramref name="quantity"/> for <paramref name="owner"/> (e.g. a checkout); expiry is the caller's job.</summary>
    public Task<Result<StockFigures>> ReserveAsync(Guid storeId, Guid productId, int quantity, string owner, CancellationToken ct = default) =>
        Single(s => s.ReserveAsync(storeId, productId, quantity, owner), storeId, productId, ct);

    /// <summary>Gives back <paramref name="quantity"/> of what <paramref name="owner"/> holds.</summary>
    public Task<Result<StockFigures>> ReleaseAsync(Guid storeId, Guid productId, int quantity, string owner, CancellationToken ct = default) =>
        Single(s => s.ReleaseAsync(storeId, productId, quantity, owner), storeId, productId, ct);

    /// <summary>Puts <paramref name="quantity"/> back (a return, a transfer in): into the named batch, or unbatched.</summary>
    public Task<Result<StockFigures>> ReturnAsync(Guid storeId, Guid productId, int quantity, string reference,
        Guid? batchId = null, string? note = null, CancellationToken ct = default) =>
        Single(s => s.AddAsync(storeId, productId, quantity, MovementKind.Return, null, batchId, reference, note), storeId, productId, ct);

    private Task<Result<StockFigures>> Single(Func<LedgerSession, Task<Result>> move, Guid storeId, Guid productId, CancellationToken ct) =>
        RunAsync<StockFigures>(async s =>
        {
            var r = await move(s);
            return r.Succeeded ? s.Figures(storeId, productId) : r.Error!;
        }, ct);

    private async Task PublishAsync(IEnumerable<LockedItem> touched, CancellationToken ct)
    {
        foreach (var l in touched)
        {
            try
            {
                await live.PublishAsync(new StockChanged(l.Item.TenantId, l.Item.StoreId, l.Item.ProductId, l.Sku,
                    l.Item.OnHand, l.Item.Reserved, l.Item.OnHand - l.Item.Reserved), ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The movement is committed; a failing listener must not turn it into an error.
                logger.LogWarning(e, "Publishing StockChanged failed for {Sku}", l.Sku);
            }
        }
    }
}

/// <summary>A locked inventory row with the product's name and SKU for messages and events.</summary>
public sealed class LockedItem(InventoryItem item, string productName, string sku)
{
    public InventoryItem Item { get; } = item;
    public string ProductName { get; } = productName;
    public string Sku { get; } = sku;
    /// <summary>True once a movement was recorded for it in this transaction.</summary>
    internal bool Touched { get; set; }
    public string Describe() => InventoryAccess.Describe(ProductName, Sku);
}

/// <summary>One transaction of the stock ledger (see <see cref="StockLedger.RunAsync{T}"/>). Each operation saves as it goes
/// (inside the transaction), so later operations see earlier ones.</summary>
public sealed class LedgerSession
{
    private readonly ICurrentUser _user;
    private readonly TimeProvider _clock;
    private readonly CancellationToken _ct;
    private readonly Dictionary<(Guid Store, Guid Product), LockedItem> _locked = [];

    internal LedgerSession(WeedGoDbContext db, ICurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        Db = db;
        _user = user;
        _clock = clock;
        _ct = ct;
    }

    /// <summary>The transaction's context, for callers that save their own rows with the movements (e.g. a shipment).</summary>
    public WeedGoDbContext Db { get; }

    internal IEnumerable<LockedItem> Touched => _locked.Values.Where(l => l.Touched);

    public StockFigures Figures(Guid storeId, Guid productId)
    {
        var l = _locked[(storeId, productId)];
        return new StockFigures(storeId, productId, l.Sku, l.Item.OnHand, l.Item.Reserved, l.Item.OnHand - l.Item.Reserved);
    }

    /// <summary>Creates the inventory row if missing and locks it until the transaction ends.</summary>
    public async Task<Result<LockedItem>> LockAsync(Guid storeId, Guid productId)
    {
        if (_locked.TryGetValue((storeId, productId), out var held))
        {
            return held;
        }
        var tenantId = await Db.Stores.Where(s => s.Id == storeId).Select(s => (Guid?)s.TenantId).FirstOrDefaultAsync(_ct);
        if (tenantId is null)
        {
            return Error.NotFound("That store");
        }
        var product = await Db.Products.AsNoTracking().Where(p => p.Id == productId && p.TenantId == tenantId)
            .Select(p => new { p.ProductName, p.Sku }).FirstOrDefaultAsync(_ct);
        if (product is null)
        {
            return Error.NotFound("That product");
        }
        var now = _clock.GetUtcNow();
        var id = Guid.CreateVersion7();
        await Db.Database.ExecuteSqlAsync($"""
            INSERT INTO ocs_inventory (id, tenant_id, store_id, product_id, on_hand, reserved, reorder_point, created_at, updated_at)
            VALUES ({id}, {tenantId.Value}, {storeId}, {productId}, 0, 0, 0, {now}, {now})
            ON CONFLICT (tenant_id, store_id, product_id) DO NOTHING
            """, _ct);
        var item = await Db.Inventory.FromSql($"""
            SELECT * FROM ocs_inventory WHERE tenant_id = {tenantId.Value} AND store_id = {storeId} AND product_id = {productId} FOR UPDATE
            """).IgnoreQueryFilters().SingleAsync(_ct);
        var locked = new LockedItem(item, product.ProductName, product.Sku);
        _locked[(storeId, productId)] = locked;
        return locked;
    }

    /// <summary>Receives eaches into the (store, product, lot) batch — created on first receipt — and on hand. A transfer in
    /// comes through here too (<paramref name="kind"/> TransferIn), so the lot keeps its packaged-on date, cost and GTINs.</summary>
    public async Task<Result> ReceiveAsync(Guid storeId, Guid productId, int quantity, BatchReceipt receipt, string? reference, string? note,
        MovementKind kind = MovementKind.Receipt)
    {
        if (quantity <= 0)
        {
            return Error.Validation("A receipt must add at least one unit.");
        }
        if (string.IsNullOrWhiteSpace(receipt.BatchLot))
        {
            return Error.Validation("A receipt needs a batch lot.");
        }
        var locked = await LockAsync(storeId, productId);
        if (!locked.Succeeded)
        {
            return locked.Error!;
        }
        var item = locked.Value.Item;
        var lot = receipt.BatchLot.Trim();
        var batch = await Db.Batches.FirstOrDefaultAsync(b => b.StoreId == storeId && b.ProductId == productId && b.BatchLot == lot, _ct);
        if (batch is null)
        {
            batch = new InventoryBatch
            {
                TenantId = item.TenantId, StoreId = storeId, ProductId = productId, BatchLot = lot, PackagedOn = receipt.PackagedOn,
                UnitCost = receipt.UnitCost, CaseGtin = receipt.CaseGtin, EachGtin = receipt.EachGtin, ShipmentId = receipt.ShipmentId,
                ReceivedAt = _clock.GetUtcNow(),
            };
            Db.Batches.Add(batch);
        }
        else
        {
            batch.PackagedOn ??= receipt.PackagedOn;
            batch.CaseGtin ??= receipt.CaseGtin;
            batch.EachGtin ??= receipt.EachGtin;
            if (receipt.UnitCost is { } c)
            {
                batch.UnitCost = batch.UnitCost is { } old && batch.RemainingQuantity > 0
                    ? Math.Round((old * batch.RemainingQuantity + c * quantity) / (batch.RemainingQuantity + quantity), 4, MidpointRounding.AwayFromZero)
                    : c;
            }
        }
        batch.ReceivedQuantity += quantity;
        batch.RemainingQuantity += quantity;
        if (receipt.UnitCost is { } cost)
        {
            // Weighted average cost of what is on hand.
            item.UnitCost = item.UnitCost is { } avg && item.OnHand > 0
                ? Math.Round((avg * item.OnHand + cost * quantity) / (item.OnHand + quantity), 4, MidpointRounding.AwayFromZero)
                : cost;
        }
        item.OnHand += quantity;
        Record(locked.Value, kind, null, batch.Id, quantity, 0, receipt.UnitCost ?? item.UnitCost, reference, note);
        await Db.SaveChangesAsync(_ct);
        return Result.Ok();
    }

    /// <summary>Takes stock out (sale, negative adjustment, destruction, transfer out): from the named batch, or from the
    /// oldest packaged-on batches first (FIFO); units not held in any batch are taken last, unbatched.</summary>
    public async Task<Result> RemoveAsync(Guid storeId, Guid productId, int quantity, MovementKind kind, AdjustmentReason? reason,
        Guid? batchId, string? reference, string? note, bool fromReservation = false) =>
        await TakeAsync(storeId, productId, quantity, kind, reason, batchId, reference, note, fromReservation) is { Succeeded: false } failed
            ? failed.Error!
            : Result.Ok();

    /// <summary><see cref="RemoveAsync"/>, returning what was taken from which batch (null: units held in no batch), in the
    /// order taken: a transfer puts the same lots into the other store.</summary>
    public async Task<Result<IReadOnlyList<(InventoryBatch? Batch, int Quantity)>>> TakeAsync(Guid storeId, Guid productId, int quantity,
        MovementKind kind, AdjustmentReason? reason, Guid? batchId, string? reference, string? note, bool fromReservation = false)
    {
        if (quantity <= 0)
        {
            return Error.Validation("Enter how many units to take out (at least one).");
        }
        var locked = await LockAsync(storeId, productId);
        if (!locked.Succeeded)
        {
            return locked.Error!;
        }
        var l = locked.Value;
        var item = l.Item;
        if (fromReservation)
        {
            var held = await HeldByAsync(storeId, productId, reference);
            if (held < quantity)
            {
                return InventoryAccess.OutOfStock(
                    $"{reference} holds {Units(held)} of {l.Describe()} in reserve, so {Units(quantity)} cannot be sold from the reservation.");
            }
        }
        else if (item.OnHand - item.Reserved < quantity)
        {
            var available = item.OnHand - item.Reserved;
            var reservedNote = item.Reserved > 0 ? $" ({item.Reserved} more are reserved for open orders)" : "";
            return InventoryAccess.OutOfStock(
                $"Only {Units(available)} of {l.Describe()} {(available == 1 ? "is" : "are")} available{reservedNote}, so {Units(quantity)} cannot be taken out.");
        }

        var portions = new List<(InventoryBatch? Batch, int Quantity)>();
        if (batchId is { } named)
        {
            var batch = await Db.Batches.FirstOrDefaultAsync(b => b.Id == named && b.StoreId == storeId && b.ProductId == productId, _ct);
            if (batch is null)
            {
                return Error.NotFound("That batch lot of this product at this store");
            }
            if (batch.RemainingQuantity < quantity)
            {
                return InventoryAccess.OutOfStock(
                    $"Lot {batch.BatchLot} of {l.Describe()} has only {Units(batch.RemainingQuantity)} left, so {Units(quantity)} cannot be taken from it.");
            }
            portions.Add((batch, quantity));
        }
        else
        {
            var batches = await Db.Batches
                .Where(b => b.StoreId == storeId && b.ProductId == productId && b.RemainingQuantity > 0)
                .OrderBy(b => b.PackagedOn == null).ThenBy(b => b.PackagedOn).ThenBy(b => b.ReceivedAt).ThenBy(b => b.Id)
                .ToListAsync(_ct);
            var left = quantity;
            foreach (var b in batches.Where(b => b.RemainingQuantity > 0))
            {
                if (left == 0)
                {
                    break;
                }
                var take = Math.Min(left, b.RemainingQuantity);
                portions.Add((b, take));
                left -= take;
            }
            if (left > 0)
            {
                portions.Add((null, left));
            }
        }

        foreach (var (batch, take) in portions)
        {
            if (batch is not null)
            {
                batch.RemainingQuantity -= take;
            }
            Record(l, kind, reason, batch?.Id, -take, fromReservation ? -take : 0, batch?.UnitCost ?? item.UnitCost, reference, note);
        }
        item.OnHand -= quantity;
        if (fromReservation)
        {
            item.Reserved -= quantity;
        }
        await Db.SaveChangesAsync(_ct);
        return Result<IReadOnlyList<(InventoryBatch? Batch, int Quantity)>>.Ok(portions);
    }

    /// <summary>Puts stock in without a receipt (return, positive adjustment, transfer in): into the named batch, or unbatched.</summary>
    public async Task<Result> AddAsync(Guid storeId, Guid productId, int quantity, MovementKind kind, AdjustmentReason? reason,
        Guid? batchId, string? reference, string? note)
    {
        if (quantity <= 0)
        {
            return Error.Validation("Enter how many units to add (at least one).");
        }
        var locked = await LockAsync(storeId, productId);
        if (!locked.Succeeded)
        {
            return locked.Error!;
        }
        var item = locked.Value.Item;
        InventoryBatch? batch = null;
        if (batchId is { } named)
        {
            batch = await Db.Batches.FirstOrDefaultAsync(b => b.Id == named && b.StoreId == storeId && b.ProductId == productId, _ct);
            if (batch is null)
            {
                return Error.NotFound("That batch lot of this product at this store");
            }
            batch.RemainingQuantity += quantity;
        }
        item.OnHand += quantity;
        Record(locked.Value, kind, reason, batch?.Id, quantity, 0, batch?.UnitCost ?? item.UnitCost, reference, note);
        await Db.SaveChangesAsync(_ct);
        return Result.Ok();
    }

    /// <summary>Reserves available stock for <paramref name="owner"/> (recorded in the movement's reference).</summary>
    public async Task<Result> ReserveAsync(Guid storeId, Guid productId, int quantity, string owner)
    {
        if (quantity <= 0 || string.IsNullOrWhiteSpace(owner))
        {
            return Error.Validation("A reservation needs an owner and at least one unit.");
        }
        var locked = await LockAsync(storeId, productId);
        if (!locked.Succeeded)
        {
            return locked.Error!;
        }
        var item = locked.Value.Item;
        var available = item.OnHand - item.Reserved;
        if (available < quantity)
        {
            return InventoryAccess.OutOfStock(
                $"Only {Units(available)} of {locked.Value.Describe()} {(available == 1 ? "is" : "are")} available, so {Units(quantity)} cannot be reserved.");
        }
        item.Reserved += quantity;
        Record(locked.Value, MovementKind.Reservation, null, null, 0, quantity, null, owner, null);
        await Db.SaveChangesAsync(_ct);
        return Result.Ok();
    }

    /// <summary>Releases part or all of what <paramref name="owner"/> holds.</summary>
    public async Task<Result> ReleaseAsync(Guid storeId, Guid productId, int quantity, string owner)
    {
        if (quantity <= 0 || string.IsNullOrWhiteSpace(owner))
        {
            return Error.Validation("A release needs an owner and at least one unit.");
        }
        var locked = await LockAsync(storeId, productId);
        if (!locked.Succeeded)
        {
            return locked.Error!;
        }
        var held = await HeldByAsync(storeId, productId, owner);
        if (held < quantity)
        {
            return Error.Conflict($"{owner} holds {Units(held)} of {locked.Value.Describe()} in reserve, so {Units(quantity)} cannot be released.");
        }
        locked.Value.Item.Reserved -= quantity;
        Record(locked.Value, MovementKind.Release, null, null, 0, -quantity, null, owner, null);
        await Db.SaveChangesAsync(_ct);
        return Result.Ok();
    }

    /// <summary>How many units <paramref name="owner"/> still holds in reserve (sum of its reservation movements).</summary>
    private Task<int> HeldByAsync(Guid storeId, Guid productId, string? owner) =>
        owner is null
            ? Task.FromResult(0)
            : Db.StockLedger.Where(m => m.StoreId == storeId && m.ProductId == productId && m.Reference == owner)
                .SumAsync(m => m.ReservedDelta, _ct);

    private void Record(LockedItem l, MovementKind kind, AdjustmentReason? reason, Guid? batchId, int onHandDelta, int reservedDelta,
        decimal? unitCost, string? reference, string? note)
    {
        Db.StockLedger.Add(new StockMovement
        {
            TenantId = l.Item.TenantId, StoreId = l.Item.StoreId, ProductId = l.Item.ProductId, BatchId = batchId, Kind = kind, Reason = reason,
            OnHandDelta = onHandDelta, ReservedDelta = reservedDelta, UnitCost = unitCost, UserId = _user.UserId,
            Reference = reference, Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim(), OccurredAt = _clock.GetUtcNow(),
        });
        l.Touched = true;
    }

    private static string Units(int n) => n == 1 ? "1 unit" : $"{n} units";
}
