using Microsoft.EntityFrameworkCore;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Data;

namespace WeedGo.Core.Tenancy;

/// <summary>The staff check of a store's entry points: the role allows it and the store is one the person works at (tenant
/// admins: any store of their tenant; another tenant's store is simply not found).</summary>
internal static class StoreAccess
{
    /// <param name="refused">What the refusal says the person cannot do, e.g. "serve its orders".</param>
    public static async Task<Error?> CheckAsync(WeedGoDbContext db, ICurrentUser user, string policy, Guid storeId, string refused,
        CancellationToken ct)
    {
        if (user.Demand(policy) is { } denied)
        {
            return denied;
        }
        var store = await db.Stores.AsNoTracking().Where(s => s.Id == storeId).Select(s => s.Name).FirstOrDefaultAsync(ct);
        if (store is null)
        {
            return Error.NotFound("That store");
        }
        return user.SeesAllStores() || user.StoreIds.Contains(storeId)
            ? null
            : Error.Forbidden($"You do not work at {store}, so you cannot {refused}.");
    }
}
