using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Common;
using WeedGo.Core.Deliveries;
using WeedGo.Core.Ordering;
using WeedGo.Tests.Inventory;
using WeedGo.Tests.Support;
using static WeedGo.Tests.Deliveries.DeliveryKit;
using static WeedGo.Tests.Ordering.OrderingKit;

namespace WeedGo.Tests.Deliveries;

/// <summary>The dispatch board and what staff do from it, the customer's tracking view and the checkout's pin quote, on a
/// real database.</summary>
public sealed class DispatchTests(DemoDatabaseFixture db) : IClassFixture<DemoDatabaseFixture>
{
    private static readonly TestUser Budtender = InventoryKit.Budtender;

    private Task<Result<DispatchBoard>> BoardAsync(TestUser who, Guid store) =>
        Do(db, who, sp => sp.GetRequiredService<DispatchQueries>().BoardAsync(store));

    private Task<T> Deliveries<T>(TestUser who, Func<DeliveryService, DriverService, Task<T>> act) =>
        Do(db, who, sp => act(sp.GetRequiredService<DeliveryService>(), sp.GetRequiredService<DriverService>()));

    private async Task<TestUser> OnShiftAsync(double lat, double lng)
    {
        var d = await NewDriverAsync(db, DemoWorld.QueenWest);
        Assert.True((await Deliveries(d, (_, s) => s.StartShiftAsync(DemoWorld.QueenWest))).Succeeded);
        Assert.True((await Deliveries(d, (_, s) => s.ReportPositionAsync(lat, lng, 5))).Succeeded);
        return d;
    }

    [Fact]
    public async Task The_board_lists_packed_orders_waiting_with_their_zone_and_staff_assign_by_hand_nearest_or_in_a_batch()
    {
        var far = await OnShiftAsync(43.700, -79.500);
        db.Clock.Advance(TimeSpan.FromSeconds(2));
        var near = await OnShiftAsync(43.652, -79.402);
        var (first, _) = await PackedDeliveryOrderAsync(db, lat: 43.651, lng: -79.401);
        var (second, _) = await PackedDeliveryOrderAsync(db, lat: 43.648, lng: -79.420);
        var (third, _) = await PackedDeliveryOrderAsync(db, lat: 43.655, lng: -79.395);

        var board = (await BoardAsync(Budtender, DemoWorld.QueenWest)).Value;
        Assert.Equal("Queen West", board.Store.Name);
        Assert.Contains("Downtown West", board.ZonesGeoJson);
        var waiting = board.Items.Single(i => i.OrderId == first.OrderId);
        Assert.Equal((null, DeliveryStatus.Unassigned, 43.651), (waiting.DeliveryId, waiting.Status, waiting.Latitude!.Value)); // packed, not sent out yet
        var nearRow = board.Drivers.Single(d => d.DriverId == near.UserId);
        Assert.Equal((true, 43.652, 1), (nearRow.OnShift, nearRow.Latitude!.Value, nearRow.Trail.Count));
        Assert.Contains(board.Drivers, d => d.DriverId == DemoWorld.User("driver@northernlights.demo") && !d.OnShift);

        // Nearest available: the driver 150 m from the drop-off, not the one across town.
        Assert.True((await Deliveries(Budtender, (s, d) => s.AssignNearestAsync(first.OrderId, d))).Succeeded);
        // By hand, then a batch of two to the far driver (the near one is busy now).
        Assert.True((await Deliveries(Budtender, (s, _) => s.AssignAsync(second.OrderId, near.UserId!.Value))).Succeeded);
        var batch = await Deliveries(Budtender, (s, _) => s.AssignBatchAsync([second.OrderId, third.OrderId], far.UserId!.Value));
        Assert.True(batch.Succeeded, batch.Error?.Message);

        board = (await BoardAsync(Budtender, DemoWorld.QueenWest)).Value;
        var byOrder = board.Items.ToDictionary(i => i.OrderId);
        Assert.Equal((DeliveryStatus.Assigned, near.UserId), (byOrder[first.OrderId].Status, byOrder[first.OrderId].DriverId));
        Assert.Equal(far.UserId, byOrder[second.OrderId].DriverId); // re-assigned before pickup
        Assert.Equal(far.UserId, byOrder[third.OrderId].DriverId);
        Assert.Equal("Downtown West", byOrder[first.OrderId].Zone);
        Assert.Equal("Test Driver", byOrder[first.OrderId].DriverName);
        Assert.Equal(2, board.Drivers.Single(d => d.DriverId == far.UserId).OpenDeliveries);
    }

    [Fact]
    public async Task Only_staff_of_the_store_see_its_board_and_another_tenant_does_not_find_it()
    {
        Assert.True((await BoardAsync(InventoryKit.TenantAdmin, DemoWorld.QueenWest)).Succeeded);
        Assert.Equal(ErrorKind.Forbidden, (await BoardAsync(Budtender, DemoWorld.Yorkville)).Error!.Kind); // not their store
        Assert.Equal(ErrorKind.Forbidden, (await BoardAsync(Driver, DemoWorld.QueenWest)).Error!.Kind);
        Assert.Equal(ErrorKind.NotFound, (await BoardAsync(InventoryKit.MapleManager, DemoWorld.QueenWest)).Error!.Kind);
        var customer = await NewCustomerAsync(db);
        Assert.Equal(ErrorKind.Forbidden, (await BoardAsync(customer, DemoWorld.QueenWest)).Error!.Kind);
    }

    [Fact]
    public async Task The_customer_follows_the_delivery_with_the_zone_eta_before_pickup_and_a_distance_eta_on_the_way()
    {
        var (order, _, customer) = await PackedDeliveryOrderForAsync(db, lat: 43.651, lng: -79.401);
        var driver = await OnShiftAsync(43.6465, -79.4096);
        Assert.True((await Deliveries(Budtender, (s, _) => s.AssignAsync(order.OrderId, driver.UserId!.Value))).Succeeded);

        var t = (await Deliveries(customer, (s, _) => s.TrackingAsync(order.OrderId))).Value!;
        Assert.Equal(DeliveryStatus.Assigned, t.Delivery.Status);
        Assert.Equal("30–45 min once it leaves the store", t.Eta);
        Assert.Null(t.DriverLatitude); // not shown before pickup

        var id = t.Delivery.Id;
        Assert.True((await Deliveries(driver, (s, _) => s.AdvanceAsync(id, DeliveryStatus.PickedUp))).Succeeded);
        Assert.True((await Deliveries(driver, (s, _) => s.AdvanceAsync(id, DeliveryStatus.EnRoute))).Succeeded);
        Assert.True((await Deliveries(driver, (_, s) => s.ReportPositionAsync(43.6490, -79.4050, 5))).Succeeded);
        t = (await Deliveries(customer, (s, _) => s.TrackingAsync(order.OrderId))).Value!;
        Assert.Equal((43.6490, -79.4050), (t.DriverLatitude!.Value, t.DriverLongitude!.Value));
        Assert.Equal($"about {DeliveryEta.Minutes(43.6490, -79.4050, 43.651, -79.401)} min", t.Eta);

        var stranger = await NewCustomerAsync(db);
        Assert.Equal(ErrorKind.NotFound, (await Deliveries(stranger, (s, _) => s.TrackingAsync(order.OrderId))).Error!.Kind);
    }

    [Fact]
    public async Task The_checkout_quote_follows_the_pin_into_a_zone_and_says_why_not_outside_or_under_the_minimum()
    {
        var me = await NewCustomerAsync(db);
        var p = await StockedAsync(db, 10, price: 12m);
        await AddAsync(db, me, p.Id, 2); // $24: under the wider zone's $50 minimum (Downtown West has none)
        var session = (await StartAsync(db, me)).Value;
        Assert.Equal((true, 5m), (session.Delivery.Available, session.Delivery.Fee)); // "from" the cheapest zone

        Task<Result<DeliveryChoice>> Quote(double lat, double lng) => As(db, me, sp => sp.GetRequiredService<CheckoutService>()
            .QuoteDeliveryAsync(session.CheckoutId, new DeliveryAddress { Line1 = "1 Main St", City = "Toronto", PostalCode = "M5V 2T6", Latitude = lat, Longitude = lng }));

        var inside = (await Quote(43.650, -79.400)).Value;
        Assert.Equal(("Downtown West", 5m, 0m, "30–45 min"), (inside.Quote.Zone!, inside.Quote.Fee, inside.Quote.MinimumOrder, inside.Quote.Eta!));
        Assert.Null(inside.Problem);
        var wider = (await Quote(43.690, -79.470)).Value;
        Assert.Equal(("West End and Midtown", 9m, 50m), (wider.Quote.Zone!, wider.Quote.Fee, wider.Quote.MinimumOrder));
        Assert.Contains("at least $50.00", wider.Problem);
        var outside = (await Quote(43.800, -79.400)).Value;
        Assert.Equal(ZoneDeliveryQuoter.OutsideZones, outside.Problem);

        await AddAsync(db, me, p.Id, 3); // $60 now
        session = (await StartAsync(db, me)).Value;
        var ok = (await Quote(43.690, -79.470)).Value;
        Assert.Null(ok.Problem);
        Assert.Equal(9m, ok.Pricing!.ChargedDeliveryFee);
        var stranger = await NewCustomerAsync(db);
        Assert.Equal(ErrorKind.NotFound, (await As(db, stranger, sp => sp.GetRequiredService<CheckoutService>()
            .QuoteDeliveryAsync(session.CheckoutId, new DeliveryAddress { Latitude = 43.65, Longitude = -79.40 }))).Error!.Kind);
    }

    [Fact]
    public void The_eta_is_the_straight_line_distance_with_a_detour_at_the_assumed_speed()
    {
        // 0.01° of latitude ≈ 1.112 km → × 1.3 = 1.446 km at 25 km/h = 3.47 min → 4.
        Assert.Equal(4, DeliveryEta.Minutes(43.64, -79.40, 43.65, -79.40));
        Assert.Equal(1, DeliveryEta.Minutes(43.65, -79.40, 43.65, -79.40));
        Assert.Equal("The driver is at your door", DeliveryTracking.EtaFor(DeliveryStatus.Arrived, null, null, null, null, "30–45 min"));
        Assert.Null(DeliveryTracking.EtaFor(DeliveryStatus.Delivered, 1, 1, 1, 1, "30–45 min"));
    }
}
