using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging;
using WeedGo.Core.Common;
using WeedGo.Core.Data;
using WeedGo.Core.Inventory;
using WeedGo.Core.Live;

namespace WeedGo.Core.Ordering;

/// <summary>
/// Releases the stock of checkouts whose 15-minute hold ran out, across all tenants (a background job calls it every
/// half minute; tests call it with a fake clock). A checkout being placed at that very moment is skipped (row lock,
/// SKIP LOCKED) and never loses its hold.
/// </summary>
public sealed class HoldSweeper(PooledDbContextFactory<WeedGoDbContext> pool, TimeProvider clock, ILiveEvents live, ILoggerFactory loggers)
{
    /// <summary>Releases up to <paramref name="batch"/> expired holds; returns how many were released.</summary>
    public async Task<int> ReleaseExpiredAsync(int batch = 200, CancellationToken ct = default)
    {
        var system = new TenantDbContextFactory(pool, FixedTenantContext.System);
        var ledger = new StockLedger(system, SystemUser.Instance, clock, live, loggers.CreateLogger<StockLedger>());
        var now = clock.GetUtcNow();
        List<Guid> expired;
        await using (var db = await system.CreateDbContextAsync(ct))
        {
            expired = await db.Checkouts.AsNoTracking().Where(c => c.Status == CheckoutStatus.Holding && c.ExpiresAt <= now)
                .OrderBy(c => c.ExpiresAt).Select(c => c.Id).Take(batch).ToListAsync(ct);
        }
        var released = 0;
        foreach (var id in expired)
        {
            var r = await ReleaseCheckoutAsync(ledger, id, CheckoutStatus.Expired, ct);
            if (r.Succeeded && r.Value)
            {
                released++;
            }
            else if (!r.Succeeded)
            {
                loggers.CreateLogger<HoldSweeper>().LogWarning("Could not release expired checkout {Checkout}: {Reason}", id, r.Error!.Message);
            }
        }
        return released;
    }

    /// <summary>Ends one checkout's hold: every unit it still holds goes back to available stock, in one transaction.</summary>
    internal static Task<Result<bool>> ReleaseCheckoutAsync(StockLedger ledger, Guid checkoutId, CheckoutStatus outcome, CancellationToken ct) =>
        ledger.RunAsync<bool>(async s =>
        {
            var checkout = await s.Db.Checkouts.FromSql($"SELECT * FROM checkouts WHERE id = {checkoutId} FOR UPDATE SKIP LOCKED")
                .Include(c => c.Holds).FirstOrDefaultAsync(ct);
            if (checkout is null || checkout.Status != CheckoutStatus.Holding)
            {
                return false; // being placed right now, or already over
            }
            var released = await Reservations.ReleaseAllAsync(s, checkout.StoreId, checkout.OrderNumber, checkout.Holds.Select(h => h.ProductId), ct);
            if (!released.Succeeded)
            {
                return released.Error!;
            }
            checkout.Status = outcome;
            return true;
        }, ct);
}
