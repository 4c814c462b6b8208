using Microsoft.EntityFrameworkCore;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Data;

namespace WeedGo.Core.Tenancy;

/// <summary>Platform-wide counts for operators. <c>Orders</c> is null until the ordering feature adds its table.</summary>
public sealed record PlatformStats(int Tenants, int Stores, int Users, int? Orders, long DatabaseBytes);

public sealed class PlatformStatsQueries(IDbContextFactory<WeedGoDbContext> contexts, ICurrentUser user, ITenantContext tenant)
{
    public async Task<Result<PlatformStats>> GetAsync(CancellationToken ct = default)
    {
        if (user.Demand(Policies.PlatformAdministration) is { } denied)
        {
            return denied;
        }
        if (!tenant.AllTenants)
        {
            return Error.Forbidden("Platform statistics need a platform-wide scope.");
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var tenants = await db.Tenants.CountAsync(ct);
        var stores = await db.Stores.CountAsync(ct);
        var users = await db.Users.CountAsync(ct);
        var size = await db.Database.SqlQueryRaw<long>("SELECT pg_database_size(current_database()) AS \"Value\"").FirstAsync(ct);
        return new PlatformStats(tenants, stores, users, null, size);
    }
}
