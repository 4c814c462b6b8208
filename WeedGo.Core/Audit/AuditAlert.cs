using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WeedGo.Core.Common;

namespace WeedGo.Core.Audit;

/// <summary>
/// One row of <c>agi_audit_alerts</c>: a rule's threshold was reached for one group (a user, an IP, a store, the tenant).
/// At most one alert per rule and group is not resolved (a partial unique index): while the condition persists, further
/// matching events raise <see cref="Count"/> and <see cref="LastSeenAt"/> instead of a new alert.
/// </summary>
public sealed class AuditAlert : TenantEntity
{
    public Guid RuleId { get; set; }
    public string RuleName { get; set; } = "";
    public AuditSeverity Severity { get; set; }
    public AlertGrouping GroupBy { get; set; }
    /// <summary>What the events were counted by (user id, <c>email:…</c>, IP, store id, <c>tenant</c>).</summary>
    public string GroupKey { get; set; } = "";
    /// <summary>The group for people (an email, an IP, a store's name).</summary>
    public string GroupLabel { get; set; } = "";
    public string Message { get; set; } = "";
    public int Threshold { get; set; }
    public int WindowSeconds { get; set; }
    /// <summary>Matching events since the alert was raised, the one that reached the threshold and those before it in the
    /// window included.</summary>
    public int Count { get; set; }
    public DateTimeOffset FirstSeenAt { get; set; }
    /// <summary>When the event that reached the threshold happened.</summary>
    public DateTimeOffset TriggeredAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
    public Guid TriggerEventId { get; set; }
    public Guid LastEventId { get; set; }
    public AlertStatus Status { get; set; }
    public Guid? AcknowledgedBy { get; set; }
    public DateTimeOffset? AcknowledgedAt { get; set; }
    public string? AcknowledgeNote { get; set; }
    public Guid? ResolvedBy { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public string? ResolveNote { get; set; }
}

internal sealed class AuditAlertConfiguration : IEntityTypeConfiguration<AuditAlert>
{
    public void Configure(EntityTypeBuilder<AuditAlert> b)
    {
        b.ToTable("agi_audit_alerts");
        b.Property(a => a.RuleName).HasMaxLength(120).IsRequired();
        b.Property(a => a.Severity).HasConversion<string>().HasMaxLength(16);
        b.Property(a => a.GroupBy).HasConversion<string>().HasMaxLength(16);
        b.Property(a => a.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(a => a.GroupKey).HasMaxLength(200).IsRequired();
        b.Property(a => a.GroupLabel).HasMaxLength(200).IsRequired();
        b.Property(a => a.Message).HasMaxLength(500).IsRequired();
        b.Property(a => a.AcknowledgeNote).HasMaxLength(1000);
        b.Property(a => a.ResolveNote).HasMaxLength(1000);
        b.HasOne<AuditAlertRule>().WithMany().HasForeignKey(a => a.RuleId).OnDelete(DeleteBehavior.Restrict);
        // Deduplication in the database too: one alert per rule and group that is not resolved.
        b.HasIndex(a => new { a.TenantId, a.RuleId, a.GroupKey }).IsUnique().HasFilter("status <> 'Resolved'");
        b.HasIndex(a => new { a.TenantId, a.Status, a.TriggeredAt });
    }
}
