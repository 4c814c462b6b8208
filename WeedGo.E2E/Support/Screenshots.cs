using Microsoft.Playwright;

namespace WeedGo.E2E.Support;

/// <summary>Writes PNGs to <c>&lt;repo&gt;/screenshots/&lt;name&gt;.png</c> (git-ignored) for people to look at.</summary>
public static class Screenshots
{
    private static readonly Lazy<string> Folder = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WeedGo.sln")))
            {
                return Directory.CreateDirectory(Path.Combine(dir.FullName, "screenshots")).FullName;
            }
        }
        throw new InvalidOperationException($"No WeedGo.sln above {AppContext.BaseDirectory}: cannot tell where screenshots go.");
    });

    public static string FolderPath => Folder.Value;

    /// <summary>Waits for web fonts, then saves the whole page with animations frozen; returns the file's path.</summary>
    public static async Task<string> SaveAsync(IPage page, string name)
    {
        await page.EvaluateAsync("() => document.fonts.ready.then(() => true)");
        var path = Path.Combine(Folder.Value, name + ".png");
        await page.ScreenshotAsync(new()
        {
            Path = path,
            FullPage = true,
            Animations = ScreenshotAnimations.Disabled,
            Caret = ScreenshotCaret.Hide,
        });
        return path;
    }
}
