using System.Security.Claims;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;

namespace WeedGo.Web.Identity;

/// <summary>
/// The signed-in person and their tenant for one request or one Blazor circuit. Filled from the cookie principal by
/// <see cref="UserContextMiddleware"/> (HTTP) and <see cref="UserCircuitHandler"/> (circuits). Implements the Core abstractions.
/// </summary>
public sealed class UserContext(StorefrontTenantResolver storefront, IServiceProvider services)
    : ITenantContext, ICurrentUser, WeedGo.Core.Ordering.IShopper, IAuthorizationDenialObserver
{
    private ClaimsPrincipal _principal = new(new ClaimsIdentity());
    private string? _host;

    public ClaimsPrincipal Principal => _principal;

    public void Set(ClaimsPrincipal principal, string? host, string? shopperKey = null)
    {
        _principal = principal;
        _host = host ?? _host;
        ShopperKey = shopperKey ?? ShopperKey;
    }

    /// <summary>The guest browser's cart key (cookie <see cref="ShopperCookie.Name"/>).</summary>
    public string? ShopperKey { get; private set; }

    public bool IsAuthenticated => _principal.Identity?.IsAuthenticated == true;

    public Guid? UserId => Guid.TryParse(_principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    public string? Email => _principal.FindFirstValue(ClaimTypes.Email) ?? _principal.FindFirstValue(ClaimTypes.Name);

    public bool IsInRole(string role) => _principal.IsInRole(role);

    public IReadOnlyCollection<Guid> StoreIds =>
        _principal.FindAll(WeedGoClaims.Store).Select(c => Guid.TryParse(c.Value, out var id) ? id : Guid.Empty)
            .Where(id => id != Guid.Empty).ToList();

    /// <summary>The user's home tenant; for visitors and platform admins, the storefront's tenant (from the host name).</summary>
    public Guid? TenantId =>
        Guid.TryParse(_principal.FindFirstValue(WeedGoClaims.Tenant), out var id) ? id : storefront.Resolve(_host);

    public bool AllTenants => IsAuthenticated && IsInRole(Roles.PlatformAdmin);

    /// <summary>A service refused this person (<see cref="Authorization.Demand"/>): an <c>authz.denied</c> audit event.
    /// Recorded in the background so the refusal itself stays synchronous; a failure to record is logged, never thrown.</summary>
    public void Denied(string policy) => Record(policy, null, null);

    /// <summary>A store-level refusal (the role allows it, the store is not the person's): <c>authz.denied</c> with the store.</summary>
    public void DeniedAtStore(string policy, Guid storeId, string reason) => Record(policy, storeId, reason);

    private void Record(string policy, Guid? storeId, string? reason)
    {
        var audit = services.GetService(typeof(WeedGo.Core.Audit.IAuditLog)) as WeedGo.Core.Audit.IAuditLog;
        if (audit is null)
        {
            return;
        }
        var task = storeId is null
            ? audit.RecordAsync(WeedGo.Core.Audit.AuditEvents.PermissionDenied, WeedGo.Core.Audit.AuditSeverity.Warning, new { policy })
            : audit.RecordAsync(WeedGo.Core.Audit.AuditEvents.PermissionDenied, WeedGo.Core.Audit.AuditSeverity.Warning,
                new { policy, store = storeId, reason }, storeId: storeId);
        _ = task.ContinueWith(t =>
        {
            var log = services.GetService(typeof(ILogger<UserContext>)) as ILogger<UserContext>;
            log?.LogWarning(t.Exception, "Recording a permission denial failed");
        }, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }
}

public static class WeedGoClaims
{
    public const string Tenant = "weedgo:tenant";
    public const string Store = "weedgo:store";
    public const string DisplayName = "weedgo:name";
    public const string TenantName = "weedgo:tenant_name";
    /// <summary>"on" when the account has two-factor authentication (authenticator app) enabled.</summary>
    public const string TwoFactor = "weedgo:2fa";
}
