using Microsoft.EntityFrameworkCore;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Data;

namespace WeedGo.Core.Inventory;

/// <summary>The checks every inventory entry point makes: the role allows it, and the store is one the person works at.</summary>
internal static class InventoryAccess
{
    /// <summary>Null when <paramref name="user"/> may act under <paramref name="policy"/> at <paramref name="storeId"/>.
    /// The store must be visible to the tenant (the query filter) and, for store-bound staff, one of their stores.</summary>
    public static async Task<Error?> CheckAsync(WeedGoDbContext db, ICurrentUser user, string policy, Guid storeId, CancellationToken ct)
    {
        if (user.Demand(policy) is { } denied)
        {
            return denied;
        }
        var store = await db.Stores.AsNoTracking().Where(s => s.Id == storeId).Select(s => new { s.Name }).FirstOrDefaultAsync(ct);
        if (store is null)
        {
            return Error.NotFound("That store");
        }
        if (!user.SeesAllStores() && !user.StoreIds.Contains(storeId))
        {
            // Recorded as a permission denial (authz.denied with the store), like a refusal by role.
            (user as IAuthorizationDenialObserver)?.DeniedAtStore(policy, storeId, "not one of the person's stores");
            return Error.Forbidden($"You do not work at {store.Name}, so you cannot see or change its stock.");
        }
        return null;
    }

    public static Error OutOfStock(string message) => new("out_of_stock", message, ErrorKind.OutOfStock);

    /// <summary>"Blue Dream 3.5 g (SKU 123)" for messages.</summary>
    public static string Describe(string name, string sku) => $"{name} (SKU {sku})";
}
