using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Common;
using WeedGo.Core.Deliveries;
using WeedGo.Core.Live;
using WeedGo.Tests.Inventory;
using WeedGo.Tests.Support;
using static WeedGo.Tests.Deliveries.DeliveryKit;

namespace WeedGo.Tests.Deliveries;

/// <summary>Shifts, positions and the nearest available driver (PostGIS KNN) on a real database.</summary>
public sealed class DriverServiceTests(DemoDatabaseFixture db) : IClassFixture<DemoDatabaseFixture>
{
    private Task<T> Drivers<T>(TestUser who, Func<DriverService, Task<T>> act) =>
        Do(db, who, sp => act(sp.GetRequiredService<DriverService>()));

    private async Task<TestUser> OnShiftAtAsync(Guid store, double lat, double lng)
    {
        var d = await NewDriverAsync(db, store);
        Assert.True((await Drivers(d, s => s.StartShiftAsync(store))).Succeeded);
        Assert.True((await Drivers(d, s => s.ReportPositionAsync(lat, lng, 5))).Succeeded);
        return d;
    }

    [Fact]
    public async Task A_driver_shares_positions_only_on_shift_and_only_their_own()
    {
        var d = await NewDriverAsync(db, DemoWorld.Yorkville);
        Assert.Contains("Start your shift", (await Drivers(d, s => s.ReportPositionAsync(43.67, -79.39))).Error!.Message);
        Assert.Equal(ErrorKind.Forbidden, (await Drivers(InventoryKit.Budtender, s => s.ReportPositionAsync(43.67, -79.39))).Error!.Kind);
        Assert.Equal(ErrorKind.Forbidden, (await Drivers(d, s => s.StartShiftAsync(DemoWorld.QueenWest))).Error!.Kind); // not their store
        Assert.True((await Drivers(d, s => s.StartShiftAsync(DemoWorld.Yorkville))).Succeeded);
        Assert.Equal(ErrorKind.Validation, (await Drivers(d, s => s.ReportPositionAsync(123, -79.39))).Error!.Kind);

        var moved = new List<DriverMoved>();
        using var sub = db.Services.GetRequiredService<ILiveEvents>().Subscribe<DriverMoved>(DemoWorld.NorthernLights, e =>
        {
            lock (moved) { moved.Add(e); }
            return Task.CompletedTask;
        });
        Assert.True((await Drivers(d, s => s.ReportPositionAsync(43.670, -79.390, 8))).Succeeded);
        db.Clock.Advance(TimeSpan.FromSeconds(3));
        Assert.True((await Drivers(d, s => s.ReportPositionAsync(43.671, -79.391, 6))).Succeeded);
        var e = Assert.Single(moved, m => m.DriverId == d.UserId && m.Latitude == 43.671);
        Assert.Equal((DemoWorld.Yorkville, -79.391, 6d), (e.StoreId!.Value, e.Longitude, e.Accuracy!.Value));

        var latest = (await Drivers(InventoryKit.Manager, s => s.LatestPositionsAsync(DemoWorld.Yorkville))).Value;
        Assert.Equal((43.671, -79.391), latest.Where(l => l.DriverId == d.UserId).Select(l => (l.Latitude, l.Longitude)).Single());
        var trail = (await Drivers(InventoryKit.Manager, s => s.TrailAsync(DemoWorld.Yorkville, d.UserId!.Value, db.Clock.GetUtcNow().AddMinutes(-5)))).Value;
        Assert.Equal([43.670, 43.671], trail.Select(t => t.Latitude));
        Assert.Equal(ErrorKind.Forbidden, (await Drivers(InventoryKit.Budtender, s => s.LatestPositionsAsync(DemoWorld.Yorkville))).Error!.Kind);
        Assert.Equal(ErrorKind.NotFound, (await Drivers(InventoryKit.MapleManager, s => s.LatestPositionsAsync(DemoWorld.Yorkville))).Error!.Kind);

        var shifts = new List<DriverShiftChanged>();
        using var shiftSub = db.Services.GetRequiredService<ILiveEvents>().Subscribe<DriverShiftChanged>(DemoWorld.NorthernLights, e =>
        {
            lock (shifts) { shifts.Add(e); }
            return Task.CompletedTask;
        });
        Assert.True((await Drivers(d, s => s.EndShiftAsync())).Succeeded);
        Assert.Contains("Start your shift", (await Drivers(d, s => s.ReportPositionAsync(43.67, -79.39))).Error!.Message);
        // Dispatch maps are told at once (they drop the marker); a new shift tells them too.
        Assert.Equal((DemoWorld.Yorkville, false), shifts.Where(s => s.DriverId == d.UserId).Select(s => (s.StoreId!.Value, s.OnShift)).Single());
        Assert.True((await Drivers(d, s => s.StartShiftAsync(DemoWorld.Yorkville))).Succeeded);
        Assert.Equal([false, true], shifts.Where(s => s.DriverId == d.UserId).Select(s => s.OnShift));
        Assert.True((await Drivers(d, s => s.EndShiftAsync())).Succeeded);
        await using var ctx = db.Context();
        Assert.Equal(2, await ctx.DriverPositions.CountAsync(p => p.DriverId == d.UserId));
    }

    [Fact]
    public async Task The_nearest_available_driver_is_the_closest_among_those_carrying_the_fewest_deliveries()
    {
        // Square One (Mississauga, 43.5931, -79.6424): three drivers at growing distances, one more off shift nearer still.
        var near = await OnShiftAtAsync(DemoWorld.SquareOne, 43.600, -79.640);
        var middle = await OnShiftAtAsync(DemoWorld.SquareOne, 43.620, -79.640);
        var far = await OnShiftAtAsync(DemoWorld.SquareOne, 43.700, -79.640);
        var gone = await OnShiftAtAsync(DemoWorld.SquareOne, 43.5932, -79.6424);
        Assert.True((await Drivers(gone, s => s.EndShiftAsync())).Succeeded);
        await OnShiftAtAsync(DemoWorld.Yorkville, 43.5931, -79.6424); // another store's driver right at the door

        var pick = (await Drivers(InventoryKit.TenantAdmin, s => s.NearestAvailableDriverAsync(DemoWorld.SquareOne))).Value!;
        Assert.Equal(near.UserId, pick.DriverId);
        Assert.InRange(pick.DistanceMetres, 500, 1000);
        var toDropOff = (await Drivers(InventoryKit.TenantAdmin, s => s.NearestAvailableDriverAsync(DemoWorld.SquareOne, ZoneGeometry.Point(43.69, -79.64)))).Value!;
        Assert.Equal(far.UserId, toDropOff.DriverId);

        // The nearest one now carries a delivery: the next nearest free driver is chosen.
        var (busy, _) = await PackedDeliveryOrderAsync(db);
        await using (var ctx = db.Context())
        {
            ctx.Deliveries.Add(new Delivery
            {
                TenantId = DemoWorld.NorthernLights, OrderId = busy.OrderId, OrderNumber = busy.Number, StoreId = DemoWorld.SquareOne, AddressText = "x",
                DriverId = near.UserId, Status = DeliveryStatus.EnRoute,
            });
            await ctx.SaveChangesAsync();
        }
        pick = (await Drivers(InventoryKit.TenantAdmin, s => s.NearestAvailableDriverAsync(DemoWorld.SquareOne))).Value!;
        Assert.Equal((middle.UserId!.Value, 0), (pick.DriverId, pick.OpenDeliveries));

        Assert.Equal(ErrorKind.Forbidden, (await Drivers(InventoryKit.Manager, s => s.NearestAvailableDriverAsync(DemoWorld.SquareOne))).Error!.Kind);
        Assert.Null((await Drivers(InventoryKit.MapleManager, s => s.NearestAvailableDriverAsync(DemoWorld.Scarborough))).Value);
    }

    [Fact]
    public async Task Assign_nearest_gives_the_order_to_the_closest_free_driver_of_its_store()
    {
        var (order, _) = await PackedDeliveryOrderAsync(db, lat: 43.70, lng: -79.41);
        var close = await OnShiftAtAsync(DemoWorld.QueenWest, 43.69, -79.41);
        await OnShiftAtAsync(DemoWorld.QueenWest, 43.6466, -79.4097); // at the store, far from the drop-off
        var id = await Do(db, InventoryKit.Budtender, sp => sp.GetRequiredService<DeliveryService>().AssignNearestAsync(order.OrderId, sp.GetRequiredService<DriverService>()));
        Assert.True(id.Succeeded, id.Error?.Message);
        await using var ctx = db.Context();
        Assert.Equal(close.UserId, await ctx.Deliveries.Where(d => d.Id == id.Value).Select(d => d.DriverId).SingleAsync());
    }
}
