using Microsoft.EntityFrameworkCore;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Data;
using WeedGo.Core.Ordering;
using WeedGo.Core.Tenancy;

namespace WeedGo.Core.Deliveries;

/// <summary>The store a dispatch board is for: where it is on the map and whether it is open.</summary>
public sealed record DispatchStore(Guid Id, string Name, double Latitude, double Longitude, string TimeZoneId, bool OpenNow, string TodayHours);

/// <summary>One line of the dispatch list: a delivery, or a packed delivery order that has no delivery yet
/// (<see cref="DeliveryId"/> null, status <see cref="DeliveryStatus.Unassigned"/>). Assigning works by order id for both.</summary>
public sealed record DispatchItem(Guid? DeliveryId, Guid OrderId, string OrderNumber, string Address, double? Latitude, double? Longitude,
    DeliveryStatus Status, Guid? DriverId, string? DriverName, string? Zone, DateTimeOffset Since)
{
    public bool IsOpen => Status is not (DeliveryStatus.Delivered or DeliveryStatus.Returned);
}

/// <summary>A driver of the store: on shift or not, where they were last seen, what they carry, and the trail of the last
/// minutes (<c>[lat, lng]</c> pairs, oldest first).</summary>
public sealed record DispatchDriver(Guid DriverId, string Name, bool OnShift, double? Latitude, double? Longitude, DateTimeOffset? SeenAt,
    int OpenDeliveries, IReadOnlyList<double[]> Trail);

/// <summary>Everything a dispatch screen draws for one store.</summary>
public sealed record DispatchBoard(DispatchStore Store, IReadOnlyList<DispatchItem> Items, IReadOnlyList<DispatchDriver> Drivers, string ZonesGeoJson);

/// <summary>
/// Reads for the dispatch screen (staff of the store; tenant admins any store of their tenant): the store, its zones, its
/// open deliveries and today's finished ones, packed delivery orders waiting for a driver, and its drivers with their latest
/// positions and recent trails.
/// </summary>
public sealed class DispatchQueries(IDbContextFactory<WeedGoDbContext> contexts, ICurrentUser user, TimeProvider clock)
{
    /// <summary>Minutes of trail drawn behind each driver on shift.</summary>
    public const int TrailMinutes = 30;

    private static readonly DeliveryStatus[] Carrying = [DeliveryStatus.Assigned, DeliveryStatus.PickedUp, DeliveryStatus.EnRoute, DeliveryStatus.Arrived];

    public async Task<Result<DispatchBoard>> BoardAsync(Guid storeId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await DeliveryAccess.CheckAsync(db, user, Policies.StoreOperations, storeId, ct) is { } denied)
        {
            return denied;
        }
        var now = clock.GetUtcNow();
        var s = await db.Stores.AsNoTracking().Where(x => x.Id == storeId).Select(x => new { x.Id, x.Name, x.Location, x.TimeZoneId, x.Hours }).FirstAsync(ct);
        var store = new DispatchStore(s.Id, s.Name, s.Location.Y, s.Location.X, s.TimeZoneId, StoreHours.IsOpenAt(s.Hours, s.TimeZoneId, now),
            StoreHours.Describe(StoreHours.Today(s.Hours, s.TimeZoneId, now)));

        // Finished deliveries stay on the board for the store's local day.
        var local = StoreHours.LocalTime(s.TimeZoneId, now);
        var dayStart = now - (local - local.Date);
        var deliveries = await db.Deliveries.AsNoTracking()
            .Where(d => d.StoreId == storeId && (d.Status != DeliveryStatus.Delivered && d.Status != DeliveryStatus.Returned || d.UpdatedAt >= dayStart))
            .OrderByDescending(d => d.CreatedAt).Take(500)
            .Select(d => new
            {
                d.Id, d.OrderId, d.OrderNumber, d.AddressText, Lat = d.Location == null ? (double?)null : d.Location.Y,
                Lng = d.Location == null ? (double?)null : d.Location.X, d.Status, d.DriverId,
                Zone = db.DeliveryZones.Where(z => z.Id == d.ZoneId).Select(z => z.Name).FirstOrDefault(), d.CreatedAt, d.UpdatedAt,
            })
            .ToListAsync(ct);
        var waiting = await db.Orders.AsNoTracking()
            .Where(o => o.StoreId == storeId && o.Fulfilment == Fulfilment.Delivery && o.Status == OrderStatus.Packed && !db.Deliveries.Any(d => d.OrderId == o.Id))
            .OrderBy(o => o.PlacedAt).Take(200)
            .Select(o => new { o.Id, o.Number, o.DeliveryAddress, o.UpdatedAt })
            .ToListAsync(ct);

        var drivers = await db.StaffMemberships.AsNoTracking()
            .Where(m => m.StoreId == storeId && m.Role == Roles.Driver && m.IsActive)
            .Select(m => new
            {
                m.UserId, m.User!.DisplayName,
                Shift = db.DriverShifts.Where(x => x.DriverId == m.UserId && x.StoreId == storeId && x.EndedAt == null)
                    .Select(x => new { x.LastSeenAt, Lat = x.LastLocation == null ? (double?)null : x.LastLocation.Y, Lng = x.LastLocation == null ? (double?)null : x.LastLocation.X })
                    .FirstOrDefault(),
                Open = db.Deliveries.Count(d => d.DriverId == m.UserId && Carrying.Contains(d.Status)),
            })
            .OrderBy(m => m.DisplayName)
            .ToListAsync(ct);
        var onShift = drivers.Where(d => d.Shift is not null).Select(d => d.UserId).ToList();
        var since = now.AddMinutes(-TrailMinutes);
        var trail = await db.DriverPositions.AsNoTracking()
            .Where(p => p.StoreId == storeId && onShift.Contains(p.DriverId) && p.RecordedAt >= since)
            .OrderBy(p => p.RecordedAt).Take(5_000)
            .Select(p => new { p.DriverId, Lat = p.Location.Y, Lng = p.Location.X })
            .ToListAsync(ct);
        var trails = trail.GroupBy(p => p.DriverId).ToDictionary(g => g.Key, g => g.TakeLast(300).Select(p => new[] { p.Lat, p.Lng }).ToList());
        var names = drivers.ToDictionary(d => d.UserId, d => d.DisplayName);

        var items = waiting.Select(o => new DispatchItem(null, o.Id, o.Number, o.DeliveryAddress?.ToString() ?? "", o.DeliveryAddress?.Latitude,
                o.DeliveryAddress?.Longitude, DeliveryStatus.Unassigned, null, null, null, o.UpdatedAt))
            .Concat(deliveries.Select(d => new DispatchItem(d.Id, d.OrderId, d.OrderNumber, d.AddressText, d.Lat, d.Lng, d.Status, d.DriverId,
                d.DriverId is { } id ? names.GetValueOrDefault(id, "another driver") : null, d.Zone, d.UpdatedAt)))
            .OrderBy(i => i.IsOpen ? 0 : 1).ThenBy(i => i.Status).ThenBy(i => i.Since)
            .ToList();
        var zones = await db.DeliveryZones.AsNoTracking().Where(z => z.StoreId == storeId).OrderBy(z => z.Name)
            .Select(z => new { z.Id, z.StoreId, z.Name, z.Area, z.Fee, z.MinimumOrder, z.FreeDeliveryThreshold, z.EtaMinMinutes, z.EtaMaxMinutes, z.IsActive })
            .ToListAsync(ct);
        var geo = DeliveryZoneQueries.ToFeatureCollection(zones.Select(z => new ZoneView(z.Id, z.StoreId, z.Name, ZoneGeometry.ToGeoJson(z.Area), z.Fee,
            z.MinimumOrder, z.FreeDeliveryThreshold, z.EtaMinMinutes, z.EtaMaxMinutes, z.IsActive)));
        return new DispatchBoard(store, items,
            drivers.Select(d => new DispatchDriver(d.UserId, d.DisplayName, d.Shift is not null, d.Shift?.Lat, d.Shift?.Lng, d.Shift?.LastSeenAt, d.Open,
                trails.GetValueOrDefault(d.UserId) ?? [])).ToList(),
            geo);
    }
}
