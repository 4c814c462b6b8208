using Microsoft.EntityFrameworkCore;
using WeedGo.Core.Common;

namespace WeedGo.Core.Data;

/// <summary>
/// The <see cref="IDbContextFactory{TContext}"/> services receive: leases a context from the pool and scopes it to the
/// caller's tenant. Registered scoped (one per request or Blazor circuit), so the tenant comes from the signed-in user.
/// </summary>
public sealed class TenantDbContextFactory(
    IDbContextFactory<WeedGoDbContext> pool, ITenantContext tenant, ICurrentUser? user = null,
    Audit.IAuditRequestContext? request = null, bool auditEnabled = true) : IDbContextFactory<WeedGoDbContext>
{
    private Audit.AuditActor Actor => new(user?.UserId, request?.Ip, request?.UserAgent, request?.CorrelationId);

    public WeedGoDbContext CreateDbContext()
    {
        var context = pool.CreateDbContext();
        context.UseTenant(tenant);
        context.UseAuditActor(Actor, auditEnabled);
        return context;
    }

    public async Task<WeedGoDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default)
    {
        var context = await pool.CreateDbContextAsync(cancellationToken);
        context.UseTenant(tenant);
        context.UseAuditActor(Actor, auditEnabled);
        return context;
    }
}
