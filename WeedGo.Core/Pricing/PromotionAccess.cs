using Microsoft.EntityFrameworkCore;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Data;

namespace WeedGo.Core.Pricing;

/// <summary>Who may manage which promotions: the policy (StoreManagement: store managers and tenant admins), and the stores.
/// A promotion for every store (no store listed) is tenant-wide, so only tenant-wide staff manage it; a store manager
/// manages promotions whose stores are all stores they work at. Another tenant's promotions and stores are invisible
/// (query filter), so they answer "not found".</summary>
internal static class PromotionAccess
{
    public static async Task<Error?> CheckStoresAsync(WeedGoDbContext db, ICurrentUser user, string policy, IReadOnlyCollection<Guid> storeIds, CancellationToken ct)
    {
        if (user.Demand(policy) is { } denied)
        {
            return denied;
        }
        if (storeIds.Count == 0)
        {
            return user.SeesAllStores() ? null
                : Error.Forbidden("A promotion for every store is tenant-wide; choose the stores you manage, or ask a tenant admin.");
        }
        var ids = storeIds.Distinct().ToList();
        var found = await db.Stores.AsNoTracking().Where(s => ids.Contains(s.Id)).Select(s => new { s.Id, s.Name }).ToListAsync(ct);
        if (found.Count != ids.Count)
        {
            return Error.NotFound("A chosen store");
        }
        if (!user.SeesAllStores() && found.FirstOrDefault(s => !user.StoreIds.Contains(s.Id)) is { } other)
        {
            return Error.Forbidden($"You do not work at {other.Name}, so you cannot manage its promotions.");
        }
        return null;
    }

    public static async Task<Error?> CheckStoreAsync(WeedGoDbContext db, ICurrentUser user, string policy, Guid storeId, CancellationToken ct) =>
        await CheckStoresAsync(db, user, policy, [storeId], ct);

    /// <summary>Whether the user may see a promotion in lists (managers: every-store ones and those touching their stores).</summary>
    public static bool CanSee(ICurrentUser user, IReadOnlyCollection<Guid> storeIds) =>
        user.SeesAllStores() || storeIds.Count == 0 || storeIds.Any(user.StoreIds.Contains);
}
