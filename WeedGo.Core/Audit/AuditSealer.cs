using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using WeedGo.Core.Common;
using WeedGo.Core.Data;

namespace WeedGo.Core.Audit;

/// <summary>
/// Seals committed audit rows into their chain, in batches, off the writers' path. A writer only inserts its row (unsealed:
/// no sequence or hash yet), in its own transaction and batch; this calls the database's <c>agi_audit_seal</c>, which for
/// each chain with unsealed rows takes the chain's advisory lock, reads its head and gives the rows, in the order they were
/// written, their sequence, previous hash and <c>hash = SHA-256(previous hash ‖ canonical row)</c>. Only that function may
/// fill the chain fields (the app's role has no UPDATE right on audit rows; the table's append-only trigger refuses any
/// other change). Called every <see cref="AuditOptions.SealEvery"/> by the web app's sealing worker, and first by every
/// reader that needs the newest rows in the chain: the alert evaluator, the aggregator and the verifier.
/// </summary>
public sealed class AuditSealer(PooledDbContextFactory<WeedGoDbContext> pool)
{
    /// <summary>Rows sealed per call (one transaction); a call that seals this many is followed by another.</summary>
    public const int BatchSize = 5000;

    /// <summary>Seals every committed unsealed row of <paramref name="chain"/> (a tenant id, <see cref="Guid.Empty"/> for the
    /// platform) or, when null, of every chain. Returns how many rows it sealed.</summary>
    public async Task<int> SealAsync(Guid? chain = null, CancellationToken ct = default)
    {
        var total = 0;
        while (true)
        {
            await using var db = await pool.CreateDbContextAsync(ct);
            db.UseTenant(FixedTenantContext.System);
            var sealedNow = await db.Database
                .SqlQuery<int>($"SELECT agi_audit_seal({chain}::uuid, {BatchSize}) AS \"Value\"")
                .SingleAsync(ct);
            total += sealedNow;
            if (sealedNow < BatchSize)
            {
                return total;
            }
        }
    }

    /// <summary>How many committed rows wait to be sealed (all chains, or one).</summary>
    public async Task<long> PendingAsync(Guid? chain = null, CancellationToken ct = default)
    {
        await using var db = await pool.CreateDbContextAsync(ct);
        db.UseTenant(FixedTenantContext.System);
        return await db.AuditLogs.IgnoreQueryFilters()
            .LongCountAsync(a => a.Sequence == null && (chain == null || a.Chain == chain), ct);
    }
}
