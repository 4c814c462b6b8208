using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Audit;
using WeedGo.Core.Deliveries;
using WeedGo.Core.Live;
using WeedGo.Core.Ordering;
using WeedGo.Tests.Inventory;
using WeedGo.Tests.Support;
using static WeedGo.Tests.Deliveries.DeliveryKit;

namespace WeedGo.Tests.Deliveries;

/// <summary>The closing-time job: a delivery still out after its store closes raises one audit event (and one live event)
/// per store-local day, however often the job runs.</summary>
public sealed class ClosingAlertTests(DemoDatabaseFixture db) : IClassFixture<DemoDatabaseFixture>
{
    [Fact]
    public async Task A_delivery_still_out_after_closing_is_audited_and_announced_exactly_once_a_day()
    {
        var (order, _) = await PackedDeliveryOrderAsync(db);
        await Do(db, InventoryKit.Budtender, sp => sp.GetRequiredService<DeliveryService>().AssignAsync(order.OrderId, Driver.UserId!.Value));
        var sweeper = db.Services.GetRequiredService<ClosingAlertSweeper>();
        var announced = new List<DeliveryOutAtClosing>();
        using var sub = db.Services.GetRequiredService<ILiveEvents>().Subscribe<DeliveryOutAtClosing>(DemoWorld.NorthernLights, e =>
        {
            lock (announced) { announced.Add(e); }
            return Task.CompletedTask;
        });

        // Wednesday 25 Nov 2026, 12:00 in Toronto: open, nothing to say.
        Assert.Equal(0, await sweeper.RunAsync());

        // 22:30 (Queen West closes at 22:00): the delivery is still assigned.
        var noon = db.Clock.GetUtcNow();
        db.Clock.SetUtcNow(noon.AddHours(10.5));
        Assert.Equal(1, await sweeper.RunAsync());
        db.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, await sweeper.RunAsync());
        await Task.WhenAll(sweeper.RunAsync(), sweeper.RunAsync()); // two instances at once: still one
        db.Clock.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(0, await sweeper.RunAsync());

        await using var ctx = db.Context();
        var rows = await ctx.AuditLogs.AsNoTracking().Where(a => a.EventType == AuditEvents.DeliveryOutAtClosing).ToListAsync();
        var row = Assert.Single(rows);
        var delivery = await ctx.Deliveries.AsNoTracking().SingleAsync(d => d.OrderId == order.OrderId);
        Assert.Equal((AuditSeverity.Warning, "Delivery", delivery.Id.ToString(), DemoWorld.NorthernLights, DemoWorld.QueenWest),
            (row.Severity, row.EntityType!, row.EntityKey!, row.TenantId!.Value, row.StoreId!.Value));
        Assert.Contains(order.Number, row.Details);
        var e = Assert.Single(announced);
        Assert.Equal((delivery.Id, order.Number, "Assigned", "Queen West"), (e.DeliveryId, e.OrderNumber, e.Status, e.StoreName));

        // Still out the next evening (a new store-local day): one more.
        db.Clock.SetUtcNow(noon.AddDays(1).AddHours(10.5));
        Assert.Equal(1, await sweeper.RunAsync());
        Assert.Equal(0, await sweeper.RunAsync());
        Assert.Equal(2, await ctx.AuditLogs.CountAsync(a => a.EventType == AuditEvents.DeliveryOutAtClosing));
    }
}
