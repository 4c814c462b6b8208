using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WeedGo.Core.Accounts;
using WeedGo.Core.RateLimiting;
using WeedGo.E2E.Support;

namespace WeedGo.E2E;

/// <summary>The app with rate limits on, as deployed (the shared journey host turns them off).</summary>
public sealed class RateLimitedAppHost : AppHost
{
    protected override void Configure(IWebHostBuilder builder) => builder.UseSetting("WeedGo:RateLimits:Enabled", "true");
}

[CollectionDefinition(Name)]
public sealed class RateLimitedAppCollection : ICollectionFixture<RateLimitedAppHost>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "WeedGo app with rate limits";
}

[Collection(RateLimitedAppCollection.Name)]
public sealed class RateLimitTests(RateLimitedAppHost app, BrowserFixture browser) : E2ETest(app, browser)
{
    private const string RuleName = "Menu searches, tight (test)";

    [Fact]
    public async Task A_tenant_admin_tightens_search_a_shopper_is_told_to_wait_and_the_violation_shows_on_the_admin_page()
    {
        // The Northern Lights admin adds a rule for their tenant on the admin page: 2 searches an hour per person.
        await Login.SignInAsync("admin@northernlights.demo");
        await Page.GotoAsync("/admin/rate-limits");
        await Page.WaitForInteractiveAsync();
        await Assertions.Expect(Page.GetByTestId("rule-list")).ToContainTextAsync("API requests per person");
        await Page.GetByTestId("new-rule").ClickAsync();
        await Page.FieldInput("rule-name-input").FillAsync(RuleName);
        await ChooseAsync(Page, "rule-operation", "search");
        await Page.FieldInput("rule-tokens").FillAsync("2");
        await Page.FieldInput("rule-period").FillAsync("3600");
        await Page.FieldInput("rule-capacity").FillAsync("2");
        await Page.FieldInput("rule-burst").FillAsync("0");
        await Page.FieldInput("rule-burst").BlurAsync();
        await Assertions.Expect(Page.GetByTestId("rule-summary")).ToContainTextAsync("2 per hour");
        await Screenshots.SaveAsync(Page, "rate-limits-rule-dialog");
        await Page.GetByTestId("rule-save").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("rate-limits-message")).ToContainTextAsync("is saved and in effect");
        var row = Page.GetByTestId("rule-list").Locator("tr").Filter(new() { HasText = RuleName });
        await Assertions.Expect(row).ToContainTextAsync("Northern Lights");
        await Assertions.Expect(row).ToContainTextAsync("2 per hour");

        try
        {
            // A guest searches the menu: the third search (counted per address for guests) is refused with a sentence.
            var shopper = await NewPageAsync(new ViewportSize { Width = 1280, Height = 800 });
            await shopper.GotoAsync($"/s/{CoreCalls.QueenWestSlug}");
            await shopper.WaitForInteractiveAsync();
            await shopper.PassAgeGateAsync();
            var refused = shopper.GetByTestId("rate-limited");
            foreach (var words in new[] { "blue", "dream", "kush", "haze" })
            {
                await shopper.GotoAsync($"/s/{CoreCalls.QueenWestSlug}?q={words}");
                await shopper.WaitForInteractiveAsync();
                await Assertions.Expect(shopper.GetByTestId("result-count").Or(refused).First).ToBeVisibleAsync();
                if (await refused.CountAsync() > 0)
                {
                    break;
                }
            }
            await Assertions.Expect(refused).ToContainTextAsync(new Regex(@"You are searching faster than we can keep up\. Please wait \d+ minutes and search again\."));
            await Assertions.Expect(shopper.GetByTestId("product-card")).ToHaveCountAsync(0);
            await Screenshots.SaveAsync(shopper, "rate-limit-search-refused");

            // The refusal reaches the admin page's recent violations (written in the background within a few seconds).
            var violation = Page.GetByTestId("violation-list").Locator("tr").Filter(new() { HasText = RuleName });
            for (var attempt = 0; attempt < 15 && await violation.CountAsync() == 0; attempt++)
            {
                await Task.Delay(1000);
                await Page.ReloadAsync();
                await Page.WaitForInteractiveAsync();
                await Assertions.Expect(Page.GetByTestId("rule-list")).ToBeVisibleAsync();
            }
            await Assertions.Expect(violation).ToContainTextAsync("search");
            await Assertions.Expect(violation).ToContainTextAsync("127.0.0.1");
            await Screenshots.SaveAsync(Page, "rate-limits-admin");
        }
        finally
        {
            await using var scope = App.As("admin@northernlights.demo", Roles.TenantAdmin);
            var service = scope.ServiceProvider.GetRequiredService<RateLimitService>();
            foreach (var rule in (await service.RulesAsync()).Value.Where(r => r.Name == RuleName))
            {
                await service.SetEnabledAsync(rule.Id, false);
            }
        }
    }

    private static async Task ChooseAsync(IPage page, string testId, string item)
    {
        await page.Locator(".mud-input-control.mud-select").Filter(new() { Has = page.GetByTestId(testId) }).ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasTextRegex = new Regex($"^\\s*{Regex.Escape(item)}\\s*$") }).ClickAsync();
    }
}
