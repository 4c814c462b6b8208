using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WeedGo.Core.Common;

namespace WeedGo.Core.Audit;

/// <summary>How matching events are counted: one count per tenant, per user (or the email tried), per IP or per store.</summary>
public enum AlertGrouping
{
    Tenant = 0,
    User = 1,
    Ip = 2,
    Store = 3,
}

/// <summary>Where an alert stands: open → acknowledged → resolved (an open alert may be resolved directly).</summary>
public enum AlertStatus
{
    Open = 0,
    Acknowledged = 1,
    Resolved = 2,
}

/// <summary>
/// One row of <c>agi_audit_alert_rules</c>: "<see cref="Threshold"/> events of <see cref="EventTypes"/> (and/or at least
/// <see cref="MinSeverity"/>) within <see cref="WindowSeconds"/>, counted per <see cref="GroupBy"/>" raises an alert of
/// <see cref="Severity"/>. Tenant-owned; the platform's own rules (for the platform chain: unknown accounts, platform
/// admins) live under <see cref="AuditAlertDefaults.PlatformTenant"/> (the zero uuid, as the audit chain names it).
/// Read by the evaluator on every run, so an edit takes effect without a restart.
/// </summary>
public sealed class AuditAlertRule : TenantEntity
{
    /// <summary>Stable name of a default rule (<c>failed-sign-ins</c>…); a rule an admin adds has its own.</summary>
    public string Key { get; set; } = "";
    public string Name { get; set; } = "";
    /// <summary>Event types counted; empty: any event type (then <see cref="MinSeverity"/> should narrow it).</summary>
    public List<string> EventTypes { get; set; } = [];
    public AuditSeverity? MinSeverity { get; set; }
    public int Threshold { get; set; }
    public int WindowSeconds { get; set; }
    public AuditSeverity Severity { get; set; }
    public AlertGrouping GroupBy { get; set; }
    public bool Enabled { get; set; } = true;

    public TimeSpan Window => TimeSpan.FromSeconds(WindowSeconds);

    /// <summary>Does an event count toward this rule? Alert events themselves never do (no alert about alerts).</summary>
    public bool Matches(string eventType, AuditSeverity severity) =>
        !eventType.StartsWith("alert.", StringComparison.Ordinal)
        && (EventTypes.Count == 0 || EventTypes.Contains(eventType))
        && (MinSeverity is null || severity >= MinSeverity);
}

internal sealed class AuditAlertRuleConfiguration : IEntityTypeConfiguration<AuditAlertRule>
{
    public void Configure(EntityTypeBuilder<AuditAlertRule> b)
    {
        b.ToTable("agi_audit_alert_rules");
        b.Property(r => r.Key).HasMaxLength(60).IsRequired();
        b.Property(r => r.Name).HasMaxLength(120).IsRequired();
        b.Property(r => r.EventTypes).HasColumnType("text[]");
        b.Property(r => r.MinSeverity).HasConversion<string>().HasMaxLength(16);
        b.Property(r => r.Severity).HasConversion<string>().HasMaxLength(16);
        b.Property(r => r.GroupBy).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(r => new { r.TenantId, r.Key }).IsUnique();
        b.ToTable(t =>
        {
            t.HasCheckConstraint("ck_agi_audit_alert_rules_threshold", "threshold >= 1");
            t.HasCheckConstraint("ck_agi_audit_alert_rules_window", "window_seconds BETWEEN 1 AND 604800");
        });
    }
}

/// <summary>The default rules (DOMAIN.md), seeded for every tenant and for the platform chain.</summary>
public static class AuditAlertDefaults
{
    /// <summary>The tenant id under which the platform's own rules, alerts and aggregates are kept (the platform chain).</summary>
    public static readonly Guid PlatformTenant = Guid.Empty;

    public static IReadOnlyList<AuditAlertRule> For(Guid tenantId) =>
    [
        Rule(tenantId, "failed-sign-ins", "Failed sign-ins", [AuditEvents.SignInFailed], null, 5, 300, AuditSeverity.Warning, AlertGrouping.User),
        Rule(tenantId, "permission-denials", "Permission denials", [AuditEvents.PermissionDenied], null, 10, 600, AuditSeverity.Warning, AlertGrouping.User),
        Rule(tenantId, "security-threat", "Security threat", [], AuditSeverity.Critical, 1, 300, AuditSeverity.Critical, AlertGrouping.Tenant),
        Rule(tenantId, "system-errors", "System errors", [AuditEvents.SystemError], AuditSeverity.Error, 3, 300, AuditSeverity.Error, AlertGrouping.Tenant),
        Rule(tenantId, "rate-limit-burst", "Rate-limit burst", [AuditEvents.RateLimitViolated], null, 1, 300, AuditSeverity.Warning, AlertGrouping.Ip),
        Rule(tenantId, "delivery-out-at-closing", "Delivery out at closing", [AuditEvents.DeliveryOutAtClosing], null, 1, 3600, AuditSeverity.Warning, AlertGrouping.Store),
    ];

    private static AuditAlertRule Rule(Guid tenant, string key, string name, List<string> types, AuditSeverity? min, int threshold,
        int windowSeconds, AuditSeverity severity, AlertGrouping group) => new()
    {
        TenantId = tenant, Key = key, Name = name, EventTypes = types, MinSeverity = min, Threshold = threshold,
        WindowSeconds = windowSeconds, Severity = severity, GroupBy = group, Enabled = true,
    };
}
