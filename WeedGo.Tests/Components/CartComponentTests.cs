using Bunit;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core;
using WeedGo.Core.Common;
using WeedGo.Core.Compliance;
using WeedGo.Core.Live;
using WeedGo.Core.Ordering;
using WeedGo.Tests.Ordering;
using WeedGo.Tests.Support;
using WeedGo.Web.Components.Shop;
using WeedGo.Web.Components.Shop.Shared;

namespace WeedGo.Tests.Components;

/// <summary>The cart page and the 30 g meter over real services and a real database.</summary>
public sealed class CartComponentTests : BunitTestBase, IClassFixture<DemoDatabaseFixture>, IAsyncLifetime
{
    private readonly DatabaseFixture _db;
    private readonly TestUser _user = new();

    public CartComponentTests(DemoDatabaseFixture db)
    {
        _db = db;
        var services = Context.Services;
        services.AddLogging();
        services.AddSingleton<TimeProvider>(db.Clock);
        services.AddWeedGoCore(db.AppConnectionString);
        services.AddSingleton(_user);
        services.AddSingleton<ITenantContext>(_user);
        services.AddSingleton<ICurrentUser>(_user);
        services.AddSingleton<IShopper>(_user);
        services.AddSingleton(db.Services.GetRequiredService<ILiveEvents>());
        // Past the age gate for this circuit, as after "Yes, I am 19 or older".
        services.AddSingleton(new ShopState { ConfirmedAge = 19 });
    }

    public new async Task InitializeAsync()
    {
        await DemoWorld.LoadAsync(_db);
        _user.CopyFrom(await OrderingKit.NewCustomerAsync(_db));
        var auth = Context.AddAuthorization();
        auth.SetAuthorized("Test Customer");
    }

    private IRenderedComponent<CartPage> RenderCart() =>
        Context.Render<CartPage>(ps => ps.Add(x => x.Slug, "northern-lights-queen-west"));

    [Fact]
    public async Task The_cart_shows_the_meter_and_refuses_an_increase_over_30_grams_with_the_reason()
    {
        var sevens = await OrderingKit.StockedAsync(_db, 10, grams: 7m, price: 50m);
        Assert.True((await OrderingKit.AddAsync(_db, _user, sevens.Id, 4)).Succeeded);
        var cut = RenderCart();
        cut.WaitForAssertion(() => Assert.Equal("28 g of 30 g", cut.Find("[data-testid=limit-meter-text]").TextContent.Trim()));
        Assert.Single(cut.FindAll("[data-testid=cart-line]"));
        Assert.Equal("$200.00", cut.Find("[data-testid=cart-subtotal]").TextContent.Trim());

        await cut.InvokeAsync(() => cut.Find("[data-testid=line-plus]").Click());
        cut.WaitForAssertion(() => Assert.Contains("over the legal limit of 30 g per order", cut.Find("[data-testid=cart-message]").TextContent));
        Assert.Equal("4", cut.Find("[data-testid=line-quantity]").TextContent.Trim());

        await cut.InvokeAsync(() => cut.Find("[data-testid=line-minus]").Click());
        cut.WaitForAssertion(() => Assert.Equal("21 g of 30 g", cut.Find("[data-testid=limit-meter-text]").TextContent.Trim()));
        Assert.Equal("$150.00", cut.Find("[data-testid=cart-subtotal]").TextContent.Trim());
    }

    [Fact]
    public async Task A_line_that_sells_out_elsewhere_is_flagged_live_and_checkout_is_disabled()
    {
        var last = await OrderingKit.StockedAsync(_db, 2, grams: 1m, price: 12m);
        Assert.True((await OrderingKit.AddAsync(_db, _user, last.Id, 2)).Succeeded);
        var cut = RenderCart();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=cart-line]")));
        Assert.Null(cut.Find("[data-testid=checkout]").GetAttribute("disabled"));

        // Another shopper buys one: only 1 is left for a line of 2.
        var other = await OrderingKit.NewCustomerAsync(_db);
        Assert.True((await OrderingKit.AddAsync(_db, other, last.Id, 1)).Succeeded);
        Assert.True((await OrderingKit.StartAsync(_db, other)).Succeeded);

        cut.WaitForAssertion(() => Assert.Contains("Only 1 of", cut.Find("[data-testid=line-problem]").TextContent));
        Assert.NotNull(cut.Find("[data-testid=checkout]").GetAttribute("disabled"));
    }

    [Fact]
    public void The_meter_reads_grams_of_the_limit_and_turns_red_when_over()
    {
        var within = Context.Render<LimitMeterView>(ps => ps.Add(x => x.Meter, new LimitMeter(18.5m, 30m)));
        Assert.Equal("18.5 g of 30 g", within.Find("[data-testid=limit-meter-text]").TextContent.Trim());
        Assert.Contains("11.5 g left", within.Markup);
        Assert.DoesNotContain("mud-error-text", within.Find("[data-testid=limit-meter-text]").ClassName ?? "");

        var over = Context.Render<LimitMeterView>(ps => ps.Add(x => x.Meter, new LimitMeter(31m, 30m)));
        Assert.Equal("31 g of 30 g", over.Find("[data-testid=limit-meter-text]").TextContent.Trim());
        Assert.Contains("mud-error-text", over.Find("[data-testid=limit-meter-text]").ClassName);
        Assert.Contains("0 g left", over.Markup);
    }
}
