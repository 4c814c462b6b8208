using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WeedGo.Core.Accounts;
using WeedGo.Core.Chat;
using WeedGo.Core.Common;
using WeedGo.Core.Data;
using WeedGo.Core.Data.DemoData;
using WeedGo.E2E.Support;

namespace WeedGo.E2E;

/// <summary>The AI assistant's staff pages (store settings, personalities with a live preview, usage and budgets) and the
/// customer's page of what the assistant remembers, in a real browser.</summary>
public sealed class AssistantAdminTests(AppHost app, BrowserFixture browser) : E2ETest(app, browser)
{
    private const string Manager = "manager@northernlights.demo";
    private static readonly Guid Yorkville = DemoDataSeeder.IdFor("northern-lights-yorkville");

    [Fact]
    public async Task A_manager_sets_up_the_assistant_previews_a_personality_and_reads_usage_with_budget_alerts()
    {
        await SeedUsageAsync();
        await Login.SignInAsync(Manager);
        await Admin.GotoAsync("/admin/assistant");
        await Page.WaitForInteractiveAsync();
        await Assertions.Expect(Page.GetByTestId("settings-form")).ToBeVisibleAsync();

        // Choosing a model provider shows its fields (looked at, not saved: demo stores keep the built-in assistant).
        await Page.GetByTestId("store-select").ClickAsync();
        await Page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "Yorkville" }).ClickAsync();
        await Assertions.Expect(Page.GetByTestId("settings-summary")).ToContainTextAsync("Yorkville");
        await Page.GetByTestId("field-provider").GetByText("OpenAI-compatible").ClickAsync();
        await Page.FieldInput("field-model").FillAsync("gpt-4o-mini");
        await Page.FieldInput("field-key-name").FillAsync("openai-main");
        await Screenshots.SaveAsync(Page, "assistant-store-settings");
        await Page.GetByTestId("field-provider").GetByText("Built-in (offline, free)").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("field-model")).ToHaveCountAsync(0);
        await Page.FieldInput("field-keywords").FillAsync("complaint, refund, manager");
        await Page.GetByTestId("settings-save").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("settings-saved")).ToBeVisibleAsync();
        await using (var db = Db())
        {
            var saved = await db.StoreAiSettings.SingleAsync(s => s.StoreId == Yorkville);
            Assert.Equal(AssistantProvider.BuiltIn, saved.Provider);
            Assert.Equal(["complaint", "refund", "manager"], saved.HandOffKeywords);
        }

        // Personalities: a built-in one is read-only; its preview answers for real at Queen West.
        await Page.GetByRole(AriaRole.Tab, new() { Name = "Personalities" }).ClickAsync();
        await Page.WaitForURLAsync("**/admin/assistant/personalities");
        await Page.GetByTestId("personality-row").Filter(new() { HasText = "Sage" }).ClickAsync();
        await Assertions.Expect(Page.GetByTestId("editor-title")).ToHaveTextAsync("Sage");
        await Assertions.Expect(Page.GetByTestId("builtin-note")).ToBeVisibleAsync();
        await Page.FieldInput("preview-message").FillAsync("Show me some sativa pre-rolls under $20");
        await Page.GetByTestId("preview-run").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("preview-reply")).ToContainTextAsync("in stock at Queen West");
        await Assertions.Expect(Page.GetByTestId("preview-product").First).ToBeVisibleAsync();
        await Screenshots.SaveAsync(Page, "assistant-personalities");

        // A new one is saved and listed.
        var name = "Olive " + Guid.NewGuid().ToString("N")[..5];
        await Page.GetByTestId("personality-new").ClickAsync();
        await Page.FieldInput("field-name").FillAsync(name);
        await Page.GetByTestId("personality-save").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("personalities-message")).ToContainTextAsync("Saved.");
        await Assertions.Expect(Page.GetByTestId("personality-row").Filter(new() { HasText = name })).ToBeVisibleAsync();

        // Usage: totals, the per-day table, and alerts for the stores past 80 % and 100 % of their budget.
        await Page.GetByRole(AriaRole.Tab, new() { Name = "Usage & budget" }).ClickAsync();
        await Page.WaitForURLAsync("**/admin/assistant/usage");
        await Assertions.Expect(Page.GetByTestId("usage-table")).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByTestId("budget-alert")).ToHaveCountAsync(2);
        await Assertions.Expect(Page.GetByTestId("budget-alert").Filter(new() { HasText = "Yorkville" })).ToContainTextAsync("104");
        await Assertions.Expect(Page.GetByTestId("budget-alert").Filter(new() { HasText = "Queen West" })).ToContainTextAsync("86");
        await Assertions.Expect(Page.GetByTestId("usage-hit-rate")).Not.ToHaveTextAsync("0%");
        await Screenshots.SaveAsync(Page, "assistant-usage");
    }

    [Fact]
    public async Task A_customer_sees_and_deletes_what_the_assistant_remembers()
    {
        var text = "I prefer indica, nothing too strong " + Guid.NewGuid().ToString("N")[..4];
        await using (var scope = App.As(CoreCalls.Customer, Roles.Customer))
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<CustomerMemoryService>().RememberAsync(text, CoreCalls.QueenWest)).Succeeded);
        }
        await Login.SignInAsync(CoreCalls.Customer);
        await Page.GotoAsync("/assistant-memory");
        await Page.WaitForInteractiveAsync();
        var item = Page.GetByTestId("memory-item").Filter(new() { HasText = text });
        await Assertions.Expect(item).ToBeVisibleAsync();
        await Assertions.Expect(item).ToContainTextAsync("told at Queen West");
        await Screenshots.SaveAsync(Page, "assistant-memory");
        await item.GetByTestId("memory-delete").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("memory-message")).ToContainTextAsync("Forgotten");
        await Assertions.Expect(Page.GetByTestId("memory-item").Filter(new() { HasText = text })).ToHaveCountAsync(0);
    }

    private WeedGoDbContext Db()
    {
        var db = App.Services.GetRequiredService<PooledDbContextFactory<WeedGoDbContext>>().CreateDbContext();
        db.UseTenant(FixedTenantContext.For(CoreCalls.NorthernLights));
        return db;
    }

    /// <summary>Replies of the last days: Queen West at 86 % of its $50 budget, Yorkville past it, some from the cache.</summary>
    private async Task SeedUsageAsync()
    {
        await using var db = Db();
        if (await db.AiUsage.AnyAsync(u => u.Model == "gpt-4o-mini"))
        {
            return;
        }
        var now = DateTimeOffset.UtcNow;
        var rows = new List<AiUsage>();
        void Add(Guid store, decimal cost, int input, int output, bool cached, int minutesAgo) => rows.Add(new AiUsage
        {
            TenantId = CoreCalls.NorthernLights, StoreId = store, Provider = "openai", Model = "gpt-4o-mini", Cost = cost, InputTokens = input,
            OutputTokens = output, Cached = cached, LatencyMs = cached ? 3 : 900, CreatedAt = now.AddMinutes(-minutesAgo),
        });
        Add(CoreCalls.QueenWest, 43.00m, 2_000_000, 400_000, false, 5);
        Add(CoreCalls.QueenWest, 0m, 0, 0, true, 4);
        Add(Yorkville, 52.00m, 2_500_000, 500_000, false, 3);
        Add(Yorkville, 0m, 0, 0, true, 2);
        db.AiUsage.AddRange(rows);
        await db.SaveChangesAsync();
        // The stamping interceptor sets created_at on insert; put the rows back in this month's last minutes.
        foreach (var r in rows)
        {
            await db.AiUsage.Where(u => u.Id == r.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.CreatedAt, r.CreatedAt));
        }
    }
}
