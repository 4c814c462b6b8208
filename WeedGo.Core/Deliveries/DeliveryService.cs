using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Data;
using WeedGo.Core.Live;
using WeedGo.Core.Ordering;
using WeedGo.Core.Tenancy;

namespace WeedGo.Core.Deliveries;

/// <summary>How the driver satisfied the ID rule: <see cref="IdCheckKind.IdTypeAndBirthYear"/> needs both fields.</summary>
public sealed record IdCheckProof(IdCheckKind Kind, string? IdType = null, int? BirthYear = null, string? Note = null);

/// <summary>A delivery as lists and the driver page show it.</summary>
public sealed record DeliveryView(Guid Id, Guid OrderId, string OrderNumber, Guid StoreId, string Address, double? Latitude, double? Longitude,
    Guid? ZoneId, Guid? DriverId, DeliveryStatus Status, DateTimeOffset CreatedAt, DateTimeOffset? AssignedAt, DateTimeOffset? DeliveredAt,
    DateTimeOffset? ReturnedAt);

/// <summary>A delivery as its customer follows it: <see cref="Eta"/> is refreshed from the driver's position while it is on its way.</summary>
public sealed record DeliveryTracking(DeliveryView Delivery, string StoreName, double StoreLatitude, double StoreLongitude,
    double? DriverLatitude, double? DriverLongitude, DateTimeOffset? DriverSeenAt, string? ZoneEta)
{
    /// <summary>The driver's position is shown to the customer only between pickup and handover.</summary>
    public static bool ShowsDriver(DeliveryStatus s) => s is DeliveryStatus.PickedUp or DeliveryStatus.EnRoute or DeliveryStatus.Arrived;

    public string? Eta => EtaFor(Delivery.Status, DriverLatitude, DriverLongitude, Delivery.Latitude, Delivery.Longitude, ZoneEta);

    /// <summary>Arrived: at the door; on its way with both points known: distance at an assumed speed (<see cref="DeliveryEta"/>);
    /// before pickup: the zone's range once it leaves; finished: none.</summary>
    public static string? EtaFor(DeliveryStatus status, double? driverLat, double? driverLng, double? dropLat, double? dropLng, string? zoneEta) => status switch
    {
        DeliveryStatus.Arrived => "The driver is at your door",
        DeliveryStatus.PickedUp or DeliveryStatus.EnRoute => DeliveryEta.Describe(driverLat, driverLng, dropLat, dropLng) ?? zoneEta,
        DeliveryStatus.Unassigned or DeliveryStatus.Assigned => zoneEta is null ? null : $"{zoneEta} once it leaves the store",
        _ => null,
    };

    public DeliveryTracking Moved(double lat, double lng, DateTimeOffset at) => this with { DriverLatitude = lat, DriverLongitude = lng, DriverSeenAt = at };
}

/// <summary>Creating the delivery row of an order (when it is sent out, or assigned before that).</summary>
internal static class DeliveryRecords
{
    public static async Task EnsureAsync(WeedGoDbContext db, Order order, CancellationToken ct)
    {
        if (order.Fulfilment != Fulfilment.Delivery || await db.Deliveries.AnyAsync(d => d.OrderId == order.Id, ct)
            || db.Deliveries.Local.Any(d => d.OrderId == order.Id))
        {
            return;
        }
        db.Deliveries.Add(await NewAsync(db, order, ct));
    }

    public static async Task<Delivery> NewAsync(WeedGoDbContext db, Order order, CancellationToken ct)
    {
        var a = order.DeliveryAddress;
        var point = a?.Latitude is { } lat && a.Longitude is { } lng ? ZoneGeometry.Point(lat, lng) : null;
        var zone = point is null ? null : await ZoneDeliveryQuoter.FindZoneAsync(db, order.StoreId, point, ct);
        return new Delivery
        {
            TenantId = order.TenantId, OrderId = order.Id, OrderNumber = order.Number, CustomerId = order.CustomerId, StoreId = order.StoreId,
            AddressText = a?.ToString() ?? "", Location = point, ZoneId = zone?.Id, Status = DeliveryStatus.Unassigned,
        };
    }
}

/// <summary>
/// Deliveries after the order leaves the counter: staff assign a driver (by hand, nearest available, or several at once);
/// the driver of the delivery (or staff of the store) moves it assigned → picked up → en route → arrived → delivered, or
/// returned. Delivered needs the ID check and completes the order; returned puts the units back at the same store through
/// the stock ledger, and only on the store's local day the delivery went out.
/// </summary>
public sealed class DeliveryService(
    IDbContextFactory<WeedGoDbContext> contexts, ICurrentUser user, OrderService orders, TimeProvider clock, ILiveEvents live,
    ILogger<DeliveryService> logger)
{
    /// <summary>Assigns (or re-assigns, until picked up) an order's delivery to a driver of its store; creates the delivery
    /// when the order is packed and not yet sent out.</summary>
    public async Task<Result<Guid>> AssignAsync(Guid orderId, Guid driverId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, ct);
        if (order is null)
        {
            return Error.NotFound("That order");
        }
        if (await DeliveryAccess.CheckAsync(db, user, Policies.StoreOperations, order.StoreId, ct) is { } denied)
        {
            return denied;
        }
        if (order.Fulfilment != Fulfilment.Delivery)
        {
            return Error.Validation($"Order {order.Number} is for pickup; it has no delivery.");
        }
        if (order.Status is not (OrderStatus.Packed or OrderStatus.OutForDelivery))
        {
            return Error.Conflict($"Order {order.Number} is {OrderService.Describe(order.Status)}; only a packed order or one out for delivery can be given to a driver.");
        }
        if (await DriverProblemAsync(db, order.StoreId, driverId, ct) is { } bad)
        {
            return bad;
        }
        var delivery = await db.Deliveries.FirstOrDefaultAsync(d => d.OrderId == orderId, ct);
        if (delivery is null)
        {
            delivery = await DeliveryRecords.NewAsync(db, order, ct);
            db.Deliveries.Add(delivery);
        }
        else if (delivery.Status is not (DeliveryStatus.Unassigned or DeliveryStatus.Assigned))
        {
            return Error.Conflict($"The delivery of order {order.Number} is already {Describe(delivery.Status)}; it cannot change driver now.");
        }
        delivery.DriverId = driverId;
        delivery.Status = DeliveryStatus.Assigned;
        delivery.AssignedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await PublishAsync(delivery, ct);
        return delivery.Id;
    }

    /// <summary>Batching: gives several orders of one store to one driver; stops at the first refusal (earlier ones stay).</summary>
    public async Task<Result<IReadOnlyList<Guid>>> AssignBatchAsync(IReadOnlyCollection<Guid> orderIds, Guid driverId, CancellationToken ct = default)
    {
        var done = new List<Guid>();
        foreach (var id in orderIds.Distinct())
        {
            var r = await AssignAsync(id, driverId, ct);
            if (!r.Succeeded)
            {
                return r.Error! with { Message = done.Count == 0 ? r.Error!.Message : $"{done.Count} assigned, then: {r.Error!.Message}" };
            }
            done.Add(r.Value);
        }
        return done;
    }

    /// <summary>Assigns the order to the nearest available driver of its store (fewest open deliveries first, then nearest
    /// to the drop-off, or to the store when the drop-off has no pin).</summary>
    public async Task<Result<Guid>> AssignNearestAsync(Guid orderId, DriverService drivers, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var order = await db.Orders.AsNoTracking().Where(o => o.Id == orderId).Select(o => new { o.StoreId, o.DeliveryAddress }).FirstOrDefaultAsync(ct);
        if (order is null)
        {
            return Error.NotFound("That order");
        }
        var near = order.DeliveryAddress?.Latitude is { } lat && order.DeliveryAddress.Longitude is { } lng ? ZoneGeometry.Point(lat, lng) : null;
        var driver = await drivers.NearestAvailableDriverAsync(order.StoreId, near, ct);
        if (!driver.Succeeded)
        {
            return driver.Error!;
        }
        if (driver.Value is null)
        {
            return Error.Conflict("No driver of this store is on shift with a known position; assign one by hand.");
        }
        return await AssignAsync(orderId, driver.Value.DriverId, ct);
    }

    /// <summary>Moves a delivery one step: assigned → picked up → en route → arrived. Picking up sends a packed order out.</summary>
    public async Task<Result> AdvanceAsync(Guid deliveryId, DeliveryStatus to, CancellationToken ct = default)
    {
        if (to is not (DeliveryStatus.PickedUp or DeliveryStatus.EnRoute or DeliveryStatus.Arrived))
        {
            return Error.Validation(to switch
            {
                DeliveryStatus.Delivered => "Use deliver, with the ID check.",
                DeliveryStatus.Returned => "Use return, with the reason.",
                _ => "Assign a driver to the delivery instead.",
            });
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var d = await db.Deliveries.FirstOrDefaultAsync(x => x.Id == deliveryId, ct);
        if (d is null)
        {
            return Error.NotFound("That delivery");
        }
        if (await ActorProblemAsync(db, d, ct) is { } denied)
        {
            return denied;
        }
        var expected = to - 1;
        if (d.Status != expected)
        {
            return Error.Conflict($"The delivery of order {d.OrderNumber} is {Describe(d.Status)}, so it cannot be marked {Describe(to)} now.");
        }
        var now = clock.GetUtcNow();
        if (to == DeliveryStatus.PickedUp)
        {
            var status = await db.Orders.Where(o => o.Id == d.OrderId).Select(o => o.Status).FirstAsync(ct);
            if (status == OrderStatus.Packed)
            {
                var sent = await orders.SendOutByDeliveryAsync(d.OrderId, inner => MarkAsync(inner, deliveryId, x => { x.Status = to; x.PickedUpAt = now; }, ct), ct);
                if (!sent.Succeeded)
                {
                    return sent;
                }
                await PublishAsync(await db.Deliveries.AsNoTracking().FirstAsync(x => x.Id == deliveryId, ct), ct);
                return Result.Ok();
            }
        }
        d.Status = to;
        _ = to switch
        {
            DeliveryStatus.PickedUp => d.PickedUpAt = now,
            DeliveryStatus.EnRoute => d.EnRouteAt = now,
            _ => d.ArrivedAt = now,
        };
        await db.SaveChangesAsync(ct);
        await PublishAsync(d, ct);
        return Result.Ok();
    }

    /// <summary>Hands the order over. Refused without the ID check (checked, looked 25+, or ID type and a birth year that
    /// makes the person 19 this year at the latest); completes the order.</summary>
    public async Task<Result> DeliverAsync(Guid deliveryId, IdCheckProof? proof, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var d = await db.Deliveries.AsNoTracking().FirstOrDefaultAsync(x => x.Id == deliveryId, ct);
        if (d is null)
        {
            return Error.NotFound("That delivery");
        }
        if (await ActorProblemAsync(db, d, ct) is { } denied)
        {
            return denied;
        }
        if (d.Status is not (DeliveryStatus.PickedUp or DeliveryStatus.EnRoute or DeliveryStatus.Arrived))
        {
            return Error.Conflict($"The delivery of order {d.OrderNumber} is {Describe(d.Status)}, so it cannot be delivered now.");
        }
        var now = clock.GetUtcNow();
        if (IdProblem(proof, now) is { } idProblem)
        {
            return idProblem;
        }
        var note = proof!.Kind switch
        {
            IdCheckKind.Checked => "Delivered; government ID checked (19+)",
            IdCheckKind.LooksOver25 => "Delivered; recipient looked 25 or older",
            _ => $"Delivered; {proof.IdType!.Trim()} checked, born {proof.BirthYear}",
        };
        var r = await orders.CompleteByDeliveryAsync(d.OrderId, note, inner => MarkAsync(inner, deliveryId, x =>
        {
            x.Status = DeliveryStatus.Delivered;
            x.DeliveredAt = now;
            x.ArrivedAt ??= now;
            x.IdCheck = proof.Kind;
            x.IdType = proof.Kind == IdCheckKind.IdTypeAndBirthYear ? proof.IdType!.Trim() : null;
            x.IdBirthYear = proof.Kind == IdCheckKind.IdTypeAndBirthYear ? proof.BirthYear : null;
            x.Note = string.IsNullOrWhiteSpace(proof.Note) ? null : proof.Note.Trim();
        }, ct), ct);
        if (!r.Succeeded)
        {
            return r;
        }
        await PublishAsync(await db.Deliveries.AsNoTracking().FirstAsync(x => x.Id == deliveryId, ct), ct);
        return Result.Ok();
    }

    /// <summary>The order could not be delivered: it comes back to the store the same (store-local) day, the units go back
    /// on the shelf as ledger returns and the order is returned (a card refunded).</summary>
    public async Task<Result> ReturnAsync(Guid deliveryId, string reason, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return Error.Validation("Say why the order came back (nobody home, no ID, refused, …).");
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var d = await db.Deliveries.AsNoTracking().FirstOrDefaultAsync(x => x.Id == deliveryId, ct);
        if (d is null)
        {
            return Error.NotFound("That delivery");
        }
        if (await ActorProblemAsync(db, d, ct) is { } denied)
        {
            return denied;
        }
        if (d.Status is DeliveryStatus.Delivered or DeliveryStatus.Returned)
        {
            return Error.Conflict($"The delivery of order {d.OrderNumber} is already {Describe(d.Status)}.");
        }
        var zone = await db.Stores.AsNoTracking().Where(s => s.Id == d.StoreId).Select(s => s.TimeZoneId).FirstAsync(ct);
        var now = clock.GetUtcNow();
        var started = d.PickedUpAt ?? d.AssignedAt ?? d.CreatedAt;
        var day = DateOnly.FromDateTime(StoreHours.LocalTime(zone, started));
        if (DateOnly.FromDateTime(StoreHours.LocalTime(zone, now)) != day)
        {
            return Error.Conflict($"Order {d.OrderNumber} went out on {day:yyyy-MM-dd} and that day has ended at the store: undelivered product must come back the same day, so it can no longer be returned here. Tell a manager to record what happened (count correction or loss).");
        }
        var r = await orders.ReturnUndeliveredAsync(d.OrderId, "Not delivered: " + reason.Trim(), inner => MarkAsync(inner, deliveryId, x =>
        {
            x.Status = DeliveryStatus.Returned;
            x.ReturnedAt = now;
            x.ReturnReason = reason.Trim();
        }, ct), ct);
        if (!r.Succeeded)
        {
            return r;
        }
        await PublishAsync(await db.Deliveries.AsNoTracking().FirstAsync(x => x.Id == deliveryId, ct), ct);
        return Result.Ok();
    }

    /// <summary>Deliveries of the caller's stores (all for tenant admins) not yet delivered or returned whose store is closed
    /// at <paramref name="at"/> (default now): the list a closing alert raises.</summary>
    public async Task<Result<IReadOnlyList<DeliveryView>>> StillOutAtClosingAsync(DateTimeOffset? at = null, CancellationToken ct = default)
    {
        if (user.Demand(Policies.StoreOperations) is { } denied)
        {
            return denied;
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        return Result<IReadOnlyList<DeliveryView>>.Ok(await StillOutAtClosingAsync(db, at ?? clock.GetUtcNow(), user.SeesAllStores() ? null : user.StoreIds.ToList(), ct));
    }

    /// <summary>The closing list over the stores in <paramref name="stores"/> (null: every store the context sees; the
    /// closing-alert job runs it for all tenants).</summary>
    internal static async Task<IReadOnlyList<DeliveryView>> StillOutAtClosingAsync(WeedGoDbContext db, DateTimeOffset now, IReadOnlyList<Guid>? stores, CancellationToken ct)
    {
        var all = stores is null;
        var mine = stores ?? [];
        var open = await db.Deliveries.AsNoTracking()
            .Where(d => d.Status != DeliveryStatus.Delivered && d.Status != DeliveryStatus.Returned && (all || mine.Contains(d.StoreId)))
            .Select(View).ToListAsync(ct);
        var storeIds = open.Select(d => d.StoreId).Distinct().ToList();
        var rows = await db.Stores.AsNoTracking().Where(s => storeIds.Contains(s.Id)).Select(s => new { s.Id, s.Hours, s.TimeZoneId }).ToListAsync(ct);
        var closed = rows.Where(s => !StoreHours.IsOpenAt(s.Hours, s.TimeZoneId, now)).Select(s => s.Id).ToHashSet();
        return open.Where(d => closed.Contains(d.StoreId)).OrderBy(d => d.CreatedAt).ToList();
    }

    /// <summary>The signed-in driver's deliveries that are open or finished today (store-local day not considered: the last
    /// 24 hours).</summary>
    public async Task<Result<IReadOnlyList<DeliveryView>>> MineAsync(CancellationToken ct = default)
    {
        if (user.Demand(Policies.Driving) is { } denied)
        {
            return denied;
        }
        var since = clock.GetUtcNow().AddHours(-24);
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Deliveries.AsNoTracking()
            .Where(d => d.DriverId == user.UserId && (d.Status != DeliveryStatus.Delivered && d.Status != DeliveryStatus.Returned || d.UpdatedAt >= since))
            .OrderBy(d => d.AssignedAt).Select(View).ToListAsync(ct);
    }

    /// <summary>The delivery of an order, for its customer or staff of its store (null while the order has none): what a
    /// tracking page or the tracking hub's per-order group checks before showing it.</summary>
    public async Task<Result<DeliveryView?>> TrackAsync(Guid orderId, CancellationToken ct = default)
    {
        if (!user.IsAuthenticated)
        {
            return new Error("unauthenticated", "Please sign in first.", ErrorKind.Forbidden);
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var order = await db.Orders.AsNoTracking().Where(o => o.Id == orderId).Select(o => new { o.StoreId, o.CustomerId }).FirstOrDefaultAsync(ct);
        if (order is null)
        {
            return Error.NotFound("That order");
        }
        var mine = user.UserId is not null && order.CustomerId == user.UserId;
        if (!mine && await DeliveryAccess.CheckAsync(db, user, Policies.StoreOperations, order.StoreId, ct) is not null)
        {
            return Error.NotFound("That order"); // someone else's order: not even its existence
        }
        return await db.Deliveries.AsNoTracking().Where(d => d.OrderId == orderId).Select(View).FirstOrDefaultAsync(ct);
    }

    /// <summary>What the customer's order page shows of its delivery: the status, the store, and while the order is picked up
    /// and not yet handed over the driver's latest position with an ETA from it (<see cref="DeliveryEta"/>); before that the
    /// zone's ETA range. Same access as <see cref="TrackAsync"/>; null while the order has no delivery.</summary>
    public async Task<Result<DeliveryTracking?>> TrackingAsync(Guid orderId, CancellationToken ct = default)
    {
        var found = await TrackAsync(orderId, ct);
        if (!found.Succeeded)
        {
            return found.Error!;
        }
        if (found.Value is not { } d)
        {
            return Result<DeliveryTracking?>.Ok(null);
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var store = await db.Stores.AsNoTracking().Where(s => s.Id == d.StoreId).Select(s => new { s.Name, s.Location }).FirstAsync(ct);
        var zone = d.ZoneId is { } zoneId
            ? await db.DeliveryZones.AsNoTracking().Where(z => z.Id == zoneId).Select(z => new { z.EtaMinMinutes, z.EtaMaxMinutes }).FirstOrDefaultAsync(ct)
            : null;
        double? lat = null, lng = null;
        DateTimeOffset? seen = null;
        if (DeliveryTracking.ShowsDriver(d.Status) && d.DriverId is { } driver)
        {
            var shift = await db.DriverShifts.AsNoTracking().Where(s => s.DriverId == driver && s.EndedAt == null && s.LastLocation != null)
                .Select(s => new { Lat = s.LastLocation!.Y, Lng = s.LastLocation.X, s.LastSeenAt }).FirstOrDefaultAsync(ct);
            (lat, lng, seen) = (shift?.Lat, shift?.Lng, shift?.LastSeenAt);
        }
        var zoneEta = zone is null ? null : ZoneDeliveryQuoter.Eta(zone.EtaMinMinutes, zone.EtaMaxMinutes);
        return new DeliveryTracking(d, store.Name, store.Location.Y, store.Location.X, lat, lng, seen, zoneEta);
    }

    /// <summary>A store's deliveries, optionally of one status (staff of the store).</summary>
    public async Task<Result<IReadOnlyList<DeliveryView>>> ForStoreAsync(Guid storeId, DeliveryStatus? status = null, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await DeliveryAccess.CheckAsync(db, user, Policies.StoreOperations, storeId, ct) is { } denied)
        {
            return denied;
        }
        return await db.Deliveries.AsNoTracking().Where(d => d.StoreId == storeId && (status == null || d.Status == status))
            .OrderByDescending(d => d.CreatedAt).Take(500).Select(View).ToListAsync(ct);
    }

    private static readonly System.Linq.Expressions.Expression<Func<Delivery, DeliveryView>> View = d => new DeliveryView(
        d.Id, d.OrderId, d.OrderNumber, d.StoreId, d.AddressText, d.Location == null ? null : d.Location.Y, d.Location == null ? null : d.Location.X,
        d.ZoneId, d.DriverId, d.Status, d.CreatedAt, d.AssignedAt, d.DeliveredAt, d.ReturnedAt);

    public static Error? IdProblem(IdCheckProof? proof, DateTimeOffset now)
    {
        if (proof is null)
        {
            return Error.Validation("Record the ID check before handing over: government ID checked (19+), the person looks 25 or older, or the ID type and birth year.");
        }
        if (proof.Kind == IdCheckKind.IdTypeAndBirthYear)
        {
            if (string.IsNullOrWhiteSpace(proof.IdType) || proof.BirthYear is null)
            {
                return Error.Validation("Enter both the type of ID (driver's licence, photo card, passport, …) and the birth year on it.");
            }
            // With only a year, a person born in Y is surely 19 from the year Y + 20 on; in Y + 19 it depends on the day.
            var years = now.Year - proof.BirthYear.Value;
            if (years < 19)
            {
                return new Error("under_age", $"Born in {proof.BirthYear}: under 19. Do not hand over the order; return it to the store.", ErrorKind.UnderAge);
            }
            if (years == 19)
            {
                return new Error("under_age", $"Born in {proof.BirthYear}: 19 only if the birthday has passed. Check the full date of birth and record \"ID checked\".", ErrorKind.UnderAge);
            }
        }
        return null;
    }

    public static string Describe(DeliveryStatus s) => s switch
    {
        DeliveryStatus.Unassigned => "waiting for a driver",
        DeliveryStatus.Assigned => "assigned",
        DeliveryStatus.PickedUp => "picked up",
        DeliveryStatus.EnRoute => "en route",
        DeliveryStatus.Arrived => "arrived",
        DeliveryStatus.Delivered => "delivered",
        DeliveryStatus.Returned => "returned",
        _ => s.ToString(),
    };

    /// <summary>Who may move a delivery: its own driver, or staff of its store. Another driver, another store's staff, a
    /// customer: no.</summary>
    private async Task<Error?> ActorProblemAsync(WeedGoDbContext db, Delivery d, CancellationToken ct)
    {
        if (user.IsAuthenticated && user.IsInRole(Roles.Driver) && d.DriverId == user.UserId && user.UserId is not null)
        {
            return null;
        }
        if (user.Satisfies(Policies.StoreOperations))
        {
            return await DeliveryAccess.CheckAsync(db, user, Policies.StoreOperations, d.StoreId, ct);
        }
        return user.IsAuthenticated && user.IsInRole(Roles.Driver)
            ? Error.Forbidden($"The delivery of order {d.OrderNumber} is not assigned to you.")
            : user.Demand(Policies.Driving) ?? Error.Forbidden();
    }

    private static async Task<Error?> DriverProblemAsync(WeedGoDbContext db, Guid storeId, Guid driverId, CancellationToken ct)
    {
        var works = await db.StaffMemberships.AsNoTracking()
            .AnyAsync(m => m.StoreId == storeId && m.UserId == driverId && m.Role == Roles.Driver && m.IsActive, ct);
        return works ? null : Error.Validation("That person is not a driver of this store.");
    }

    private static async Task MarkAsync(WeedGoDbContext db, Guid deliveryId, Action<Delivery> change, CancellationToken ct)
    {
        var tracked = await db.Deliveries.FirstAsync(x => x.Id == deliveryId, ct);
        change(tracked);
    }

    private async Task PublishAsync(Delivery d, CancellationToken ct)
    {
        try
        {
            await live.PublishAsync(new DeliveryChanged(d.TenantId, d.StoreId, d.Id, d.OrderId, d.OrderNumber, d.CustomerId, d.DriverId, d.Status.ToString()), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Publishing DeliveryChanged failed for {Order}", d.OrderNumber);
        }
    }
}
