using Microsoft.EntityFrameworkCore;
using WeedGo.Core.Common;
using WeedGo.Core.Data;

namespace WeedGo.Core.Accounts;

public sealed record UserRow(Guid Id, string Email, string DisplayName, string? TenantName, IReadOnlyList<string> Roles,
    IReadOnlyList<string> Stores, bool LockedOut);

public sealed record StaffHome(string DisplayName, string? TenantName, IReadOnlyList<string> StoreNames, int StoreCount, int StaffCount);

public sealed class UserQueries(IDbContextFactory<WeedGoDbContext> contexts, ICurrentUser user, ITenantContext tenant, TimeProvider clock)
{
    /// <summary>Accounts of the current tenant (all tenants for platform admins), with their roles and stores.</summary>
    public async Task<Result<IReadOnlyList<UserRow>>> ListAsync(CancellationToken ct = default)
    {
        if (user.Demand(Policies.TenantAdministration) is { } denied)
        {
            return denied;
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var users = db.Users.AsNoTracking();
        if (!tenant.AllTenants)
        {
            var tenantId = tenant.TenantId;
            users = users.Where(u => u.TenantId == tenantId);
        }
        var now = clock.GetUtcNow();
        var rows = await users
            .OrderBy(u => u.Email)
            .Select(u => new
            {
                u.Id, u.Email, u.DisplayName, u.LockoutEnd,
                TenantName = db.Tenants.Where(t => t.Id == u.TenantId).Select(t => t.Name).FirstOrDefault(),
                Roles = db.UserRoles.Where(r => r.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name!).ToList(),
                Stores = u.Memberships.Where(m => m.IsActive).Select(m => m.Store!.Name + " (" + m.Role + ")").ToList(),
            })
            .ToListAsync(ct);
        return rows.Select(r => new UserRow(r.Id, r.Email ?? "", r.DisplayName, r.TenantName, r.Roles, r.Stores,
            r.LockoutEnd is { } end && end > now)).ToList();
    }

    /// <summary>What the staff dashboard greets the signed-in person with.</summary>
    public async Task<Result<StaffHome>> HomeAsync(CancellationToken ct = default)
    {
        if (user.Demand(Policies.StaffDashboard) is { } denied)
        {
            return denied;
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var userId = user.UserId;
        var me = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.DisplayName, TenantName = db.Tenants.Where(t => t.Id == u.TenantId).Select(t => t.Name).FirstOrDefault() })
            .FirstAsync(ct);
        var stores = db.Stores.AsNoTracking();
        if (!user.SeesAllStores())
        {
            var mine = user.StoreIds.ToList();
            stores = stores.Where(s => mine.Contains(s.Id));
        }
        var names = await stores.OrderBy(s => s.Name).Select(s => s.Name).ToListAsync(ct);
        var staff = await db.StaffMemberships.AsNoTracking().Where(m => m.IsActive).Select(m => m.UserId).Distinct().CountAsync(ct);
        return new StaffHome(me.DisplayName, me.TenantName, names, names.Count, staff);
    }
}
