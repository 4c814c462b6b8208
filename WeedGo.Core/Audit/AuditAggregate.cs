using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WeedGo.Core.Common;

namespace WeedGo.Core.Audit;

/// <summary>Bucket size of <c>agi_audit_aggregates</c> (UTC hours and UTC days, like the explorer's times).</summary>
public enum AggregatePeriod
{
    Hour = 0,
    Day = 1,
}

/// <summary>
/// One row of <c>agi_audit_aggregates</c>: how many events of one type and severity a tenant's chain (the platform's under
/// the zero uuid) had in one UTC hour or day, and how many distinct users caused them. Written only by
/// <see cref="AuditAggregator"/>, which recomputes every bucket touched by new rows from the raw log.
/// </summary>
public sealed class AuditAggregate : ITenantOwned
{
    public Guid TenantId { get; set; }
    public AggregatePeriod Period { get; set; }
    public DateTimeOffset BucketStart { get; set; }
    public string EventType { get; set; } = "";
    public AuditSeverity Severity { get; set; }
    public long Count { get; set; }
    public int UniqueUsers { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class AuditAggregateConfiguration : IEntityTypeConfiguration<AuditAggregate>
{
    public void Configure(EntityTypeBuilder<AuditAggregate> b)
    {
        b.ToTable("agi_audit_aggregates");
        b.HasKey(a => new { a.TenantId, a.Period, a.BucketStart, a.EventType, a.Severity });
        b.Property(a => a.Period).HasConversion<string>().HasMaxLength(8);
        b.Property(a => a.EventType).HasMaxLength(80);
        b.Property(a => a.Severity).HasConversion<string>().HasMaxLength(16);
    }
}

/// <summary>
/// How far a consumer of the audit log (<c>aggregates</c>, <c>alerts</c>) has read each chain, by the chain's sequence:
/// sequences are given at commit in commit order, so "everything after N" never misses a row that committed late.
/// </summary>
public sealed class AuditCursor
{
    public string Consumer { get; set; } = "";
    public Guid Chain { get; set; }
    public long LastSequence { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class AuditCursorConfiguration : IEntityTypeConfiguration<AuditCursor>
{
    public void Configure(EntityTypeBuilder<AuditCursor> b)
    {
        b.ToTable("agi_audit_cursors");
        b.HasKey(c => new { c.Consumer, c.Chain });
        b.Property(c => c.Consumer).HasMaxLength(40);
    }
}
