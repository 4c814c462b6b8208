using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;
using NpgsqlTypes;
using WeedGo.Core.Common;
using WeedGo.Core.Data;

namespace WeedGo.Core.RateLimiting;

/// <summary>What a lease got: whole tokens granted, and the tokens left in the persisted bucket afterwards.</summary>
public readonly record struct BucketLease(int Granted, double Left);

/// <summary>
/// The persisted buckets (<c>agi_rate_limit_buckets</c>). A lease is ONE statement: an upsert that refills the bucket to
/// now, adds back what the caller returns, takes up to <c>want</c> whole tokens and reports how many it took — atomic under
/// the row lock, so two instances never hand out the same token. A new bucket starts full.
/// Runs on the platform path (system tenant scope): buckets of platform rules span tenants.
/// </summary>
public sealed class RateLimitBucketStore(PooledDbContextFactory<WeedGoDbContext> pool)
{
    // A = tokens now: refilled since refilled_at (never for time going back), plus the returned tokens, at most the size.
    private const string Available =
        "least(@size::float8, b.tokens + @returned + greatest(0::float8, extract(epoch FROM (@now - b.refilled_at))::float8) * @rate)";

    private const string LeaseSql = $"""
        INSERT INTO agi_rate_limit_buckets AS b (rule_id, key, tenant_id, tokens, refilled_at, granted)
        VALUES (@rule, @key, @tenant, @size - least(@want, @size), @now, least(@want, @size))
        ON CONFLICT (rule_id, key) DO UPDATE SET
            granted = least(@want::float8, floor({Available}))::int,
            tokens = {Available} - least(@want::float8, floor({Available})),
            refilled_at = greatest(b.refilled_at, @now)
        RETURNING granted, tokens
        """;

    public async Task<BucketLease> LeaseAsync(CompiledRule rule, string key, int want, int returned, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var db = await pool.CreateDbContextAsync(ct);
        db.UseTenant(FixedTenantContext.System);
        var row = await db.Database.SqlQueryRaw<LeaseRow>(LeaseSql,
                new NpgsqlParameter("rule", NpgsqlDbType.Uuid) { Value = rule.Id },
                new NpgsqlParameter("key", NpgsqlDbType.Text) { Value = key },
                new NpgsqlParameter("tenant", NpgsqlDbType.Uuid) { Value = (object?)rule.TenantId ?? DBNull.Value },
                new NpgsqlParameter("size", NpgsqlDbType.Integer) { Value = rule.Size },
                new NpgsqlParameter("want", NpgsqlDbType.Integer) { Value = want },
                new NpgsqlParameter("returned", NpgsqlDbType.Double) { Value = (double)returned },
                new NpgsqlParameter("rate", NpgsqlDbType.Double) { Value = rule.RatePerSecond },
                new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now.UtcDateTime })
            .ToListAsync(ct);
        return new BucketLease(row[0].Granted, row[0].Tokens);
    }

    /// <summary>Deletes buckets that have been full for a while (a missing bucket starts full) and violations past retention.</summary>
    public async Task<(int Buckets, int Violations)> SweepAsync(DateTimeOffset now, TimeSpan violationRetention, CancellationToken ct = default)
    {
        await using var db = await pool.CreateDbContextAsync(ct);
        db.UseTenant(FixedTenantContext.System);
        var buckets = await db.Database.ExecuteSqlRawAsync("""
            DELETE FROM agi_rate_limit_buckets b USING agi_rate_limit_rules r
            WHERE b.rule_id = r.id
              AND b.refilled_at < @now - make_interval(secs => (r.capacity + r.burst)::float8 * r.period_seconds / r.tokens_per_period)
            """, [new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now.UtcDateTime }], ct);
        var before = now - violationRetention;
        var violations = await db.RateLimitViolations.Where(v => v.LastAt < before).ExecuteDeleteAsync(ct);
        return (buckets, violations);
    }

    private sealed class LeaseRow
    {
        public int Granted { get; set; }
        public double Tokens { get; set; }
    }
}
