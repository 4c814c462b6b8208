using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using WeedGo.Core;
using WeedGo.Core.Common;
using WeedGo.Core.Live;
using WeedGo.Core.Ordering;
using WeedGo.Tests.Ordering;
using WeedGo.Tests.Support;
using WeedGo.Web.Components.Shop.Orders;
using WeedGo.Web.Components.Shop.Shared;
using WeedGo.Web.Components.Shop.Wishlist;

namespace WeedGo.Tests.Components;

/// <summary>The customer's order pages and wishlist over real services and a real database, signed in as a fresh customer.</summary>
public sealed class CustomerOrderComponentsTests : BunitTestBase, IClassFixture<DemoDatabaseFixture>
{
    private readonly DatabaseFixture _db;
    private readonly TestUser _me = new();
    /// <summary>The store the shop layout (chat button, cart badge) follows.</summary>
    private readonly WeedGo.Web.Components.Shop.ShopState _shop = new();

    public CustomerOrderComponentsTests(DemoDatabaseFixture db)
    {
        _db = db;
        var services = Context.Services;
        services.AddLogging();
        services.AddSingleton<TimeProvider>(db.Clock);
        services.AddWeedGoCore(db.AppConnectionString);
        services.AddSingleton(_me);
        services.AddSingleton<ITenantContext>(_me);
        services.AddSingleton<ICurrentUser>(_me);
        services.AddSingleton<IShopper>(_me);
        services.AddSingleton(_shop);
        // The fixture's live events: a staff action made through the fixture reaches the rendered page.
        services.AddSingleton(db.Services.GetRequiredService<ILiveEvents>());
    }

    private async Task<PlacedOrder> SignedInWithAnOrderAsync()
    {
        _me.CopyFrom(await OrderingKit.NewCustomerAsync(_db));
        var p = await OrderingKit.StockedAsync(_db, 10, price: 15m);
        return await OrderingKit.OrderAsync(_db, _me, p.Id, 2);
    }

    private Task<Result> StaffAsync(Func<OrderService, Task<Result>> act) =>
        OrderingKit.As(_db, Inventory.InventoryKit.Budtender, sp => act(sp.GetRequiredService<OrderService>()));

    [Fact]
    public async Task The_order_page_follows_the_status_live_and_offers_cancel_only_until_the_order_is_packed()
    {
        var order = await SignedInWithAnOrderAsync();
        Context.Render<MudPopoverProvider>();
        var nav = Context.Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
        nav.NavigateTo($"/orders/{order.OrderId}?placed=1"); // where checkout sends the customer
        var cut = Context.Render<CustomerOrderPage>(ps => ps.Add(x => x.Id, order.OrderId));
        cut.WaitForAssertion(() => Assert.Equal("Placed", cut.Find("[data-testid=order-status]").TextContent.Trim()));
        Assert.Contains($"Thank you, order {order.Number} is placed", cut.Find("[data-testid=order-placed]").TextContent);
        Assert.Contains("government-issued photo ID", cut.Find("[data-testid=bring-id]").TextContent);
        Assert.Equal("$33.90", cut.Find("[data-testid=total-total]").TextContent);
        Assert.Single(cut.FindAll("[data-testid=cancel-order]"));
        Assert.Equal(OrderingKit.Store, _shop.Store?.Id); // the order's store: its chat button is on the page

        // A budtender confirms in another session: the page changes without a reload.
        Assert.True((await StaffAsync(s => s.ConfirmAsync(order.OrderId))).Succeeded);
        cut.WaitForAssertion(() => Assert.Equal("Confirmed", cut.Find("[data-testid=order-status]").TextContent.Trim()));
        Assert.True(cut.Find("[data-testid=timeline-step][data-status=Placed]").ClassList.Contains("done"));
        Assert.True(cut.Find("[data-testid=timeline-step][data-status=Confirmed]").ClassList.Contains("current"));
        Assert.Single(cut.FindAll("[data-testid=cancel-order]"));

        Assert.True((await StaffAsync(s => s.PackAsync(order.OrderId))).Succeeded);
        cut.WaitForAssertion(() => Assert.Equal("Packed", cut.Find("[data-testid=order-status]").TextContent.Trim()));
        Assert.Empty(cut.FindAll("[data-testid=cancel-order]"));
        Assert.Single(cut.FindAll("[data-testid=reorder]"));
    }

    [Fact]
    public async Task Another_customers_order_is_not_shown_and_my_list_has_only_mine()
    {
        var theirs = await SignedInWithAnOrderAsync();
        var mine = await SignedInWithAnOrderAsync(); // now signed in as a second customer
        var page = Context.Render<CustomerOrderPage>(ps => ps.Add(x => x.Id, theirs.OrderId));
        page.WaitForAssertion(() => Assert.Contains("could not find that order", page.Find("[data-testid=order-error]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=order-lines]"));
        Assert.Null(_shop.Store); // nothing of someone else's order, not even its store

        var list = Context.Render<CustomerOrdersPage>();
        list.WaitForAssertion(() => Assert.Equal([mine.Number], list.FindAll("[data-testid=order-number]").Select(e => e.TextContent.Trim())));
        Assert.Equal($"/orders/{mine.OrderId}", list.Find("[data-testid=order-row]").GetAttribute("href"));
        Assert.Equal(OrderingKit.Store, _shop.Store?.Id); // no store chosen: that of the newest order
    }

    [Fact]
    public async Task The_wishlist_shows_live_availability_and_the_heart_toggles_a_product()
    {
        _me.CopyFrom(await OrderingKit.NewCustomerAsync(_db));
        var p = await OrderingKit.StockedAsync(_db, 3, price: 40m);
        var heart = Context.Render<WishlistButton>(ps => ps.Add(x => x.StoreId, OrderingKit.Store).Add(x => x.ProductId, p.Id).Add(x => x.ProductName, p.Name));
        heart.WaitForAssertion(() => Assert.Equal("false", heart.Find("[data-testid=wishlist-button]").GetAttribute("data-saved")));
        await heart.InvokeAsync(() => heart.Find("[data-testid=wishlist-button]").Click());
        heart.WaitForAssertion(() => Assert.Equal("true", heart.Find("[data-testid=wishlist-button]").GetAttribute("data-saved")));

        var page = Context.Render<WishlistPage>(ps => ps.Add(x => x.Slug, "northern-lights-queen-west"));
        page.WaitForAssertion(() => Assert.Equal("Only 3 left", page.Find("[data-testid=wishlist-stock]").TextContent.Trim()));
        Assert.Equal("$40.00", page.Find("[data-testid=wishlist-price]").TextContent);
        Assert.Equal("northern-lights-queen-west", _shop.Store?.Slug);

        // Someone else buys the last units: the wishlist says so without a reload.
        await OrderingKit.As(_db, Inventory.InventoryKit.Manager, sp => sp.GetRequiredService<Core.Inventory.StockLedger>().SellAsync(OrderingKit.Store, p.Id, 3, "counter-sale"));
        page.WaitForAssertion(() => Assert.Equal("Sold out", page.Find("[data-testid=wishlist-stock]").TextContent.Trim()));
        Assert.True(page.Find("[data-testid=wishlist-move]").HasAttribute("disabled"));
        await page.InvokeAsync(() => page.Find("[data-testid=wishlist-remove]").Click());
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=wishlist-empty]")));
    }

    [Fact]
    public async Task A_visitor_is_asked_to_sign_in_by_the_heart_and_a_new_customer_sees_empty_states()
    {
        var p = await OrderingKit.StockedAsync(_db, 3);
        _me.CopyFrom(TestUser.Anonymous(DemoWorld.NorthernLights));
        var snackbars = Context.Render<MudSnackbarProvider>();
        var heart = Context.Render<WishlistButton>(ps => ps.Add(x => x.StoreId, OrderingKit.Store).Add(x => x.ProductId, p.Id));
        await heart.InvokeAsync(() => heart.Find("[data-testid=wishlist-button]").Click());
        snackbars.WaitForAssertion(() => Assert.Contains("Sign in to keep a wishlist.", snackbars.Markup));
        Assert.Equal("false", heart.Find("[data-testid=wishlist-button]").GetAttribute("data-saved"));

        _me.CopyFrom(await OrderingKit.NewCustomerAsync(_db));
        var wishlist = Context.Render<WishlistPage>(); // /wishlist with no store chosen yet
        wishlist.WaitForAssertion(() => Assert.Contains("Choose a store", wishlist.Find("[data-testid=wishlist-no-store]").TextContent));
        var orders = Context.Render<CustomerOrdersPage>();
        orders.WaitForAssertion(() => Assert.Single(orders.FindAll("[data-testid=orders-empty]")));
        Assert.Null(_shop.Store); // no store chosen and no orders: no chat button to show
    }
}
