using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NetTopologySuite.Geometries;
using WeedGo.Core.Data;
using WeedGo.Core.Ordering;
using WeedGo.Core.Tenancy;

namespace WeedGo.Core.Deliveries;

/// <summary>Turns an address into a point. Pluggable by configuration; with none configured (<see cref="NullGeocoder"/>) the
/// customer's pin (the address's latitude/longitude) is the truth.</summary>
public interface IGeocoder
{
    Task<(double Latitude, double Longitude)?> LocateAsync(DeliveryAddress address, CancellationToken ct);
}

public sealed class NullGeocoder : IGeocoder
{
    public Task<(double Latitude, double Longitude)?> LocateAsync(DeliveryAddress address, CancellationToken ct) =>
        Task.FromResult<(double, double)?>(null);
}

/// <summary>
/// Delivery by zones: the store's delivery switch, the store open now, and the zone that contains the drop-off point (asked of
/// PostGIS with <c>ST_Contains</c> over the GiST index) decide fee, minimum and ETA. Outside every zone there is no delivery.
/// A store that has not drawn any active zone yet keeps the pre-zones rule (anywhere in Ontario while open, flat fee) so
/// existing stores do not stop delivering the day this ships.
/// </summary>
public sealed class ZoneDeliveryQuoter(IOptions<OrderingOptions> options, IGeocoder geocoder) : IDeliveryQuoter
{
    public const string OutsideZones = "We don't deliver to that address yet; choose pickup.";

    public async Task<DeliveryQuote> QuoteAsync(WeedGoDbContext db, Guid storeId, DeliveryAddress? address, decimal subtotal, DateTimeOffset now, CancellationToken ct)
    {
        var store = await db.Stores.AsNoTracking().Where(s => s.Id == storeId)
            .Select(s => new { s.Name, s.DeliveryEnabled, s.Hours, s.TimeZoneId }).FirstOrDefaultAsync(ct);
        if (store is null || !store.DeliveryEnabled)
        {
            return DeliveryQuote.No($"{store?.Name ?? "This store"} does not deliver; choose pickup.");
        }
        if (!StoreHours.IsOpenAt(store.Hours, store.TimeZoneId, now))
        {
            return DeliveryQuote.No($"{store.Name} delivers only while it is open (today {StoreHours.Describe(StoreHours.Today(store.Hours, store.TimeZoneId, now))}). Choose pickup or come back during opening hours.");
        }
        if (address is not null && !string.Equals(address.Province, "ON", StringComparison.OrdinalIgnoreCase))
        {
            return DeliveryQuote.No("We deliver only to addresses in Ontario.");
        }
        var zones = db.DeliveryZones.AsNoTracking().Where(z => z.StoreId == storeId && z.IsActive);
        if (!await zones.AnyAsync(ct))
        {
            return new DeliveryQuote(true, null, options.Value.DeliveryFee, 0m, "45–90 min");
        }
        if (address is null)
        {
            // Checkout has just started: say that the store delivers and from what, the address decides later.
            var terms = await zones.GroupBy(_ => 1).Select(g => new
            {
                Fee = g.Min(z => z.Fee), Minimum = g.Min(z => z.MinimumOrder), EtaMin = g.Min(z => z.EtaMinMinutes), EtaMax = g.Max(z => z.EtaMaxMinutes),
            }).FirstAsync(ct);
            return new DeliveryQuote(true, null, terms.Fee, terms.Minimum, Eta(terms.EtaMin, terms.EtaMax));
        }
        var point = await PointOfAsync(address, ct);
        if (point is null)
        {
            return DeliveryQuote.No("Place the pin on your address on the map so we can check that we deliver there.");
        }
        var zone = await FindZoneAsync(db, storeId, point, ct);
        if (zone is null)
        {
            return DeliveryQuote.No(OutsideZones);
        }
        var fee = zone.FreeDeliveryThreshold is { } free && subtotal >= free ? 0m : zone.Fee;
        return new DeliveryQuote(true, null, fee, zone.MinimumOrder, Eta(zone.EtaMinMinutes, zone.EtaMaxMinutes), zone.Name, zone.FreeDeliveryThreshold);
    }

    /// <summary>The geocoder's point for the address, else the pin; null when neither is known.</summary>
    public async Task<Point?> PointOfAsync(DeliveryAddress address, CancellationToken ct)
    {
        if (address.Latitude is { } lat && address.Longitude is { } lng)
        {
            return ZoneGeometry.Point(lat, lng); // the customer placed or adjusted the pin: it wins over any geocoder
        }
        return await geocoder.LocateAsync(address, ct) is { } found ? ZoneGeometry.Point(found.Latitude, found.Longitude) : null;
    }

    /// <summary>The active zone of the store that contains the point (PostGIS <c>ST_Contains</c>; a point exactly on a zone's
    /// edge is outside it). Overlapping zones: the cheapest, then the name.</summary>
    public static Task<DeliveryZone?> FindZoneAsync(WeedGoDbContext db, Guid storeId, Point point, CancellationToken ct) =>
        db.DeliveryZones.AsNoTracking()
            .Where(z => z.StoreId == storeId && z.IsActive && z.Area.Contains(point))
            .OrderBy(z => z.Fee).ThenBy(z => z.Name)
            .FirstOrDefaultAsync(ct);

    public static string Eta(int min, int max) => min == max ? $"{min} min" : $"{min}–{max} min";
}
