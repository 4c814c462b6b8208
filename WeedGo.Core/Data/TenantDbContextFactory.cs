using Microsoft.EntityFrameworkCore;
using WeedGo.Core.Common;

namespace WeedGo.Core.Data;

/// <summary>
/// The <see cref="IDbContextFactory{TContext}"/> services receive: leases a context from the pool and scopes it to the
/// caller's tenant. Registered scoped (one per request or Blazor circuit), so the tenant comes from the signed-in user.
/// </summary>
public sealed class TenantDbContextFactory(
    IDbContextFactory<WeedGoDbContext> pool, ITenantContext tenant) : IDbContextFactory<WeedGoDbContext>
{
    public WeedGoDbContext CreateDbContext()
    {
        var context = pool.CreateDbContext();
        context.UseTenant(tenant);
        return context;
    }

    public async Task<WeedGoDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default)
    {
        var context = await pool.CreateDbContextAsync(cancellationToken);
        context.UseTenant(tenant);
        return context;
    }
}
