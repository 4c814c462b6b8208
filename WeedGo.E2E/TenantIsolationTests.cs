using WeedGo.Core.Data.DemoData;
using WeedGo.E2E.Support;

namespace WeedGo.E2E;

public sealed class TenantIsolationTests(AppHost app, BrowserFixture browser) : E2ETest(app, browser)
{
    [Fact]
    public async Task A_northern_lights_manager_sees_only_their_two_stores()
    {
        await Login.SignInAsync("manager@northernlights.demo");

        var stores = await Admin.StoreNamesAsync();

        Assert.Equal(["Queen West", "Yorkville"], stores.Order());
        Assert.DoesNotContain("Square One", stores);
        Assert.DoesNotContain(stores, s => DemoDataSeeder.MapleLeaf.Stores.Any(m => m.Name == s));
    }

    [Fact]
    public async Task A_maple_leaf_admin_sees_only_maple_leaf_stores()
    {
        await Login.SignInAsync("admin@mapleleaf.demo");

        var stores = await Admin.StoreNamesAsync();

        Assert.Equal(["Markham Main St", "Scarborough Town"], stores.Order());
        Assert.DoesNotContain(stores, s => DemoDataSeeder.NorthernLights.Stores.Any(n => n.Name == s));
    }

    [Fact]
    public async Task The_platform_admin_sees_every_store_of_every_tenant()
    {
        await Login.SignInAsync(DemoDataSeeder.PlatformAdminEmail);

        var stores = await Admin.StoreNamesAsync();

        Assert.Equal(["Markham Main St", "Queen West", "Scarborough Town", "Square One", "Yorkville"], stores.Order());
        var tenants = await Admin.StoresTable.Locator("tbody td[data-label='Tenant']").AllInnerTextsAsync();
        Assert.Equal([DemoDataSeeder.MapleLeaf.Name, DemoDataSeeder.NorthernLights.Name], tenants.Distinct().Order());
    }
}
