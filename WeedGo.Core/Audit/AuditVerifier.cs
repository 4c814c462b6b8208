using WeedGo.Core.Common;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;
using WeedGo.Core.Data;

namespace WeedGo.Core.Audit;

/// <summary>The outcome of walking one chain. <paramref name="Rows"/> counts the sealed rows; <paramref name="Pending"/> the
/// rows committed after the verifier sealed the chain, which the next seal (within a second) adds.</summary>
public sealed record ChainStatus(
    Guid? TenantId, long Rows, long? HeadSequence, string? HeadHash, bool Intact, long? FirstBadSequence, string? Problem,
    DateTimeOffset CheckedAt, long Pending = 0);

/// <summary>
/// Walks a chain of <c>agi_audit_logs</c> in sequence order and recomputes every hash in C# from the row's columns
/// (<c>SHA-256(previous hash ‖ canonical row)</c>, the canonical text from <c>agi_audit_canonical</c>); names the first row
/// that was altered or is missing. It seals the chain first (<see cref="AuditSealer"/>), so everything committed before the
/// check is covered. It does not check who asks: <see cref="AuditQueries.VerifyNowAsync"/> does.
/// </summary>
public sealed class AuditVerifier(PooledDbContextFactory<WeedGoDbContext> pool, TimeProvider clock)
{
    private readonly AuditSealer _sealer = new(pool);

    /// <summary>Verifies one chain: a tenant's, or (null) the platform's.</summary>
    public async Task<ChainStatus> VerifyAsync(Guid? tenantId, CancellationToken ct = default)
    {
        await _sealer.SealAsync(tenantId ?? Guid.Empty, ct);
        await using var db = await pool.CreateDbContextAsync(ct);
        // A tenant's chain is read in that tenant's scope; the platform chain needs the platform scope (row-level security).
        db.UseTenant(tenantId is { } t ? FixedTenantContext.For(t) : FixedTenantContext.System);
        await db.Database.OpenConnectionAsync(ct);
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var cmd = new NpgsqlCommand("""
            SELECT a.sequence, a.previous_hash, a.hash, agi_audit_canonical(a)
            FROM agi_audit_logs a WHERE a.chain = @chain ORDER BY a.sequence NULLS LAST, a.id
            """, conn);
        cmd.Parameters.AddWithValue("chain", tenantId ?? Guid.Empty);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        long expected = 1, rows = 0, pending = 0;
        string? last = null;
        while (await reader.ReadAsync(ct))
        {
            long? seq = reader.IsDBNull(0) ? null : reader.GetInt64(0);
            var prev = reader.IsDBNull(1) ? null : reader.GetString(1);
            var hash = reader.IsDBNull(2) ? null : reader.GetString(2);
            var canonical = reader.GetString(3);
            if (seq is null)
            {
                pending++; // committed after the seal above (unsealed rows sort last): the next seal adds it
                continue;
            }
            rows++;
            if (hash is null)
            {
                return Bad(tenantId, rows, expected - 1, last, seq, $"Row #{seq} has a place in the chain but no hash (written around the sealer).");
            }
            if (seq > expected)
            {
                return Bad(tenantId, rows, expected - 1, last, expected, $"Row #{expected} is missing (the next row is #{seq}).");
            }
            if (seq < expected)
            {
                return Bad(tenantId, rows, expected - 1, last, seq, $"Row #{seq} appears twice.");
            }
            if (Hash(prev, canonical) != hash)
            {
                return Bad(tenantId, rows, expected - 1, last, seq, $"Row #{seq} was altered: its content no longer matches its hash.");
            }
            if (prev != last)
            {
                return Bad(tenantId, rows, expected - 1, last, seq - 1,
                    $"Row #{seq - 1} was altered: its hash no longer matches the link stored in row #{seq}.");
            }
            last = hash;
            expected++;
        }
        return new ChainStatus(tenantId, rows, rows == 0 ? null : expected - 1, last, true, null, null, clock.GetUtcNow(), pending);
    }

    /// <summary>Verifies every chain present in the table (the platform chain as <c>null</c>).</summary>
    public async Task<IReadOnlyList<ChainStatus>> VerifyAllAsync(CancellationToken ct = default)
    {
        List<Guid> chains;
        await using (var db = await pool.CreateDbContextAsync(ct))
        {
            chains = await db.AuditLogs.IgnoreQueryFilters().Select(a => a.Chain).Distinct().ToListAsync(ct);
        }
        var result = new List<ChainStatus>();
        foreach (var c in chains.Order())
        {
            result.Add(await VerifyAsync(c == Guid.Empty ? null : c, ct));
        }
        return result;
    }

    /// <summary>The chain's hash rule, computed independently of the database: lowercase hex SHA-256 of the previous hash
    /// (empty for the first row) followed by the canonical row text, UTF-8.</summary>
    public static string Hash(string? previous, string canonical) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes((previous ?? "") + canonical)));

    private ChainStatus Bad(Guid? tenant, long rows, long head, string? headHash, long? bad, string problem) =>
        new(tenant, rows, head == 0 ? null : head, headHash, false, bad, problem, clock.GetUtcNow());
}
