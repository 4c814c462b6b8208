using Microsoft.EntityFrameworkCore;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Data;

namespace WeedGo.Core.RateLimiting;

/// <summary>A rule as the admin page lists it. <paramref name="CanEdit"/>: the viewer may change it.</summary>
public sealed record RateLimitRuleView(
    Guid Id, Guid? TenantId, string? TenantName, string Name, RateLimitScope Scope, RateLimitTargetKind TargetKind, string Target,
    int Capacity, int TokensPerPeriod, int PeriodSeconds, int Burst, int Priority, bool Enabled, int Version, DateTimeOffset UpdatedAt,
    bool CanEdit);

/// <summary>What the admin form sends. <paramref name="TenantId"/> null: platform-wide (platform admins only).</summary>
public sealed record RateLimitRuleInput(
    string Name, Guid? TenantId, RateLimitScope Scope, RateLimitTargetKind TargetKind, string Target, int Capacity,
    int TokensPerPeriod, int PeriodSeconds, int Burst, int Priority, bool Enabled = true);

public sealed record RateLimitViolationView(
    Guid Id, DateTimeOffset OccurredAt, DateTimeOffset LastAt, int Refusals, Guid? TenantId, string? TenantName, string RuleName,
    RateLimitTargetKind TargetKind, string Target, string Key, Guid? UserId, string? UserEmail, string? Ip);

public static class RateLimitErrors
{
    /// <summary>The refusal as a Result error (HTTP 429 at the API edge), with the limiter's friendly sentence.</summary>
    public static Error From(RateDecision decision) =>
        new("rate_limited", decision.Message ?? "Too many attempts. Please wait a moment and try again.", ErrorKind.TooManyRequests);
}

/// <summary>
/// The rules and violations for the admin page (<c>/admin/rate-limits</c>). Platform admins see and change every rule
/// (platform-wide and every tenant's) and every violation; tenant admins see the platform rules (read only), change their own
/// tenant's rules, and see their tenant's violations. Changes are audited (the save interceptor records each rule's old and
/// new values) and take effect at once on this instance and within <see cref="RateLimitOptions.RuleRefresh"/> on others.
/// </summary>
public sealed class RateLimitService(
    IDbContextFactory<WeedGoDbContext> contexts, ICurrentUser user, ITenantContext tenant, RateLimitRuleCache cache)
{
    public const int MaxNumber = 1_000_000;
    public const int MaxPeriodSeconds = 86_400;

    /// <summary>The operations a rule can name (the ones services ask about).</summary>
    public static IReadOnlyList<string> Operations { get; } =
        [RateOperations.SignIn, RateOperations.OneTimeCode, RateOperations.Checkout, RateOperations.Search, RateOperations.Chat, RateOperations.AiModel];

    private bool Platform => user.IsInRole(Roles.PlatformAdmin);

    public async Task<Result<IReadOnlyList<RateLimitRuleView>>> RulesAsync(CancellationToken ct = default)
    {
        if (user.Demand(Policies.TenantAdministration) is { } denied)
        {
            return denied;
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.RateLimitRules.AsNoTracking();
        if (!Platform)
        {
            var own = tenant.TenantId;
            query = query.Where(r => r.TenantId == null || r.TenantId == own);
        }
        var rules = await query.OrderBy(r => r.TenantId != null).ThenBy(r => r.TargetKind).ThenBy(r => r.Target)
            .ThenByDescending(r => r.Priority).ThenBy(r => r.Name).ToListAsync(ct);
        var names = await TenantNamesAsync(db, rules.Select(r => r.TenantId), ct);
        return rules.Select(r => new RateLimitRuleView(
            r.Id, r.TenantId, r.TenantId is { } t ? names.GetValueOrDefault(t) : null, r.Name, r.Scope, r.TargetKind, r.Target, r.Capacity,
            r.TokensPerPeriod, r.PeriodSeconds, r.Burst, r.Priority, r.Enabled, r.Version, r.UpdatedAt, CanEdit(r.TenantId))).ToList();
    }

    /// <summary>Tenants a new rule may be for: every tenant for platform admins, their own for tenant admins.</summary>
    public async Task<Result<IReadOnlyList<(Guid Id, string Name)>>> TenantsAsync(CancellationToken ct = default)
    {
        if (user.Demand(Policies.TenantAdministration) is { } denied)
        {
            return denied;
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var own = tenant.TenantId;
        var all = Platform;
        var rows = await db.Tenants.IgnoreQueryFilters().AsNoTracking().Where(t => all || t.Id == own)
            .OrderBy(t => t.Name).Select(t => new { t.Id, t.Name }).ToListAsync(ct);
        return rows.Select(t => (t.Id, t.Name)).ToList();
    }

    /// <summary>The newest violations the viewer may see (at most <paramref name="take"/>).</summary>
    public async Task<Result<IReadOnlyList<RateLimitViolationView>>> ViolationsAsync(int take = 50, CancellationToken ct = default)
    {
        if (user.Demand(Policies.TenantAdministration) is { } denied)
        {
            return denied;
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.RateLimitViolations.AsNoTracking();
        if (!Platform)
        {
            var own = tenant.TenantId;
            query = query.Where(v => v.TenantId == own);
        }
        var rows = await query.OrderByDescending(v => v.LastAt).ThenByDescending(v => v.Id).Take(Math.Clamp(take, 1, 500)).ToListAsync(ct);
        var names = await TenantNamesAsync(db, rows.Select(r => r.TenantId), ct);
        var userIds = rows.Where(r => r.UserId is not null).Select(r => r.UserId!.Value).Distinct().ToList();
        var emails = await db.Users.IgnoreQueryFilters().AsNoTracking().Where(u => userIds.Contains(u.Id))
            .Select(u => new { u.Id, u.Email }).ToDictionaryAsync(u => u.Id, u => u.Email, ct);
        return rows.Select(v => new RateLimitViolationView(
            v.Id, v.OccurredAt, v.LastAt, v.Refusals, v.TenantId, v.TenantId is { } t ? names.GetValueOrDefault(t) : null, v.RuleName,
            v.TargetKind, v.Target, v.Key, v.UserId, v.UserId is { } u ? emails.GetValueOrDefault(u) : null, v.Ip)).ToList();
    }

    public async Task<Result<RateLimitRuleView>> CreateAsync(RateLimitRuleInput input, CancellationToken ct = default)
    {
        if (Authorize(input.TenantId) is { } denied)
        {
            return denied;
        }
        if (Validate(input) is { } invalid)
        {
            return invalid;
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (input.TenantId is { } t && !await db.Tenants.IgnoreQueryFilters().AnyAsync(x => x.Id == t, ct))
        {
            return Error.NotFound("The tenant");
        }
        var rule = new RateLimitRule { TenantId = input.TenantId };
        Apply(rule, input);
        db.RateLimitRules.Add(rule);
        await db.SaveChangesAsync(ct);
        await cache.InvalidateAsync(ct);
        return await ViewAsync(db, rule, ct);
    }

    /// <summary>Changes a rule. <paramref name="version"/> is the one the form loaded: an edit made meanwhile by someone else
    /// is not overwritten. A bucket's size change is applied to the stored buckets at once (raising a limit from 2 to 10 gives
    /// every bucket 8 more tokens now; lowering it cuts them down).</summary>
    public async Task<Result<RateLimitRuleView>> UpdateAsync(Guid id, RateLimitRuleInput input, int version, CancellationToken ct = default)
    {
        if (user.Demand(Policies.TenantAdministration) is { } notAdmin)
        {
            return notAdmin;
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var found = await FindEditableAsync(db, id, ct);
        if (!found.Succeeded)
        {
            return found.Error!;
        }
        var rule = found.Value;
        if (input.TenantId != rule.TenantId)
        {
            return Error.Validation("A rule cannot move to another tenant; create a new rule instead.");
        }
        if (Validate(input) is { } invalid)
        {
            return invalid;
        }
        if (rule.Version != version)
        {
            return Error.Conflict("Someone else changed this rule after you opened it. Reload and make your change again.");
        }
        var oldSize = rule.Size;
        Apply(rule, input);
        return await SaveAsync(db, rule, oldSize, ct);
    }

    /// <summary>The rule, tracked, when the person may see it (else "not found") and change it.</summary>
    private async Task<Result<RateLimitRule>> FindEditableAsync(WeedGoDbContext db, Guid id, CancellationToken ct)
    {
        var rule = await db.RateLimitRules.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (rule is null || !Visible(rule.TenantId))
        {
            return Error.NotFound("The rule");
        }
        return Authorize(rule.TenantId) is { } denied ? denied : rule;
    }

    public async Task<Result<RateLimitRuleView>> SetEnabledAsync(Guid id, bool enabled, CancellationToken ct = default)
    {
        if (user.Demand(Policies.TenantAdministration) is { } notAdmin)
        {
            return notAdmin;
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var found = await FindEditableAsync(db, id, ct);
        if (!found.Succeeded)
        {
            return found.Error!;
        }
        var rule = found.Value;
        if (rule.Enabled == enabled)
        {
            return await ViewAsync(db, rule, ct);
        }
        rule.Enabled = enabled;
        rule.Version++;
        return await SaveAsync(db, rule, rule.Size, ct);
    }

    private async Task<Result<RateLimitRuleView>> SaveAsync(WeedGoDbContext db, RateLimitRule rule, int oldSize, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Error.Conflict("Someone else changed this rule just now. Reload and make your change again.");
        }
        var delta = rule.Size - oldSize;
        if (delta != 0)
        {
            var size = rule.Size;
            var ruleId = rule.Id;
            await db.RateLimitBuckets.Where(b => b.RuleId == ruleId)
                .ExecuteUpdateAsync(s => s.SetProperty(b => b.Tokens, b => Math.Max(0, Math.Min(size, b.Tokens + delta))), ct);
        }
        await tx.CommitAsync(ct);
        await cache.InvalidateAsync(ct);
        return await ViewAsync(db, rule, ct);
    }

    private static void Apply(RateLimitRule rule, RateLimitRuleInput input)
    {
        rule.Name = input.Name.Trim();
        rule.Scope = input.Scope;
        rule.TargetKind = input.TargetKind;
        rule.Target = NormaliseTarget(input.TargetKind, input.Target);
        rule.Capacity = input.Capacity;
        rule.TokensPerPeriod = input.TokensPerPeriod;
        rule.PeriodSeconds = input.PeriodSeconds;
        rule.Burst = input.Burst;
        rule.Priority = input.Priority;
        rule.Enabled = input.Enabled;
        rule.Version++;
    }

    private static string NormaliseTarget(RateLimitTargetKind kind, string target)
    {
        var t = (target ?? "").Trim();
        return kind == RateLimitTargetKind.Operation ? t.ToLowerInvariant() : t.Length > 1 ? t.TrimEnd('/') : t;
    }

    /// <summary>Null when valid; otherwise the first problem as a sentence.</summary>
    public static Error? Validate(RateLimitRuleInput input)
    {
        if (string.IsNullOrWhiteSpace(input.Name) || input.Name.Trim().Length > 120)
        {
            return Error.Validation("Give the rule a name (at most 120 characters).");
        }
        var target = NormaliseTarget(input.TargetKind, input.Target);
        if (input.TargetKind == RateLimitTargetKind.Operation && !Operations.Contains(target))
        {
            return Error.Validation($"Choose an operation: {string.Join(", ", Operations)}.");
        }
        if (input.TargetKind == RateLimitTargetKind.Endpoint
            && (!(target == "/api" || target.StartsWith("/api/", StringComparison.Ordinal)) || target.Length > 200
                || target.Any(c => char.IsWhiteSpace(c) || c is '?' or '#' or '*')))
        {
            return Error.Validation("An endpoint is a path under /api, such as /api or /api/auth/token (no wildcards or query).");
        }
        if (input.Capacity is < 1 or > MaxNumber)
        {
            return Error.Validation($"Capacity must be between 1 and {MaxNumber:N0}.");
        }
        if (input.TokensPerPeriod is < 1 or > MaxNumber)
        {
            return Error.Validation($"The refill must be between 1 and {MaxNumber:N0} tokens per period.");
        }
        if (input.PeriodSeconds is < 1 or > MaxPeriodSeconds)
        {
            return Error.Validation("The period must be between 1 second and 1 day (86,400 seconds).");
        }
        if (input.Burst is < 0 or > MaxNumber)
        {
            return Error.Validation($"Burst must be between 0 and {MaxNumber:N0}.");
        }
        if (input.Priority is < -1000 or > 1000)
        {
            return Error.Validation("Priority must be between -1000 and 1000.");
        }
        if (!Enum.IsDefined(input.Scope) || !Enum.IsDefined(input.TargetKind))
        {
            return Error.Validation("Choose a scope and what the rule limits.");
        }
        return null;
    }

    /// <summary>Platform rules: platform admins only. Tenant rules: that tenant's admins, or platform admins.</summary>
    private Error? Authorize(Guid? ruleTenant)
    {
        if (user.Demand(Policies.TenantAdministration) is { } denied)
        {
            return denied;
        }
        if (CanEdit(ruleTenant))
        {
            return null;
        }
        (user as IAuthorizationDenialObserver)?.Denied(ruleTenant is null ? "RateLimits.PlatformRules" : "RateLimits.OtherTenant");
        return Error.Forbidden(ruleTenant is null
            ? "Platform-wide rules are changed by platform admins. Add a rule for your tenant instead."
            : "You can only change your own tenant's rules.");
    }

    private bool CanEdit(Guid? ruleTenant) => Platform || (ruleTenant is not null && ruleTenant == tenant.TenantId && user.IsInRole(Roles.TenantAdmin));

    private bool Visible(Guid? ruleTenant) => Platform || ruleTenant is null || ruleTenant == tenant.TenantId;

    private async Task<RateLimitRuleView> ViewAsync(WeedGoDbContext db, RateLimitRule r, CancellationToken ct)
    {
        var names = await TenantNamesAsync(db, [r.TenantId], ct);
        return new RateLimitRuleView(r.Id, r.TenantId, r.TenantId is { } t ? names.GetValueOrDefault(t) : null, r.Name, r.Scope,
            r.TargetKind, r.Target, r.Capacity, r.TokensPerPeriod, r.PeriodSeconds, r.Burst, r.Priority, r.Enabled, r.Version, r.UpdatedAt,
            CanEdit(r.TenantId));
    }

    private static async Task<Dictionary<Guid, string>> TenantNamesAsync(WeedGoDbContext db, IEnumerable<Guid?> ids, CancellationToken ct)
    {
        var wanted = ids.Where(i => i is not null).Select(i => i!.Value).Distinct().ToList();
        return wanted.Count == 0
            ? []
            : await db.Tenants.IgnoreQueryFilters().AsNoTracking().Where(t => wanted.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Name, ct);
    }
}
