namespace WeedGo.Core.Live;

/// <summary>An order was placed or changed status (published after the change commits). Staff queues listen per store;
/// the customer's order page listens for its own order.</summary>
public sealed record OrderChanged(Guid TenantId, Guid? StoreId, Guid OrderId, string Number, string Status, Guid? CustomerId, bool IsNew)
    : LiveEvent(TenantId, StoreId);

/// <summary>A shopper's cart changed (another tab, a merge at sign-in, the assistant adding a product).</summary>
public sealed record CartChanged(Guid TenantId, Guid? StoreId, Guid CartId, Guid? UserId, string? ShopperKey)
    : LiveEvent(TenantId, StoreId);
