using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using WeedGo.Core;
using WeedGo.Core.Common;
using WeedGo.Core.Deliveries;
using WeedGo.Core.Live;
using WeedGo.Core.Ordering;
using WeedGo.Tests.Deliveries;
using WeedGo.Tests.Inventory;
using WeedGo.Tests.Support;
using WeedGo.Web.Components.Admin.Deliveries;
using WeedGo.Web.Components.Shared.Maps;

namespace WeedGo.Tests.Components;

/// <summary>The dispatch list's status filters and batching, and the dispatch page over real services following a change
/// live.</summary>
public sealed class DispatchComponentTests : BunitTestBase, IClassFixture<DemoDatabaseFixture>
{
    private readonly DatabaseFixture _db;

    public DispatchComponentTests(DemoDatabaseFixture db)
    {
        _db = db;
        var services = Context.Services;
        services.AddLogging();
        services.AddSingleton<TimeProvider>(db.Clock);
        services.AddWeedGoCore(db.ConnectionString);
        services.AddOptions<MapOptions>();
        var user = new TestUser();
        user.CopyFrom(InventoryKit.Budtender);
        services.AddSingleton(user);
        services.AddSingleton<ITenantContext>(user);
        services.AddSingleton<ICurrentUser>(user);
        services.AddSingleton<IShopper>(user);
        services.AddSingleton(db.Services.GetRequiredService<ILiveEvents>());
        Context.AddAuthorization().SetAuthorized("Budtender");
    }

    private static DispatchItem Item(string number, DeliveryStatus status, string? driver = null) =>
        new(status == DeliveryStatus.Unassigned ? null : Guid.NewGuid(), Guid.NewGuid(), number, "1 Main St, Toronto", 43.65, -79.40, status,
            driver is null ? null : Guid.NewGuid(), driver, "Downtown West", DateTimeOffset.UtcNow);

    private static IReadOnlyList<string> Rows(IRenderedComponent<DispatchList> cut) =>
        cut.FindAll("[data-testid=dispatch-row]").Select(r => r.GetAttribute("data-order")!).ToList();

    [Fact]
    public async Task The_status_filters_show_their_counts_and_only_their_rows_and_ticked_rows_go_to_one_driver()
    {
        var items = new[]
        {
            Item("WG-1", DeliveryStatus.Unassigned), Item("WG-2", DeliveryStatus.Assigned, "Sam"), Item("WG-3", DeliveryStatus.EnRoute, "Sam"),
            Item("WG-4", DeliveryStatus.Delivered, "Ari"), Item("WG-5", DeliveryStatus.Unassigned),
        };
        var drivers = new[] { new DispatchDriver(Guid.NewGuid(), "Sam", true, 43.65, -79.40, DateTimeOffset.UtcNow, 2, []) };
        (IReadOnlyCollection<Guid> Orders, Guid Driver)? batched = null;
        var cut = Context.Render<DispatchList>(p => p
            .Add(x => x.Items, items).Add(x => x.Drivers, drivers)
            .Add(x => x.OnBatch, (orders, driver) => { batched = (orders, driver); return Task.FromResult(true); }));

        Assert.Equal(["WG-1", "WG-2", "WG-3", "WG-5"], Rows(cut)); // "Open" by default
        Assert.Contains("4", cut.Find("[data-testid=dispatch-filter-open]").TextContent);
        await cut.InvokeAsync(() => cut.Find("[data-testid=dispatch-filter-waiting]").Click());
        Assert.Equal(["WG-1", "WG-5"], Rows(cut));
        await cut.InvokeAsync(() => cut.Find("[data-testid=dispatch-filter-ontheroad]").Click());
        Assert.Equal(["WG-3"], Rows(cut));
        Assert.Empty(cut.FindAll("[data-testid=assign-menu]")); // picked up: the driver can no longer change
        await cut.InvokeAsync(() => cut.Find("[data-testid=dispatch-filter-done]").Click());
        Assert.Equal(["WG-4"], Rows(cut));
        await cut.InvokeAsync(() => cut.Find("[data-testid=dispatch-filter-all]").Click());
        Assert.Equal(5, Rows(cut).Count);

        await cut.InvokeAsync(() => cut.Find("[data-testid=dispatch-filter-waiting]").Click());
        Assert.Empty(cut.FindAll("[data-testid=batch-bar]"));
        foreach (var box in cut.FindComponents<MudCheckBox<bool>>())
        {
            await cut.InvokeAsync(() => box.Instance.ValueChanged.InvokeAsync(true)); // as ticking it does
        }
        cut.WaitForAssertion(() => Assert.Contains("2", cut.Find("[data-testid=batch-bar]").TextContent));
        var select = cut.FindComponent<MudSelect<Guid>>();
        await cut.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(drivers[0].DriverId)); // as choosing "Sam" does
        cut.WaitForAssertion(() => Assert.False(cut.Find("[data-testid=batch-assign]").HasAttribute("disabled")));
        await cut.InvokeAsync(() => cut.Find("[data-testid=batch-assign]").Click());
        cut.WaitForAssertion(() => Assert.NotNull(batched));
        Assert.Equal(new[] { items[0].OrderId, items[4].OrderId }.Order(), batched!.Value.Orders.Order());
        Assert.Equal(drivers[0].DriverId, batched.Value.Driver);
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=batch-bar]")));
    }

    [Fact]
    public async Task The_dispatch_page_lists_a_packed_order_and_follows_its_assignment_without_a_reload()
    {
        var (order, _) = await DeliveryKit.PackedDeliveryOrderAsync(_db);
        Context.Render<MudPopoverProvider>();
        var cut = Context.Render<DeliveriesPage>();
        string Status() => cut.Find($"[data-order='{order.Number}'] [data-testid=dispatch-status]").TextContent.Trim();
        cut.WaitForAssertion(() => Assert.Equal("Waiting", Status()));
        Assert.Contains(cut.FindAll("[data-testid=driver-row]"), r => r.TextContent.Contains("Northern Driver"));

        // Someone else (another screen, the hub) assigns it: the page hears DeliveryChanged and reloads the board.
        Assert.True((await DeliveryKit.Do(_db, InventoryKit.Manager, sp => sp.GetRequiredService<DeliveryService>()
            .AssignAsync(order.OrderId, DeliveryKit.Driver.UserId!.Value))).Succeeded);
        cut.WaitForAssertion(() => Assert.Equal("Assigned", Status()));
        Assert.Contains("Northern Driver", cut.Find($"[data-order='{order.Number}']").TextContent);
    }
}
