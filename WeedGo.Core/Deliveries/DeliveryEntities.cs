using NetTopologySuite.Geometries;
using WeedGo.Core.Common;

namespace WeedGo.Core.Deliveries;

/// <summary>An area a store delivers to (<c>delivery_zones</c>), with what delivery there costs and how long it takes.</summary>
public sealed class DeliveryZone : TenantEntity
{
    public Guid StoreId { get; set; }
    public string Name { get; set; } = "";
    /// <summary>SRID 4326 polygon (x = longitude, y = latitude); may have holes.</summary>
    public Polygon Area { get; set; } = default!;
    public decimal Fee { get; set; }
    public decimal MinimumOrder { get; set; }
    /// <summary>Subtotal from which delivery is free; null: never free.</summary>
    public decimal? FreeDeliveryThreshold { get; set; }
    public int EtaMinMinutes { get; set; }
    public int EtaMaxMinutes { get; set; }
    public bool IsActive { get; set; } = true;
}

public enum DeliveryStatus
{
    /// <summary>Sent out by the store, no driver yet.</summary>
    Unassigned,
    Assigned,
    PickedUp,
    EnRoute,
    Arrived,
    Delivered,
    Returned,
}

/// <summary>How the driver satisfied the ID rule at the door.</summary>
public enum IdCheckKind
{
    /// <summary>Government ID was checked and shows 19+.</summary>
    Checked,
    /// <summary>The person clearly looks 25 or older (no ID needed by law).</summary>
    LooksOver25,
    /// <summary>ID type and birth year recorded.</summary>
    IdTypeAndBirthYear,
}

/// <summary>One order on its way to a customer (<c>deliveries</c>).</summary>
public sealed class Delivery : TenantEntity
{
    public Guid OrderId { get; set; }
    public string OrderNumber { get; set; } = "";
    public Guid? CustomerId { get; set; }
    public Guid StoreId { get; set; }
    public string AddressText { get; set; } = "";
    /// <summary>The drop-off pin (SRID 4326), when known.</summary>
    public Point? Location { get; set; }
    public Guid? ZoneId { get; set; }
    public Guid? DriverId { get; set; }
    public DeliveryStatus Status { get; set; }
    public DateTimeOffset? AssignedAt { get; set; }
    public DateTimeOffset? PickedUpAt { get; set; }
    public DateTimeOffset? EnRouteAt { get; set; }
    public DateTimeOffset? ArrivedAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public DateTimeOffset? ReturnedAt { get; set; }
    public IdCheckKind? IdCheck { get; set; }
    public string? IdType { get; set; }
    public int? IdBirthYear { get; set; }
    public string? Note { get; set; }
    public string? ReturnReason { get; set; }
}

/// <summary>A driver's working period at one store (<c>driver_shifts</c>). The open shift also carries the driver's latest
/// position, so "nearest available driver" is one KNN query over a GiST index.</summary>
public sealed class DriverShift : TenantEntity
{
    public Guid StoreId { get; set; }
    public Guid DriverId { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public Point? LastLocation { get; set; }
    public DateTimeOffset? LastSeenAt { get; set; }
}

/// <summary>One reported position of a driver (<c>driver_positions</c>): the trail.</summary>
public sealed class DriverPosition : TenantEntity
{
    public Guid DriverId { get; set; }
    public Guid StoreId { get; set; }
    public Guid ShiftId { get; set; }
    public Point Location { get; set; } = default!;
    public DateTimeOffset RecordedAt { get; set; }
    /// <summary>Accuracy radius in metres as the device reports it.</summary>
    public double? Accuracy { get; set; }
}
