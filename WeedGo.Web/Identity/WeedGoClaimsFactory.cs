using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Options;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Data;

namespace WeedGo.Web.Identity;

/// <summary>Adds the home tenant, the stores worked at, the display name and whether 2FA is on to the sign-in principal.</summary>
public sealed class WeedGoClaimsFactory(
    UserManager<AppUser> users, RoleManager<AppRole> roles, IOptions<IdentityOptions> options,
    PooledDbContextFactory<WeedGoDbContext> pool)
    : UserClaimsPrincipalFactory<AppUser, AppRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(WeedGoClaims.DisplayName, string.IsNullOrWhiteSpace(user.DisplayName) ? user.Email ?? "" : user.DisplayName));
        if (user.TwoFactorEnabled)
        {
            identity.AddClaim(new Claim(WeedGoClaims.TwoFactor, "on"));
        }
        await using var db = await pool.CreateDbContextAsync();
        db.UseTenant(FixedTenantContext.System);
        if (user.TenantId is { } tenantId)
        {
            identity.AddClaim(new Claim(WeedGoClaims.Tenant, tenantId.ToString()));
            var tenantName = await db.Tenants.Where(t => t.Id == tenantId).Select(t => t.Name).FirstOrDefaultAsync();
            identity.AddClaim(new Claim(WeedGoClaims.TenantName, tenantName ?? ""));
        }
        var stores = await db.StaffMemberships.AsNoTracking()
            .Where(m => m.UserId == user.Id && m.IsActive).Select(m => m.StoreId).Distinct().ToListAsync();
        foreach (var store in stores)
        {
            identity.AddClaim(new Claim(WeedGoClaims.Store, store.ToString()));
        }
        return identity;
    }
}
