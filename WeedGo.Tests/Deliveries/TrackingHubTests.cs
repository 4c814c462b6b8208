using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Common;
using WeedGo.Core.Data;
using WeedGo.Core.Deliveries;
using WeedGo.Core.Live;
using WeedGo.Core.Ordering;
using WeedGo.Tests.Support;
using WeedGo.Web.Hubs;

namespace WeedGo.Tests.Deliveries;

/// <summary><c>/hubs/tracking</c> end to end over the test server: a driver's position from a non-Blazor client reaches the
/// store's staff (not another tenant's), and a customer follows only their own order.</summary>
public sealed class TrackingHubTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private Task<HubConnection> ConnectAsync(string email) => HubClients.ConnectAsync(app.Factory, email, TrackingHub.Path);

    private WeedGoDbContext Db()
    {
        var db = app.Factory.Services.GetRequiredService<PooledDbContextFactory<WeedGoDbContext>>().CreateDbContext();
        db.UseTenant(FixedTenantContext.System);
        return db;
    }

    [Fact]
    public async Task A_driver_reports_a_position_over_the_hub_and_the_stores_staff_see_it_but_not_another_tenant()
    {
        await using var driver = await ConnectAsync("driver@northernlights.demo");
        await using var manager = await ConnectAsync("manager@northernlights.demo");
        await using var maple = await ConnectAsync("manager@mapleleaf.demo");
        var seen = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        var mapleSaw = 0;
        manager.On<JsonElement>(TrackingHub.DriverMovedMethod, p => seen.TrySetResult(p));
        maple.On<JsonElement>(TrackingHub.DriverMovedMethod, _ => Interlocked.Increment(ref mapleSaw));

        var refused = await driver.InvokeAsync<TrackingAnswer>(nameof(TrackingHub.ReportPosition), 43.65, -79.40, 10.0);
        Assert.False(refused.Ok);
        Assert.Contains("Start your shift", refused.Error);

        await using (var db = Db())
        {
            db.DriverShifts.Add(new DriverShift
            {
                TenantId = DemoWorld.NorthernLights, StoreId = DemoWorld.QueenWest, DriverId = DemoWorld.User("driver@northernlights.demo"), StartedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        }
        var ok = await driver.InvokeAsync<TrackingAnswer>(nameof(TrackingHub.ReportPosition), 43.6501, -79.4002, 7.5);
        Assert.True(ok.Ok, ok.Error);
        var payload = await seen.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(43.6501, payload.GetProperty("latitude").GetDouble());
        Assert.Equal(DemoWorld.QueenWest, payload.GetProperty("storeId").GetGuid());

        // The other tenant's connection is live (it gets its own tenant's event) and never saw the first one.
        var mapleOwn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        maple.On<JsonElement>(TrackingHub.DeliveryChangedMethod, _ => mapleOwn.TrySetResult());
        await app.Factory.Services.GetRequiredService<ILiveEvents>().PublishAsync(
            new DeliveryChanged(DemoWorld.MapleLeaf, DemoWorld.Scarborough, Guid.NewGuid(), Guid.NewGuid(), "WG-1", null, null, "Assigned"));
        await mapleOwn.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(0, Volatile.Read(ref mapleSaw));

        // A staff member who is not a driver cannot report a position.
        var notDriver = await manager.InvokeAsync<TrackingAnswer>(nameof(TrackingHub.ReportPosition), 43.65, -79.40, 10.0);
        Assert.False(notDriver.Ok);
    }

    [Fact]
    public async Task A_customer_follows_their_own_order_and_cannot_watch_someone_elses()
    {
        var customerId = DemoWorld.User("customer@northernlights.demo");
        Guid mine = Guid.CreateVersion7(), theirs = Guid.CreateVersion7();
        await using (var db = Db())
        {
            foreach (var (id, who) in new[] { (mine, (Guid?)customerId), (theirs, (Guid?)null) })
            {
                db.Orders.Add(new Order
                {
                    Id = id, TenantId = DemoWorld.NorthernLights, StoreId = DemoWorld.QueenWest, Number = "WG-H" + id.ToString("N")[^6..], CustomerId = who,
                    CustomerName = "Hub Test", Fulfilment = Fulfilment.Delivery, Status = OrderStatus.OutForDelivery, PaymentMethod = PaymentMethod.PayOnDelivery,
                    PlacedAt = DateTimeOffset.UtcNow,
                });
            }
            await db.SaveChangesAsync();
        }
        await using var customer = await ConnectAsync("customer@northernlights.demo");
        var denied = await customer.InvokeAsync<TrackingAnswer>(nameof(TrackingHub.WatchOrder), theirs);
        Assert.False(denied.Ok);
        Assert.True((await customer.InvokeAsync<TrackingAnswer>(nameof(TrackingHub.WatchOrder), mine)).Ok);

        var got = new List<Guid>();
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        customer.On<JsonElement>(TrackingHub.DeliveryChangedMethod, p =>
        {
            var order = p.GetProperty("orderId").GetGuid();
            lock (got) { got.Add(order); }
            if (order == mine) { arrived.TrySetResult(); }
        });
        var live = app.Factory.Services.GetRequiredService<ILiveEvents>();
        await live.PublishAsync(new DeliveryChanged(DemoWorld.NorthernLights, DemoWorld.QueenWest, Guid.NewGuid(), theirs, "WG-X", null, null, "EnRoute"));
        await live.PublishAsync(new DeliveryChanged(DemoWorld.NorthernLights, DemoWorld.QueenWest, Guid.NewGuid(), mine, "WG-Y", customerId, null, "EnRoute"));
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(15));
        lock (got)
        {
            Assert.Equal([mine], got);
        }
    }
}
