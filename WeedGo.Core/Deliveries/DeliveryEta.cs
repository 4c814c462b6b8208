using WeedGo.Core.Tenancy;

namespace WeedGo.Core.Deliveries;

/// <summary>
/// The customer's refreshed ETA while the order is on its way: the straight-line distance from the driver's latest position
/// to the drop-off pin, times <see cref="DetourFactor"/> (streets are not straight), at <see cref="AssumedSpeedKmh"/>
/// (city driving with stops), rounded up to whole minutes, at least 1. Before pickup the zone's ETA range is what the
/// customer sees. A deliberately simple estimate: no routing service is configured, and it moves with every position.
/// </summary>
public static class DeliveryEta
{
    public const double AssumedSpeedKmh = 25;
    public const double DetourFactor = 1.3;

    public static int Minutes(double fromLat, double fromLng, double toLat, double toLng)
    {
        var km = GeoDistance.Kilometres(fromLat, fromLng, toLat, toLng) * DetourFactor;
        return Math.Max(1, (int)Math.Ceiling(km / AssumedSpeedKmh * 60));
    }

    /// <summary>"about 7 min", or null when either point is unknown.</summary>
    public static string? Describe(double? fromLat, double? fromLng, double? toLat, double? toLng) =>
        fromLat is { } a && fromLng is { } b && toLat is { } c && toLng is { } d ? $"about {Minutes(a, b, c, d)} min" : null;
}
