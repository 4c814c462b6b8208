namespace WeedGo.Core.Live;

/// <summary>
/// What a store's menu shows changed other than stock: a price, a promotion, the catalogue or the store itself. A null store
/// means every store of the tenant. Storefront caches drop their pages for it.
/// </summary>
public sealed record MenuChanged(Guid TenantId, Guid? StoreId, string Reason) : LiveEvent(TenantId, StoreId);
