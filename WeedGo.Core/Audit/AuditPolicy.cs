using Microsoft.AspNetCore.Identity;
using WeedGo.Core.Accounts;

namespace WeedGo.Core.Audit;

/// <summary>
/// Which entities the save interceptor audits, and which of their fields. Not audited: carts, cart lines, checkouts and
/// holds (shopping state), stock ledger rows and batches (already an immutable ledger), search terms, one-time codes
/// (their events are security events), data-protection keys, the audit log itself.
/// </summary>
public static class AuditPolicy
{
    /// <summary>Value written instead of a secret (the field is still named, so a change is visible).</summary>
    public const string Masked = "***";

    /// <summary>Never recorded as changes: timestamps, concurrency stamps, and Identity's failed-attempt counter and lockout
    /// end (every failed sign-in touches them; the sign-in failure and lockout events say it better, with who and where).</summary>
    private static readonly HashSet<string> Always =
    [
        nameof(Common.Entity.CreatedAt), nameof(Common.Entity.UpdatedAt), "ConcurrencyStamp", nameof(AppUser.AccessFailedCount),
        nameof(AppUser.LockoutEnd),
    ];

    /// <summary>Entity type → the fields that make an update worth a row (null: any field).</summary>
    private static readonly Dictionary<Type, HashSet<string>?> Audited = new()
    {
        [typeof(Tenancy.Tenant)] = null,
        [typeof(Tenancy.Store)] = null,
        [typeof(AppUser)] = null,
        [typeof(AppRole)] = null,
        [typeof(Profile)] = null,
        [typeof(StaffMembership)] = null,
        [typeof(IdentityUserRole<Guid>)] = null,
        [typeof(IdentityUserClaim<Guid>)] = null,
        [typeof(Settings.SystemSetting)] = null,
        [typeof(Catalog.CatalogProduct)] = [nameof(Catalog.CatalogProduct.UnitPrice)],
        [typeof(Inventory.InventoryItem)] =
        [
            nameof(Inventory.InventoryItem.RetailPriceOverride), nameof(Inventory.InventoryItem.UnitCost),
            nameof(Inventory.InventoryItem.ReorderPoint),
        ],
        [typeof(Pricing.Promotion)] = null,
        [typeof(Ordering.Order)] = [nameof(Ordering.Order.Status), nameof(Ordering.Order.PaymentStatus), nameof(Ordering.Order.RefundedAmount), nameof(Ordering.Order.CancelReason)],
        [typeof(Ordering.PaymentTransaction)] = null,
        // Who was given which delivery, and each step of it (the ID check proof is on the delivered step's row).
        [typeof(Deliveries.Delivery)] = [nameof(Deliveries.Delivery.Status), nameof(Deliveries.Delivery.DriverId)],
        // Rate-limit rules: every field an admin can change (not the version counter).
        [typeof(RateLimiting.RateLimitRule)] =
        [
            nameof(RateLimiting.RateLimitRule.Name), nameof(RateLimiting.RateLimitRule.TenantId), nameof(RateLimiting.RateLimitRule.Scope),
            nameof(RateLimiting.RateLimitRule.TargetKind), nameof(RateLimiting.RateLimitRule.Target), nameof(RateLimiting.RateLimitRule.Capacity),
            nameof(RateLimiting.RateLimitRule.TokensPerPeriod), nameof(RateLimiting.RateLimitRule.PeriodSeconds),
            nameof(RateLimiting.RateLimitRule.Burst), nameof(RateLimiting.RateLimitRule.Priority), nameof(RateLimiting.RateLimitRule.Enabled),
        ],
        // Alert rules an admin edits (alerts themselves record their moves as alert.* events).
        [typeof(AuditAlertRule)] = null,
    };

    /// <summary>The audited entity types (for documentation and tests).</summary>
    public static IEnumerable<Type> AuditedTypes => Audited.Keys;

    /// <summary>The entity type as the log names it (Identity's generic join rows get plain names).</summary>
    public static string NameOf(Type type) =>
        type == typeof(IdentityUserRole<Guid>) ? "UserRole" : type == typeof(IdentityUserClaim<Guid>) ? "UserClaim" : type.Name;

    public static bool IsAudited(Type type, out IReadOnlySet<string>? fields)
    {
        var found = Audited.TryGetValue(type, out var f);
        fields = f;
        return found;
    }

    /// <summary>The event type of a change: price, promotion, role and user changes get their own; the rest entity.changed.</summary>
    public static string EventFor(Type type) =>
        type == typeof(Inventory.InventoryItem) || type == typeof(Catalog.CatalogProduct) ? AuditEvents.PriceChanged
        : type == typeof(Pricing.Promotion) ? AuditEvents.PromotionChanged
        : type == typeof(AuditAlertRule) ? AuditEvents.AlertRuleChanged
        : type == typeof(IdentityUserRole<Guid>) || type == typeof(StaffMembership) || type == typeof(AppRole) ? AuditEvents.RoleChanged
        : type == typeof(AppUser) || type == typeof(Profile) || type == typeof(IdentityUserClaim<Guid>) ? AuditEvents.UserChanged
        : AuditEvents.EntityChanged;

    /// <summary>Timestamps and concurrency stamps are noise: never recorded as changes.</summary>
    public static bool IsNoise(string property) => Always.Contains(property);

    /// <summary>Password hashes, security stamps, code hashes and salts, tokens, secrets and keys are masked.</summary>
    public static bool IsSecret(string property) =>
        property.Contains("Password", StringComparison.OrdinalIgnoreCase)
        || property.Contains("SecurityStamp", StringComparison.OrdinalIgnoreCase)
        || property.Contains("Hash", StringComparison.OrdinalIgnoreCase)
        || property.Contains("Salt", StringComparison.OrdinalIgnoreCase)
        || property.Contains("Token", StringComparison.OrdinalIgnoreCase)
        || property.Contains("Secret", StringComparison.OrdinalIgnoreCase)
        || property.Contains("ApiKey", StringComparison.OrdinalIgnoreCase)
        || property.Contains("AuthenticatorKey", StringComparison.OrdinalIgnoreCase);
}
