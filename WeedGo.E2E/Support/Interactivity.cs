using Microsoft.Playwright;

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

    /// <summary>The path (with query) the page is on, e.g. <c>/Account/Login?ReturnUrl=%2Fadmin</c>.</summary>
    public static string PathAndQuery(this IPage page) => new Uri(page.Url).PathAndQuery;
}
