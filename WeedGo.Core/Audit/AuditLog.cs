using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore.Infrastructure;
using WeedGo.Core.Common;
using WeedGo.Core.Data;

namespace WeedGo.Core.Audit;

public sealed class AuditOptions
{
    /// <summary>False: nothing is audited (the bench's comparison only; keep it on).</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>How often the sealing worker seals newly committed audit rows into their chains (<see cref="AuditSealer"/>).
    /// Until then a row is stored but "pending" in the explorer and the verifier.</summary>
    public TimeSpan SealEvery { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>How often the aggregator folds new audit rows into <c>agi_audit_aggregates</c>.</summary>
    public TimeSpan AggregateEvery { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>How often the alert evaluator looks for new events when nothing woke it (writes of watched events wake it at once).</summary>
    public TimeSpan AlertPollEvery { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>How often the background verifier walks every chain and exports the head hashes.</summary>
    public TimeSpan VerifyEvery { get; set; } = TimeSpan.FromHours(1);
    /// <summary>Folder for <c>audit-heads.jsonl</c> (one line per run and chain); empty: the log only.</summary>
    public string? HeadExportFolder { get; set; }
}

/// <summary>The one way security events reach <c>agi_audit_logs</c>.</summary>
public interface IAuditLog
{
    /// <summary>Writes the event now, in its own transaction. <paramref name="tenantId"/> null with
    /// <paramref name="platform"/> false means "the caller's tenant"; <paramref name="platform"/> true: the platform chain.</summary>
    Task RecordAsync(string eventType, AuditSeverity severity, object? details = null, Guid? tenantId = null,
        Guid? storeId = null, Guid? userId = null, bool platform = false, CancellationToken ct = default);

    /// <summary>Adds the event to <paramref name="db"/>'s unit of work: it commits (or rolls back) with the caller's changes.</summary>
    AuditLogEntry Stage(WeedGoDbContext db, string eventType, AuditSeverity severity, object? details = null,
        Guid? tenantId = null, Guid? storeId = null);
}

public sealed class AuditLog(
    PooledDbContextFactory<WeedGoDbContext> pool, ITenantContext tenant, ICurrentUser user, IAuditRequestContext request,
    TimeProvider clock, Microsoft.Extensions.Options.IOptions<AuditOptions> options, AuditAlertSignal? signal = null) : IAuditLog
{
    /// <summary>The log of background jobs: nobody signed in, no request, the platform scope (each event names its chain).</summary>
    public static AuditLog ForSystem(PooledDbContextFactory<WeedGoDbContext> pool, TimeProvider clock,
        Microsoft.Extensions.Options.IOptions<AuditOptions> options, AuditAlertSignal? signal = null) =>
        new(pool, FixedTenantContext.System, SystemUser.Instance, new AuditRequestContext(), clock, options, signal);

    public async Task RecordAsync(string eventType, AuditSeverity severity, object? details = null, Guid? tenantId = null,
        Guid? storeId = null, Guid? userId = null, bool platform = false, CancellationToken ct = default)
    {
        if (!options.Value.Enabled)
        {
            return;
        }
        // Built before the first await: callers may fire and forget from a scope that ends soon after.
        var row = Build(eventType, severity, details, platform ? null : tenantId ?? (tenant.AllTenants ? null : tenant.TenantId), storeId);
        row.UserId = userId ?? row.UserId;
        await using var db = await pool.CreateDbContextAsync(ct);
        db.UseTenant(FixedTenantContext.System);
        db.UseAuditActor(AuditActor.None, enabled: false); // this row is the record; nothing else is saved
        db.AuditLogs.Add(row);
        await db.SaveChangesAsync(ct);
        signal?.Written(eventType, severity); // committed: a rule that counts it is evaluated now
    }

    public AuditLogEntry Stage(WeedGoDbContext db, string eventType, AuditSeverity severity, object? details = null,
        Guid? tenantId = null, Guid? storeId = null)
    {
        var row = Build(eventType, severity, details, tenantId ?? (db.AllTenants ? null : db.CurrentTenantId), storeId);
        if (options.Value.Enabled && db.AuditEnabled)
        {
            db.AuditLogs.Add(row);
        }
        return row;
    }

    private AuditLogEntry Build(string eventType, AuditSeverity severity, object? details, Guid? tenantId, Guid? storeId) => new()
    {
        // The zero uuid is how platform-owned rows (alert rules, alerts) name the platform: its events go to the platform chain.
        TenantId = tenantId == AuditAlertDefaults.PlatformTenant ? null : tenantId,
        StoreId = storeId,
        UserId = user.UserId,
        EventType = eventType,
        Severity = severity,
        Details = details is null ? null : MaskSecrets(JsonSerializer.SerializeToNode(details))?.ToJsonString(),
        Ip = request.Ip,
        UserAgent = request.UserAgent,
        CorrelationId = request.CorrelationId,
        OccurredAt = clock.GetUtcNow(),
    };

    /// <summary>Any key that names a secret (password, token, code hash…) is replaced by <see cref="AuditPolicy.Masked"/>.</summary>
    public static JsonNode? MaskSecrets(JsonNode? node)
    {
        if (node is JsonObject o)
        {
            foreach (var (k, v) in o.ToList())
            {
                if (AuditPolicy.IsSecret(k) || k.Equals("code", StringComparison.OrdinalIgnoreCase))
                {
                    o[k] = AuditPolicy.Masked;
                }
                else
                {
                    MaskSecrets(v);
                }
            }
        }
        else if (node is JsonArray a)
        {
            foreach (var item in a)
            {
                MaskSecrets(item);
            }
        }
        return node;
    }
}
