using Microsoft.EntityFrameworkCore;
using WeedGo.Core.Common;
using WeedGo.Core.Data;
using WeedGo.Core.Live;

namespace WeedGo.Core.Audit;

/// <summary>An edit of an alert rule (every field an admin may change).</summary>
public sealed record AlertRuleEdit(string Name, IReadOnlyList<string> EventTypes, AuditSeverity? MinSeverity, int Threshold,
    int WindowSeconds, AuditSeverity Severity, AlertGrouping GroupBy, bool Enabled);

/// <summary>
/// Commands of the alert inbox and the rules page: acknowledge and resolve an alert (who, when, note; audited as
/// <c>alert.acknowledged</c> / <c>alert.resolved</c> in the same transaction; published live), and edit a rule (audited by
/// the interceptor as <c>alert.rule_changed</c>; the evaluator reads rules on every run, so no restart is needed). A tenant
/// admin can touch only their tenant's alerts and rules: another tenant's are "not found", never "forbidden".
/// </summary>
public sealed class AuditAlertService(
    IDbContextFactory<WeedGoDbContext> contexts, AuditAccess access, IAuditLog audit, ILiveEvents live, AuditAlertSignal signal,
    TimeProvider clock)
{
    public const int MaxNote = 1000;

    public Task<Result> AcknowledgeAsync(Guid alertId, string? note, CancellationToken ct = default) =>
        MoveAsync(alertId, AlertStatus.Acknowledged, note, ct);

    public Task<Result> ResolveAsync(Guid alertId, string? note, CancellationToken ct = default) =>
        MoveAsync(alertId, AlertStatus.Resolved, note, ct);

    private async Task<Result> MoveAsync(Guid alertId, AlertStatus to, string? note, CancellationToken ct)
    {
        if (await access.DemandAsync(ct) is { } denied)
        {
            return denied;
        }
        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (note is { Length: > MaxNote })
        {
            return Error.Validation($"Keep the note under {MaxNote} characters.");
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var alert = await db.AuditAlerts.IgnoreQueryFilters().SingleOrDefaultAsync(a => a.Id == alertId, ct);
        if (alert is null || !access.Sees(alert.TenantId))
        {
            return Error.NotFound("That alert");
        }
        var now = clock.GetUtcNow();
        switch (to)
        {
            case AlertStatus.Acknowledged when alert.Status != AlertStatus.Open:
                return Error.Conflict(alert.Status == AlertStatus.Resolved ? "That alert is already resolved." : "That alert is already acknowledged.");
            case AlertStatus.Acknowledged:
                alert.Status = AlertStatus.Acknowledged;
                alert.AcknowledgedAt = now;
                alert.AcknowledgedBy = access.UserId;
                alert.AcknowledgeNote = note;
                break;
            case AlertStatus.Resolved when alert.Status == AlertStatus.Resolved:
                return Error.Conflict("That alert is already resolved.");
            case AlertStatus.Resolved:
                if (alert.Status == AlertStatus.Open)
                {
                    alert.AcknowledgedAt = now;
                    alert.AcknowledgedBy = access.UserId;
                }
                alert.Status = AlertStatus.Resolved;
                alert.ResolvedAt = now;
                alert.ResolvedBy = access.UserId;
                alert.ResolveNote = note;
                break;
            default:
                return Error.Validation("An alert can only be acknowledged or resolved.");
        }
        audit.Stage(db, to == AlertStatus.Resolved ? AuditEvents.AlertResolved : AuditEvents.AlertAcknowledged, AuditSeverity.Info,
            new { alert = alert.Id, rule = alert.RuleName, group = alert.GroupLabel, note }, tenantId: Chain(alert.TenantId));
        await db.SaveChangesAsync(ct);
        await live.PublishAsync(new AuditAlertChanged(alert.TenantId, alert.Id, alert.RuleName, alert.Severity, alert.Status, alert.Count,
            alert.Message, false, now), ct);
        return Result.Ok();
    }

    public async Task<Result> UpdateRuleAsync(Guid ruleId, AlertRuleEdit edit, CancellationToken ct = default)
    {
        if (await access.DemandAsync(ct) is { } denied)
        {
            return denied;
        }
        if (Validate(edit) is { } invalid)
        {
            return invalid;
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rule = await db.AlertRules.IgnoreQueryFilters().SingleOrDefaultAsync(r => r.Id == ruleId, ct);
        if (rule is null || !access.Sees(rule.TenantId))
        {
            return Error.NotFound("That rule");
        }
        rule.Name = edit.Name.Trim();
        rule.EventTypes = edit.EventTypes.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct().Order().ToList();
        rule.MinSeverity = edit.MinSeverity;
        rule.Threshold = edit.Threshold;
        rule.WindowSeconds = edit.WindowSeconds;
        rule.Severity = edit.Severity;
        rule.GroupBy = edit.GroupBy;
        rule.Enabled = edit.Enabled;
        await db.SaveChangesAsync(ct);
        signal.Poke(); // the evaluator re-reads the rules (and what it watches) now
        return Result.Ok();
    }

    public static Error? Validate(AlertRuleEdit edit)
    {
        if (string.IsNullOrWhiteSpace(edit.Name) || edit.Name.Trim().Length > 120)
        {
            return Error.Validation("Give the rule a name (at most 120 characters).");
        }
        if (edit.Threshold is < 1 or > 100_000)
        {
            return Error.Validation("The threshold must be between 1 and 100,000 events.");
        }
        if (edit.WindowSeconds is < 1 or > 604_800)
        {
            return Error.Validation("The window must be between 1 second and 7 days.");
        }
        if (edit.EventTypes.All(string.IsNullOrWhiteSpace) && edit.MinSeverity is null)
        {
            return Error.Validation("Name at least one event type or a minimum severity, or the rule would count every event.");
        }
        if (edit.EventTypes.Any(t => t.Trim().StartsWith("alert.", StringComparison.Ordinal)))
        {
            return Error.Validation("Alert events cannot raise alerts.");
        }
        return null;
    }

    /// <summary>The audit chain's tenant for an alert's tenant (null: the platform chain).</summary>
    private static Guid? Chain(Guid tenantId) => tenantId == AuditAlertDefaults.PlatformTenant ? null : tenantId;
}
