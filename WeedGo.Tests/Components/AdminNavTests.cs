using Bunit;
using WeedGo.Core.Accounts;
using WeedGo.Web.Components.Layout;

namespace WeedGo.Tests.Components;

public sealed class AdminNavTests : BunitTestBase
{
    private IReadOnlyList<string> RenderNavAs(params string[] roles)
    {
        var auth = Context.AddAuthorization();
        auth.SetAuthorized("someone");
        auth.SetRoles(roles);
        var nav = Context.Render<AdminNav>();
        return nav.FindAll("a").Select(a => a.TextContent.Trim()).ToList();
    }

    [Fact]
    public void A_budtender_sees_the_day_to_day_areas_and_no_administration()
    {
        var items = RenderNavAs(Roles.Budtender);
        Assert.Equal(["Dashboard", "Orders", "Inventory", "Deliveries", "Chats"], items);
    }

    [Fact]
    public void A_store_manager_adds_catalogue_promotions_broadcasts_and_stores()
    {
        var items = RenderNavAs(Roles.StoreManager);
        Assert.Equal(["Dashboard", "Orders", "Inventory", "Catalogue", "Promotions", "Deliveries", "Chats", "AI assistant", "Broadcasts", "Stores"], items);
    }

    [Fact]
    public void A_tenant_admin_sees_every_area_including_their_tenants_rate_limits()
    {
        var items = RenderNavAs(Roles.TenantAdmin);
        Assert.Equal(AdminAreas.All.Select(a => a.Title), items);
    }

    [Fact]
    public void The_platform_admin_sees_platform_areas_and_no_customer_orders_or_chats()
    {
        var items = RenderNavAs(Roles.PlatformAdmin);
        Assert.Equal(["Dashboard", "Audit", "Rate limits", "Stores", "Users", "Settings"], items);
    }

    [Theory]
    [InlineData(Roles.Customer)]
    [InlineData(Roles.Driver)]
    public void Customers_and_drivers_get_no_staff_navigation(string role) => Assert.Empty(RenderNavAs(role));

    [Fact]
    public void An_anonymous_visitor_gets_no_staff_navigation()
    {
        Context.AddAuthorization();
        Assert.Empty(Context.Render<AdminNav>().FindAll("a"));
    }
}
