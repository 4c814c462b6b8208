using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WeedGo.Core.Common;

namespace WeedGo.Core.RateLimiting;

/// <summary>What one bucket of a rule is shared by: everyone, a tenant, a person (a guest: their IP address), or an IP address.</summary>
public enum RateLimitScope
{
    Global,
    Tenant,
    User,
    Ip,
}

/// <summary>What a rule limits: a named service operation (<see cref="RateOperations"/>) or HTTP requests under a path.</summary>
public enum RateLimitTargetKind
{
    Operation,
    Endpoint,
}

/// <summary>
/// One token-bucket rule of <c>agi_rate_limit_rules</c>. A bucket (one per <see cref="Scope"/> key: the person, the IP…) holds
/// at most <see cref="Capacity"/> + <see cref="Burst"/> tokens, starts full, and refills at <see cref="TokensPerPeriod"/> every
/// <see cref="PeriodSeconds"/> (continuously, not in steps); each request or operation takes one token. "100 requests per 60 s
/// with a burst of 20": capacity 100, 100 per 60 s, burst 20. Every enabled rule that matches applies (a request passes only
/// when each of its buckets has a token), checked in <see cref="Priority"/> order (highest first; the first refusal is the one
/// reported). <see cref="TenantId"/> null: platform-wide (platform admins only); otherwise it applies to that tenant's people
/// and visitors only, in addition to the platform rules (a tenant can tighten, never loosen, the platform's limits).
/// Not <see cref="ITenantOwned"/>: platform rules have no tenant; services filter by tenant themselves.
/// </summary>
public sealed class RateLimitRule : Entity
{
    public Guid? TenantId { get; set; }
    public string Name { get; set; } = "";
    public RateLimitScope Scope { get; set; }
    public RateLimitTargetKind TargetKind { get; set; }
    /// <summary>An operation name (<c>sign-in</c>) or a path prefix matched by whole segments (<c>/api</c>, <c>/api/auth/token</c>).</summary>
    public string Target { get; set; } = "";
    public int Capacity { get; set; }
    public int TokensPerPeriod { get; set; }
    public int PeriodSeconds { get; set; }
    public int Burst { get; set; }
    public int Priority { get; set; }
    public bool Enabled { get; set; } = true;
    /// <summary>Raised on every change: the sum over all rules tells every instance's rule cache that something changed.</summary>
    public int Version { get; set; } = 1;

    /// <summary>The most tokens a bucket holds.</summary>
    public int Size => Capacity + Burst;
}

/// <summary>
/// Persisted state of one bucket (<c>agi_rate_limit_buckets</c>, key: rule + partition key such as <c>u:…</c> or
/// <c>ip:…</c>): the tokens left at <see cref="RefilledAt"/>. Instances lease tokens from it with one atomic upsert (see
/// <see cref="RateLimitBucketStore"/>), so the limit holds across instances and restarts. Tokens leased to an instance and
/// not used before it stops are lost (counted as spent): the limit errs on the strict side.
/// </summary>
public sealed class RateLimitBucket
{
    public Guid RuleId { get; set; }
    public string Key { get; set; } = "";
    /// <summary>The rule's tenant (null for platform rules, whose buckets span tenants).</summary>
    public Guid? TenantId { get; set; }
    public double Tokens { get; set; }
    public DateTimeOffset RefilledAt { get; set; }
    /// <summary>Tokens the last lease granted (read back by the same statement).</summary>
    public int Granted { get; set; }
}

/// <summary>
/// A refusal (<c>agi_rate_limit_violations</c>): who (user, IP, agent), where (tenant), which rule and operation or endpoint,
/// when. Throttled: one row per rule and bucket key per window (a minute by default); further refusals in the window only
/// raise <see cref="Refusals"/> and <see cref="LastAt"/>. Each row is also one <c>ratelimit.violated</c> audit event.
/// </summary>
public sealed class RateLimitViolation
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid? TenantId { get; set; }
    public Guid? RuleId { get; set; }
    public string RuleName { get; set; } = "";
    public RateLimitTargetKind TargetKind { get; set; }
    /// <summary>The operation name or the request path.</summary>
    public string Target { get; set; } = "";
    public string Key { get; set; } = "";
    public Guid? UserId { get; set; }
    public string? Ip { get; set; }
    public string? UserAgent { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public DateTimeOffset LastAt { get; set; }
    public int Refusals { get; set; } = 1;
}

internal sealed class RateLimitRuleConfiguration : IEntityTypeConfiguration<RateLimitRule>
{
    public void Configure(EntityTypeBuilder<RateLimitRule> b)
    {
        b.ToTable("agi_rate_limit_rules", t =>
        {
            t.HasCheckConstraint("ck_agi_rate_limit_rules_numbers",
                "capacity >= 1 AND tokens_per_period >= 1 AND period_seconds >= 1 AND burst >= 0");
        });
        b.Property(r => r.Name).HasMaxLength(120).IsRequired();
        b.Property(r => r.Target).HasMaxLength(200).IsRequired();
        b.Property(r => r.Scope).HasConversion<string>().HasMaxLength(16);
        b.Property(r => r.TargetKind).HasConversion<string>().HasMaxLength(16);
        b.Property(r => r.Version).IsConcurrencyToken();
        b.Ignore(r => r.Size);
        b.HasOne<Tenancy.Tenant>().WithMany().HasForeignKey(r => r.TenantId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(r => new { r.TenantId, r.TargetKind, r.Target });
        b.HasData(RateLimitDefaults.Rules);
    }
}

internal sealed class RateLimitBucketConfiguration : IEntityTypeConfiguration<RateLimitBucket>
{
    public void Configure(EntityTypeBuilder<RateLimitBucket> b)
    {
        b.ToTable("agi_rate_limit_buckets");
        b.HasKey(x => new { x.RuleId, x.Key });
        b.Property(x => x.Key).HasMaxLength(200);
        b.HasOne<RateLimitRule>().WithMany().HasForeignKey(x => x.RuleId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => x.RefilledAt);
    }
}

internal sealed class RateLimitViolationConfiguration : IEntityTypeConfiguration<RateLimitViolation>
{
    public void Configure(EntityTypeBuilder<RateLimitViolation> b)
    {
        b.ToTable("agi_rate_limit_violations");
        b.Property(v => v.RuleName).HasMaxLength(120).IsRequired();
        b.Property(v => v.Target).HasMaxLength(300).IsRequired();
        b.Property(v => v.Key).HasMaxLength(200).IsRequired();
        b.Property(v => v.TargetKind).HasConversion<string>().HasMaxLength(16);
        b.Property(v => v.Ip).HasMaxLength(64);
        b.Property(v => v.UserAgent).HasMaxLength(512);
        // The rule may be deleted later; the violation keeps its name.
        b.HasOne<RateLimitRule>().WithMany().HasForeignKey(v => v.RuleId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(v => new { v.TenantId, v.OccurredAt });
        b.HasIndex(v => v.OccurredAt);
    }
}

/// <summary>The platform-wide defaults (DOMAIN.md, plus the service operations the issue names), seeded by the migration.</summary>
public static class RateLimitDefaults
{
    public static readonly Guid PerUserRequests = new("0199a8c0-0000-7000-8000-000000000001");
    public static readonly Guid PerIpRequests = new("0199a8c0-0000-7000-8000-000000000002");
    public static readonly Guid AiCalls = new("0199a8c0-0000-7000-8000-000000000003");
    public static readonly Guid OneTimeCodes = new("0199a8c0-0000-7000-8000-000000000004");
    public static readonly Guid SignIn = new("0199a8c0-0000-7000-8000-000000000005");
    public static readonly Guid Checkout = new("0199a8c0-0000-7000-8000-000000000006");
    public static readonly Guid Search = new("0199a8c0-0000-7000-8000-000000000007");

    private static readonly DateTimeOffset Seeded = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    public static RateLimitRule[] Rules =>
    [
        Rule(PerUserRequests, "API requests per person", RateLimitScope.User, RateLimitTargetKind.Endpoint, "/api", 100, 100, 60, 20, 100),
        Rule(PerIpRequests, "API requests per IP address", RateLimitScope.Ip, RateLimitTargetKind.Endpoint, "/api", 500, 500, 60, 0, 90),
        Rule(AiCalls, "AI assistant calls per person", RateLimitScope.User, RateLimitTargetKind.Operation, RateOperations.AiModel, 50, 50, 3600, 0, 100),
        Rule(OneTimeCodes, "One-time codes per IP address", RateLimitScope.Ip, RateLimitTargetKind.Operation, RateOperations.OneTimeCode, 20, 20, 3600, 0, 100),
        Rule(SignIn, "Sign-in attempts per IP address", RateLimitScope.Ip, RateLimitTargetKind.Operation, RateOperations.SignIn, 30, 30, 60, 10, 100),
        Rule(Checkout, "Checkouts per person", RateLimitScope.User, RateLimitTargetKind.Operation, RateOperations.Checkout, 10, 10, 60, 5, 100),
        Rule(Search, "Searches per person", RateLimitScope.User, RateLimitTargetKind.Operation, RateOperations.Search, 60, 60, 60, 30, 100),
    ];

    private static RateLimitRule Rule(Guid id, string name, RateLimitScope scope, RateLimitTargetKind kind, string target,
        int capacity, int tokens, int period, int burst, int priority) => new()
    {
        Id = id, Name = name, Scope = scope, TargetKind = kind, Target = target, Capacity = capacity, TokensPerPeriod = tokens,
        PeriodSeconds = period, Burst = burst, Priority = priority, Enabled = true, Version = 1, CreatedAt = Seeded, UpdatedAt = Seeded,
    };
}
