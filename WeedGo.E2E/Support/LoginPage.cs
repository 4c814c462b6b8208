using Microsoft.Playwright;
using WeedGo.Core.Data.DemoData;
using WeedGo.Tests.Support;

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

    /// <summary>The code field of /Account/LoginWith2fa (accounts with two-factor authentication on).</summary>
    public ILocator TwoFactorCode => page.GetByTestId("two-factor-code");

    public const string TwoFactorPath = "/Account/LoginWith2fa";

    /// <summary>
    /// Fills the form on the current page and posts it; returns once the answer (or its redirect) has loaded. When the account
    /// has two-factor authentication on (every demo admin), the code step follows: the code is computed from
    /// <paramref name="authenticatorKey"/> (the demo admins' key unless told otherwise; null stops at the code step).
    /// </summary>
    public async Task SubmitAsync(string email, string password, string? authenticatorKey = DemoDataSeeder.DemoAuthenticatorKey)
    {
        await Email.FillAsync(email);
        await Password.FillAsync(password);
        await page.RunAndWaitForLoadAsync(() => Submit.ClickAsync());
        if (authenticatorKey is not null && new Uri(page.Url).AbsolutePath == TwoFactorPath)
        {
            await EnterTwoFactorCodeAsync(Totp.Code(authenticatorKey));
        }
    }

    /// <summary>On the code step: types <paramref name="code"/> and posts it.</summary>
    public async Task EnterTwoFactorCodeAsync(string code)
    {
        await TwoFactorCode.FillAsync(code);
        await page.RunAndWaitForLoadAsync(() => page.GetByTestId("two-factor-submit").ClickAsync());
    }

    /// <summary>Opens the sign-in page and signs in (with the demo password, and for 2FA accounts the demo key's code, unless told otherwise).</summary>
    public async Task SignInAsync(string email, string password = DemoDataSeeder.DemoPassword, string? returnUrl = null,
        string? authenticatorKey = DemoDataSeeder.DemoAuthenticatorKey)
    {
        await GotoAsync(returnUrl);
        await SubmitAsync(email, password, authenticatorKey);
    }
}
