using WeedGo.Core.Common;

namespace WeedGo.Core.Accounts;

/// <summary>Told when <see cref="Authorization.Demand"/> refuses a signed-in person (the audit hook).</summary>
public interface IAuthorizationDenialObserver
{
    void Denied(string policy);

    /// <summary>A refusal below the role: the role allows it, but not at <paramref name="storeId"/> (not one of the person's
    /// stores). Observers that record details override it.</summary>
    void DeniedAtStore(string policy, Guid storeId, string reason) => Denied(policy);
}

/// <summary>Authorization checks services make before doing anything (a Blazor handler is an entry point too).</summary>
public static class Authorization
{
    public static bool Satisfies(this ICurrentUser user, string policy) =>
        user.IsAuthenticated && Policies.Allows(policy, user.IsInRole);

    /// <summary>Null when allowed; otherwise the error to return.</summary>
    /// <remarks>A refusal of a signed-in person is reported to <see cref="IAuthorizationDenialObserver"/> when the current
    /// user implements it (the web's UserContext records a <c>authz.denied</c> audit event).</remarks>
    public static Error? Demand(this ICurrentUser user, string policy)
    {
        if (!user.IsAuthenticated)
        {
            return new Error("unauthenticated", "Please sign in first.", ErrorKind.Forbidden);
        }
        if (user.Satisfies(policy))
        {
            return null;
        }
        (user as IAuthorizationDenialObserver)?.Denied(policy);
        return Error.Forbidden("Your role does not allow this.");
    }

    /// <summary>Tenant-wide staff (TenantAdmin) and platform admins see every store of the tenant; others only their own.</summary>
    public static bool SeesAllStores(this ICurrentUser user) =>
        user.IsInRole(Roles.TenantAdmin) || user.IsInRole(Roles.PlatformAdmin);
}
