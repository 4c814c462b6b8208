using Microsoft.Playwright;
using WeedGo.Web.Components.Shop;

namespace WeedGo.E2E.Support;

public static class Interactivity
{
    /// <summary>
    /// Waits until the Blazor circuit has connected and rendered (the layouts set <c>body[data-interactive=true]</c> in
    /// their first <c>OnAfterRenderAsync</c>); a click before that is lost.
    /// </summary>
    public static Task WaitForInteractiveAsync(this IPage page) =>
        page.Locator("body[data-interactive='true']").WaitForAsync(new() { State = WaitForSelectorState.Attached });

    /// <summary>
    /// Runs an action that loads a new document (a form post, which may answer on the same URL) and returns once that
    /// document has fired <c>load</c>.
    /// </summary>
    public static async Task RunAndWaitForLoadAsync(this IPage page, Func<Task> action, float timeoutMs = 15_000)
    {
        var loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLoad(object? sender, IPage p) => loaded.TrySetResult();
        page.Load += OnLoad;
        try
        {
            await action();
            await loaded.Task.WaitAsync(TimeSpan.FromMilliseconds(timeoutMs));
        }
        finally
        {
            page.Load -= OnLoad;
        }
    }

    /// <summary>
    /// Answers the storefront's age gate "yes" and returns once the browser holds the session cookie that remembers it. The
    /// menu shows at once, but the cookie is written by a JS call after that render; a navigation before it lands would meet
    /// the gate again.
    /// </summary>
    public static async Task PassAgeGateAsync(this IPage page)
    {
        await page.GetByTestId("age-yes").ClickAsync();
        await Assertions.Expect(page.GetByTestId("age-gate")).ToHaveCountAsync(0);
        for (var attempt = 0; attempt < 50; attempt++)
        {
            if ((await page.Context.CookiesAsync([page.Url])).Any(c => c.Name == ShopCookies.Age))
            {
                return;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("The age gate was answered, but the browser never received the weedgo.age cookie.");
    }

    /// <summary>The path (with query) the page is on, e.g. <c>/Account/Login?ReturnUrl=%2Fadmin</c>.</summary>
    public static string PathAndQuery(this IPage page) => new Uri(page.Url).PathAndQuery;
}
