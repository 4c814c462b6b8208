namespace WeedGo.Core.Live;

/// <summary>Available stock of one product at one store changed (published after the change commits).</summary>
public sealed record StockChanged(Guid TenantId, Guid? StoreId, Guid ProductId, string Sku, int OnHand, int Reserved, int Available)
    : LiveEvent(TenantId, StoreId);
