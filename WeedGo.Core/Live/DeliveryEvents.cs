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

/// <summary>A delivery is still out (not delivered or returned) after its store has closed: raised once per delivery and
/// store-local day by the closing-alert job, next to the <c>delivery.out_at_closing</c> audit event. Dispatch screens show it.</summary>
public sealed record DeliveryOutAtClosing(Guid TenantId, Guid? StoreId, Guid DeliveryId, Guid OrderId, string OrderNumber, string Status,
    Guid? DriverId, string StoreName)
    : LiveEvent(TenantId, StoreId);

/// <summary>A driver started or ended a shift at a store (published after it is stored): dispatch maps add or take away the
/// driver's marker at once instead of on their next reload.</summary>
public sealed record DriverShiftChanged(Guid TenantId, Guid? StoreId, Guid DriverId, bool OnShift)
    : LiveEvent(TenantId, StoreId);
