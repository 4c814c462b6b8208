using Microsoft.EntityFrameworkCore;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Data;

namespace WeedGo.Core.Chat;

/// <summary>The store AI settings form: what staff edit (keys are named, never entered here).</summary>
public sealed record StoreAiSettingsForm(
    bool Enabled, Guid? PersonalityId, AssistantProvider Provider, string? BaseUrl, string? Model, string? ApiKeyName, decimal Temperature,
    int MaxTokens, decimal? MonthlyBudget, int? HandOffAfterUnanswered, IReadOnlyList<string> HandOffKeywords, bool HandOffWhenBudgetExhausted)
{
    public static StoreAiSettingsForm From(StoreAiSettings s) => new(s.Enabled, s.PersonalityId, s.Provider, s.BaseUrl, s.Model, s.ApiKeyName, s.Temperature,
        s.MaxTokens, s.MonthlyBudget, s.HandOffAfterUnanswered, s.HandOffKeywords, s.HandOffWhenBudgetExhausted);
}

/// <summary>A store's settings as the form shows them, with what the form needs around them.</summary>
public sealed record StoreAiSettingsView(Guid StoreId, string StoreName, bool Saved, StoreAiSettingsForm Settings, bool KeyConfigured,
    IReadOnlyList<string> ConfiguredKeyNames, decimal SpentThisMonth);

/// <summary>
/// Store AI settings: read for the assistant (defaults when a store has none) and edited by the store's managers and tenant
/// admins (<see cref="Policies.StoreManagement"/>; a store manager only for stores they work at).
/// </summary>
public sealed class AssistantSettingsService(
    IDbContextFactory<WeedGoDbContext> contexts, ICurrentUser user, Microsoft.Extensions.Options.IOptionsMonitor<AssistantOptions> options,
    TimeProvider clock)
{
    /// <summary>The store's settings (or the defaults) and its personality (or the tenant's first built-in, or the Bud template).</summary>
    internal static async Task<(StoreAiSettings Settings, AiPersonality Personality)> ResolveAsync(WeedGoDbContext db, Guid storeId, CancellationToken ct)
    {
        var settings = await db.StoreAiSettings.AsNoTracking().FirstOrDefaultAsync(s => s.StoreId == storeId, ct) ?? new StoreAiSettings { StoreId = storeId };
        AiPersonality? personality = null;
        if (settings.PersonalityId is { } id)
        {
            personality = await db.AiPersonalities.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        }
        personality ??= await db.AiPersonalities.AsNoTracking().Where(p => p.BuiltIn).OrderBy(p => p.BuiltInKey != BuiltInPersonalities.BudKey).ThenBy(p => p.Name)
            .FirstOrDefaultAsync(ct);
        if (personality is null)
        {
            var t = BuiltInPersonalities.Templates[0];
            var tenantId = await db.Stores.Where(s => s.Id == storeId).Select(s => s.TenantId).FirstOrDefaultAsync(ct);
            personality = new AiPersonality
            {
                Id = BuiltInPersonalities.IdFor(tenantId, t.BuiltInKey!), TenantId = tenantId, BuiltIn = true, BuiltInKey = t.BuiltInKey, Name = t.Name,
                Avatar = t.Avatar, Tone = t.Tone, Greeting = t.Greeting, SystemPrompt = t.SystemPrompt, Language = t.Language, QuickReplies = t.QuickReplies,
            };
        }
        return (settings, personality);
    }

    public async Task<Result<StoreAiSettingsView>> GetAsync(Guid storeId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await CheckStoreAsync(db, user, storeId, ct) is { } denied)
        {
            return denied;
        }
        var store = await db.Stores.AsNoTracking().Where(s => s.Id == storeId).Select(s => new { s.Name, s.TimeZoneId }).FirstAsync(ct);
        var row = await db.StoreAiSettings.AsNoTracking().FirstOrDefaultAsync(s => s.StoreId == storeId, ct);
        var settings = row ?? new StoreAiSettings { StoreId = storeId };
        var since = AssistantService.MonthStart(store.TimeZoneId, clock.GetUtcNow());
        var spent = await db.AiUsage.Where(u => u.StoreId == storeId && u.CreatedAt >= since).SumAsync(u => u.Cost, ct);
        var keys = options.CurrentValue.Keys.Where(k => !string.IsNullOrWhiteSpace(k.Value)).Select(k => k.Key).OrderBy(k => k).ToList();
        return new StoreAiSettingsView(storeId, store.Name, row is not null, StoreAiSettingsForm.From(settings),
            settings.ApiKeyName is { } name && keys.Contains(name, StringComparer.OrdinalIgnoreCase), keys, spent);
    }

    public static IReadOnlyList<string> Validate(StoreAiSettingsForm f)
    {
        var errors = new List<string>();
        if (f.Temperature is < 0 or > 2)
        {
            errors.Add("Temperature must be between 0 and 2.");
        }
        if (f.MaxTokens is < 50 or > 8000)
        {
            errors.Add("Max tokens must be between 50 and 8,000.");
        }
        if (f.MonthlyBudget is < 0)
        {
            errors.Add("The monthly budget cannot be negative.");
        }
        if (f.HandOffAfterUnanswered is < 1 or > 20)
        {
            errors.Add("Hand off after 1 to 20 unhelpful answers (or leave it empty for never).");
        }
        if (f.BaseUrl is { Length: > 0 } url && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            errors.Add("The base URL must be an http(s) address, e.g. https://api.openai.com/v1.");
        }
        if (f.Provider == AssistantProvider.OpenAI && string.IsNullOrWhiteSpace(f.ApiKeyName))
        {
            errors.Add("An OpenAI-compatible provider needs the name of an API key from configuration (WeedGo:Assistant:Keys:<name>).");
        }
        if (f.ApiKeyName is { Length: > 0 } key && (key.Length > 100 || key.Any(c => !(char.IsLetterOrDigit(c) || c is '-' or '_' or '.'))))
        {
            errors.Add("A key name has only letters, digits, '-', '_' and '.' (it names a configuration entry; never paste the key itself).");
        }
        if (f.Model is { Length: > 100 })
        {
            errors.Add("The model name is too long.");
        }
        if (f.HandOffKeywords.Count > 30 || f.HandOffKeywords.Any(k => k.Length > 60))
        {
            errors.Add("At most 30 hand-off keywords of up to 60 characters each.");
        }
        return errors;
    }

    public async Task<Result> SaveAsync(Guid storeId, StoreAiSettingsForm form, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await CheckStoreAsync(db, user, storeId, ct) is { } denied)
        {
            return denied;
        }
        if (Validate(form) is { Count: > 0 } errors)
        {
            return Error.Validation(string.Join(" ", errors));
        }
        if (form.PersonalityId is { } pid && !await db.AiPersonalities.AnyAsync(p => p.Id == pid, ct))
        {
            return Error.NotFound("That personality");
        }
        var row = await db.StoreAiSettings.FirstOrDefaultAsync(s => s.StoreId == storeId, ct);
        if (row is null)
        {
            row = new StoreAiSettings { StoreId = storeId, TenantId = await db.Stores.Where(s => s.Id == storeId).Select(s => s.TenantId).FirstAsync(ct) };
            db.StoreAiSettings.Add(row);
        }
        row.Enabled = form.Enabled;
        row.PersonalityId = form.PersonalityId;
        row.Provider = form.Provider;
        row.BaseUrl = Blank(form.BaseUrl);
        row.Model = Blank(form.Model);
        row.ApiKeyName = Blank(form.ApiKeyName);
        row.Temperature = Math.Round(form.Temperature, 2);
        row.MaxTokens = form.MaxTokens;
        row.MonthlyBudget = form.MonthlyBudget is { } b ? Math.Round(b, 2) : null;
        row.HandOffAfterUnanswered = form.HandOffAfterUnanswered;
        row.HandOffKeywords = form.HandOffKeywords.Select(k => k.Trim()).Where(k => k.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        row.HandOffWhenBudgetExhausted = form.HandOffWhenBudgetExhausted;
        await db.SaveChangesAsync(ct);
        return Result.Ok();
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    /// <summary>StoreManagement, and the store is one the person manages (tenant admins: any store of their tenant).</summary>
    internal static async Task<Error?> CheckStoreAsync(WeedGoDbContext db, ICurrentUser user, Guid storeId, CancellationToken ct)
    {
        if (user.Demand(Policies.StoreManagement) is { } denied)
        {
            return denied;
        }
        var name = await db.Stores.AsNoTracking().Where(s => s.Id == storeId).Select(s => s.Name).FirstOrDefaultAsync(ct);
        if (name is null)
        {
            return Error.NotFound("That store");
        }
        return user.SeesAllStores() || user.StoreIds.Contains(storeId) ? null : Error.Forbidden($"You do not manage {name}.");
    }
}
