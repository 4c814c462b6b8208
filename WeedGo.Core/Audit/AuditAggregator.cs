using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using WeedGo.Core.Common;
using WeedGo.Core.Data;

namespace WeedGo.Core.Audit;

/// <summary>What one aggregation run did.</summary>
public sealed record AggregationRun(int ChainsUpdated, long RowsRead, int HourBuckets, int DayBuckets);

/// <summary>
/// Keeps <c>agi_audit_aggregates</c> up to date: for each chain, the rows sealed since its cursor (<c>agi_audit_cursors</c>,
/// consumer <c>aggregates</c>) name the UTC hours and days they fall in, and each of those buckets is recomputed from the raw
/// log (count and distinct users per event type and severity) and replaced, in one transaction with the cursor's advance.
/// Recomputing instead of adding makes a run idempotent (a crash between the write and the cursor repeats nothing twice) and
/// exact for distinct users; the cursor makes it incremental, and after downtime the next run simply has more rows to read.
/// </summary>
public sealed class AuditAggregator(PooledDbContextFactory<WeedGoDbContext> pool, TimeProvider clock)
{
    public const string Consumer = "aggregates";
    private readonly AuditSealer _sealer = new(pool);

    public async Task<AggregationRun> RunOnceAsync(CancellationToken ct = default)
    {
        await _sealer.SealAsync(ct: ct); // the cursor follows the chain: count what was written up to now
        List<Guid> chains;
        await using (var db = await pool.CreateDbContextAsync(ct))
        {
            db.UseTenant(FixedTenantContext.System);
            chains = [AuditAlertDefaults.PlatformTenant, .. await db.Tenants.AsNoTracking().OrderBy(t => t.Id).Select(t => t.Id).ToListAsync(ct)];
        }
        int updated = 0, hours = 0, days = 0;
        long read = 0;
        foreach (var chain in chains)
        {
            var (n, h, d) = await AggregateChainAsync(chain, ct);
            if (n > 0)
            {
                updated++;
                read += n;
                hours += h;
                days += d;
            }
        }
        return new AggregationRun(updated, read, hours, days);
    }

    private async Task<(long Read, int Hours, int Days)> AggregateChainAsync(Guid chain, CancellationToken ct)
    {
        await using var db = await pool.CreateDbContextAsync(ct);
        db.UseTenant(FixedTenantContext.For(chain));
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        var key = chain.ToString();
        if (!await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock(1099, hashtext({key})) AS \"Value\"").SingleAsync(ct))
        {
            return (0, 0, 0);
        }
        var cursor = await db.AuditCursors.FindAsync([Consumer, chain], ct);
        var last = cursor?.LastSequence ?? 0;
        var head = await db.AuditLogs.Where(a => a.Chain == chain && a.Sequence != null).MaxAsync(a => a.Sequence, ct) ?? 0;
        if (head <= last)
        {
            return (0, 0, 0);
        }

        var hourStarts = new List<DateTime>();
        long read = 0;
        await using (var cmd = new NpgsqlCommand("""
            SELECT date_trunc('hour', occurred_at, 'UTC') AS h, count(*) FROM agi_audit_logs
            WHERE chain = @chain AND sequence > @last AND sequence <= @head GROUP BY 1 ORDER BY 1
            """, conn, (NpgsqlTransaction)tx.GetDbTransaction()))
        {
            cmd.Parameters.AddWithValue("chain", chain);
            cmd.Parameters.AddWithValue("last", last);
            cmd.Parameters.AddWithValue("head", head);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                hourStarts.Add(reader.GetFieldValue<DateTime>(0));
                read += reader.GetInt64(1);
            }
        }
        var dayStarts = hourStarts.Select(h => h.Date).Distinct().Select(d => DateTime.SpecifyKind(d, DateTimeKind.Utc)).ToList();
        await RecomputeAsync(conn, tx.GetDbTransaction(), chain, "Hour", "hour", hourStarts, ct);
        await RecomputeAsync(conn, tx.GetDbTransaction(), chain, "Day", "day", dayStarts, ct);

        if (cursor is null)
        {
            db.AuditCursors.Add(new AuditCursor { Consumer = Consumer, Chain = chain, LastSequence = head, UpdatedAt = clock.GetUtcNow() });
        }
        else
        {
            cursor.LastSequence = head;
            cursor.UpdatedAt = clock.GetUtcNow();
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (read, hourStarts.Count, dayStarts.Count);
    }

    /// <summary>Replaces the chain's buckets starting at <paramref name="starts"/> with counts recomputed from the raw log.</summary>
    private async Task RecomputeAsync(NpgsqlConnection conn, System.Data.Common.DbTransaction tx, Guid chain, string period,
        string unit, List<DateTime> starts, CancellationToken ct)
    {
        if (starts.Count == 0)
        {
            return;
        }
        // tenant_id = chain for a tenant (its index); tenant_id IS NULL for the platform chain.
        var tenantCondition = chain == AuditAlertDefaults.PlatformTenant ? "a.tenant_id IS NULL" : "a.tenant_id = @chain";
        await using var cmd = new NpgsqlCommand($"""
            DELETE FROM agi_audit_aggregates WHERE tenant_id = @chain AND period = @period AND bucket_start = ANY(@starts);
            INSERT INTO agi_audit_aggregates (tenant_id, period, bucket_start, event_type, severity, count, unique_users, updated_at)
            SELECT @chain, @period, b.start, a.event_type, a.severity, count(*), count(DISTINCT a.user_id), @now
            FROM unnest(@starts) AS b(start)
            JOIN agi_audit_logs a ON {tenantCondition} AND a.occurred_at >= b.start AND a.occurred_at < b.start + interval '1 {unit}'
            WHERE a.sequence IS NOT NULL
            GROUP BY b.start, a.event_type, a.severity;
            """, conn, (NpgsqlTransaction)tx);
        cmd.Parameters.AddWithValue("chain", chain);
        cmd.Parameters.AddWithValue("period", period);
        cmd.Parameters.AddWithValue("starts", starts.ToArray());
        cmd.Parameters.AddWithValue("now", clock.GetUtcNow());
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
