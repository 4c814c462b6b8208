using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Options;
using WeedGo.Core.Common;
using WeedGo.Core.Data;

namespace WeedGo.Core.RateLimiting;

/// <summary>An enabled rule as decisions use it (immutable; equal rules stay the same instance across reloads).</summary>
public sealed record CompiledRule(
    Guid Id, Guid? TenantId, string Name, RateLimitScope Scope, RateLimitTargetKind Kind, string Target, int Size,
    double RatePerSecond, int Priority, int LeaseSize)
{
    public bool AppliesTo(Guid? tenantId) => TenantId is null || TenantId == tenantId;

    /// <summary>Whether the request path lies under this endpoint rule's prefix (whole segments, case-insensitive).</summary>
    public bool Matches(string path) =>
        path.StartsWith(Target, StringComparison.OrdinalIgnoreCase)
        && (path.Length == Target.Length || path[Target.Length] == '/' || Target.EndsWith('/'));
}

/// <summary>The enabled rules, indexed for decisions.</summary>
public sealed class RuleSnapshot
{
    public static RuleSnapshot Empty { get; } = new([], (0, 0));

    private readonly Dictionary<string, CompiledRule[]> _byOperation;

    public RuleSnapshot(IReadOnlyList<CompiledRule> rules, (long Count, long Sum) version)
    {
        Version = version;
        All = rules;
        _byOperation = rules.Where(r => r.Kind == RateLimitTargetKind.Operation)
            .GroupBy(r => r.Target, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => Ordered(g), StringComparer.OrdinalIgnoreCase);
        Endpoints = Ordered(rules.Where(r => r.Kind == RateLimitTargetKind.Endpoint));
    }

    public (long Count, long Sum) Version { get; }
    public IReadOnlyList<CompiledRule> All { get; }
    public CompiledRule[] Endpoints { get; }

    public CompiledRule[] ForOperation(string operation) => _byOperation.TryGetValue(operation, out var rules) ? rules : [];

    private static CompiledRule[] Ordered(IEnumerable<CompiledRule> rules) =>
        rules.OrderByDescending(r => r.Priority).ThenBy(r => r.TenantId is null ? 1 : 0).ThenBy(r => r.Id).ToArray();
}

/// <summary>
/// The rules every decision reads, kept in memory. Reloaded when this instance changes a rule (<see cref="InvalidateAsync"/>)
/// and when a cheap version query (<c>count(*)</c>, <c>sum(version)</c>; every edit raises a rule's version) shows another
/// instance changed one: at most every <see cref="RateLimitOptions.RuleRefresh"/>, awaited by the decision that finds it due.
/// </summary>
public sealed class RateLimitRuleCache(PooledDbContextFactory<WeedGoDbContext> pool, TimeProvider clock, IOptions<RateLimitOptions> options)
{
    private readonly SemaphoreSlim _reload = new(1, 1);
    private volatile RuleSnapshot? _current;
    private long _nextCheckTicks;

    /// <summary>The rules as last loaded (null before the first load).</summary>
    public RuleSnapshot? Current => _current;

    /// <summary>True when the rules are loaded and not due for a version check.</summary>
    public bool IsFresh(long nowTicks) => _current is not null && nowTicks < Volatile.Read(ref _nextCheckTicks);

    /// <summary>The rules, checking the version first when due (one caller checks; others use the loaded rules meanwhile).</summary>
    public ValueTask<RuleSnapshot> GetAsync(CancellationToken ct = default) => GetAsync(force: false, ct);

    private async ValueTask<RuleSnapshot> GetAsync(bool force, CancellationToken ct)
    {
        if (!force && _current is { } fresh && clock.GetUtcNow().UtcTicks < Volatile.Read(ref _nextCheckTicks))
        {
            return fresh;
        }
        if (!force && _current is { } loaded)
        {
            // Due for a check: one caller checks, the others keep deciding with the loaded rules.
            if (!await _reload.WaitAsync(0, ct))
            {
                return loaded;
            }
        }
        else
        {
            await _reload.WaitAsync(ct);
        }
        try
        {
            if (!force && _current is { } again && clock.GetUtcNow().UtcTicks < Volatile.Read(ref _nextCheckTicks))
            {
                return again;
            }
            await using var db = await pool.CreateDbContextAsync(ct);
            db.UseTenant(FixedTenantContext.System);
            var version = await VersionAsync(db, ct);
            if (force || _current is null || _current.Version != version)
            {
                _current = await LoadAsync(db, version, _current, ct);
            }
            Volatile.Write(ref _nextCheckTicks, clock.GetUtcNow().UtcTicks + options.Value.RuleRefresh.Ticks);
            return _current;
        }
        finally
        {
            _reload.Release();
        }
    }

    /// <summary>Reloads the rules now (after a change on this instance), waiting for a check already running.</summary>
    public async Task InvalidateAsync(CancellationToken ct = default) => await GetAsync(force: true, ct);

    private static async Task<(long, long)> VersionAsync(WeedGoDbContext db, CancellationToken ct)
    {
        var row = await db.Database.SqlQueryRaw<RuleVersion>(
            "SELECT count(*) AS count, coalesce(sum(version), 0)::bigint AS sum FROM agi_rate_limit_rules").SingleAsync(ct);
        return (row.Count, row.Sum);
    }

    private sealed class RuleVersion
    {
        public long Count { get; set; }
        public long Sum { get; set; }
    }

    private async Task<RuleSnapshot> LoadAsync(WeedGoDbContext db, (long, long) version, RuleSnapshot? previous, CancellationToken ct)
    {
        var rows = await db.RateLimitRules.AsNoTracking().Where(r => r.Enabled).ToListAsync(ct);
        var known = previous?.All.ToDictionary(r => r.Id) ?? [];
        var compiled = rows.Select(r =>
        {
            var rule = Compile(r, options.Value);
            // The same rule keeps its instance, so buckets built for it stay valid; a changed rule starts fresh buckets.
            return known.TryGetValue(r.Id, out var old) && old == rule ? old : rule;
        }).ToList();
        return new RuleSnapshot(compiled, version);
    }

    public static CompiledRule Compile(RateLimitRule r, RateLimitOptions options) => new(
        r.Id, r.TenantId, r.Name, r.Scope, r.TargetKind, r.TargetKind == RateLimitTargetKind.Endpoint ? r.Target.TrimEnd('/') is { Length: > 0 } t ? t : "/" : r.Target,
        r.Size, (double)r.TokensPerPeriod / r.PeriodSeconds, r.Priority,
        Math.Clamp(r.Size / Math.Max(1, options.LeaseDivisor), 1, Math.Max(1, options.MaxLease)));
}
