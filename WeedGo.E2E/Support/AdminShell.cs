using Microsoft.Playwright;

namespace WeedGo.E2E.Support;

/// <summary>The staff layout: app bar, the drawer (<c>data-testid="admin-nav"</c>) and the pages behind it.</summary>
public sealed class AdminShell(IPage page)
{
    public ILocator Nav => page.GetByTestId("admin-nav");

    /// <summary>The drawer links, one per area (<c>nav-admin</c>, <c>nav-orders</c>, ...).</summary>
    public ILocator NavItems => Nav.Locator("[data-testid^='nav-']");

    public ILocator Greeting => page.GetByTestId("greeting");

    public ILocator StoresTable => page.GetByTestId("stores-table");

    public UserMenu UserMenu => new(page);

    /// <summary>The drawer's test ids, in order.</summary>
    public async Task<IReadOnlyList<string>> NavTestIdsAsync()
    {
        // The circuit renders the drawer again once it knows the user; read it when it has at least one item.
        await NavItems.First.WaitForAsync();
        return await NavItems.EvaluateAllAsync<string[]>("els => els.map(e => e.getAttribute('data-testid'))");
    }

    public async Task GotoAsync(string path = "/admin")
    {
        await page.GotoAsync(path);
        await page.WaitForInteractiveAsync();
    }

    /// <summary>Opens /admin/stores and returns the store names once the table has loaded in the circuit.</summary>
    public async Task<IReadOnlyList<string>> StoreNamesAsync()
    {
        await GotoAsync("/admin/stores");
        var names = StoresTable.Locator("tbody td[data-label='Store']");
        await names.First.WaitForAsync();
        return await names.AllInnerTextsAsync();
    }
}
