using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Data;

namespace WeedGo.Core.Deliveries;

/// <summary>The store check every delivery entry point makes: the role allows it and the store is one the person works at
/// (tenant admins: any store of their tenant; another tenant's store is simply not found).</summary>
internal static class DeliveryAccess
{
    public static Task<Error?> CheckAsync(WeedGoDbContext db, ICurrentUser user, string policy, Guid storeId, CancellationToken ct) =>
        Tenancy.StoreAccess.CheckAsync(db, user, policy, storeId, "manage its deliveries", ct);
}
