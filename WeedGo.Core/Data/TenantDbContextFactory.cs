using Microsoft.EntityFrameworkCore;
using WeedGo.Core.Common;

namespace WeedGo.Core.Data;

/// <summary>
/// The <see cref="IDbContextFactory{TContext}"/> services receive: leases a context from the pool and scopes it to the
/// caller's tenant. Registered scoped (one per request or Blazor circuit), so the tenant comes from the signed-in user.
/// <para>
/// The platform scope (every tenant; PostgreSQL's <c>app.all_tenants</c>) is reached only through an <see cref="ITenantContext"/>
/// whose <c>AllTenants</c> is true: <see cref="FixedTenantContext.System"/> in system code (jobs, seeding, the audit writer), or a
/// signed-in platform admin. When a person's lease uses it, the first such lease of the request or circuit is recorded as
/// <see cref="Audit.AuditEvents.PlatformScopeUsed"/> (platform chain), so cross-tenant work by people leaves a trace.
/// </para>
/// </summary>
public sealed class TenantDbContextFactory(
    IDbContextFactory<WeedGoDbContext> pool, ITenantContext tenant, ICurrentUser? user = null,
    Audit.IAuditRequestContext? request = null, bool auditEnabled = true, Audit.IAuditLog? audit = null) : IDbContextFactory<WeedGoDbContext>
{
    private int _platformScopeRecorded;

    private Audit.AuditActor Actor => new(user?.UserId, request?.Ip, request?.UserAgent, request?.CorrelationId);

    public WeedGoDbContext CreateDbContext()
    {
        var context = pool.CreateDbContext();
        context.UseTenant(tenant);
        context.UseAuditActor(Actor, auditEnabled);
        RecordPlatformScope();
        return context;
    }

    public async Task<WeedGoDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default)
    {
        var context = await pool.CreateDbContextAsync(cancellationToken);
        context.UseTenant(tenant);
        context.UseAuditActor(Actor, auditEnabled);
        RecordPlatformScope();
        return context;
    }

    private void RecordPlatformScope()
    {
        if (audit is null || !tenant.AllTenants || user?.UserId is not { } person
            || Interlocked.Exchange(ref _platformScopeRecorded, 1) == 1)
        {
            return;
        }
        // Its own transaction, not awaited: the lease must not wait for the audit row (a failure is only logged by the caller's host).
        _ = audit.RecordAsync(Audit.AuditEvents.PlatformScopeUsed, Audit.AuditSeverity.Info,
            new { scope = "all tenants", correlation = request?.CorrelationId }, userId: person, platform: true)
            .ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }
}
