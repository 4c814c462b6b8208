using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Tests.Support;

namespace WeedGo.Tests.Accounts;

public sealed class UserQueriesTests(DemoDatabaseFixture db) : IClassFixture<DemoDatabaseFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => DemoWorld.LoadAsync(db);
    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<Result<IReadOnlyList<UserRow>>> ListAs(TestUser user)
    {
        await using var scope = db.As(user);
        return await scope.ServiceProvider.GetRequiredService<UserQueries>().ListAsync();
    }

    [Fact]
    public async Task A_tenant_admin_lists_only_their_tenants_accounts()
    {
        var rows = (await ListAs(TestUser.Staff(DemoWorld.User("admin@northernlights.demo"), DemoWorld.NorthernLights, Roles.TenantAdmin))).Value;
        Assert.Equal(5, rows.Count);
        Assert.All(rows, r => Assert.EndsWith("@northernlights.demo", r.Email));
        var manager = Assert.Single(rows, r => r.Email == "manager@northernlights.demo");
        Assert.Equal([Roles.StoreManager], manager.Roles);
        Assert.Equal(2, manager.Stores.Count);
    }

    [Fact]
    public async Task The_platform_admin_lists_every_account()
    {
        var rows = (await ListAs(TestUser.Platform(DemoWorld.User("platform@weedgo.demo")))).Value;
        Assert.Equal(11, rows.Count);
    }

    [Theory]
    [InlineData(Roles.StoreManager)]
    [InlineData(Roles.Budtender)]
    [InlineData(Roles.Customer)]
    public async Task Other_roles_are_refused(string role)
    {
        var result = await ListAs(TestUser.Staff(Guid.NewGuid(), DemoWorld.NorthernLights, role));
        Assert.Equal(ErrorKind.Forbidden, result.Error!.Kind);
    }

    [Fact]
    public async Task The_staff_home_counts_the_managers_own_stores()
    {
        await using var scope = db.As(TestUser.Staff(DemoWorld.User("manager@northernlights.demo"), DemoWorld.NorthernLights,
            Roles.StoreManager, DemoWorld.QueenWest, DemoWorld.Yorkville));
        var home = (await scope.ServiceProvider.GetRequiredService<UserQueries>().HomeAsync()).Value;
        Assert.Equal("Northern Lights Cannabis Co.", home.TenantName);
        Assert.Equal(2, home.StoreCount);
        Assert.Equal(3, home.StaffCount); // manager, budtender, driver hold store memberships
    }

    [Fact]
    public async Task A_customer_edits_their_own_profile_and_the_birth_date_is_set_once()
    {
        var customer = TestUser.Staff(DemoWorld.User("customer@northernlights.demo"), DemoWorld.NorthernLights, Roles.Customer);
        await using var scope = db.As(customer);
        var profiles = scope.ServiceProvider.GetRequiredService<ProfileService>();
        var saved = await profiles.SaveMineAsync(new ProfileDetails("Casey N.", "416-555-0123", new DateOnly(2010, 1, 1), CustomerType.Medical));
        Assert.True(saved.Succeeded);
        var mine = (await profiles.GetMineAsync()).Value;
        Assert.Equal("Casey N.", mine.DisplayName);
        Assert.Equal(CustomerType.Medical, mine.CustomerType);
        Assert.Equal(new DateOnly(1990, 4, 20), mine.BirthDate); // unchanged: already confirmed
    }

    [Fact]
    public async Task Saving_a_profile_without_a_name_gives_a_clear_error()
    {
        await using var scope = db.As(TestUser.Staff(DemoWorld.User("customer@mapleleaf.demo"), DemoWorld.MapleLeaf, Roles.Customer));
        var result = await scope.ServiceProvider.GetRequiredService<ProfileService>().SaveMineAsync(new ProfileDetails(" ", null, null, CustomerType.Recreational));
        Assert.Equal("Enter your name.", result.Error!.Message);
    }
}
