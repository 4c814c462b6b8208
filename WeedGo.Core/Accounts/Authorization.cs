using WeedGo.Core.Common;

namespace WeedGo.Core.Accounts;

/// <summary>Authorization checks services make before doing anything (a Blazor handler is an entry point too).</summary>
public static class Authorization
{
    public static bool Satisfies(this ICurrentUser user, string policy) =>
        user.IsAuthenticated && Policies.Allows(policy, user.IsInRole);

    /// <summary>Null when allowed; otherwise the error to return.</summary>
    public static Error? Demand(this ICurrentUser user, string policy) =>
        !user.IsAuthenticated ? new Error("unauthenticated", "Please sign in first.", ErrorKind.Forbidden)
        : user.Satisfies(policy) ? null
        : Error.Forbidden("Your role does not allow this.");

    /// <summary>Tenant-wide staff (TenantAdmin) and platform admins see every store of the tenant; others only their own.</summary>
    public static bool SeesAllStores(this ICurrentUser user) =>
        user.IsInRole(Roles.TenantAdmin) || user.IsInRole(Roles.PlatformAdmin);
}
