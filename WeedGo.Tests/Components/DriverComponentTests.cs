using Bunit;
using Microsoft.EntityFrameworkCore;
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
using WeedGo.Web.Components.Driver;

namespace WeedGo.Tests.Components;

/// <summary>The driver page over real services and a real database: shift, position sharing and the status buttons up to
/// the ID check.</summary>
public sealed class DriverComponentTests : BunitTestBase, IClassFixture<DemoDatabaseFixture>
{
    private readonly DatabaseFixture _db;

    public DriverComponentTests(DemoDatabaseFixture db)
    {
        _db = db;
        var services = Context.Services;
        services.AddLogging();
        services.AddSingleton<TimeProvider>(db.Clock);
        services.AddWeedGoCore(db.AppConnectionString);
        var user = new TestUser();
        user.CopyFrom(DeliveryKit.Driver);
        services.AddSingleton(user);
        services.AddSingleton<ITenantContext>(user);
        services.AddSingleton<ICurrentUser>(user);
        services.AddSingleton<IShopper>(user);
        services.AddSingleton(db.Services.GetRequiredService<ILiveEvents>());
        Context.AddAuthorization().SetAuthorized("Driver");
        Context.JSInterop.Setup<int?>("weedgo.shareLocation", _ => true).SetResult(0);
    }

    private static string Status(IRenderedComponent<DriverPage> cut, string number) =>
        cut.Find($"[data-order='{number}'] [data-testid=delivery-status]").TextContent.Trim();

    /// <summary>Waits for the status and for the command to have finished (its buttons are disabled while it runs).</summary>
    private static void Settled(IRenderedComponent<DriverPage> cut, string number, string status) => cut.WaitForAssertion(() =>
    {
        Assert.Equal(status, Status(cut, number));
        Assert.Empty(cut.FindAll(".mud-progress-linear"));
    });

    private static void Settled(IRenderedComponent<DriverPage> cut, string selector) => cut.WaitForAssertion(() =>
    {
        cut.Find(selector);
        Assert.Empty(cut.FindAll(".mud-progress-linear"));
    });

    private static Task ClickAsync(IRenderedComponent<DriverPage> cut, string number, string testId) =>
        cut.InvokeAsync(() => cut.Find($"[data-order='{number}'] [data-testid={testId}]").Click());

    [Fact]
    public async Task The_status_buttons_move_the_delivery_and_delivered_waits_for_the_ID_check()
    {
        var (order, _) = await DeliveryKit.PackedDeliveryOrderAsync(_db);
        Assert.True((await DeliveryKit.Do(_db, InventoryKit.Budtender, sp => sp.GetRequiredService<DeliveryService>().AssignAsync(order.OrderId, DeliveryKit.Driver.UserId!.Value))).Succeeded);
        Context.Render<MudPopoverProvider>();
        var cut = Context.Render<DriverPage>();
        Settled(cut, order.Number, "assigned");
        Assert.Empty(cut.FindAll($"[data-order='{order.Number}'] [data-testid=open-deliver]")); // not before pick-up

        await ClickAsync(cut, order.Number, "advance");
        Settled(cut, order.Number, "picked up");
        await ClickAsync(cut, order.Number, "advance");
        Settled(cut, order.Number, "en route");
        await ClickAsync(cut, order.Number, "advance");
        Settled(cut, order.Number, "arrived");
        Assert.Empty(cut.FindAll($"[data-order='{order.Number}'] [data-testid=advance]"));

        await ClickAsync(cut, order.Number, "open-deliver");
        cut.WaitForAssertion(() => Assert.True(cut.Find("[data-testid=confirm-deliver]").HasAttribute("disabled"))); // no ID check chosen yet
        await ClickAsync(cut, order.Number, "id-type-year");
        cut.WaitForAssertion(() => cut.Find("[data-testid=id-type] input, input[data-testid=id-type]"));
        await cut.InvokeAsync(() => cut.Find("[data-testid=id-type] input, input[data-testid=id-type]").Change("Driver's licence"));
        await cut.InvokeAsync(() => cut.Find("[data-testid=id-birth-year] input, input[data-testid=id-birth-year]").Change("2007"));
        await cut.InvokeAsync(() => cut.Find("[data-testid=confirm-deliver]").Click());
        cut.WaitForAssertion(() =>
        {
            Assert.Contains("19 only if the birthday has passed", cut.Find("[data-testid=driver-error]").TextContent);
            Assert.Empty(cut.FindAll(".mud-progress-linear"));
        });
        Assert.Equal("arrived", Status(cut, order.Number));

        await ClickAsync(cut, order.Number, "id-checked");
        await cut.InvokeAsync(() => cut.Find("[data-testid=confirm-deliver]").Click());
        Settled(cut, order.Number, "delivered");
        Assert.Empty(cut.FindAll("[data-testid=driver-error]"));
        await using var ctx = _db.Context();
        Assert.Equal(OrderStatus.Completed, await ctx.Orders.Where(o => o.Id == order.OrderId).Select(o => o.Status).SingleAsync());
    }

    [Fact]
    public async Task Starting_a_shift_shares_the_position_and_ending_it_stops()
    {
        var cut = Context.Render<DriverPage>();
        Settled(cut, "[data-testid=start-shift]");
        await cut.InvokeAsync(() => cut.Find("[data-testid=start-shift]").Click());
        Settled(cut, "[data-testid=on-shift]");
        Assert.Contains(Context.JSInterop.Invocations, i => i.Identifier == "weedgo.shareLocation");

        await cut.InvokeAsync(() => cut.Instance.ReportPosition(43.6466, -79.4097, 12));
        await using (var ctx = _db.Context())
        {
            var shift = await ctx.DriverShifts.AsNoTracking().SingleAsync(s => s.DriverId == DeliveryKit.Driver.UserId && s.EndedAt == null);
            Assert.Equal(43.6466, shift.LastLocation!.Y);
        }

        await cut.InvokeAsync(() => cut.Find("[data-testid=end-shift]").Click());
        Settled(cut, "[data-testid=start-shift]");
        Assert.Contains(Context.JSInterop.Invocations, i => i.Identifier == "weedgo.stopSharing");
    }
}
