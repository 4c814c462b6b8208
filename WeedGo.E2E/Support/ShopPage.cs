using Microsoft.Playwright;

namespace WeedGo.E2E.Support;

/// <summary>The storefront: the store chooser on <c>/</c> and the shop app bar.</summary>
public sealed class ShopPage(IPage page)
{
    public ILocator StoreList => page.GetByTestId("store-list");

    public ILocator StoreCards => page.GetByTestId("store-card");

    /// <summary>The app bar's sign-in button, shown to anonymous visitors only.</summary>
    public ILocator SignInButton => page.GetByTestId("sign-in");

    public UserMenu UserMenu => new(page);

    public ILocator AppBar => page.Locator(".mud-appbar").First;

    public async Task GotoAsync()
    {
        await page.GotoAsync("/");
        await page.WaitForInteractiveAsync();
        await StoreList.WaitForAsync();
    }
}
