using Microsoft.Playwright;
using WeedGo.E2E.Support;

namespace WeedGo.E2E;

/// <summary>
/// Saves screenshots of the main layouts for people to review (in <c>screenshots/</c>) and checks what a screenshot alone
/// would not prove: the self-hosted Roboto really loaded and MudBlazor's stylesheet applied.
/// </summary>
public sealed class LayoutScreenshotTests(AppHost app, BrowserFixture browser) : E2ETest(app, browser)
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    [Fact]
    public async Task The_shop_home_renders_with_roboto_and_mudblazor_styles_on_desktop_and_phone()
    {
        await Shop.GotoAsync();
        await AssertStyledAsync(Page);
        Assert.True(await Shop.StoreCards.CountAsync() > 0);
        await Screenshots.SaveAsync(Page, "shop-home-desktop");

        var phone = await NewPageAsync(Phone);
        var phoneShop = new ShopPage(phone);
        await phoneShop.GotoAsync();
        await AssertStyledAsync(phone);
        await AssertNoHorizontalScrollAsync(phone);
        await Screenshots.SaveAsync(phone, "shop-home-phone");
    }

    [Fact]
    public async Task The_sign_in_page_renders_with_roboto()
    {
        await Login.GotoAsync();
        await Assertions.Expect(Login.Submit).ToBeVisibleAsync();
        await AssertRobotoLoadedAsync(Page);
        Assert.NotEqual("rgba(0, 0, 0, 0)", await BackgroundOfAsync(Page.Locator(".account-bar")));
        await Screenshots.SaveAsync(Page, "login");
    }

    [Fact]
    public async Task The_admin_dashboard_and_stores_page_render_for_a_tenant_admin()
    {
        await Login.SignInAsync("admin@northernlights.demo");
        await Admin.GotoAsync("/admin");
        await Assertions.Expect(Admin.Greeting).ToBeVisibleAsync();
        await AssertStyledAsync(Page);
        await Screenshots.SaveAsync(Page, "admin-dashboard");

        var stores = await Admin.StoreNamesAsync();
        Assert.Equal(3, stores.Count);
        await AssertStyledAsync(Page);
        await Screenshots.SaveAsync(Page, "admin-stores");
    }

    private static async Task AssertStyledAsync(IPage page)
    {
        await AssertRobotoLoadedAsync(page);
        var appBar = page.Locator(".mud-appbar").First;
        var background = await BackgroundOfAsync(appBar);
        Assert.NotEqual("rgba(0, 0, 0, 0)", background);
        Assert.NotEqual("transparent", background);
        // MudBlazor's stylesheet fixes the app bar to the top of the window.
        Assert.Equal("fixed", await appBar.EvaluateAsync<string>("e => getComputedStyle(e).position"));
    }

    private static async Task AssertRobotoLoadedAsync(IPage page)
    {
        // fonts.check() is also true when no @font-face matches at all, so require a loaded Roboto face as well.
        var fonts = await page.EvaluateAsync<FontState>("""
            async () => {
                await document.fonts.ready;
                const faces = [...document.fonts].filter(f => f.family.replace(/["']/g, '') === 'Roboto');
                return {
                    check: document.fonts.check('16px Roboto'),
                    loaded: faces.filter(f => f.status === 'loaded').length,
                    bodyFont: getComputedStyle(document.body).fontFamily,
                };
            }
            """);
        Assert.True(fonts.Check, "document.fonts.check('16px Roboto') is false");
        Assert.True(fonts.Loaded > 0, "no Roboto font face has loaded");
        Assert.StartsWith("Roboto", fonts.BodyFont.Trim('"', '\''));
    }

    private static async Task AssertNoHorizontalScrollAsync(IPage page)
    {
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"the page is {overflow}px wider than the phone screen");
    }

    private static Task<string> BackgroundOfAsync(ILocator element) =>
        element.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");

    private sealed class FontState
    {
        public bool Check { get; set; }

        public int Loaded { get; set; }

        public string BodyFont { get; set; } = "";
    }
}
