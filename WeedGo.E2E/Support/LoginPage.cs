using Microsoft.Playwright;
using WeedGo.Core.Data.DemoData;

namespace WeedGo.E2E.Support;

/// <summary>/Account/Login: a static server-rendered form, so no circuit to wait for; every submit is a full page load.</summary>
public sealed class LoginPage(IPage page)
{
    public const string Path = "/Account/Login";

    public ILocator Email => page.Locator("#Input\\.Email");

    public ILocator Password => page.Locator("#Input\\.Password");

    public ILocator Submit => page.GetByTestId("login-submit");

    /// <summary>The alert that says why signing in failed.</summary>
    public ILocator StatusMessage => page.GetByTestId("status-message");

    /// <summary>The heading of /Account/Lockout.</summary>
    public ILocator LockedOut => page.GetByTestId("locked-out");

    public async Task GotoAsync(string? returnUrl = null) =>
        await page.GotoAsync(returnUrl is null ? Path : $"{Path}?ReturnUrl={Uri.EscapeDataString(returnUrl)}");

    /// <summary>Fills the form on the current page and posts it; returns once the answer (or its redirect) has loaded.</summary>
    public async Task SubmitAsync(string email, string password)
    {
        await Email.FillAsync(email);
        await Password.FillAsync(password);
        await page.RunAndWaitForLoadAsync(() => Submit.ClickAsync());
    }

    /// <summary>Opens the sign-in page and signs in (with the demo password unless told otherwise).</summary>
    public async Task SignInAsync(string email, string password = DemoDataSeeder.DemoPassword, string? returnUrl = null)
    {
        await GotoAsync(returnUrl);
        await SubmitAsync(email, password);
    }
}
