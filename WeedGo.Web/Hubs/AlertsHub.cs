using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR;
using WeedGo.Core.Accounts;
using WeedGo.Web.Identity;

namespace WeedGo.Web.Hubs;

/// <summary>
/// Live events for external clients (apps, dashboards). Staff sign in with the cookie or a bearer token from
/// <c>POST /api/auth/token</c>; each connection joins its tenant's group and its stores' groups, never another tenant's.
/// Clients receive <c>event(type, payload)</c> and, per store, <c>storeEvent(type, payload)</c>. Audit alerts are admin-only:
/// a tenant admin's connection also joins its tenant's admin group and a platform admin's the platform admin group (every
/// tenant and the platform's own alerts); they receive <c>alert(type, payload)</c> (<see cref="Live.AlertHubRelay"/>).
/// </summary>
[Authorize(Policy = Policies.StaffDashboard)]
public sealed class AlertsHub : Hub
{
    public const string Path = "/hubs/alerts";
    public const string EventMethod = "event";
    public const string StoreEventMethod = "storeEvent";
    public const string AlertMethod = "alert";
    public const string PlatformAdminGroup = "alerts:platform";

    public static string AdminGroup(Guid tenantId) => $"alerts:tenant:{tenantId}";

    public static string TenantGroup(Guid tenantId) => $"tenant:{tenantId}";
    public static string StoreGroup(Guid storeId) => $"store:{storeId}";

    public override async Task OnConnectedAsync()
    {
        var user = Context.User!;
        if (Guid.TryParse(user.FindFirst(WeedGoClaims.Tenant)?.Value, out var tenant))
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, TenantGroup(tenant));
            if (user.IsInRole(Roles.TenantAdmin))
            {
                await Groups.AddToGroupAsync(Context.ConnectionId, AdminGroup(tenant));
            }
        }
        if (user.IsInRole(Roles.PlatformAdmin))
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, PlatformAdminGroup);
        }
        foreach (var store in user.FindAll(WeedGoClaims.Store))
        {
            if (Guid.TryParse(store.Value, out var storeId))
            {
                await Groups.AddToGroupAsync(Context.ConnectionId, StoreGroup(storeId));
            }
        }
        await base.OnConnectedAsync();
    }
}

public static class AuthSchemes
{
    /// <summary>The default scheme: forwards to the bearer scheme when a token is sent, else to the Identity cookie.</summary>
    public const string CookieOrBearer = "CookieOrBearer";
    public static string Cookie => IdentityConstants.ApplicationScheme;
    public static string Bearer => IdentityConstants.BearerScheme;
}
