using Microsoft.Playwright;

namespace WeedGo.E2E.Support;

/// <summary>/admin/catalogue/import: choose a file → preview (new / changed / unchanged / invalid) → import → report.</summary>
public sealed class CatalogueImportScreen(IPage page)
{
    public const string Path = "/admin/catalogue/import";

    public ILocator PreviewSummary => page.GetByTestId("preview-summary");

    public ILocator PreviewNew => page.GetByTestId("preview-new");

    public ILocator PreviewInvalid => page.GetByTestId("preview-invalid");

    public ILocator PreviewTable => page.GetByTestId("preview-table");

    /// <summary>The invalid-rows table (in the preview, and again under the report).</summary>
    public ILocator InvalidRows => page.GetByTestId("invalid-rows");

    public ILocator ImportButton => page.GetByTestId("catalogue-import-button");

    public ILocator Report => page.GetByTestId("catalogue-report");

    public ILocator Error => page.GetByTestId("catalogue-error");

    public async Task GotoAsync()
    {
        await page.GotoAsync(Path);
        await page.WaitForInteractiveAsync();
    }

    /// <summary>Hands the file to the upload and waits for the preview.</summary>
    public async Task ChooseAsync(string fileName, byte[] content)
    {
        await page.UploadAsync("catalogue-upload", Forms.Csv(fileName, content));
        await PreviewSummary.WaitForAsync();
    }

    /// <summary>Imports the previewed file and waits for the report.</summary>
    public async Task ImportAsync()
    {
        await ImportButton.ClickAsync();
        await Report.WaitForAsync();
    }

    /// <summary>The whole journey for a file that should import cleanly.</summary>
    public async Task ImportAsync(string fileName, byte[] content)
    {
        await GotoAsync();
        await ChooseAsync(fileName, content);
        await ImportAsync();
    }
}
