using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Accounts;
using WeedGo.Core.Chat;
using WeedGo.Core.Common;
using WeedGo.Tests.Support;

namespace WeedGo.Tests.Chat;

/// <summary>Demo data and the staff services behind the AI assistant pages: who may change what, validation, usage figures.</summary>
public sealed class AssistantAdminServiceTests(AssistantFixture db) : IClassFixture<AssistantFixture>
{
    private static TestUser Manager => TestUser.Staff(DemoWorld.User("manager@northernlights.demo"), DemoWorld.NorthernLights, Roles.StoreManager,
        DemoWorld.QueenWest, DemoWorld.Yorkville);

    private static TestUser Budtender => TestUser.Staff(DemoWorld.User("budtender@northernlights.demo"), DemoWorld.NorthernLights, Roles.Budtender, DemoWorld.QueenWest);

    private static TestUser Admin => TestUser.Staff(DemoWorld.User("admin@northernlights.demo"), DemoWorld.NorthernLights, Roles.TenantAdmin);

    private async Task<T> As<T>(TestUser who, Func<IServiceProvider, Task<T>> act)
    {
        await using var scope = db.As(who);
        return await act(scope.ServiceProvider);
    }

    [Fact]
    public async Task Every_demo_store_starts_on_the_built_in_assistant_with_the_built_in_personalities()
    {
        await using var ctx = db.Context();
        var settings = await ctx.StoreAiSettings.ToListAsync();
        Assert.Equal(5, settings.Count);
        Assert.All(settings, s => Assert.True(s.Enabled && s.Provider == AssistantProvider.BuiltIn && s.PersonalityId is not null && s.ApiKeyName is null));
        foreach (var tenant in new[] { DemoWorld.NorthernLights, DemoWorld.MapleLeaf })
        {
            var keys = await ctx.AiPersonalities.Where(p => p.TenantId == tenant && p.BuiltIn).Select(p => p.BuiltInKey).OrderBy(k => k).ToListAsync();
            Assert.Equal([BuiltInPersonalities.BudKey, BuiltInPersonalities.ChloeKey, BuiltInPersonalities.SageKey], keys);
        }
    }

    [Fact]
    public async Task Store_settings_are_changed_only_by_managers_of_that_store_and_tenant_admins_and_are_validated()
    {
        var form = (await As(Manager, sp => sp.GetRequiredService<AssistantSettingsService>().GetAsync(DemoWorld.QueenWest))).Value.Settings;
        Assert.Equal(ErrorKind.Forbidden, (await As(Budtender, sp => sp.GetRequiredService<AssistantSettingsService>().SaveAsync(DemoWorld.QueenWest, form))).Error!.Kind);
        Assert.Equal(ErrorKind.Forbidden, (await As(Manager, sp => sp.GetRequiredService<AssistantSettingsService>().SaveAsync(DemoWorld.SquareOne, form))).Error!.Kind);

        var pasted = form with { Provider = AssistantProvider.OpenAI, ApiKeyName = "sk-proj abc/def", Temperature = 3m };
        var refused = await As(Manager, sp => sp.GetRequiredService<AssistantSettingsService>().SaveAsync(DemoWorld.QueenWest, pasted));
        Assert.Contains("Temperature", refused.Error!.Message);
        Assert.Contains("never paste the key", refused.Error.Message);

        var good = form with { Provider = AssistantProvider.OpenAI, ApiKeyName = AssistantFixture.KeyName, Model = "fake-model", MonthlyBudget = 25m, HandOffKeywords = [" refund ", "refund", "manager"] };
        Assert.True((await As(Admin, sp => sp.GetRequiredService<AssistantSettingsService>().SaveAsync(DemoWorld.SquareOne, good))).Succeeded);
        var view = (await As(Admin, sp => sp.GetRequiredService<AssistantSettingsService>().GetAsync(DemoWorld.SquareOne))).Value;
        Assert.True(view.KeyConfigured);
        Assert.Equal(["refund", "manager"], view.Settings.HandOffKeywords);
        Assert.Equal([AssistantFixture.KeyName], view.ConfiguredKeyNames);
        await As(Admin, sp => sp.GetRequiredService<AssistantSettingsService>().SaveAsync(DemoWorld.SquareOne, form));
    }

    [Fact]
    public async Task Built_in_personalities_are_read_only_custom_ones_are_managed_and_one_in_use_is_not_deleted()
    {
        var rows = (await As(Manager, sp => sp.GetRequiredService<PersonalityService>().ListAsync())).Value;
        var bud = rows.Single(r => r.Name == "Bud");
        Assert.Contains("Queen West", bud.UsedBy);
        Assert.Equal(ErrorKind.Validation, (await As(Manager, sp => sp.GetRequiredService<PersonalityService>().UpdateAsync(bud.Id, bud.Form))).Error!.Kind);
        Assert.Equal(ErrorKind.Validation, (await As(Manager, sp => sp.GetRequiredService<PersonalityService>().DeleteAsync(bud.Id))).Error!.Kind);

        var copy = (await As(Manager, sp => sp.GetRequiredService<PersonalityService>().DuplicateAsync(bud.Id))).Value;
        var renamed = bud.Form with { Name = "Buddy", Tone = PersonalityTones.Playful };
        Assert.True((await As(Manager, sp => sp.GetRequiredService<PersonalityService>().UpdateAsync(copy, renamed))).Succeeded);
        Assert.Equal(ErrorKind.Conflict, (await As(Manager, sp => sp.GetRequiredService<PersonalityService>().CreateAsync(renamed))).Error!.Kind);
        Assert.Equal(ErrorKind.Forbidden, (await As(Budtender, sp => sp.GetRequiredService<PersonalityService>().CreateAsync(renamed with { Name = "X" }))).Error!.Kind);

        var form = (await As(Manager, sp => sp.GetRequiredService<AssistantSettingsService>().GetAsync(DemoWorld.Yorkville))).Value.Settings;
        Assert.True((await As(Manager, sp => sp.GetRequiredService<AssistantSettingsService>().SaveAsync(DemoWorld.Yorkville, form with { PersonalityId = copy }))).Succeeded);
        var inUse = await As(Manager, sp => sp.GetRequiredService<PersonalityService>().DeleteAsync(copy));
        Assert.Contains("Yorkville", inUse.Error!.Message);
        await As(Manager, sp => sp.GetRequiredService<AssistantSettingsService>().SaveAsync(DemoWorld.Yorkville, form));
        Assert.True((await As(Manager, sp => sp.GetRequiredService<PersonalityService>().DeleteAsync(copy))).Succeeded);

        await using var scope = db.As(AssistantKit.Guest());
        var profile = await scope.ServiceProvider.GetRequiredService<IAssistant>().ProfileAsync(DemoWorld.Yorkville);
        Assert.Equal("Sage", profile.PersonalityName);
    }

    [Fact]
    public async Task Usage_shows_a_managers_own_stores_with_cost_cache_hits_and_budget_levels()
    {
        await using (var ctx = db.Context())
        {
            ctx.AiUsage.AddRange(
                new AiUsage { TenantId = DemoWorld.NorthernLights, StoreId = DemoWorld.QueenWest, Provider = "openai", Model = "m1", InputTokens = 1000, OutputTokens = 100, Cost = 41m },
                new AiUsage { TenantId = DemoWorld.NorthernLights, StoreId = DemoWorld.QueenWest, Provider = "openai", Model = "m1", Cached = true },
                new AiUsage { TenantId = DemoWorld.NorthernLights, StoreId = DemoWorld.SquareOne, Provider = "openai", Model = "m1", Cost = 60m });
            await ctx.SaveChangesAsync();
        }
        var report = (await As(Manager, sp => sp.GetRequiredService<AssistantUsageQueries>().ReportAsync(7))).Value;
        Assert.DoesNotContain(report.Days, d => d.StoreId == DemoWorld.SquareOne);
        Assert.DoesNotContain(report.Budgets, b => b.StoreId == DemoWorld.SquareOne);
        var day = report.Days.Single(d => d.StoreId == DemoWorld.QueenWest && d.Model == "m1");
        Assert.Equal((2, 1, 1000L, 100L, 41m), (day.Replies, day.CachedReplies, day.InputTokens, day.OutputTokens, day.Cost));
        Assert.Equal("warning", report.Budgets.Single(b => b.StoreId == DemoWorld.QueenWest).Level);
        var all = (await As(Admin, sp => sp.GetRequiredService<AssistantUsageQueries>().ReportAsync(7))).Value;
        Assert.Equal("exceeded", all.Budgets.Single(b => b.StoreId == DemoWorld.SquareOne).Level);
        Assert.Equal(ErrorKind.Forbidden, (await As(Budtender, sp => sp.GetRequiredService<AssistantUsageQueries>().ReportAsync(7))).Error!.Kind);
    }
}
