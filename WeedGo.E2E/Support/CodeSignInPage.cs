using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace WeedGo.E2E.Support;

/// <summary>
/// Sign-in with a one-time code (/Account/LoginWithCode → /Account/LoginWithCode/Enter), the profile's verification page, and
/// the development outbox where the codes arrive. Static server-rendered forms: every submit is a full page load.
/// </summary>
public sealed partial class CodeSignInPage(IPage page)
{
    public const string Path = "/Account/LoginWithCode";

    public ILocator Email => page.Locator("#Input\\.Email");

    public ILocator Code => page.Locator("#Input\\.Code");

    public ILocator StatusMessage => page.GetByTestId("status-message");

    public ILocator SentTo => page.GetByTestId("code-sent-to");

    /// <summary>On /Account/LoginWithCode: types the email and asks for a code by email (or text); lands on the code page.</summary>
    public async Task RequestAsync(string email, bool byText = false)
    {
        // Reached by a link, the page may still be the previous one (which has an email field too) until enhanced navigation
        // swaps it in: wait for a button only this page has.
        var button = page.GetByTestId(byText ? "code-by-sms" : "code-by-email");
        await button.WaitForAsync();
        await Email.FillAsync(email);
        await page.RunAndWaitForLoadAsync(() => button.ClickAsync());
    }

    /// <summary>Types a code and submits (sign-in or verification page alike).</summary>
    public async Task EnterAsync(string code)
    {
        await Code.FillAsync(code);
        await page.RunAndWaitForLoadAsync(() => page.GetByTestId("code-submit").ClickAsync());
    }

    /// <summary>
    /// Reads the newest code sent to <paramref name="address"/> from /dev/outbox, in a second tab of the same browser (as a
    /// person would open their mail), optionally saving a screenshot of the outbox.
    /// </summary>
    public async Task<string> ReadCodeFromOutboxAsync(string address, string? screenshot = null)
    {
        var mail = await page.Context.NewPageAsync();
        try
        {
            await mail.GotoAsync($"/dev/outbox?to={Uri.EscapeDataString(address)}");
            var body = await mail.GetByTestId("outbox-body").First.InnerTextAsync();
            if (screenshot is not null)
            {
                await Screenshots.SaveAsync(mail, screenshot);
            }
            return SixDigits().Match(body) is { Success: true } match
                ? match.Groups[1].Value
                : throw new InvalidOperationException($"No 6-digit code in the newest message to {address}: {body}");
        }
        finally
        {
            await mail.CloseAsync();
        }
    }

    /// <summary>A code that is certainly not <paramref name="code"/>.</summary>
    public static string Not(string code) => ((int.Parse(code) + 1) % 1_000_000).ToString("D6");

    [GeneratedRegex(@"\b(\d{6})\b")]
    private static partial Regex SixDigits();
}
