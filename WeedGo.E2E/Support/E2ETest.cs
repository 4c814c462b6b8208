using Microsoft.Playwright;

namespace WeedGo.E2E.Support;

/// <summary>Base of every journey class: a fresh browser context (no cookies) and page per test.</summary>
[Collection(AppCollection.Name)]
public abstract class E2ETest(AppHost app, BrowserFixture browser) : IAsyncLifetime
{
    /// <summary>Long enough for a cold first render on a busy 2-core machine, short enough to fail fast.</summary>
    protected const float Timeout = 15_000;

    protected AppHost App { get; } = app;

    protected IBrowserContext Context { get; private set; } = default!;

    protected IPage Page { get; private set; } = default!;

    private readonly List<IBrowserContext> _extraContexts = [];

    /// <summary>The browser window size; override for phone-sized journeys.</summary>
    protected virtual ViewportSize Viewport => new() { Width = 1280, Height = 800 };

    public virtual async Task InitializeAsync()
    {
        Context = await NewContextAsync(Viewport);
        Page = await Context.NewPageAsync();
    }

    public virtual async Task DisposeAsync()
    {
        foreach (var context in _extraContexts)
        {
            await context.CloseAsync();
        }
        await Context.CloseAsync();
    }

    /// <summary>A page in another context (e.g. another viewport or person), closed with the test's own context.</summary>
    protected async Task<IPage> NewPageAsync(ViewportSize viewport)
    {
        var context = await NewContextAsync(viewport);
        _extraContexts.Add(context);
        return await context.NewPageAsync();
    }

    private async Task<IBrowserContext> NewContextAsync(ViewportSize viewport)
    {
        var context = await browser.Browser.NewContextAsync(new()
        {
            BaseURL = App.BaseUrl,
            ViewportSize = viewport,
            Locale = "en-CA",
            TimezoneId = "America/Toronto",
        });
        context.SetDefaultTimeout(Timeout);
        context.SetDefaultNavigationTimeout(Timeout);
        return context;
    }

    protected LoginPage Login => new(Page);

    protected AdminShell Admin => new(Page);

    protected ShopPage Shop => new(Page);
}
