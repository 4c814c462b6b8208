using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WeedGo.E2E.Support;
using WeedGo.Web.Storefront;

namespace WeedGo.E2E;

/// <summary>
/// Two guests get the same menu page from the storefront page cache: both pages come alive (the shared prerender starts each
/// visitor's own circuit), and each guest's cart stays their own.
/// </summary>
public sealed class StorePageCacheTests(AppHost app, BrowserFixture browser) : E2ETest(app, browser)
{
    private const string Menu = "/s/northern-lights-queen-west?cat=Edibles&sort=pricehigh";

    [Fact]
    public async Task Two_guests_served_one_cached_menu_each_shop_with_their_own_cart()
    {
        var cache = App.Services.GetRequiredService<StorePageCache>();
        var first = Page;
        var second = await NewPageAsync(new ViewportSize { Width = 1280, Height = 800 });
        foreach (var page in new[] { first, second })
        {
            await page.Context.AddCookiesAsync([new Cookie { Name = "weedgo.age", Value = "19", Url = App.BaseUrl }]);
        }

        await first.GotoAsync(Menu);
        await first.WaitForInteractiveAsync();
        var hits = cache.Hits;
        await second.GotoAsync(Menu);
        await second.WaitForInteractiveAsync();
        Assert.True(cache.Hits > hits, "The second guest's menu was rendered again instead of served from the page cache.");

        await first.GetByTestId("add-to-cart").First.ClickAsync();
        await Assertions.Expect(first.GetByTestId("cart-count")).ToContainTextAsync("1");
        await second.GetByTestId("add-to-cart").Nth(1).ClickAsync();
        await second.GetByTestId("add-to-cart").Nth(1).ClickAsync();
        await Assertions.Expect(second.GetByTestId("cart-count")).ToContainTextAsync("2");

        // Reloaded (from the cache again), each page shows its own guest's cart, never the other's.
        await first.ReloadAsync();
        await first.WaitForInteractiveAsync();
        await Assertions.Expect(first.GetByTestId("cart-count")).ToContainTextAsync("1");
        await second.ReloadAsync();
        await second.WaitForInteractiveAsync();
        await Assertions.Expect(second.GetByTestId("cart-count")).ToContainTextAsync("2");
        await Screenshots.SaveAsync(second, "cached-menu-second-guest");
    }
}
