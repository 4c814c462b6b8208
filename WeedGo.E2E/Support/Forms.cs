using Microsoft.Playwright;

namespace WeedGo.E2E.Support;

public static class Forms
{
    /// <summary>
    /// The native input (or textarea) of a MudBlazor field with <c>data-testid</c>: MudBlazor puts the attribute on the input
    /// itself for text fields, on the wrapper for others.
    /// </summary>
    public static ILocator FieldInput(this ILocator scope, string testId) =>
        scope.Locator($"input[data-testid='{testId}'], textarea[data-testid='{testId}'], [data-testid='{testId}'] input:not([type=hidden]), [data-testid='{testId}'] textarea");

    public static ILocator FieldInput(this IPage page, string testId) => page.Locator("body").FieldInput(testId);

    /// <summary>The <c>&lt;input type=file&gt;</c> a MudFileUpload (<c>data-testid</c>) renders.</summary>
    public static ILocator FileInput(this IPage page, string uploadTestId) => page.Locator(FileInputSelector(uploadTestId)).Last;

    /// <summary>
    /// Hands files to a MudFileUpload as if chosen in the file picker. Blazor's InputFile listens for <c>change</c> only once its
    /// JS <c>init</c> has run after the first render (it then sets <c>_blazorInputFileNextFileId</c> on the element); a file set
    /// before that is silently lost, so wait for it first.
    /// </summary>
    public static async Task UploadAsync(this IPage page, string uploadTestId, params FilePayload[] files)
    {
        var selector = FileInputSelector(uploadTestId);
        await page.WaitForFunctionAsync(
            "s => { const all = document.querySelectorAll(s); const e = all[all.length - 1]; return !!e && '_blazorInputFileNextFileId' in e; }",
            selector);
        // MudFileUpload keeps the inputs of earlier choices (hidden) and adds a fresh one after each: the last is live.
        await page.Locator(selector).Last.SetInputFilesAsync(files);
    }

    private static string FileInputSelector(string uploadTestId) =>
        $"input[type=file][data-testid='{uploadTestId}'], [data-testid='{uploadTestId}'] input[type=file]";

    public static FilePayload Csv(string name, byte[] content) => new() { Name = name, MimeType = "text/csv", Buffer = content };
}
