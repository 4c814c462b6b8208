using Microsoft.Playwright;

namespace WeedGo.E2E.Support;

/// <summary>The account menu at the right of both app bars (<c>data-testid="user-menu"</c>): My account, Sign out, ...</summary>
public sealed class UserMenu(IPage page)
{
    public ILocator Root => page.GetByTestId("user-menu");

    /// <summary>The account button people click (it shows their name on wider screens).</summary>
    public ILocator Button => Root.Locator(".mud-menu-activator button").First;

    public ILocator SignOutButton => page.GetByTestId("sign-out");

    /// <summary>Clicks the account button, as a mouse or touch user would, and waits for the menu to show Sign out.</summary>
    public async Task OpenAsync()
    {
        await page.WaitForInteractiveAsync();
        await Button.ClickAsync();
        try
        {
            await SignOutButton.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 5_000 });
        }
        catch (TimeoutException e)
        {
            throw new InvalidOperationException(
                "Clicking the account button in the app bar did not open the user menu (no Sign out item appeared within 5 s). " +
                "MudBlazor 9's MudMenu attaches no click handler to ActivatorContent: UserMenu.razor's activator button must call " +
                "the MenuContext's ToggleAsync.", e);
        }
    }

    /// <summary>Opens the menu and clicks Sign out; returns once the page it redirects to has loaded.</summary>
    public async Task SignOutAsync()
    {
        await OpenAsync();
        await page.RunAndWaitForLoadAsync(() => SignOutButton.ClickAsync());
    }
}
