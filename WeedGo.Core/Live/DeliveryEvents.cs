namespace WeedGo.Core.Live;

/// <summary>A driver on shift reported a position (published after it is stored). Dispatch maps of the store listen; the
/// customers whose orders the driver has picked up (and not yet handed over) see it through <see cref="OrderIds"/>.</summary>
public sealed record DriverMoved(Guid TenantId, Guid? StoreId, Guid DriverId, double Latitude, double Longitude, double? Accuracy,
    DateTimeOffset RecordedAt, IReadOnlyList<Guid> OrderIds)
    : LiveEvent(TenantId, StoreId);

/// <summary>A delivery was created, assigned or moved to another status.</summary>
public sealed record DeliveryChanged(Guid TenantId, Guid? StoreId, Guid DeliveryId, Guid OrderId, string OrderNumber, Guid? CustomerId,
    Guid? DriverId, string Status)
    : LiveEvent(TenantId, StoreId);
