using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using WeedGo.Core.Common;
using WeedGo.Core.Data;
using WeedGo.Core.Inventory;
using WeedGo.Core.Live;

namespace WeedGo.Core.Ordering;

/// <summary>
/// Holding stock for a checkout or an order, the oversell-proof way: inside the caller's transaction, one conditional
/// <c>UPDATE … SET reserved = reserved + n WHERE on_hand - reserved &gt;= n</c> per line, lines in product-id order so two
/// checkouts never wait on each other in opposite orders (no deadlocks), and one ledger row per line written by the same
/// statement (a data-modifying CTE), so a hot product's row is locked for one statement and the commit. A line that finds too
/// little stock fails the whole hold (the caller rolls back). The CHECK on <c>ocs_inventory</c> stays the last wall.
/// </summary>
internal static class Reservations
{
    public sealed record Held(Guid ProductId, string Sku, int OnHand, int Reserved);

    public static async Task<Result<List<Held>>> ReserveAsync(WeedGoDbContext db, Guid tenantId, Guid storeId, string storeName, string reference,
        IEnumerable<(Guid ProductId, int Quantity)> lines, Guid? userId, DateTimeOffset now, CancellationToken ct)
    {
        var tx = db.Database.CurrentTransaction ?? throw new InvalidOperationException("Reserve inside a transaction.");
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var ordered = lines.OrderBy(l => l.ProductId).ToList();
        // Read the SKUs (for the StockChanged events) before the first UPDATE: once a row is locked, every round trip until
        // the commit keeps the other buyers of that product waiting.
        var ids = ordered.Select(l => l.ProductId).ToList();
        var skus = await db.Products.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Sku, ct);
        var held = new List<Held>();
        foreach (var (productId, quantity) in ordered)
        {
            // One statement takes the unit and writes its ledger row, so the row lock lasts this statement and the commit.
            await using var cmd = new NpgsqlCommand($"""
                WITH r AS (
                    UPDATE ocs_inventory SET reserved = reserved + @qty, updated_at = @now
                    WHERE tenant_id = @tenant AND store_id = @store AND product_id = @product AND on_hand - reserved >= @qty
                    RETURNING on_hand, reserved),
                ledger AS (
                    INSERT INTO stock_ledger (id, tenant_id, store_id, product_id, kind, on_hand_delta, reserved_delta, user_id, reference, occurred_at, created_at, updated_at)
                    SELECT @id, @tenant, @store, @product, '{nameof(MovementKind.Reservation)}', 0, @qty, @user, @reference, @now, @now, @now FROM r)
                SELECT on_hand, reserved FROM r
                """, connection, (NpgsqlTransaction)tx.GetDbTransaction());
            cmd.Parameters.AddWithValue("qty", quantity);
            cmd.Parameters.AddWithValue("now", now);
            cmd.Parameters.AddWithValue("tenant", tenantId);
            cmd.Parameters.AddWithValue("store", storeId);
            cmd.Parameters.AddWithValue("product", productId);
            cmd.Parameters.AddWithValue("id", Guid.CreateVersion7());
            cmd.Parameters.Add(new NpgsqlParameter<Guid?>("user", NpgsqlTypes.NpgsqlDbType.Uuid) { TypedValue = userId });
            cmd.Parameters.AddWithValue("reference", reference);
            int onHand, reserved;
            await using (var reader = await cmd.ExecuteReaderAsync(ct))
            {
                if (!await reader.ReadAsync(ct))
                {
                    await reader.DisposeAsync();
                    return await ShortAsync(db, storeId, storeName, productId, quantity, ct);
                }
                onHand = reader.GetInt32(0);
                reserved = reader.GetInt32(1);
            }
            held.Add(new Held(productId, skus.GetValueOrDefault(productId, ""), onHand, reserved));
        }
        return held;
    }

    private static async Task<Result<List<Held>>> ShortAsync(WeedGoDbContext db, Guid storeId, string storeName, Guid productId, int quantity, CancellationToken ct)
    {
        var row = await db.Products.AsNoTracking().Where(p => p.Id == productId)
            .Select(p => new { p.ProductName, Available = db.Inventory.Where(i => i.StoreId == storeId && i.ProductId == p.Id).Select(i => (int?)i.Available).FirstOrDefault() })
            .FirstOrDefaultAsync(ct);
        var name = row?.ProductName ?? "A product in your cart";
        var available = row?.Available ?? 0;
        return OrderingErrors.OutOfStock(available == 0
            ? $"Sorry, {name} just sold out at {storeName}. Remove it from your cart to continue."
            : $"Sorry, only {available} of {name} {(available == 1 ? "is" : "are")} left at {storeName} (you asked for {quantity}). Lower the quantity to continue.");
    }

    public static async Task PublishAsync(ILiveEvents live, Guid tenantId, Guid storeId, IEnumerable<Held> held, CancellationToken ct)
    {
        foreach (var h in held)
        {
            try
            {
                await live.PublishAsync(new StockChanged(tenantId, storeId, h.ProductId, h.Sku, h.OnHand, h.Reserved, h.OnHand - h.Reserved), ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The hold is committed; a failing listener must not turn it into an error.
            }
        }
    }

    /// <summary>Gives back everything <paramref name="reference"/> still holds of each product, in one ledger transaction.</summary>
    public static async Task<Result> ReleaseAllAsync(LedgerSession s, Guid storeId, string reference, IEnumerable<Guid> productIds, CancellationToken ct)
    {
        foreach (var productId in productIds.Distinct().OrderBy(p => p))
        {
            // Lock first so the figure read below cannot change before the release.
            var locked = await s.LockAsync(storeId, productId);
            if (!locked.Succeeded)
            {
                return locked.Error!;
            }
            var held = await s.Db.StockLedger.Where(m => m.StoreId == storeId && m.ProductId == productId && m.Reference == reference)
                .SumAsync(m => m.ReservedDelta, ct);
            if (held > 0)
            {
                var r = await s.ReleaseAsync(storeId, productId, held, reference);
                if (!r.Succeeded)
                {
                    return r;
                }
            }
        }
        return Result.Ok();
    }
}
