using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WeedGo.Core.Accounts;
using WeedGo.Core.Ordering;
using WeedGo.E2E.Support;
using static WeedGo.E2E.Support.CoreCalls;

namespace WeedGo.E2E;

/// <summary>The customer's orders and wishlist: an order placed through the Core services, followed in the browser.</summary>
public sealed class CustomerOrderTests(AppHost app, BrowserFixture browser) : E2ETest(app, browser)
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private static readonly LocatorAssertionsToHaveTextOptions Live = new() { Timeout = Timeout };

    [Fact]
    public async Task A_customer_opens_an_order_from_the_list_sees_the_store_confirm_it_live_and_cancels_it()
    {
        var product = (await App.InStockAsync(units: 3, take: 1))[0];
        var before = await App.FiguresAsync(product.Id);
        var order = await App.PlaceDemoOrderAsync(product.Id);
        Assert.Equal((before.OnHand, before.Reserved + 1), await App.FiguresAsync(product.Id));

        await Login.SignInAsync(Customer);
        await Shop.UserMenu.OpenAsync();
        await Page.GetByTestId("menu-orders").ClickAsync();
        await Page.WaitForURLAsync("**/orders");
        await Page.WaitForInteractiveAsync();
        var row = Page.GetByTestId("order-row").Filter(new() { HasText = order.Number });
        await Assertions.Expect(row.GetByTestId("order-status")).ToHaveTextAsync("Placed");
        await Screenshots.SaveAsync(Page, "my-orders-desktop");

        await row.ClickAsync();
        await Page.WaitForURLAsync($"**/orders/{order.OrderId}");
        await Page.WaitForInteractiveAsync();
        await Assertions.Expect(Page.Locator("h1")).ToHaveTextAsync($"Order {order.Number}");
        await Assertions.Expect(Page.GetByTestId("order-lines")).ToContainTextAsync(product.Name);
        await Assertions.Expect(Page.GetByTestId("test-mode")).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByTestId("order-status")).ToHaveTextAsync("Placed");

        // The budtender confirms it at the store: the open page changes without a reload.
        await using (var staff = App.As(Budtender, Roles.Budtender, QueenWest))
        {
            var confirmed = await staff.ServiceProvider.GetRequiredService<OrderService>().ConfirmAsync(order.OrderId);
            Assert.True(confirmed.Succeeded, confirmed.Error?.Message);
        }
        await Assertions.Expect(Page.GetByTestId("order-status")).ToHaveTextAsync("Confirmed", Live);
        await Assertions.Expect(Page.Locator("[data-testid=timeline-step][data-status=Confirmed]")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("current"));
        await Screenshots.SaveAsync(Page, "my-order-detail-desktop");

        await Page.GetByTestId("cancel-order").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("cancel-confirm")).ToBeVisibleAsync();
        await Page.GetByTestId("cancel-confirm").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("order-message")).ToContainTextAsync($"Order {order.Number} is cancelled");
        await Assertions.Expect(Page.GetByTestId("order-message")).ToContainTextAsync("refunded to your card");
        await Assertions.Expect(Page.GetByTestId("order-status")).ToHaveTextAsync("Cancelled");
        await Assertions.Expect(Page.GetByTestId("cancel-order")).ToHaveCountAsync(0);
        await Assertions.Expect(Page.GetByTestId("payment-status")).ToHaveTextAsync("Refunded");
        Assert.Equal(before, await App.FiguresAsync(product.Id)); // the hold went back on the shelf
        await Screenshots.SaveAsync(Page, "my-order-cancelled-desktop");

        // Order again puts it back in the cart and links to the store's cart page.
        await Page.GetByTestId("reorder").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("order-message")).ToContainTextAsync("Added 1 product from this order to your cart.");
        await Assertions.Expect(Page.GetByTestId("cart-link")).ToHaveAttributeAsync("href", $"/s/{QueenWestSlug}/cart");
        await App.ClearDemoCartAsync();
    }

    [Fact]
    public async Task The_confirmation_orders_and_wishlist_fit_a_phone_and_a_desktop()
    {
        var products = await App.InStockAsync(units: 3, take: 3);
        var order = await App.PlaceDemoOrderAsync(products[1].Id, quantity: 2);
        await using (var me = App.As(Customer, Roles.Customer))
        {
            var wishlist = me.ServiceProvider.GetRequiredService<WishlistService>();
            foreach (var p in new[] { products[0], products[2] })
            {
                if (!(await wishlist.ProductIdsAsync(QueenWest)).Contains(p.Id))
                {
                    Assert.True((await wishlist.ToggleAsync(QueenWest, p.Id)).Value);
                }
            }
        }

        await Login.SignInAsync(Customer, returnUrl: $"/orders/{order.OrderId}?placed=1");
        await Page.WaitForInteractiveAsync();
        await Assertions.Expect(Page.GetByTestId("order-placed")).ToContainTextAsync($"Thank you, order {order.Number} is placed");
        await Assertions.Expect(Page.GetByTestId("bring-id")).ToContainTextAsync("government-issued photo ID");
        await Screenshots.SaveAsync(Page, "my-order-placed-desktop");
        await Page.GotoAsync($"/s/{QueenWestSlug}/wishlist");
        await Page.WaitForInteractiveAsync();
        foreach (var p in new[] { products[0], products[2] })
        {
            await Assertions.Expect(Page.Locator($"[data-testid=wishlist-item][data-sku='{p.Sku}']")).ToBeVisibleAsync();
        }
        await Screenshots.SaveAsync(Page, "my-wishlist-desktop");

        var phone = await NewPageAsync(Phone);
        await new LoginPage(phone).SignInAsync(Customer, returnUrl: $"/orders/{order.OrderId}?placed=1");
        await phone.WaitForInteractiveAsync();
        await Assertions.Expect(phone.GetByTestId("order-placed")).ToBeVisibleAsync();
        await Assertions.Expect(phone.GetByTestId("chat-launcher")).ToBeVisibleAsync(); // a question about this order: its store's chat
        await AssertFitsAsync(phone);
        await Screenshots.SaveAsync(phone, "my-order-placed-phone");
        foreach (var (path, name, ready) in new[] { ("/orders", "my-orders-phone", "order-row"), ($"/s/{QueenWestSlug}/wishlist", "my-wishlist-phone", "wishlist-item") })
        {
            await phone.GotoAsync(path);
            await phone.WaitForInteractiveAsync();
            await phone.GetByTestId(ready).First.WaitForAsync();
            // Opened directly (a new circuit), the page still knows the customer's store: its chat button is there.
            await Assertions.Expect(phone.GetByTestId("chat-launcher")).ToBeVisibleAsync();
            await AssertFitsAsync(phone);
            await Screenshots.SaveAsync(phone, name);
        }

        // Move to cart from the wishlist: the service's answer is shown and the product leaves the list.
        var moved = phone.Locator($"[data-testid=wishlist-item][data-sku='{products[0].Sku}']");
        await moved.GetByTestId("wishlist-move").ClickAsync();
        await Assertions.Expect(phone.GetByTestId("wishlist-message")).ToContainTextAsync($"{products[0].Name} is in your cart");
        await Assertions.Expect(moved).ToHaveCountAsync(0);
        await App.ClearDemoCartAsync();
    }

    private static async Task AssertFitsAsync(IPage page)
    {
        var sizes = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        var (scroll, client) = (sizes[0], sizes[1]);
        Assert.True(scroll <= client, $"{page.Url} scrolls sideways on a phone: {scroll}px of content in {client}px.");
    }
}
