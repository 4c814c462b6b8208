using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Data.DemoData;
using WeedGo.Tests.Support;

namespace WeedGo.Tests.Data;

public sealed class DemoDataTests(DemoDatabaseFixture db) : IClassFixture<DemoDatabaseFixture>
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
    public async Task Every_demo_store_has_stock_whose_figures_are_the_sum_of_its_ledger_and_batches()
    {
        await DemoWorld.LoadAsync(db);
        await using var ctx = db.Context();
        var perStore = await ctx.Inventory.GroupBy(i => i.StoreId)
            .Select(g => new { Store = g.Key, Items = g.Count(), InStock = g.Count(i => i.Available > 0), Low = g.Count(i => i.Available <= i.ReorderPoint) })
            .ToListAsync();
        Assert.Equal(5, perStore.Count);
        Assert.All(perStore, s =>
        {
            Assert.InRange(s.Items, 300, 700);
            Assert.True(s.InStock < s.Items, "some products are sold out");
            Assert.True(s.Low > 0, "some products are below their reorder point");
        });
        var mismatches = await ctx.Inventory
            .Where(i => i.OnHand != ctx.StockLedger.Where(m => m.StoreId == i.StoreId && m.ProductId == i.ProductId).Sum(m => m.OnHandDelta)
                     || i.OnHand != ctx.Batches.Where(b => b.StoreId == i.StoreId && b.ProductId == i.ProductId).Sum(b => b.RemainingQuantity))
            .CountAsync();
        Assert.Equal(0, mismatches);
    }

    [Fact]
    public async Task Demo_promotions_badge_edibles_at_every_store_and_welcome_code_is_for_first_orders()
    {
        await DemoWorld.LoadAsync(db);
        await using var ctx = db.Context();
        Assert.Equal(4, await ctx.Promotions.CountAsync());
        var edible = await ctx.Inventory.Where(i => i.StoreId == DemoWorld.QueenWest && i.Available > 0)
            .Join(ctx.Products.Where(p => p.Category == "Edibles"), i => i.ProductId, p => p.Id, (i, p) => p.Id).FirstAsync();
        var flower = await ctx.Inventory.Where(i => i.StoreId == DemoWorld.QueenWest && i.Available > 0)
            .Join(ctx.Products.Where(p => p.Category == "Flower"), i => i.ProductId, p => p.Id, (i, p) => p.Id).FirstAsync();
        await using var scope = db.As(TestUser.Anonymous(DemoWorld.NorthernLights));
        var badges = await scope.ServiceProvider.GetRequiredService<Core.Pricing.PromotionQueries>().BadgesAsync(DemoWorld.QueenWest, [edible, flower]);
        Assert.Contains("Buy 2", badges[edible]);
        Assert.False(badges.ContainsKey(flower));
        var welcome = await ctx.Promotions.SingleAsync(p => p.TenantId == DemoWorld.NorthernLights && p.Code == DemoPromotions.WelcomeCode);
        Assert.True(welcome.FirstOrderOnly);
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
