using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Data.DemoData;
using WeedGo.Tests.Support;

namespace WeedGo.Tests.Data;

public sealed class DemoDataTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Demo_data_is_deterministic_and_loading_it_twice_changes_nothing()
    {
        await DemoWorld.LoadAsync(db);
        await DemoWorld.LoadAsync(db);
        await using var ctx = db.Context();
        Assert.Equal(2, await ctx.Tenants.CountAsync());
        Assert.Equal(5, await ctx.Stores.CountAsync());
        Assert.Equal(DemoDataSeeder.Accounts.Count, await ctx.Users.CountAsync());
        var queenWest = await ctx.Stores.SingleAsync(s => s.Id == DemoWorld.QueenWest);
        Assert.Equal("CRSA-1001-QW", queenWest.LicenceNumber);
        Assert.Equal(4326, queenWest.Location.SRID);
        Assert.Equal("America/Toronto", queenWest.TimeZoneId);
        Assert.Equal(7, queenWest.Hours.Count);
        Assert.All(await ctx.Users.ToListAsync(), u => Assert.True(u.IsDemo));

        await using var scope = db.Services.CreateAsyncScope();
        var weak = await scope.ServiceProvider.GetRequiredService<DemoDataSeeder>().AccountsWithDemoPasswordAsync();
        Assert.Equal(DemoDataSeeder.Accounts.Count, weak.Count);
    }

    [Fact]
    public void Every_role_has_a_demo_account_in_each_tenant()
    {
        foreach (var tenant in DemoDataSeeder.Tenants)
        {
            var roles = DemoDataSeeder.Accounts.Where(a => a.Tenant == tenant.Name).Select(a => a.Role).ToHashSet();
            Assert.True(roles.SetEquals(["Customer", "Budtender", "Driver", "StoreManager", "TenantAdmin"]), string.Join(",", roles));
        }
        Assert.Contains(DemoDataSeeder.Accounts, a => a.Role == "PlatformAdmin");
    }
}
