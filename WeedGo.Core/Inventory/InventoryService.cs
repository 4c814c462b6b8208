using Microsoft.EntityFrameworkCore;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Data;

namespace WeedGo.Core.Inventory;

/// <summary>One line of a cycle count sheet: the product and how many were counted on the shelf.</summary>
public sealed record CountLine(Guid ProductId, int Counted);

/// <summary>What a posted count changed: per product, expected (on hand before) and counted.</summary>
public sealed record CountDifference(Guid ProductId, string Sku, int Expected, int Counted)
{
    public int Difference => Counted - Expected;
}

public sealed record CountPosted(string Reference, int LinesCounted, IReadOnlyList<CountDifference> Differences);

/// <summary>A transfer between two stores: the reference both sides' ledger rows share, the lots moved and both stores' figures after it.</summary>
public sealed record StockTransferred(string Reference, IReadOnlyList<TransferredLot> Lots, StockFigures From, StockFigures To);

/// <summary>Units of one batch lot moved by a transfer (lot null: units held in no batch).</summary>
public sealed record TransferredLot(string? BatchLot, int Quantity);

/// <summary>
/// Stock commands staff give at a store: adjustments (count corrections by any store staff; damage, theft/loss, expiry and
/// destruction by managers), cycle counts, shelf price and cost, reorder point. Every stock change goes through
/// <see cref="StockLedger"/>.
/// </summary>
public sealed class InventoryService(
    IDbContextFactory<WeedGoDbContext> contexts, ICurrentUser user, StockLedger ledger, TimeProvider clock, Audit.IAuditLog audit)
{
    private const int MaxNote = 500;

    /// <summary>Adjusts on hand by <paramref name="delta"/> with a reason. Count corrections may go either way and are open to
    /// all store staff (<see cref="Policies.StoreOperations"/>); damage, theft/loss and expiry only remove stock and need a
    /// manager (<see cref="Policies.StoreManagement"/>). Out-movements take the named batch, else the oldest first.</summary>
    public async Task<Result<StockFigures>> AdjustAsync(Guid storeId, Guid productId, int delta, AdjustmentReason reason, string? note,
        Guid? batchId = null, CancellationToken ct = default)
    {
        var policy = reason == AdjustmentReason.CountCorrection ? Policies.StoreOperations : Policies.StoreManagement;
        if (await CheckAsync(policy, storeId, ct) is { } denied)
        {
            return policy == Policies.StoreManagement && user.Satisfies(Policies.StoreOperations) && !user.Satisfies(Policies.StoreManagement)
                ? Error.Forbidden($"Only a store manager can record {Describe(reason)}; ask your manager, or post a cycle count.")
                : denied;
        }
        if (delta == 0)
        {
            return Error.Validation("Enter a quantity other than zero.");
        }
        if (reason != AdjustmentReason.CountCorrection && delta > 0)
        {
            return Error.Validation($"{char.ToUpperInvariant(Describe(reason)[0])}{Describe(reason)[1..]} only takes stock out: enter a negative quantity.");
        }
        if (note is { Length: > MaxNote })
        {
            return Error.Validation($"Keep the note under {MaxNote} characters.");
        }
        return await ledger.RunAsync<StockFigures>(async s =>
        {
            // Staged first, so it is saved in the movement's own batch (a refused movement rolls the whole unit back).
            Stage(s, storeId, new { productId, delta, reason = reason.ToString(), note, batchId });
            var moved = delta < 0
                ? await s.RemoveAsync(storeId, productId, -delta, MovementKind.Adjustment, reason, batchId, "adjustment", note)
                : await s.AddAsync(storeId, productId, delta, MovementKind.Adjustment, reason, batchId, "adjustment", note);
            if (!moved.Succeeded)
            {
                return moved.Error!;
            }
            return s.Figures(storeId, productId);
        }, ct);
    }

    /// <summary>A stock adjustment event, written in the ledger's transaction (one row, no extra round trip).</summary>
    private void Stage(LedgerSession s, Guid storeId, object details, Audit.AuditSeverity severity = Audit.AuditSeverity.Info) =>
        audit.Stage(s.Db, Audit.AuditEvents.StockAdjusted, severity, details, storeId: storeId);

    /// <summary>Destroys <paramref name="quantity"/> units (movement kind Destruction); managers only.</summary>
    public async Task<Result<StockFigures>> DestroyAsync(Guid storeId, Guid productId, int quantity, string? note, Guid? batchId = null,
        CancellationToken ct = default)
    {
        if (await CheckAsync(Policies.StoreManagement, storeId, ct) is { } denied)
        {
            return denied;
        }
        if (quantity <= 0)
        {
            return Error.Validation("Enter how many units were destroyed (at least one).");
        }
        if (note is { Length: > MaxNote })
        {
            return Error.Validation($"Keep the note under {MaxNote} characters.");
        }
        return await ledger.RunAsync<StockFigures>(async s =>
        {
            Stage(s, storeId, new { productId, delta = -quantity, reason = "Destruction", note, batchId }); // saved with the movement
            var moved = await s.RemoveAsync(storeId, productId, quantity, MovementKind.Destruction, null, batchId, "destruction", note);
            if (!moved.Succeeded)
            {
                return moved.Error!;
            }
            return s.Figures(storeId, productId);
        }, ct);
    }

    /// <summary>Posts a cycle count sheet: for every product whose count differs from on hand, one CountCorrection movement,
    /// all in one transaction (any refusal saves nothing). Open to all store staff.</summary>
    public async Task<Result<CountPosted>> PostCountAsync(Guid storeId, IReadOnlyList<CountLine> lines, string? note, CancellationToken ct = default)
    {
        if (await CheckAsync(Policies.StoreOperations, storeId, ct) is { } denied)
        {
            return denied;
        }
        if (lines.Count == 0)
        {
            return Error.Validation("The count sheet is empty: count at least one product.");
        }
        if (lines.Any(l => l.Counted < 0))
        {
            return Error.Validation("A count cannot be negative.");
        }
        if (lines.GroupBy(l => l.ProductId).Any(g => g.Count() > 1))
        {
            return Error.Validation("The same product appears twice on the count sheet; count it once.");
        }
        if (note is { Length: > MaxNote })
        {
            return Error.Validation($"Keep the note under {MaxNote} characters.");
        }
        var reference = $"count {clock.GetUtcNow():yyyy-MM-dd HH:mm} {Guid.CreateVersion7().ToString("N")[..8]}";
        return await ledger.RunAsync<CountPosted>(async s =>
        {
            var differences = new List<CountDifference>();
            // Lock in a fixed order so two sheets over the same products cannot deadlock.
            foreach (var line in lines.OrderBy(l => l.ProductId))
            {
                var locked = await s.LockAsync(storeId, line.ProductId);
                if (!locked.Succeeded)
                {
                    return locked.Error!;
                }
                var item = locked.Value.Item;
                var expected = item.OnHand;
                if (line.Counted < item.Reserved)
                {
                    return InventoryAccess.OutOfStock(
                        $"{locked.Value.Describe()}: {line.Counted} counted, but {item.Reserved} are reserved for open orders. Recount, or release those orders first.");
                }
                var diff = line.Counted - expected;
                var moved = diff switch
                {
                    < 0 => await s.RemoveAsync(storeId, line.ProductId, -diff, MovementKind.Adjustment, AdjustmentReason.CountCorrection, null, reference, note),
                    > 0 => await s.AddAsync(storeId, line.ProductId, diff, MovementKind.Adjustment, AdjustmentReason.CountCorrection, null, reference, note),
                    _ => Result.Ok(),
                };
                if (!moved.Succeeded)
                {
                    return moved.Error!;
                }
                if (diff != 0)
                {
                    differences.Add(new CountDifference(line.ProductId, locked.Value.Sku, expected, line.Counted));
                }
            }
            if (differences.Count > 0)
            {
                Stage(s, storeId, new
                {
                    reference, reason = "CountCorrection", note,
                    lines = differences.Select(d => new { d.ProductId, d.Sku, d.Expected, d.Counted }),
                });
            }
            return new CountPosted(reference, lines.Count, differences);
        }, ct);
    }

    /// <summary>
    /// Moves <paramref name="quantity"/> units of a product from one store to another of the same tenant, in one transaction:
    /// out of the source (the named batch, else the oldest packaged-on first; never more than is available there), into the
    /// destination as the same batch lots (created there when missing, with the packaged-on date, cost and GTINs of the source
    /// lot), with TransferOut and TransferIn ledger rows sharing one reference. Managers (<see cref="Policies.StoreManagement"/>)
    /// who work at both stores; <see cref="StockChanged"/> is published for both after the commit.
    /// </summary>
    public async Task<Result<StockTransferred>> TransferAsync(Guid fromStoreId, Guid toStoreId, Guid productId, int quantity, Guid? batchId,
        string? note, CancellationToken ct = default)
    {
        if (await CheckAsync(Policies.StoreManagement, fromStoreId, ct) is { } deniedFrom)
        {
            return deniedFrom;
        }
        if (await CheckAsync(Policies.StoreManagement, toStoreId, ct) is { } deniedTo)
        {
            return deniedTo;
        }
        if (fromStoreId == toStoreId)
        {
            return Error.Validation("Choose another store to transfer to: stock cannot move to the store it is in.");
        }
        if (quantity <= 0)
        {
            return Error.Validation("Enter how many units to transfer (at least one).");
        }
        if (note is { Length: > MaxNote })
        {
            return Error.Validation($"Keep the note under {MaxNote} characters.");
        }
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            // The tenant filter already hides other tenants' stores; the platform scope sees all, so compare explicitly.
            var stores = await db.Stores.AsNoTracking().Where(s => s.Id == fromStoreId || s.Id == toStoreId)
                .Select(s => new { s.Id, s.TenantId, s.Name }).ToListAsync(ct);
            if (stores.Select(s => s.TenantId).Distinct().Count() != 1)
            {
                return Error.Forbidden("Stock can only be transferred between stores of the same company.");
            }
        }
        var reference = $"transfer {clock.GetUtcNow():yyyy-MM-dd HH:mm} {Guid.CreateVersion7().ToString("N")[^8..]}";
        return await ledger.RunAsync<StockTransferred>(async s =>
        {
            // Lock both rows in a fixed order, so two transfers in opposite directions cannot deadlock.
            foreach (var store in new[] { fromStoreId, toStoreId }.Order())
            {
                if (await s.LockAsync(store, productId) is { Succeeded: false } notFound)
                {
                    return notFound.Error!;
                }
            }
            var source = (await s.LockAsync(fromStoreId, productId)).Value;
            var available = source.Item.OnHand - source.Item.Reserved;
            if (available < quantity)
            {
                var storeName = await s.Db.Stores.Where(x => x.Id == fromStoreId).Select(x => x.Name).FirstAsync(ct);
                return InventoryAccess.OutOfStock(
                    $"Only {Units(available)} of {source.Describe()} {(available == 1 ? "is" : "are")} available at {storeName}, so {Units(quantity)} cannot be transferred.");
            }
            var taken = await s.TakeAsync(fromStoreId, productId, quantity, MovementKind.TransferOut, null, batchId, reference, note);
            if (!taken.Succeeded)
            {
                return taken.Error!;
            }
            var lots = new List<TransferredLot>();
            foreach (var (batch, units) in taken.Value)
            {
                var moved = batch is null
                    ? await s.AddAsync(toStoreId, productId, units, MovementKind.TransferIn, null, null, reference, note)
                    : await s.ReceiveAsync(toStoreId, productId, units,
                        new BatchReceipt(batch.BatchLot, batch.PackagedOn, batch.UnitCost, batch.CaseGtin, batch.EachGtin), reference, note,
                        MovementKind.TransferIn);
                if (!moved.Succeeded)
                {
                    return moved.Error!;
                }
                lots.Add(new TransferredLot(batch?.BatchLot, units));
            }
            Stage(s, fromStoreId, new { reference, reason = "Transfer", productId, quantity, toStoreId, note, lots });
            return new StockTransferred(reference, lots, s.Figures(fromStoreId, productId), s.Figures(toStoreId, productId));
        }, ct);
    }

    /// <summary>Sets the store's shelf price (null: the catalogue's unit price) and unit cost; managers only.</summary>
    public async Task<Result> SetPriceAsync(Guid storeId, Guid productId, decimal? retailOverride, decimal? unitCost, CancellationToken ct = default)
    {
        if (await CheckAsync(Policies.StoreManagement, storeId, ct) is { } denied)
        {
            return denied;
        }
        if (retailOverride is < 0 || unitCost is < 0)
        {
            return Error.Validation("A price or cost cannot be negative.");
        }
        if (retailOverride is < 0.01m)
        {
            return Error.Validation("A shelf price must be at least $0.01: cannabis is never given away.");
        }
        if (retailOverride is { } p && decimal.Round(p, 2) != p)
        {
            return Error.Validation("A shelf price has at most two decimals (dollars and cents).");
        }
        if (retailOverride is > 100_000m || unitCost is > 100_000m)
        {
            return Error.Validation("That price is too large; check for a typing mistake.");
        }
        return await ledger.RunAsync<bool>(async s =>
        {
            var locked = await s.LockAsync(storeId, productId);
            if (!locked.Succeeded)
            {
                return locked.Error!;
            }
            locked.Value.Item.RetailPriceOverride = retailOverride;
            locked.Value.Item.UnitCost = unitCost is { } c ? decimal.Round(c, 4, MidpointRounding.AwayFromZero) : null;
            return true;
        }, ct);
    }

    /// <summary>Sets the reorder point (available at or below it is "low stock"); managers only.</summary>
    public async Task<Result> SetReorderPointAsync(Guid storeId, Guid productId, int reorderPoint, CancellationToken ct = default)
    {
        if (await CheckAsync(Policies.StoreManagement, storeId, ct) is { } denied)
        {
            return denied;
        }
        if (reorderPoint < 0)
        {
            return Error.Validation("A reorder point cannot be negative.");
        }
        return await ledger.RunAsync<bool>(async s =>
        {
            var locked = await s.LockAsync(storeId, productId);
            if (!locked.Succeeded)
            {
                return locked.Error!;
            }
            locked.Value.Item.ReorderPoint = reorderPoint;
            return true;
        }, ct);
    }

    private async Task<Error?> CheckAsync(string policy, Guid storeId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await InventoryAccess.CheckAsync(db, user, policy, storeId, ct);
    }

    private static string Units(int n) => n == 1 ? "1 unit" : $"{n} units";

    private static string Describe(AdjustmentReason reason) => reason switch
    {
        AdjustmentReason.Damage => "damage",
        AdjustmentReason.TheftLoss => "theft or loss",
        AdjustmentReason.Expiry => "expired stock",
        _ => "a count correction",
    };
}
