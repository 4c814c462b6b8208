using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using WeedGo.Core.Common;
using WeedGo.Core.Data;

namespace WeedGo.Core.Audit;

/// <summary>One series of a chart: a name and one value per bucket.</summary>
public sealed record ChartLine(string Name, IReadOnlyList<double> Values);

/// <summary>An event type and how often it happened in the range.</summary>
public sealed record EventTypeCount(string EventType, long Count, int UniqueUsers);

/// <summary>Everything the audit dashboard draws, read from <c>agi_audit_aggregates</c>.</summary>
public sealed record AuditDashboard(
    AggregatePeriod Period, IReadOnlyList<DateTimeOffset> Buckets, IReadOnlyList<string> Labels, IReadOnlyList<ChartLine> BySeverity,
    IReadOnlyList<ChartLine> ByType, IReadOnlyList<EventTypeCount> TopTypes, long Total, IReadOnlyList<ChainStatus> Chains,
    DateTimeOffset? AggregatedAt);

/// <summary>
/// The audit dashboard's numbers: events per UTC hour (last 24) or day (last 14) by severity and by event type (the 5 most
/// frequent, the rest as "other"), the top event types, and the latest chain verification the caller may see. Platform
/// admins see every tenant (or one, or the platform's own); tenant admins only theirs (checked here).
/// </summary>
public sealed class AuditDashboardQueries(
    PooledDbContextFactory<WeedGoDbContext> pool, AuditAccess access, AuditChainBoard chains, TimeProvider clock)
{
    public const int TopSeries = 5;

    public async Task<Result<AuditDashboard>> LoadAsync(AggregatePeriod period, Guid? tenantFilter = null, CancellationToken ct = default)
    {
        if (await access.DemandAsync(ct) is { } denied)
        {
            return denied;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var (step, count) = period == AggregatePeriod.Hour ? (TimeSpan.FromHours(1), 24) : (TimeSpan.FromDays(1), 14);
        var last = period == AggregatePeriod.Hour
            ? new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero)
            : new DateTimeOffset(now.Date, TimeSpan.Zero);
        var buckets = Enumerable.Range(0, count).Select(i => last - step * (count - 1 - i)).ToList();
        var from = buckets[0];

        await using var db = await pool.CreateDbContextAsync(ct);
        db.UseTenant(FixedTenantContext.System);
        var q = db.AuditAggregates.AsNoTracking().Where(a => a.Period == period && a.BucketStart >= from);
        q = access.OwnTenant is { } own ? q.Where(a => a.TenantId == own) : tenantFilter is { } t ? q.Where(a => a.TenantId == t) : q;
        var rows = await q.Select(a => new { a.BucketStart, a.EventType, a.Severity, a.Count, a.UniqueUsers }).ToListAsync(ct);
        var aggregatedAt = await db.AuditCursors.AsNoTracking().Where(c => c.Consumer == AuditAggregator.Consumer)
            .MaxAsync(c => (DateTimeOffset?)c.UpdatedAt, ct);

        var index = buckets.Select((b, i) => (b, i)).ToDictionary(x => x.b, x => x.i);
        double[] Line(Func<string, AuditSeverity, bool> pick)
        {
            var values = new double[count];
            foreach (var r in rows.Where(r => pick(r.EventType, r.Severity)))
            {
                if (index.TryGetValue(r.BucketStart, out var i))
                {
                    values[i] += r.Count;
                }
            }
            return values;
        }
        var bySeverity = Enum.GetValues<AuditSeverity>()
            .Select(s => new ChartLine(s.ToString(), Line((_, sev) => sev == s))).ToList();
        var top = rows.GroupBy(r => r.EventType)
            .Select(g => new EventTypeCount(g.Key, g.Sum(r => r.Count), g.Max(r => r.UniqueUsers)))
            .OrderByDescending(t => t.Count).ThenBy(t => t.EventType).ToList();
        var named = top.Take(TopSeries).Select(t => t.EventType).ToHashSet();
        var byType = top.Take(TopSeries).Select(t => new ChartLine(t.EventType, Line((type, _) => type == t.EventType))).ToList();
        if (top.Count > TopSeries)
        {
            byType.Add(new ChartLine("other", Line((type, _) => !named.Contains(type))));
        }
        var labels = buckets.Select(b => period == AggregatePeriod.Hour ? b.UtcDateTime.ToString("HH:00") : b.UtcDateTime.ToString("MMM d")).ToList();
        var visibleChains = chains.Latest.Where(c => access.IsPlatform
                ? tenantFilter is null || (c.TenantId ?? AuditAlertDefaults.PlatformTenant) == tenantFilter
                : c.TenantId == access.OwnTenant)
            .ToList();
        return new AuditDashboard(period, buckets, labels, bySeverity, byType, top.Take(10).ToList(), rows.Sum(r => r.Count), visibleChains, aggregatedAt);
    }
}

/// <summary>The latest verification of each chain (by the hourly job or a "Verify now"), kept in memory for the dashboard.</summary>
public sealed class AuditChainBoard
{
    private System.Collections.Immutable.ImmutableDictionary<Guid, ChainStatus> _latest =
        System.Collections.Immutable.ImmutableDictionary<Guid, ChainStatus>.Empty;

    public IReadOnlyList<ChainStatus> Latest => _latest.Values.OrderBy(c => c.TenantId is not null).ThenBy(c => c.TenantId).ToList();

    public void Update(IEnumerable<ChainStatus> statuses)
    {
        foreach (var s in statuses)
        {
            System.Collections.Immutable.ImmutableInterlocked.AddOrUpdate(ref _latest, s.TenantId ?? Guid.Empty, s, (_, _) => s);
        }
    }
}
