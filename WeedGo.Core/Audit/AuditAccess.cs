using WeedGo.Core.Accounts;
using WeedGo.Core.Common;

namespace WeedGo.Core.Audit;

/// <summary>
/// Who may see what in the Audit area (policy <see cref="Policies.AuditReview"/>): a platform admin every tenant and the
/// platform's own rows (kept under <see cref="AuditAlertDefaults.PlatformTenant"/>), a tenant admin only their tenant.
/// Every alert, rule and dashboard service asks here first; a refusal of a signed-in person is itself audited.
/// </summary>
public sealed class AuditAccess(ICurrentUser user, ITenantContext tenant, IAuditLog audit)
{
    public bool IsPlatform => user.IsInRole(Roles.PlatformAdmin) && tenant.AllTenants;

    /// <summary>The one tenant a tenant admin sees; null for a platform admin (all).</summary>
    public Guid? OwnTenant => IsPlatform ? null : tenant.TenantId;

    public Guid? UserId => user.UserId;

    /// <summary>Without recording anything: for the app bar badge, which every staff page renders.</summary>
    public bool CanReview => user.Satisfies(Policies.AuditReview) && (IsPlatform || tenant.TenantId is not null);

    /// <summary>May the caller see rows of <paramref name="tenantId"/>?</summary>
    public bool Sees(Guid tenantId) => IsPlatform || tenant.TenantId == tenantId;

    public async Task<Error?> DemandAsync(CancellationToken ct = default)
    {
        var error = user.Demand(Policies.AuditReview);
        if (error is null && !IsPlatform && tenant.TenantId is null)
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
}
