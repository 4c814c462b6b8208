using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using NetTopologySuite.Geometries;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Data;
using WeedGo.Core.Live;

namespace WeedGo.Core.Deliveries;

/// <summary>A driver's latest known place.</summary>
public sealed record DriverLocation(Guid DriverId, Guid StoreId, double Latitude, double Longitude, DateTimeOffset? SeenAt);

/// <summary>A driver picked for a delivery: how many deliveries they still carry and how far they are (metres, approximate).</summary>
public sealed record AvailableDriver(Guid DriverId, double Latitude, double Longitude, int OpenDeliveries, double DistanceMetres);

/// <summary>
/// Drivers' shifts and positions. A driver starts a shift at one of their stores, reports positions while on it (each one a
/// <c>driver_positions</c> row and the shift's latest place), and ends it. Dispatch asks for the nearest available driver:
/// PostGIS KNN (<c>&lt;-&gt;</c>) over the GiST index on the open shifts' latest place.
/// </summary>
public sealed class DriverService(IDbContextFactory<WeedGoDbContext> contexts, ICurrentUser user, TimeProvider clock, ILiveEvents live,
    ILogger<DriverService> logger)
{
    public async Task<Result<Guid>> StartShiftAsync(Guid storeId, CancellationToken ct = default)
    {
        if (user.Demand(Policies.Driving) is { } denied)
        {
            return denied;
        }
        if (!user.StoreIds.Contains(storeId))
        {
            return Error.Forbidden("You do not drive for that store.");
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var open = await db.DriverShifts.FirstOrDefaultAsync(s => s.DriverId == user.UserId && s.EndedAt == null, ct);
        if (open is not null)
        {
            return open.StoreId == storeId ? open.Id : Error.Conflict("You are already on shift at another store; end that shift first.");
        }
        var tenant = await db.Stores.Where(s => s.Id == storeId).Select(s => (Guid?)s.TenantId).FirstOrDefaultAsync(ct);
        if (tenant is null)
        {
            return Error.NotFound("That store");
        }
        var shift = new DriverShift { TenantId = tenant.Value, StoreId = storeId, DriverId = user.UserId!.Value, StartedAt = clock.GetUtcNow() };
        db.DriverShifts.Add(shift);
        await db.SaveChangesAsync(ct);
        await PublishShiftAsync(shift, onShift: true, ct);
        return shift.Id;
    }

    public async Task<Result> EndShiftAsync(CancellationToken ct = default)
    {
        if (user.Demand(Policies.Driving) is { } denied)
        {
            return denied;
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var open = await db.DriverShifts.FirstOrDefaultAsync(s => s.DriverId == user.UserId && s.EndedAt == null, ct);
        if (open is null)
        {
            return Result.Ok();
        }
        open.EndedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await PublishShiftAsync(open, onShift: false, ct);
        return Result.Ok();
    }

    /// <summary>Dispatch maps follow shifts live; a failed publish only delays that until their next reload.</summary>
    private async Task PublishShiftAsync(DriverShift shift, bool onShift, CancellationToken ct)
    {
        try
        {
            await live.PublishAsync(new DriverShiftChanged(shift.TenantId, shift.StoreId, shift.DriverId, onShift), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not publish the shift change of driver {DriverId}", shift.DriverId);
        }
    }

    /// <summary>The signed-in driver's open shift, if any.</summary>
    public async Task<Guid?> CurrentShiftStoreAsync(CancellationToken ct = default)
    {
        if (user.UserId is null)
        {
            return null;
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.DriverShifts.AsNoTracking().Where(s => s.DriverId == user.UserId && s.EndedAt == null).Select(s => (Guid?)s.StoreId).FirstOrDefaultAsync(ct);
    }

    /// <summary>Records the signed-in driver's own position (Driver role, on shift only) and tells dispatch maps and the
    /// customers whose orders the driver has picked up and not yet handed over.</summary>
    public async Task<Result> ReportPositionAsync(double latitude, double longitude, double? accuracy = null, CancellationToken ct = default)
    {
        if (user.Demand(Policies.Driving) is { } denied)
        {
            return denied;
        }
        if (double.IsNaN(latitude) || double.IsNaN(longitude) || latitude is < -90 or > 90 || longitude is < -180 or > 180)
        {
            return Error.Validation("That is not a latitude/longitude.");
        }
        if (accuracy is < 0 || accuracy is { } a && double.IsNaN(a))
        {
            return Error.Validation("Accuracy is a radius in metres.");
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        // One query for the open shift (tracked, to update) and the orders the driver carries (for the customers' maps),
        // then one batched save: two round trips per position, 100 a second with 200 drivers.
        var found = await db.DriverShifts.Where(s => s.DriverId == user.UserId && s.EndedAt == null)
            .Select(s => new
            {
                Shift = s,
                Carrying = db.Deliveries.Where(d => d.DriverId == s.DriverId
                        && (d.Status == DeliveryStatus.PickedUp || d.Status == DeliveryStatus.EnRoute || d.Status == DeliveryStatus.Arrived))
                    .Select(d => d.OrderId).ToList(),
            })
            .FirstOrDefaultAsync(ct);
        if (found is null)
        {
            return Error.Conflict("Start your shift before sharing your position.");
        }
        var (shift, carrying) = (found.Shift, found.Carrying);
        var now = clock.GetUtcNow();
        var point = ZoneGeometry.Point(latitude, longitude);
        shift.LastLocation = point;
        shift.LastSeenAt = now;
        db.DriverPositions.Add(new DriverPosition
        {
            TenantId = shift.TenantId, DriverId = shift.DriverId, StoreId = shift.StoreId, ShiftId = shift.Id, Location = point, RecordedAt = now, Accuracy = accuracy,
        });
        await db.SaveChangesAsync(ct);
        try
        {
            await live.PublishAsync(new DriverMoved(shift.TenantId, shift.StoreId, shift.DriverId, latitude, longitude, accuracy, now, carrying), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Publishing DriverMoved failed for driver {Driver}", shift.DriverId);
        }
        return Result.Ok();
    }

    /// <summary>Latest position of each driver on shift at the store (staff of the store).</summary>
    public async Task<Result<IReadOnlyList<DriverLocation>>> LatestPositionsAsync(Guid storeId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await DeliveryAccess.CheckAsync(db, user, Policies.StoreOperations, storeId, ct) is { } denied)
        {
            return denied;
        }
        return await db.DriverShifts.AsNoTracking().Where(s => s.StoreId == storeId && s.EndedAt == null && s.LastLocation != null)
            .Select(s => new DriverLocation(s.DriverId, s.StoreId, s.LastLocation!.Y, s.LastLocation.X, s.LastSeenAt)).ToListAsync(ct);
    }

    /// <summary>A driver's trail since <paramref name="since"/>, oldest first (staff of the store).</summary>
    public async Task<Result<IReadOnlyList<DriverLocation>>> TrailAsync(Guid storeId, Guid driverId, DateTimeOffset since, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await DeliveryAccess.CheckAsync(db, user, Policies.StoreOperations, storeId, ct) is { } denied)
        {
            return denied;
        }
        return await db.DriverPositions.AsNoTracking().Where(p => p.StoreId == storeId && p.DriverId == driverId && p.RecordedAt >= since)
            .OrderBy(p => p.RecordedAt).Take(2000)
            .Select(p => new DriverLocation(p.DriverId, p.StoreId, p.Location.Y, p.Location.X, p.RecordedAt)).ToListAsync(ct);
    }

    /// <summary>
    /// The driver of the store on shift (with a known position) to give the next delivery to: the nearest one carrying no open
    /// delivery (assigned, picked up, en route or arrived) to <paramref name="near"/> (the drop-off; the store when null), by
    /// PostGIS KNN (<c>last_location &lt;-&gt; point</c>, planar degrees: fine for ranking within a city); when every driver
    /// is busy, the one carrying the fewest, then the nearest. Null when nobody is on shift with a known position.
    /// </summary>
    public async Task<Result<AvailableDriver?>> NearestAvailableDriverAsync(Guid storeId, Point? near = null, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await DeliveryAccess.CheckAsync(db, user, Policies.StoreOperations, storeId, ct) is { } denied)
        {
            return denied;
        }
        near ??= await db.Stores.AsNoTracking().Where(s => s.Id == storeId).Select(s => s.Location).FirstAsync(ct);
        // A free driver first: the KNN index scan walks outwards from the point and stops at the first one with no open delivery.
        var found = await FreeNearestQuery(db, storeId, near).FirstOrDefaultAsync(ct)
            ?? await FewestThenNearestQuery(db, storeId, near).FirstOrDefaultAsync(ct);
        return found is null ? Result<AvailableDriver?>.Ok(null)
            : new AvailableDriver(found.DriverId, found.Lat, found.Lng, found.Open, GeoDistanceMetres(found.Lat, found.Lng, near.Y, near.X));
    }

    internal sealed record Candidate(Guid DriverId, double Lat, double Lng, int Open);

    /// <summary>The nearest driver on shift at the store carrying no open delivery: <c>ORDER BY last_location &lt;-&gt; point
    /// LIMIT 1</c> over the GiST index (also timed by the bench).</summary>
    internal static IQueryable<Candidate> FreeNearestQuery(WeedGoDbContext db, Guid storeId, Point near) =>
        db.DriverShifts.AsNoTracking()
            .Where(s => s.StoreId == storeId && s.EndedAt == null && s.LastLocation != null
                && !db.Deliveries.Any(d => d.DriverId == s.DriverId && (d.Status == DeliveryStatus.Assigned || d.Status == DeliveryStatus.PickedUp
                    || d.Status == DeliveryStatus.EnRoute || d.Status == DeliveryStatus.Arrived)))
            .OrderBy(s => EF.Functions.DistanceKnn(s.LastLocation!, near))
            .Select(s => new Candidate(s.DriverId, s.LastLocation!.Y, s.LastLocation.X, 0));

    /// <summary>When every driver is busy: the one carrying the fewest open deliveries, then the nearest.</summary>
    internal static IQueryable<Candidate> FewestThenNearestQuery(WeedGoDbContext db, Guid storeId, Point near) =>
        db.DriverShifts.AsNoTracking()
            .Where(s => s.StoreId == storeId && s.EndedAt == null && s.LastLocation != null)
            .Select(s => new
            {
                s.DriverId, s.LastLocation,
                Open = db.Deliveries.Count(d => d.DriverId == s.DriverId && (d.Status == DeliveryStatus.Assigned || d.Status == DeliveryStatus.PickedUp
                    || d.Status == DeliveryStatus.EnRoute || d.Status == DeliveryStatus.Arrived)),
            })
            .OrderBy(x => x.Open).ThenBy(x => EF.Functions.DistanceKnn(x.LastLocation!, near))
            .Select(x => new Candidate(x.DriverId, x.LastLocation!.Y, x.LastLocation.X, x.Open));

    private static double GeoDistanceMetres(double lat1, double lng1, double lat2, double lng2) =>
        Tenancy.GeoDistance.Kilometres(lat1, lng1, lat2, lng2) * 1000;
}
