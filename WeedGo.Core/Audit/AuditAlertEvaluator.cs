using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging;
using WeedGo.Core.Common;
using WeedGo.Core.Data;
using WeedGo.Core.Live;

namespace WeedGo.Core.Audit;

/// <summary>What one evaluation did (for the worker's log and the tests).</summary>
public sealed record AlertEvaluation(int EventsRead, IReadOnlyList<AuditAlert> Raised, IReadOnlyList<AuditAlert> Counted);

/// <summary>
/// Turns audit events into alerts. Reads each chain's new rows in sequence order (a cursor per chain in
/// <c>agi_audit_cursors</c>, advanced in the same transaction as the alerts it leads to, under a per-chain advisory lock so
/// two web instances never evaluate one chain at once), and for every enabled rule of that tenant walks the matching events
/// one at a time: an event whose window (this event and the earlier matching ones of its group within the rule's window,
/// none from before the group's last resolved alert) holds <c>Threshold</c> events raises the alert, so the 5th failed
/// sign-in raises it, not the 4th or 6th. While an alert of that rule and group is open or acknowledged, further matching
/// events only raise its count and last-seen time (deduplication; a partial unique index holds the line in the database).
/// Rules are read on every run: an edit takes effect on the next event, without a restart. New alerts are audited
/// (<c>alert.raised</c>) and published as <see cref="AuditAlertChanged"/> after the commit.
/// </summary>
public sealed class AuditAlertEvaluator(
    PooledDbContextFactory<WeedGoDbContext> pool, ILiveEvents live, AuditAlertSignal signal, TimeProvider clock,
    ILogger<AuditAlertEvaluator> logger)
{
    public const string Consumer = "alerts";
    private const int BatchSize = 2000;
    private static readonly TimeSpan FirstLookBack = TimeSpan.FromDays(1);
    private readonly HashSet<Guid> _seeded = [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly AuditSealer _sealer = new(pool);

    private sealed record Ev(Guid Id, long Sequence, Guid? StoreId, Guid? UserId, string EventType, AuditSeverity Severity,
        string? Ip, string? Details, DateTimeOffset At);

    /// <summary>Evaluates every chain once (until each has no unread rows left or <paramref name="maxBatches"/> is reached).</summary>
    public async Task<AlertEvaluation> RunOnceAsync(CancellationToken ct = default, int maxBatches = 20)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await _sealer.SealAsync(ct: ct); // the events that woke this run are committed but may not be in their chain yet
            var chains = await ChainsAsync(ct);
            await SeedDefaultsAsync(chains, ct);
            List<AuditAlertRule> rules;
            await using (var db = await pool.CreateDbContextAsync(ct))
            {
                db.UseTenant(FixedTenantContext.System);
                rules = await db.AlertRules.AsNoTracking().Where(r => r.Enabled).ToListAsync(ct);
            }
            signal.Watch(rules);
            var read = 0;
            var raised = new List<AuditAlert>();
            var counted = new List<AuditAlert>();
            foreach (var chain in chains)
            {
                var chainRules = rules.Where(r => r.TenantId == chain).ToList();
                for (var batch = 0; batch < maxBatches; batch++)
                {
                    var (n, more) = await EvaluateChainAsync(chain, chainRules, raised, counted, ct);
                    read += n;
                    if (!more)
                    {
                        break;
                    }
                }
            }
            return new AlertEvaluation(read, raised, counted.Distinct().ToList());
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<List<Guid>> ChainsAsync(CancellationToken ct)
    {
        await using var db = await pool.CreateDbContextAsync(ct);
        db.UseTenant(FixedTenantContext.System);
        var tenants = await db.Tenants.AsNoTracking().OrderBy(t => t.Id).Select(t => t.Id).ToListAsync(ct);
        return [AuditAlertDefaults.PlatformTenant, .. tenants];
    }

    /// <summary>Every tenant (and the platform) gets the default rules it lacks, by key: a default an admin disabled stays.</summary>
    private async Task SeedDefaultsAsync(List<Guid> chains, CancellationToken ct)
    {
        foreach (var chain in chains.Where(c => !_seeded.Contains(c)))
        {
            await using var db = await pool.CreateDbContextAsync(ct);
            db.UseTenant(FixedTenantContext.For(chain));
            db.UseAuditActor(AuditActor.None, enabled: false); // seeding by the system is not an admin's edit
            var keys = await db.AlertRules.Select(r => r.Key).ToListAsync(ct);
            var missing = AuditAlertDefaults.For(chain).Where(r => !keys.Contains(r.Key)).ToList();
            if (missing.Count > 0)
            {
                db.AlertRules.AddRange(missing);
                try
                {
                    await db.SaveChangesAsync(ct);
                }
                catch (DbUpdateException e) when (e.InnerException is Npgsql.PostgresException { SqlState: "23505" })
                {
                    // Another instance seeded them at the same moment.
                }
            }
            _seeded.Add(chain);
        }
    }

    private async Task<(int Read, bool More)> EvaluateChainAsync(
        Guid chain, List<AuditAlertRule> rules, List<AuditAlert> raised, List<AuditAlert> counted, CancellationToken ct)
    {
        await using var db = await pool.CreateDbContextAsync(ct);
        db.UseTenant(FixedTenantContext.For(chain));
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var key = chain.ToString();
        if (!await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock(1098, hashtext({key})) AS \"Value\"").SingleAsync(ct))
        {
            return (0, false); // another instance is evaluating this chain right now
        }
        var cursor = await db.AuditCursors.FindAsync([Consumer, chain], ct);
        var last = cursor?.LastSequence ?? 0;
        var head = await db.AuditLogs.Where(a => a.Chain == chain && a.Sequence != null).MaxAsync(a => a.Sequence, ct) ?? 0;
        if (head <= last)
        {
            return (0, false);
        }
        var rows = new List<Ev>();
        // A chain evaluated for the first time (a new install over an old log) starts with the last day, not all history.
        if (rules.Count > 0)
        {
            var q = Matching(db, chain, rules).Where(a => a.Sequence > last && a.Sequence <= head);
            if (cursor is null)
            {
                var since = clock.GetUtcNow() - FirstLookBack;
                q = q.Where(a => a.OccurredAt >= since);
            }
            rows = await q.OrderBy(a => a.Sequence).Take(BatchSize)
                .Select(a => new Ev(a.Id, a.Sequence!.Value, a.StoreId, a.UserId, a.EventType, a.Severity, a.Ip, a.Details, a.OccurredAt))
                .ToListAsync(ct);
        }
        var more = rows.Count == BatchSize;
        var upTo = more ? rows[^1].Sequence : head;
        var newAlerts = new List<AuditAlert>();
        var touched = new HashSet<AuditAlert>();
        foreach (var rule in rules)
        {
            await EvaluateRuleAsync(db, chain, rule, last, rows.Where(r => rule.Matches(r.EventType, r.Severity)).ToList(), newAlerts, touched, ct);
        }
        if (cursor is null)
        {
            db.AuditCursors.Add(new AuditCursor { Consumer = Consumer, Chain = chain, LastSequence = upTo, UpdatedAt = clock.GetUtcNow() });
        }
        else
        {
            cursor.LastSequence = upTo;
            cursor.UpdatedAt = clock.GetUtcNow();
        }
        foreach (var alert in newAlerts)
        {
            db.AuditLogs.Add(RaisedEvent(chain, alert));
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);

        foreach (var a in touched)
        {
            var isNew = newAlerts.Contains(a);
            if (isNew)
            {
                logger.LogWarning("Audit alert raised: {Message} ({Severity})", a.Message, a.Severity);
            }
            await live.PublishAsync(new AuditAlertChanged(a.TenantId, a.Id, a.RuleName, a.Severity, a.Status, a.Count, a.Message, isNew,
                isNew ? a.TriggeredAt : a.LastSeenAt), ct);
        }
        raised.AddRange(newAlerts);
        counted.AddRange(touched.Where(a => !newAlerts.Contains(a)));
        return (rows.Count, more);
    }

    /// <summary>The chain's rows any of <paramref name="rules"/> could count (the database narrows; <see cref="AuditAlertRule.Matches"/> decides).</summary>
    private static IQueryable<AuditLogEntry> Matching(WeedGoDbContext db, Guid chain, IEnumerable<AuditAlertRule> rules)
    {
        var q = db.AuditLogs.AsNoTracking().Where(a => a.Chain == chain && a.Sequence != null);
        var list = rules.ToList();
        if (list.Any(r => r.EventTypes.Count == 0 && r.MinSeverity is null))
        {
            return q;
        }
        var types = list.SelectMany(r => r.EventTypes).Distinct().ToList();
        var minimum = list.Where(r => r.EventTypes.Count == 0).Select(r => r.MinSeverity!.Value).DefaultIfEmpty(AuditSeverity.Critical + 1).Min();
        var severities = Enum.GetValues<AuditSeverity>().Where(s => s >= minimum).ToList();
        return q.Where(a => types.Contains(a.EventType) || severities.Contains(a.Severity));
    }

    private async Task EvaluateRuleAsync(WeedGoDbContext db, Guid chain, AuditAlertRule rule, long last, List<Ev> fresh,
        List<AuditAlert> newAlerts, HashSet<AuditAlert> touched, CancellationToken ct)
    {
        if (fresh.Count == 0)
        {
            return;
        }
        var from = fresh.Min(e => e.At) - rule.Window;
        var earlier = await Matching(db, chain, [rule]).Where(a => a.Sequence <= last && a.OccurredAt > from)
            .Select(a => new Ev(a.Id, a.Sequence!.Value, a.StoreId, a.UserId, a.EventType, a.Severity, a.Ip, a.Details, a.OccurredAt))
            .ToListAsync(ct);
        earlier = earlier.Where(e => rule.Matches(e.EventType, e.Severity)).ToList();
        var groups = fresh.Concat(earlier).GroupBy(e => GroupKey(rule.GroupBy, e)).Where(g => fresh.Any(f => GroupKey(rule.GroupBy, f) == g.Key));
        var groupKeys = fresh.Select(e => GroupKey(rule.GroupBy, e)).Distinct().ToList();
        var active = await db.AuditAlerts.Where(a => a.RuleId == rule.Id && a.Status != AlertStatus.Resolved && groupKeys.Contains(a.GroupKey))
            .ToDictionaryAsync(a => a.GroupKey, ct);
        var resolved = await db.AuditAlerts.Where(a => a.RuleId == rule.Id && a.Status == AlertStatus.Resolved && groupKeys.Contains(a.GroupKey))
            .GroupBy(a => a.GroupKey).Select(g => new { g.Key, At = g.Max(a => a.ResolvedAt) }).ToDictionaryAsync(g => g.Key, g => g.At, ct);
        foreach (var group in groups)
        {
            var events = group.OrderBy(e => e.Sequence).ToList();
            active.TryGetValue(group.Key, out var alert);
            resolved.TryGetValue(group.Key, out var resolvedAt);
            foreach (var e in events.Where(e => e.Sequence > last))
            {
                if (alert is not null)
                {
                    alert.Count++;
                    if (e.At >= alert.LastSeenAt)
                    {
                        alert.LastSeenAt = e.At;
                        alert.LastEventId = e.Id;
                    }
                    touched.Add(alert);
                    continue;
                }
                var window = events.Where(x => x.Sequence <= e.Sequence && x.At > e.At - rule.Window && x.At <= e.At
                    && (resolvedAt is null || x.At > resolvedAt)).ToList();
                if (window.Count < rule.Threshold)
                {
                    continue;
                }
                var label = await LabelAsync(db, chain, rule.GroupBy, group.Key, e, ct);
                alert = new AuditAlert
                {
                    TenantId = chain, RuleId = rule.Id, RuleName = rule.Name, Severity = rule.Severity, GroupBy = rule.GroupBy,
                    GroupKey = group.Key, GroupLabel = label, Threshold = rule.Threshold, WindowSeconds = rule.WindowSeconds,
                    Count = window.Count, FirstSeenAt = window.Min(x => x.At), TriggeredAt = e.At, LastSeenAt = e.At,
                    TriggerEventId = e.Id, LastEventId = e.Id, Status = AlertStatus.Open,
                    Message = $"{rule.Name}: {window.Count} in {Describe(rule.Window)} ({label})",
                };
                db.AuditAlerts.Add(alert);
                newAlerts.Add(alert);
                touched.Add(alert);
            }
        }
    }

    /// <summary>What events are counted by: the user (or, for an unknown account, the email tried; else the IP), the IP,
    /// the store, or the whole tenant.</summary>
    private static string GroupKey(AlertGrouping by, Ev e) => by switch
    {
        AlertGrouping.User => e.UserId?.ToString() ?? (Email(e.Details) is { } email ? "email:" + email : "ip:" + (e.Ip ?? "unknown")),
        AlertGrouping.Ip => e.Ip ?? "unknown",
        AlertGrouping.Store => e.StoreId?.ToString() ?? "no-store",
        _ => "tenant",
    };

    private static string? Email(string? details)
    {
        if (string.IsNullOrEmpty(details))
        {
            return null;
        }
        try
        {
            using var doc = JsonDocument.Parse(details);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("email", out var v)
                   && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s
                ? s.Trim().ToLowerInvariant()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<string> LabelAsync(WeedGoDbContext db, Guid chain, AlertGrouping by, string key, Ev e, CancellationToken ct)
    {
        switch (by)
        {
            case AlertGrouping.User when e.UserId is { } id:
                return await db.Users.IgnoreQueryFilters().Where(u => u.Id == id).Select(u => u.Email).FirstOrDefaultAsync(ct)
                       ?? Email(e.Details) ?? id.ToString();
            case AlertGrouping.User:
                return key.StartsWith("email:", StringComparison.Ordinal) ? key[6..] : "IP " + key[3..];
            case AlertGrouping.Ip:
                return "IP " + key;
            case AlertGrouping.Store when e.StoreId is { } store:
                return await db.Stores.IgnoreQueryFilters().Where(s => s.Id == store).Select(s => s.Name).FirstOrDefaultAsync(ct) ?? store.ToString();
            case AlertGrouping.Store:
                return "no store";
            default:
                return chain == AuditAlertDefaults.PlatformTenant
                    ? "the platform"
                    : await db.Tenants.IgnoreQueryFilters().Where(t => t.Id == chain).Select(t => t.Name).FirstOrDefaultAsync(ct) ?? "the tenant";
        }
    }

    private AuditLogEntry RaisedEvent(Guid chain, AuditAlert a) => new()
    {
        TenantId = chain == AuditAlertDefaults.PlatformTenant ? null : chain,
        EventType = AuditEvents.AlertRaised,
        Severity = a.Severity,
        EntityType = nameof(AuditAlert),
        EntityKey = a.Id.ToString(),
        Details = JsonSerializer.Serialize(new
        {
            alert = a.Id, rule = a.RuleName, group = a.GroupLabel, count = a.Count, threshold = a.Threshold,
            window_seconds = a.WindowSeconds, trigger_event = a.TriggerEventId,
        }),
        CorrelationId = "alert-evaluator",
        OccurredAt = clock.GetUtcNow(),
    };

    public static string Describe(TimeSpan window) =>
        window.TotalDays >= 1 && window.TotalDays % 1 == 0 ? $"{window.TotalDays:0} d"
        : window.TotalHours >= 1 && window.TotalHours % 1 == 0 ? $"{window.TotalHours:0} h"
        : window.TotalMinutes >= 1 && window.TotalMinutes % 1 == 0 ? $"{window.TotalMinutes:0} min"
        : $"{window.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s";
}
