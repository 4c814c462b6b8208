using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Data;

namespace WeedGo.Core.Audit;

/// <summary>What the explorer filters on. Null fields do not filter. <see cref="TenantId"/> counts for platform admins only.</summary>
public sealed record AuditFilter(
    DateTimeOffset? From = null, DateTimeOffset? To = null, Guid? TenantId = null, bool PlatformOnly = false, Guid? StoreId = null,
    Guid? UserId = null, string? EventType = null, string? EntityType = null, AuditSeverity? MinSeverity = null);

public sealed record AuditRow(
    Guid Id, DateTimeOffset OccurredAt, Guid? TenantId, string? TenantName, Guid? StoreId, string? StoreName, Guid? UserId,
    string? UserEmail, string EventType, AuditSeverity Severity, string? EntityType, string? EntityKey, string? Action,
    string? Changes, string? Details, string? Ip, string? UserAgent, string? CorrelationId, long? Sequence, string? Hash);

public sealed record AuditRowsPage(IReadOnlyList<AuditRow> Rows, int Total);

/// <summary>One field of a change: old → new (JSON text; <c>***</c> for secrets).</summary>
public sealed record AuditFieldChange(string Field, string? Old, string? New);

/// <summary>
/// Reads of <c>agi_audit_logs</c> for the Audit area (policy <see cref="Policies.AuditReview"/>): a platform admin sees every
/// tenant and the platform chain, a tenant admin only their tenant. Exports and verifications are themselves audited.
/// </summary>
public sealed class AuditQueries(
    PooledDbContextFactory<WeedGoDbContext> pool, ICurrentUser user, ITenantContext tenant, IAuditLog audit, AuditVerifier verifier,
    AuditChainBoard? board = null)
{
    public const int MaxExportRows = 100_000;

    private bool Platform => user.IsInRole(Roles.PlatformAdmin) && tenant.AllTenants;

    public async Task<Result<AuditRowsPage>> SearchAsync(AuditFilter filter, int page, int pageSize, CancellationToken ct = default)
    {
        if (await DemandAsync(ct) is { } denied)
        {
            return denied;
        }
        await using var db = await pool.CreateDbContextAsync(ct);
        db.UseTenant(FixedTenantContext.System);
        var q = Filter(db, filter);
        var total = await q.CountAsync(ct);
        var rows = await Project(db, q.OrderByDescending(a => a.OccurredAt).ThenByDescending(a => a.Id)
            .Skip(Math.Max(0, page) * pageSize).Take(Math.Clamp(pageSize, 1, 500))).ToListAsync(ct);
        return new AuditRowsPage(rows, total);
    }

    /// <summary>The CSV of every row the filter matches (at most <see cref="MaxExportRows"/>, newest first). Audited.</summary>
    public async Task<Result<string>> ExportCsvAsync(AuditFilter filter, CancellationToken ct = default)
    {
        if (await DemandAsync(ct) is { } denied)
        {
            return denied;
        }
        // The file carries each row's place in the chain: seal what was written up to now first.
        await new AuditSealer(pool).SealAsync(Platform ? null : tenant.TenantId, ct);
        await using var db = await pool.CreateDbContextAsync(ct);
        db.UseTenant(FixedTenantContext.System);
        var rows = await Project(db, Filter(db, filter).OrderByDescending(a => a.OccurredAt).ThenByDescending(a => a.Id)
            .Take(MaxExportRows)).ToListAsync(ct);
        var csv = new StringBuilder("occurred_at,tenant,store,user,event_type,severity,entity_type,entity_key,action,changes,details,ip,user_agent,correlation_id,sequence,hash\n");
        foreach (var r in rows)
        {
            csv.AppendJoin(',', new[]
            {
                r.OccurredAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), r.TenantName, r.StoreName, r.UserEmail ?? r.UserId?.ToString(),
                r.EventType, r.Severity.ToString(), r.EntityType, r.EntityKey, r.Action, r.Changes, r.Details, r.Ip, r.UserAgent,
                r.CorrelationId, r.Sequence?.ToString(CultureInfo.InvariantCulture), r.Hash,
            }.Select(Csv)).Append('\n');
        }
        await audit.RecordAsync(AuditEvents.Exported, AuditSeverity.Info,
            new { export = "audit_log", rows = rows.Count, filter = filter with { } }, ct: ct);
        return csv.ToString();
    }

    /// <summary>Walks the chains the caller may see (platform admin: all; tenant admin: their tenant's) and records the result.</summary>
    public async Task<Result<IReadOnlyList<ChainStatus>>> VerifyNowAsync(CancellationToken ct = default)
    {
        if (await DemandAsync(ct) is { } denied)
        {
            return Result<IReadOnlyList<ChainStatus>>.Fail(denied);
        }
        IReadOnlyList<ChainStatus> result = Platform ? await verifier.VerifyAllAsync(ct) : [await verifier.VerifyAsync(tenant.TenantId, ct)];
        board?.Update(result);
        await audit.RecordAsync(AuditEvents.ChainVerified, result.All(r => r.Intact) ? AuditSeverity.Info : AuditSeverity.Critical,
            new { chains = result.Count, broken = result.Where(r => !r.Intact).Select(r => new { r.TenantId, r.FirstBadSequence, r.Problem }) }, ct: ct);
        return Result.Ok(result);
    }

    /// <summary>Tenants and stores for the filters (platform admin: all tenants; tenant admin: their stores).</summary>
    public async Task<Result<AuditFilterOptions>> OptionsAsync(CancellationToken ct = default)
    {
        if (await DemandAsync(ct) is { } denied)
        {
            return denied;
        }
        await using var db = await pool.CreateDbContextAsync(ct);
        db.UseTenant(FixedTenantContext.System);
        var tenants = Platform
            ? await db.Tenants.OrderBy(t => t.Name).Select(t => new AuditOption(t.Id, t.Name)).ToListAsync(ct)
            : await db.Tenants.Where(t => t.Id == tenant.TenantId).Select(t => new AuditOption(t.Id, t.Name)).ToListAsync(ct);
        var tenantIds = tenants.Select(t => t.Id).ToList();
        var stores = await db.Stores.Where(s => tenantIds.Contains(s.TenantId)).OrderBy(s => s.Name)
            .Select(s => new AuditOption(s.Id, s.Name)).ToListAsync(ct);
        var users = await db.Users.Where(u => Platform || u.TenantId == tenant.TenantId)
            .Where(u => db.UserRoles.Any(r => r.UserId == u.Id && db.Roles.Any(x => x.Id == r.RoleId && x.Name != Roles.Customer)))
            .OrderBy(u => u.Email).Select(u => new AuditOption(u.Id, u.Email ?? u.UserName ?? "")).Take(500).ToListAsync(ct);
        var entities = AuditPolicy.AuditedTypes.Select(AuditPolicy.NameOf).Order().ToList();
        return new AuditFilterOptions(Platform, tenants, stores, users, AuditEvents.All, entities);
    }

    /// <summary>Old → new per field of an entity change (or the event's details as "new" values).</summary>
    public static IReadOnlyList<AuditFieldChange> Diff(string? changesJson)
    {
        if (string.IsNullOrEmpty(changesJson))
        {
            return [];
        }
        var node = System.Text.Json.Nodes.JsonNode.Parse(changesJson) as System.Text.Json.Nodes.JsonObject;
        if (node is null)
        {
            return [];
        }
        return node.Select(kv => kv.Value is System.Text.Json.Nodes.JsonObject pair && (pair.ContainsKey("old") || pair.ContainsKey("new"))
                ? new AuditFieldChange(kv.Key, Text(pair["old"]), Text(pair["new"]))
                : new AuditFieldChange(kv.Key, null, Text(kv.Value)))
            .ToList();

        static string? Text(System.Text.Json.Nodes.JsonNode? n) =>
            n is null ? null : n is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var s) ? s : n.ToJsonString();
    }

    private async Task<Error?> DemandAsync(CancellationToken ct)
    {
        var error = user.Demand(Policies.AuditReview);
        if (error is null && !Platform && tenant.TenantId is null)
        {
            error = Error.Forbidden("Your account has no tenant to audit.");
        }
        // Demand already reported a role refusal to an observing user (the web's UserContext): record it here only otherwise.
        if (error is not null && user.IsAuthenticated && (user is not IAuthorizationDenialObserver || user.Satisfies(Policies.AuditReview)))
        {
            await audit.RecordAsync(AuditEvents.PermissionDenied, AuditSeverity.Warning, new { area = "audit", policy = Policies.AuditReview }, ct: ct);
        }
        return error;
    }

    private IQueryable<AuditLogEntry> Filter(WeedGoDbContext db, AuditFilter f)
    {
        var q = db.AuditLogs.AsNoTracking();
        if (Platform)
        {
            if (f.PlatformOnly)
            {
                q = q.Where(a => a.TenantId == null);
            }
            else if (f.TenantId is { } t)
            {
                q = q.Where(a => a.TenantId == t);
            }
        }
        else
        {
            var own = tenant.TenantId;
            q = q.Where(a => a.TenantId == own);
        }
        if (f.From is { } from)
        {
            q = q.Where(a => a.OccurredAt >= from.ToUniversalTime());
        }
        if (f.To is { } to)
        {
            q = q.Where(a => a.OccurredAt < to.ToUniversalTime());
        }
        if (f.StoreId is { } store)
        {
            q = q.Where(a => a.StoreId == store);
        }
        if (f.UserId is { } u)
        {
            q = q.Where(a => a.UserId == u);
        }
        if (!string.IsNullOrEmpty(f.EventType))
        {
            q = q.Where(a => a.EventType == f.EventType);
        }
        if (!string.IsNullOrEmpty(f.EntityType))
        {
            q = q.Where(a => a.EntityType == f.EntityType);
        }
        if (f.MinSeverity is { } sev)
        {
            var allowed = Enum.GetValues<AuditSeverity>().Where(s => s >= sev).ToList();
            q = q.Where(a => allowed.Contains(a.Severity));
        }
        return q;
    }

    private static IQueryable<AuditRow> Project(WeedGoDbContext db, IQueryable<AuditLogEntry> q) =>
        q.Select(a => new AuditRow(a.Id, a.OccurredAt, a.TenantId,
            db.Tenants.Where(t => t.Id == a.TenantId).Select(t => t.Name).FirstOrDefault(), a.StoreId,
            db.Stores.Where(s => s.Id == a.StoreId).Select(s => s.Name).FirstOrDefault(), a.UserId,
            db.Users.Where(x => x.Id == a.UserId).Select(x => x.Email).FirstOrDefault(), a.EventType, a.Severity, a.EntityType,
            a.EntityKey, a.Action, a.Changes, a.Details, a.Ip, a.UserAgent, a.CorrelationId, a.Sequence, a.Hash));

    private static string Csv(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        // Formula injection: a cell starting with = + - @ is prefixed so spreadsheets show it as text.
        if (value[0] is '=' or '+' or '-' or '@')
        {
            value = "'" + value;
        }
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}

public sealed record AuditOption(Guid Id, string Name);

public sealed record AuditFilterOptions(
    bool IsPlatform, IReadOnlyList<AuditOption> Tenants, IReadOnlyList<AuditOption> Stores, IReadOnlyList<AuditOption> Users,
    IReadOnlyList<string> EventTypes, IReadOnlyList<string> EntityTypes);
