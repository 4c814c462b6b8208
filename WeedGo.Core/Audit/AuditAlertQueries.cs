using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using WeedGo.Core.Common;
using WeedGo.Core.Data;

namespace WeedGo.Core.Audit;

/// <summary>Inbox filters. <see cref="TenantId"/> counts for platform admins only (<see cref="AuditAlertDefaults.PlatformTenant"/>:
/// the platform's own alerts).</summary>
public sealed record AlertFilter(AlertStatus? Status = null, bool ActiveOnly = false, AuditSeverity? MinSeverity = null,
    Guid? TenantId = null, Guid? RuleId = null);

public sealed record AlertRow(
    Guid Id, Guid TenantId, string TenantName, Guid RuleId, string RuleName, AuditSeverity Severity, AlertGrouping GroupBy, string GroupLabel,
    string Message, int Count, int Threshold, int WindowSeconds, DateTimeOffset FirstSeenAt, DateTimeOffset TriggeredAt,
    DateTimeOffset LastSeenAt, AlertStatus Status, string? AcknowledgedBy, DateTimeOffset? AcknowledgedAt, string? AcknowledgeNote,
    string? ResolvedBy, DateTimeOffset? ResolvedAt, string? ResolveNote);

public sealed record AlertPage(IReadOnlyList<AlertRow> Rows, int Total);

public sealed record AlertRuleRow(
    Guid Id, Guid TenantId, string TenantName, string Key, string Name, IReadOnlyList<string> EventTypes, AuditSeverity? MinSeverity,
    int Threshold, int WindowSeconds, AuditSeverity Severity, AlertGrouping GroupBy, bool Enabled, DateTimeOffset UpdatedAt);

/// <summary>Reads of alerts and alert rules for the Audit area; tenant admins see their tenant's only (checked here).</summary>
public sealed class AuditAlertQueries(PooledDbContextFactory<WeedGoDbContext> pool, AuditAccess access)
{
    public const string PlatformName = "Platform";

    public async Task<Result<AlertPage>> SearchAsync(AlertFilter filter, int page, int pageSize, CancellationToken ct = default)
    {
        if (await access.DemandAsync(ct) is { } denied)
        {
            return denied;
        }
        await using var db = await pool.CreateDbContextAsync(ct);
        db.UseTenant(FixedTenantContext.System);
        var q = Visible(db.AuditAlerts.AsNoTracking(), filter.TenantId);
        if (filter.Status is { } status)
        {
            q = q.Where(a => a.Status == status);
        }
        else if (filter.ActiveOnly)
        {
            q = q.Where(a => a.Status != AlertStatus.Resolved);
        }
        if (filter.MinSeverity is { } min)
        {
            var allowed = Enum.GetValues<AuditSeverity>().Where(s => s >= min).ToList();
            q = q.Where(a => allowed.Contains(a.Severity));
        }
        if (filter.RuleId is { } rule)
        {
            q = q.Where(a => a.RuleId == rule);
        }
        var total = await q.CountAsync(ct);
        var rows = await q.OrderBy(a => a.Status == AlertStatus.Resolved).ThenByDescending(a => a.TriggeredAt).ThenByDescending(a => a.Id)
            .Skip(Math.Max(0, page) * pageSize).Take(Math.Clamp(pageSize, 1, 200))
            .Select(a => new AlertRow(a.Id, a.TenantId,
                db.Tenants.Where(t => t.Id == a.TenantId).Select(t => t.Name).FirstOrDefault() ?? PlatformName,
                a.RuleId, a.RuleName, a.Severity, a.GroupBy, a.GroupLabel, a.Message, a.Count, a.Threshold, a.WindowSeconds, a.FirstSeenAt,
                a.TriggeredAt, a.LastSeenAt, a.Status,
                db.Users.Where(u => u.Id == a.AcknowledgedBy).Select(u => u.Email).FirstOrDefault(), a.AcknowledgedAt, a.AcknowledgeNote,
                db.Users.Where(u => u.Id == a.ResolvedBy).Select(u => u.Email).FirstOrDefault(), a.ResolvedAt, a.ResolveNote))
            .ToListAsync(ct);
        return new AlertPage(rows, total);
    }

    /// <summary>Open (not yet acknowledged) alerts the caller may see; 0 for anyone who may not review audits (the badge
    /// renders on every staff page, so this records no refusal).</summary>
    public async Task<int> OpenCountAsync(CancellationToken ct = default)
    {
        if (!access.CanReview)
        {
            return 0;
        }
        await using var db = await pool.CreateDbContextAsync(ct);
        db.UseTenant(FixedTenantContext.System);
        return await Visible(db.AuditAlerts.AsNoTracking(), null).CountAsync(a => a.Status == AlertStatus.Open, ct);
    }

    public async Task<Result<IReadOnlyList<AlertRuleRow>>> RulesAsync(Guid? tenantFilter = null, CancellationToken ct = default)
    {
        if (await access.DemandAsync(ct) is { } denied)
        {
            return Result<IReadOnlyList<AlertRuleRow>>.Fail(denied);
        }
        await using var db = await pool.CreateDbContextAsync(ct);
        db.UseTenant(FixedTenantContext.System);
        var q = db.AlertRules.AsNoTracking().AsQueryable();
        q = access.OwnTenant is { } own ? q.Where(r => r.TenantId == own) : tenantFilter is { } t ? q.Where(r => r.TenantId == t) : q;
        var rows = await q
            .Select(r => new AlertRuleRow(r.Id, r.TenantId, db.Tenants.Where(t => t.Id == r.TenantId).Select(t => t.Name).FirstOrDefault() ?? PlatformName,
                r.Key, r.Name, r.EventTypes, r.MinSeverity, r.Threshold, r.WindowSeconds, r.Severity, r.GroupBy, r.Enabled, r.UpdatedAt))
            .ToListAsync(ct);
        return rows.OrderBy(r => r.TenantId != AuditAlertDefaults.PlatformTenant).ThenBy(r => r.TenantName).ThenBy(r => r.Name).ToList();
    }

    private IQueryable<AuditAlert> Visible(IQueryable<AuditAlert> q, Guid? tenantFilter) =>
        access.OwnTenant is { } own ? q.Where(a => a.TenantId == own)
        : tenantFilter is { } t ? q.Where(a => a.TenantId == t)
        : q;
}
