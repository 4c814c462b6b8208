namespace WeedGo.Web.Components.Shared.Maps;

/// <summary>Map settings (<c>WeedGo:Maps</c>). An empty <see cref="TileUrl"/> draws no background tiles: zones, points, pins
/// and trails still show (offline machines, tests).</summary>
public sealed class MapOptions
{
    public const string Section = "WeedGo:Maps";

    /// <summary>Leaflet tile URL template with {z}/{x}/{y} (and optionally {s}); OpenStreetMap's by default.</summary>
    public string? TileUrl { get; set; } = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";

    /// <summary>Attribution the tile provider requires, shown in the map's corner.</summary>
    public string? Attribution { get; set; } = "&copy; <a href=\"https://www.openstreetmap.org/copyright\">OpenStreetMap</a> contributors";
}

/// <summary>A dot on a map (a delivery's drop-off).</summary>
public sealed record MapPoint(Guid Id, double Lat, double Lng, string Label, string Color);

/// <summary>A driver's marker and recent trail ([lat, lng] pairs, oldest first).</summary>
public sealed record MapDriver(Guid Id, double Lat, double Lng, string Label, IReadOnlyList<double[]> Trail);

/// <summary>Colours shared by the maps and the lists beside them.</summary>
public static class MapColors
{
    public static string For(WeedGo.Core.Deliveries.DeliveryStatus status) => status switch
    {
        WeedGo.Core.Deliveries.DeliveryStatus.Unassigned => "#d32f2f",
        WeedGo.Core.Deliveries.DeliveryStatus.Assigned => "#f57c00",
        WeedGo.Core.Deliveries.DeliveryStatus.PickedUp or WeedGo.Core.Deliveries.DeliveryStatus.EnRoute => "#1976d2",
        WeedGo.Core.Deliveries.DeliveryStatus.Arrived => "#00897b",
        WeedGo.Core.Deliveries.DeliveryStatus.Delivered => "#388e3c",
        _ => "#757575",
    };
}
