using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WeedGo.Core.Audit;

/// <summary>How serious an audit event is.</summary>
public enum AuditSeverity
{
    Info = 0,
    Warning = 1,
    Error = 2,
    Critical = 3,
}

/// <summary>
/// One row of <c>agi_audit_logs</c>: an entity change (insert/update/delete with old → new per field) or a security event.
/// Append-only: PostgreSQL refuses UPDATE and DELETE. <see cref="Chain"/>, <see cref="Sequence"/>, <see cref="PreviousHash"/>
/// and <see cref="Hash"/> are set by the database when the transaction commits (a deferred trigger, under an advisory lock
/// per chain), so whatever the app sends for them is ignored.
/// </summary>
public sealed class AuditLogEntry
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    /// <summary>Null: a platform event (its own chain).</summary>
    public Guid? TenantId { get; set; }
    public Guid? StoreId { get; set; }
    public Guid? UserId { get; set; }
    public string EventType { get; set; } = "";
    public AuditSeverity Severity { get; set; }
    public string? EntityType { get; set; }
    public string? EntityKey { get; set; }
    /// <summary>insert, update or delete for entity changes; null for security events.</summary>
    public string? Action { get; set; }
    /// <summary>jsonb <c>{"Field": {"old": …, "new": …}}</c>; secrets appear as <c>"***"</c>.</summary>
    public string? Changes { get; set; }
    /// <summary>jsonb with the event's details (outcome, email tried, reason…).</summary>
    public string? Details { get; set; }
    public string? Ip { get; set; }
    public string? UserAgent { get; set; }
    public string? CorrelationId { get; set; }
    public DateTimeOffset OccurredAt { get; set; }

    /// <summary>The chain: the tenant, or <see cref="Guid.Empty"/> for platform events. Set by the database.</summary>
    public Guid Chain { get; set; }
    public long? Sequence { get; set; }
    public string? PreviousHash { get; set; }
    public string? Hash { get; set; }
}

internal sealed class AuditLogEntryConfiguration : IEntityTypeConfiguration<AuditLogEntry>
{
    public void Configure(EntityTypeBuilder<AuditLogEntry> b)
    {
        b.ToTable("agi_audit_logs");
        b.Property(a => a.EventType).HasMaxLength(80).IsRequired();
        b.Property(a => a.Severity).HasConversion<string>().HasMaxLength(16);
        b.Property(a => a.EntityType).HasMaxLength(80);
        b.Property(a => a.EntityKey).HasMaxLength(200);
        b.Property(a => a.Action).HasMaxLength(16);
        b.Property(a => a.Changes).HasColumnType("jsonb");
        b.Property(a => a.Details).HasColumnType("jsonb");
        b.Property(a => a.Ip).HasMaxLength(64);
        b.Property(a => a.UserAgent).HasMaxLength(512);
        b.Property(a => a.CorrelationId).HasMaxLength(100);
        b.Property(a => a.PreviousHash).HasMaxLength(64);
        b.Property(a => a.Hash).HasMaxLength(64);
        // Partial: a row's unsealed version (sequence null, dead after the sealing update) never enters this index, so the
        // sealing trigger's "head of the chain" lookup is one step however long the chain grows.
        b.HasIndex(a => new { a.Chain, a.Sequence }).IsUnique().HasFilter("sequence IS NOT NULL");
        b.HasIndex(a => new { a.TenantId, a.OccurredAt });
    }
}
