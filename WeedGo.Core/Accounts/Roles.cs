namespace WeedGo.Core.Accounts;

/// <summary>Role names from DOMAIN.md. Stored as Identity roles.</summary>
public static class Roles
{
    public const string Customer = nameof(Customer);
    public const string Budtender = nameof(Budtender);
    public const string Driver = nameof(Driver);
    public const string StoreManager = nameof(StoreManager);
    public const string TenantAdmin = nameof(TenantAdmin);
    public const string PlatformAdmin = nameof(PlatformAdmin);

    public static IReadOnlyList<string> All { get; } = [Customer, Budtender, Driver, StoreManager, TenantAdmin, PlatformAdmin];

    /// <summary>Roles that work inside a store (hold a staff membership).</summary>
    public static IReadOnlyList<string> StoreRoles { get; } = [Budtender, Driver, StoreManager];

    /// <summary>Roles that may open the staff dashboard.</summary>
    public static IReadOnlyList<string> Staff { get; } = [Budtender, StoreManager, TenantAdmin, PlatformAdmin];
}

/// <summary>Named authorization policies; each is a set of roles (see <see cref="Policies.RolesFor"/>).</summary>
public static class Policies
{
    public const string StaffDashboard = nameof(StaffDashboard);
    public const string StoreOperations = nameof(StoreOperations);
    public const string StoreManagement = nameof(StoreManagement);
    public const string TenantAdministration = nameof(TenantAdministration);
    public const string AuditReview = nameof(AuditReview);
    public const string StoreAdministration = nameof(StoreAdministration);
    public const string PlatformAdministration = nameof(PlatformAdministration);
    public const string Driving = nameof(Driving);
    public const string Customer = nameof(Customer);

    private static readonly Dictionary<string, string[]> Map = new()
    {
        // Everyone who may open /admin at all.
        [StaffDashboard] = [Roles.Budtender, Roles.StoreManager, Roles.TenantAdmin, Roles.PlatformAdmin],
        // Day-to-day store work: orders, inventory, deliveries, chats. Platform admins see no customer's orders or chats.
        [StoreOperations] = [Roles.Budtender, Roles.StoreManager, Roles.TenantAdmin],
        // Catalogue, promotions, prices, broadcasts.
        [StoreManagement] = [Roles.StoreManager, Roles.TenantAdmin],
        // Stores list and store settings.
        [StoreAdministration] = [Roles.StoreManager, Roles.TenantAdmin, Roles.PlatformAdmin],
        // Users and tenant-wide settings.
        [TenantAdministration] = [Roles.TenantAdmin, Roles.PlatformAdmin],
        [AuditReview] = [Roles.TenantAdmin, Roles.PlatformAdmin],
        [PlatformAdministration] = [Roles.PlatformAdmin],
        [Driving] = [Roles.Driver],
        [Customer] = [Roles.Customer],
    };

    public static IReadOnlyDictionary<string, string[]> All => Map;

    public static IReadOnlyList<string> RolesFor(string policy) => Map[policy];

    public static bool Allows(string policy, Func<string, bool> isInRole) => Map[policy].Any(isInRole);
}
