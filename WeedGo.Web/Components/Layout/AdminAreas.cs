using MudBlazor;
using WeedGo.Core.Accounts;

namespace WeedGo.Web.Components.Layout;

/// <summary>An area of the staff dashboard: where it lives, who may open it, and (until it lands) which issue owns it.</summary>
public sealed record AdminArea(string Title, string Href, string Icon, string Policy, string? ArrivesWith = null);

/// <summary>The one list the drawer, the page guards and the tests read.</summary>
public static class AdminAreas
{
    public static readonly AdminArea Dashboard = new("Dashboard", "/admin", Icons.Material.Filled.Dashboard, Policies.StaffDashboard);
    public static readonly AdminArea Orders = new("Orders", "/admin/orders", Icons.Material.Filled.Receipt, Policies.StoreOperations);
    public static readonly AdminArea Inventory = new("Inventory", "/admin/inventory", Icons.Material.Filled.Inventory, Policies.StoreOperations);
    public static readonly AdminArea Catalogue = new("Catalogue", "/admin/catalogue", Icons.Material.Filled.MenuBook, Policies.StoreManagement);
    public static readonly AdminArea Promotions = new("Promotions", "/admin/promotions", Icons.Material.Filled.LocalOffer, Policies.StoreManagement);
    public static readonly AdminArea Deliveries = new("Deliveries", "/admin/deliveries", Icons.Material.Filled.LocalShipping, Policies.StoreOperations, "the deliveries issue");
    public static readonly AdminArea Chats = new("Chats", "/admin/chats", Icons.Material.Filled.Forum, Policies.StoreOperations);
    public static readonly AdminArea Assistant = new("AI assistant", "/admin/assistant", Icons.Material.Filled.SmartToy, Policies.StoreManagement);
    public static readonly AdminArea Broadcasts = new("Broadcasts", "/admin/broadcasts", Icons.Material.Filled.Campaign, Policies.StoreManagement, "the broadcasts issue");
    public static readonly AdminArea Audit = new("Audit", "/admin/audit", Icons.Material.Filled.Policy, Policies.AuditReview, "the audit, alerts and rate limits issue");
    public static readonly AdminArea RateLimits = new("Rate limits", "/admin/rate-limits", Icons.Material.Filled.Speed, Policies.TenantAdministration);
    public static readonly AdminArea Stores = new("Stores", "/admin/stores", Icons.Material.Filled.Storefront, Policies.StoreAdministration);
    public static readonly AdminArea Users = new("Users", "/admin/users", Icons.Material.Filled.People, Policies.TenantAdministration);
    public static readonly AdminArea Settings = new("Settings", "/admin/settings", Icons.Material.Filled.Settings, Policies.TenantAdministration, "the audit, alerts and rate limits issue (tenant and AI settings land with their features)");

    public static IReadOnlyList<AdminArea> All { get; } =
        [Dashboard, Orders, Inventory, Catalogue, Promotions, Deliveries, Chats, Assistant, Broadcasts, Audit, RateLimits, Stores, Users, Settings];

    public static IEnumerable<AdminArea> VisibleTo(System.Security.Claims.ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true ? All.Where(a => Policies.Allows(a.Policy, user.IsInRole)) : [];

    /// <summary>Where a person lands after signing in.</summary>
    public static string HomeFor(System.Security.Claims.ClaimsPrincipal user) =>
        user.IsInRole(Roles.PlatformAdmin) || user.IsInRole(Roles.TenantAdmin) || user.IsInRole(Roles.StoreManager) || user.IsInRole(Roles.Budtender)
            ? "/admin"
            : user.IsInRole(Roles.Driver) ? "/driver" : "/";
}
