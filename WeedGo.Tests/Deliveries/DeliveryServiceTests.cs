using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Common;
using WeedGo.Core.Deliveries;
using WeedGo.Core.Inventory;
using WeedGo.Core.Live;
using WeedGo.Core.Ordering;
using WeedGo.Tests.Inventory;
using WeedGo.Tests.Support;
using static WeedGo.Tests.Deliveries.DeliveryKit;
using static WeedGo.Tests.Ordering.OrderingKit;

namespace WeedGo.Tests.Deliveries;

/// <summary>A delivery's life on a real database: assignment, the driver's steps, the ID check at the door, the same-day
/// return to the shelf, the closing list, and who may do what.</summary>
public sealed class DeliveryServiceTests(DemoDatabaseFixture db) : IClassFixture<DemoDatabaseFixture>
{
    private static readonly TestUser Budtender = InventoryKit.Budtender;

    private Task<T> Deliveries<T>(TestUser who, Func<DeliveryService, Task<T>> act) =>
        Do(db, who, sp => act(sp.GetRequiredService<DeliveryService>()));

    private async Task<Delivery> RowAsync(Guid orderId)
    {
        await using var ctx = db.Context();
        return await ctx.Deliveries.AsNoTracking().SingleAsync(d => d.OrderId == orderId);
    }

    private async Task<OrderStatus> OrderStatusAsync(Guid orderId)
    {
        await using var ctx = db.Context();
        return await ctx.Orders.AsNoTracking().Where(o => o.Id == orderId).Select(o => o.Status).SingleAsync();
    }

    [Fact]
    public async Task Sending_out_creates_the_delivery_and_the_driver_takes_it_to_the_door_where_the_ID_check_completes_the_order()
    {
        var (order, _) = await PackedDeliveryOrderAsync(db, lat: 43.651, lng: -79.401);
        Assert.True((await Do(db, Budtender, sp => sp.GetRequiredService<OrderService>().SendOutAsync(order.OrderId))).Succeeded);
        var row = await RowAsync(order.OrderId);
        Assert.Equal(DeliveryStatus.Unassigned, row.Status);
        Assert.Equal((43.651, -79.401), (row.Location!.Y, row.Location.X));
        Assert.Contains("1 Main St", row.AddressText);

        var events = new List<DeliveryChanged>();
        using var sub = db.Services.GetRequiredService<ILiveEvents>().Subscribe<DeliveryChanged>(DemoWorld.NorthernLights, e =>
        {
            lock (events) { events.Add(e); }
            return Task.CompletedTask;
        });
        Assert.True((await Deliveries(Budtender, s => s.AssignAsync(order.OrderId, Driver.UserId!.Value))).Succeeded);
        Assert.Equal(ErrorKind.Conflict, (await Deliveries(Driver, s => s.AdvanceAsync(row.Id, DeliveryStatus.EnRoute))).Error!.Kind); // not picked up yet
        Assert.True((await Deliveries(Driver, s => s.AdvanceAsync(row.Id, DeliveryStatus.PickedUp))).Succeeded);
        Assert.True((await Deliveries(Driver, s => s.AdvanceAsync(row.Id, DeliveryStatus.EnRoute))).Succeeded);
        Assert.True((await Deliveries(Driver, s => s.AdvanceAsync(row.Id, DeliveryStatus.Arrived))).Succeeded);

        var refused = await Deliveries(Driver, s => s.DeliverAsync(row.Id, null));
        Assert.Contains("Record the ID check", refused.Error!.Message);
        var halfProof = await Deliveries(Driver, s => s.DeliverAsync(row.Id, new IdCheckProof(IdCheckKind.IdTypeAndBirthYear, "Driver's licence")));
        Assert.Contains("birth year", halfProof.Error!.Message);
        var borderline = await Deliveries(Driver, s => s.DeliverAsync(row.Id, new IdCheckProof(IdCheckKind.IdTypeAndBirthYear, "Driver's licence", 2007)));
        Assert.Equal(ErrorKind.UnderAge, borderline.Error!.Kind); // 2026 − 2007 = 19: depends on the birthday
        Assert.Equal(OrderStatus.OutForDelivery, await OrderStatusAsync(order.OrderId));

        var done = await Deliveries(Driver, s => s.DeliverAsync(row.Id, new IdCheckProof(IdCheckKind.IdTypeAndBirthYear, "Driver's licence", 1990, "Left with the customer")));
        Assert.True(done.Succeeded, done.Error?.Message);
        row = await RowAsync(order.OrderId);
        Assert.Equal((DeliveryStatus.Delivered, IdCheckKind.IdTypeAndBirthYear, "Driver's licence", 1990), (row.Status, row.IdCheck!.Value, row.IdType!, row.IdBirthYear!.Value));
        Assert.NotNull(row.PickedUpAt);
        Assert.NotNull(row.EnRouteAt);
        Assert.NotNull(row.DeliveredAt);
        Assert.Equal(OrderStatus.Completed, await OrderStatusAsync(order.OrderId));
        await using var ctx = db.Context();
        Assert.Equal(PaymentStatus.Paid, await ctx.Orders.Where(o => o.Id == order.OrderId).Select(o => o.PaymentStatus).SingleAsync());
        Assert.Equal(["Assigned", "PickedUp", "EnRoute", "Arrived", "Delivered"], events.Where(e => e.DeliveryId == row.Id).Select(e => e.Status));
        Assert.Equal(ErrorKind.Conflict, (await Deliveries(Driver, s => s.ReturnAsync(row.Id, "changed mind"))).Error!.Kind);

        // Every step is in the audit log with who did it: created, assigned, picked up, en route, arrived, delivered.
        await db.Services.GetRequiredService<WeedGo.Core.Audit.AuditSealer>().SealAsync(); // the chain's order is given at sealing
        var audited = await ctx.AuditLogs.AsNoTracking().Where(a => a.EntityType == "Delivery" && a.EntityKey == row.Id.ToString())
            .OrderBy(a => a.Sequence).Select(a => new { a.Action, a.UserId, a.Changes }).ToListAsync(); // the chain order (times tie under the fake clock)
        Assert.Equal(6, audited.Count);
        Assert.Equal("Insert", audited[0].Action, ignoreCase: true);
        Assert.Contains("Delivered", audited[^1].Changes);
        Assert.Equal(Driver.UserId, audited[^1].UserId);
    }

    [Fact]
    public async Task Assigning_a_packed_order_creates_its_delivery_and_the_pick_up_sends_the_order_out()
    {
        var (order, _) = await PackedDeliveryOrderAsync(db);
        var id = (await Deliveries(Budtender, s => s.AssignAsync(order.OrderId, Driver.UserId!.Value))).Value;
        Assert.Equal(OrderStatus.Packed, await OrderStatusAsync(order.OrderId));
        Assert.True((await Deliveries(Driver, s => s.AdvanceAsync(id, DeliveryStatus.PickedUp))).Succeeded);
        Assert.Equal(OrderStatus.OutForDelivery, await OrderStatusAsync(order.OrderId));
        Assert.Equal(DeliveryStatus.PickedUp, (await RowAsync(order.OrderId)).Status);
        var looks = await Deliveries(Driver, s => s.DeliverAsync(id, new IdCheckProof(IdCheckKind.LooksOver25)));
        Assert.True(looks.Succeeded, looks.Error?.Message);
    }

    [Fact]
    public async Task An_undelivered_order_returned_the_same_day_puts_its_units_back_on_the_shelf_through_the_ledger()
    {
        var (order, p) = await PackedDeliveryOrderAsync(db, units: 3);
        Assert.Equal((7, 0, 7), await FiguresAsync(db, p.Id));
        var id = (await Deliveries(Budtender, s => s.AssignAsync(order.OrderId, Driver.UserId!.Value))).Value;
        Assert.True((await Deliveries(Driver, s => s.AdvanceAsync(id, DeliveryStatus.PickedUp))).Succeeded);
        Assert.Contains("Say why", (await Deliveries(Driver, s => s.ReturnAsync(id, " "))).Error!.Message);

        db.Clock.Advance(TimeSpan.FromHours(3)); // 15:00 in Toronto, same day
        var back = await Deliveries(Driver, s => s.ReturnAsync(id, "Nobody home"));
        Assert.True(back.Succeeded, back.Error?.Message);
        Assert.Equal((10, 0, 10), await FiguresAsync(db, p.Id));
        await using var ctx = db.Context();
        var ledger = await ctx.StockLedger.AsNoTracking().Where(m => m.StoreId == Store && m.ProductId == p.Id).ToListAsync();
        Assert.Equal(10, ledger.Sum(m => m.OnHandDelta));
        Assert.Equal(3, ledger.Where(m => m.Kind == MovementKind.Return && m.Reference == order.Number).Sum(m => m.OnHandDelta));
        Assert.Equal(OrderStatus.Returned, await OrderStatusAsync(order.OrderId));
        var row = await RowAsync(order.OrderId);
        Assert.Equal((DeliveryStatus.Returned, "Nobody home"), (row.Status, row.ReturnReason));
        db.Clock.Advance(TimeSpan.FromHours(21)); // the fake clock only goes forward: on to noon of the next day for the other tests
    }

    [Fact]
    public async Task A_return_after_the_store_day_ended_is_refused_and_the_delivery_shows_on_the_closing_list()
    {
        var (order, p) = await PackedDeliveryOrderAsync(db);
        var id = (await Deliveries(Budtender, s => s.AssignAsync(order.OrderId, Driver.UserId!.Value))).Value;
        Assert.True((await Deliveries(Driver, s => s.AdvanceAsync(id, DeliveryStatus.PickedUp))).Succeeded);
        Assert.Equal(17, db.Clock.GetUtcNow().Hour); // every test of this class starts at noon in Toronto

        var open = (await Deliveries(Budtender, s => s.StillOutAtClosingAsync())).Value;
        Assert.DoesNotContain(open, d => d.Id == id); // the store is open at noon
        var night = db.Clock.GetUtcNow().AddHours(11.5); // 23:30 in Toronto, after closing
        Assert.Contains((await Deliveries(Budtender, s => s.StillOutAtClosingAsync(night))).Value, d => d.Id == id);
        Assert.DoesNotContain((await Deliveries(InventoryKit.MapleManager, s => s.StillOutAtClosingAsync(night))).Value, d => d.Id == id);

        db.Clock.Advance(TimeSpan.FromHours(13)); // 01:00 the next day in Toronto
        try
        {
            var late = await Deliveries(Driver, s => s.ReturnAsync(id, "Nobody home"));
            Assert.Equal(ErrorKind.Conflict, late.Error!.Kind);
            Assert.Contains("that day has ended", late.Error.Message);
            Assert.Equal((8, 0, 8), await FiguresAsync(db, p.Id));
        }
        finally
        {
            db.Clock.Advance(TimeSpan.FromHours(11)); // noon of the next day for the other tests (the fake clock only goes forward)
        }
    }

    [Fact]
    public async Task Only_the_assigned_driver_or_staff_of_the_store_move_a_delivery()
    {
        var (order, _) = await PackedDeliveryOrderAsync(db);
        var otherDriver = await NewDriverAsync(db, DemoWorld.QueenWest);
        var customer = await NewCustomerAsync(db);
        Assert.Equal(ErrorKind.Forbidden, (await Deliveries(Driver, s => s.AssignAsync(order.OrderId, Driver.UserId!.Value))).Error!.Kind);
        Assert.Equal(ErrorKind.NotFound, (await Deliveries(InventoryKit.MapleManager, s => s.AssignAsync(order.OrderId, Driver.UserId!.Value))).Error!.Kind);
        Assert.Contains("not a driver of this store", (await Deliveries(Budtender, s => s.AssignAsync(order.OrderId, Budtender.UserId!.Value))).Error!.Message);
        Assert.Contains("not a driver of this store", (await Deliveries(Budtender, s => s.AssignAsync(order.OrderId, MapleDriver.UserId!.Value))).Error!.Message);

        var id = (await Deliveries(Budtender, s => s.AssignAsync(order.OrderId, Driver.UserId!.Value))).Value;
        Assert.Contains("not assigned to you", (await Deliveries(otherDriver, s => s.AdvanceAsync(id, DeliveryStatus.PickedUp))).Error!.Message);
        Assert.Equal(ErrorKind.Forbidden, (await Deliveries(customer, s => s.AdvanceAsync(id, DeliveryStatus.PickedUp))).Error!.Kind);
        Assert.Equal(ErrorKind.NotFound, (await Deliveries(MapleDriver, s => s.AdvanceAsync(id, DeliveryStatus.PickedUp))).Error!.Kind);
        var yorkvilleOnly = TestUser.Staff(InventoryKit.Manager.UserId!.Value, DemoWorld.NorthernLights, Core.Accounts.Roles.StoreManager, DemoWorld.Yorkville);
        Assert.Equal(ErrorKind.Forbidden, (await Deliveries(yorkvilleOnly, s => s.AdvanceAsync(id, DeliveryStatus.PickedUp))).Error!.Kind);
        Assert.True((await Deliveries(Budtender, s => s.AdvanceAsync(id, DeliveryStatus.PickedUp))).Succeeded); // staff of the store may
        Assert.Equal(ErrorKind.Conflict, (await Deliveries(Budtender, s => s.AssignAsync(order.OrderId, otherDriver.UserId!.Value))).Error!.Kind);

        var mine = (await Deliveries(Driver, s => s.MineAsync())).Value;
        Assert.Contains(mine, d => d.Id == id);
        Assert.DoesNotContain((await Deliveries(otherDriver, s => s.MineAsync())).Value, d => d.Id == id);
        Assert.Equal(ErrorKind.Forbidden, (await Deliveries(Budtender, s => s.MineAsync())).Error!.Kind);
    }

    [Fact]
    public async Task Several_orders_go_to_one_driver_in_a_batch()
    {
        var (a, _) = await PackedDeliveryOrderAsync(db);
        var (b, _) = await PackedDeliveryOrderAsync(db);
        var driver = await NewDriverAsync(db, DemoWorld.QueenWest);
        var ids = await Deliveries(Budtender, s => s.AssignBatchAsync([a.OrderId, b.OrderId], driver.UserId!.Value));
        Assert.True(ids.Succeeded, ids.Error?.Message);
        Assert.Equal(2, ids.Value.Count);
        Assert.Equal(2, (await Deliveries(driver, s => s.MineAsync())).Value.Count);
        var list = (await Deliveries(Budtender, s => s.ForStoreAsync(DemoWorld.QueenWest, DeliveryStatus.Assigned))).Value;
        Assert.Contains(list, d => d.OrderId == a.OrderId);
    }
}
