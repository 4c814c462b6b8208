using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Tenancy;
using WeedGo.Tests.Support;

namespace WeedGo.Tests.Tenancy;

public sealed class StoreQueriesTests(DemoDatabaseFixture db) : IClassFixture<DemoDatabaseFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => DemoWorld.LoadAsync(db);
    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<Result<IReadOnlyList<StoreRow>>> StaffStoresAs(TestUser user)
    {
        await using var scope = db.As(user);
        return await scope.ServiceProvider.GetRequiredService<StoreQueries>().ListForStaffAsync();
    }

    [Fact]
    public async Task A_store_manager_sees_only_the_stores_they_manage()
    {
        var manager = TestUser.Staff(DemoWorld.User("manager@northernlights.demo"), DemoWorld.NorthernLights, Roles.StoreManager,
            DemoWorld.QueenWest, DemoWorld.Yorkville);
        var result = await StaffStoresAs(manager);
        Assert.Equal(["Queen West", "Yorkville"], result.Value.Select(s => s.Name));
    }

    [Fact]
    public async Task A_tenant_admin_sees_every_store_of_their_tenant_and_none_of_another()
    {
        var admin = TestUser.Staff(DemoWorld.User("admin@mapleleaf.demo"), DemoWorld.MapleLeaf, Roles.TenantAdmin);
        var result = await StaffStoresAs(admin);
        Assert.Equal(["Markham Main St", "Scarborough Town"], result.Value.Select(s => s.Name));
        Assert.All(result.Value, s => Assert.Equal("Maple Leaf Greens", s.TenantName));
    }

    [Fact]
    public async Task A_manager_cannot_reach_another_tenants_store_even_with_its_id_in_their_claims()
    {
        // A forged or stale store claim for another tenant's store still shows nothing: the tenant filter is the wall.
        var manager = TestUser.Staff(DemoWorld.User("manager@northernlights.demo"), DemoWorld.NorthernLights, Roles.StoreManager,
            DemoWorld.Scarborough);
        var result = await StaffStoresAs(manager);
        Assert.Empty(result.Value);
    }

    [Fact]
    public async Task The_platform_admin_sees_all_five_demo_stores()
    {
        var result = await StaffStoresAs(TestUser.Platform(DemoWorld.User("platform@weedgo.demo")));
        Assert.Equal(5, result.Value.Count);
    }

    [Theory]
    [InlineData(Roles.Budtender)]
    [InlineData(Roles.Driver)]
    [InlineData(Roles.Customer)]
    public async Task Roles_without_store_administration_are_refused(string role)
    {
        var result = await StaffStoresAs(TestUser.Staff(Guid.NewGuid(), DemoWorld.NorthernLights, role, DemoWorld.QueenWest));
        Assert.False(result.Succeeded);
        Assert.Equal(ErrorKind.Forbidden, result.Error!.Kind);
    }

    [Fact]
    public async Task An_anonymous_caller_is_asked_to_sign_in()
    {
        var result = await StaffStoresAs(TestUser.Anonymous(DemoWorld.NorthernLights));
        Assert.Equal("unauthenticated", result.Error!.Code);
    }

    [Fact]
    public async Task The_storefront_lists_the_visitors_tenant_stores_with_open_status_at_noon()
    {
        await using var scope = db.As(TestUser.Anonymous(DemoWorld.NorthernLights));
        var stores = await scope.ServiceProvider.GetRequiredService<StoreQueries>().ListForStorefrontAsync();
        Assert.Equal(["Queen West", "Square One", "Yorkville"], stores.Select(s => s.Name));
        Assert.All(stores, s => Assert.True(s.OpenNow)); // the fixture clock is Wednesday 12:00 in Toronto
        Assert.Equal("10:00–22:00", stores[0].TodayHours);
        Assert.Equal(7, stores[0].Hours.Count);
    }
}
