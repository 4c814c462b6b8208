namespace WeedGo.Core.Audit;

/// <summary>Where the current request or circuit comes from: filled by the web layer (middleware, circuit handler).</summary>
public interface IAuditRequestContext
{
    string? Ip { get; }
    string? UserAgent { get; }
    string? CorrelationId { get; }
}

/// <summary>A mutable <see cref="IAuditRequestContext"/>, one per request or circuit.</summary>
public sealed class AuditRequestContext : IAuditRequestContext
{
    public string? Ip { get; set; }
    public string? UserAgent { get; set; }
    public string? CorrelationId { get; set; }

    public void Set(string? ip, string? userAgent, string? correlationId)
    {
        Ip = ip;
        UserAgent = userAgent is { Length: > 512 } ? userAgent[..512] : userAgent;
        CorrelationId = correlationId;
    }
}

/// <summary>Who and where, attached to a leased context so the save interceptor can stamp audit rows without a scope.</summary>
public sealed record AuditActor(Guid? UserId, string? Ip, string? UserAgent, string? CorrelationId)
{
    public static AuditActor None { get; } = new(null, null, null, null);
}

/// <summary>Event type names of <c>agi_audit_logs</c>.</summary>
public static class AuditEvents
{
    public const string EntityChanged = "entity.changed";
    public const string SignInSucceeded = "auth.sign_in.succeeded";
    public const string SignInFailed = "auth.sign_in.failed";
    public const string LockedOut = "auth.locked_out";
    public const string OneTimeCodeRequested = "auth.one_time_code.requested";
    /// <summary>The password was right and the account uses an authenticator app: the code step comes next.</summary>
    public const string TwoFactorChallenged = "auth.two_factor.challenged";
    /// <summary>Two-factor authentication turned on, its key reset, recovery codes renewed, or turned off.</summary>
    public const string TwoFactorChanged = "auth.two_factor.changed";
    public const string PermissionDenied = "authz.denied";
    /// <summary>A person (a platform admin) used the platform scope: reads and writes across every tenant. Once per request or circuit.</summary>
    public const string PlatformScopeUsed = "tenancy.platform_scope_used";
    public const string RoleChanged = "user.role_changed";
    public const string UserChanged = "user.changed";
    public const string StockAdjusted = "stock.adjusted";
    public const string PriceChanged = "price.changed";
    public const string PromotionChanged = "promotion.changed";
    public const string Exported = "data.exported";
    public const string ChainVerified = "audit.chain_verified";
    public const string RateLimitViolated = "ratelimit.violated";
    public const string DeliveryOutAtClosing = "delivery.out_at_closing";
    public const string SecurityThreat = "security.threat";
    public const string SystemError = "system.error";
    public const string AlertRaised = "alert.raised";
    public const string AlertAcknowledged = "alert.acknowledged";
    public const string AlertResolved = "alert.resolved";
    public const string AlertRuleChanged = "alert.rule_changed";

    public static IReadOnlyList<string> All { get; } =
    [
        EntityChanged, SignInSucceeded, SignInFailed, LockedOut, PermissionDenied, RoleChanged, UserChanged, StockAdjusted,
        PriceChanged, PromotionChanged, Exported, ChainVerified, RateLimitViolated, DeliveryOutAtClosing, SecurityThreat, SystemError,
        AlertRaised, AlertAcknowledged, AlertResolved, AlertRuleChanged,
        TwoFactorChallenged, TwoFactorChanged,
    ];
}
