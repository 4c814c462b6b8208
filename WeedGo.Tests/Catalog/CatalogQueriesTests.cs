using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Accounts;
using WeedGo.Core.Catalog;
using WeedGo.Core.Common;
using WeedGo.Tests.Support;

namespace WeedGo.Tests.Catalog;

public sealed class CatalogQueriesTests(DemoDatabaseFixture db) : IClassFixture<DemoDatabaseFixture>, IAsyncLifetime
{
    private static TestUser Budtender => TestUser.Staff(DemoWorld.User("budtender@northernlights.demo"), DemoWorld.NorthernLights,
        Roles.Budtender, DemoWorld.QueenWest);

    public Task InitializeAsync() => DemoWorld.LoadAsync(db);
    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<T> As<T>(TestUser user, Func<CatalogQueries, Task<T>> query)
    {
        await using var scope = db.As(user);
        return await query(scope.ServiceProvider.GetRequiredService<CatalogQueries>());
    }

    private async Task<CatalogProduct> DemoProductAsync(Func<CatalogProduct, bool> where)
    {
        await using var ctx = db.Context(FixedTenantContext.For(DemoWorld.NorthernLights));
        return (await ctx.Products.AsNoTracking().OrderBy(p => p.SkuKey).ToListAsync()).First(where);
    }

    [Fact]
    public async Task A_sku_is_found_whatever_its_case()
    {
        var product = await DemoProductAsync(p => p.Category == "Flower");
        var found = await As(Budtender, q => q.FindBySkuOrGtinAsync(product.Sku.ToLowerInvariant()));
        Assert.Equal(product.Id, found!.Id);
    }

    [Fact]
    public async Task A_gtin_is_found_in_its_12_13_and_14_digit_forms_and_from_a_gs1_scan()
    {
        var product = await DemoProductAsync(p => p.Gtin!.StartsWith("00"));
        var gtin14 = product.Gtin!;
        foreach (var code in new[] { gtin14[2..], gtin14[1..], gtin14, $"(01){gtin14}(10)LOT42" })
        {
            var found = await As(Budtender, q => q.FindBySkuOrGtinAsync(code));
            Assert.True(found?.Id == product.Id, $"{code} did not find {product.Sku}");
        }
        Assert.Null(await As(Budtender, q => q.FindBySkuOrGtinAsync("00000000000001")));
    }

    [Fact]
    public async Task A_typo_still_finds_the_strain()
    {
        var page = await As(Budtender, q => q.SearchAsync(new CatalogSearch("blu dreem")));
        Assert.NotEmpty(page.Items);
        Assert.StartsWith("Blue Dream", page.Items[0].ProductName);
        Assert.Equal("blue dream", page.DidYouMean); // corrected against the catalogue's own words, then searched in full text
        Assert.All(page.Items, i => Assert.Contains("Blue Dream", i.ProductName));
    }

    [Fact]
    public async Task A_misspelt_brand_is_corrected_to_the_catalogues_word()
    {
        var page = await As(Budtender, q => q.SearchAsync(new CatalogSearch("nothern blom")));
        Assert.Equal("northern bloom", page.DidYouMean);
        Assert.NotEmpty(page.Items);
        Assert.All(page.Items, i => Assert.True(
            $"{i.ProductName} {i.Brand}".Contains("Northern", StringComparison.OrdinalIgnoreCase), i.ProductName));
    }

    [Fact]
    public async Task A_terpene_finds_the_products_that_carry_it()
    {
        var page = await As(Budtender, q => q.SearchAsync(new CatalogSearch("terpinolene", PageSize: 50)));
        Assert.True(page.Total > 10);
        await using var ctx = db.Context(FixedTenantContext.For(DemoWorld.NorthernLights));
        var ids = page.Items.Select(i => i.Id).ToList();
        var terpenes = await ctx.Products.Where(p => ids.Contains(p.Id)).Select(p => p.Terpenes).ToListAsync();
        Assert.All(terpenes, t => Assert.Contains("Terpinolene", t));
    }

    [Fact]
    public async Task An_exact_sku_is_ranked_first()
    {
        var product = await DemoProductAsync(p => p.Category == "Vapes");
        var page = await As(Budtender, q => q.SearchAsync(new CatalogSearch(product.Sku)));
        Assert.Equal(product.Id, page.Items[0].Id);
    }

    [Fact]
    public async Task Search_filters_by_category_and_brand_and_pages_with_a_total()
    {
        var first = await As(Budtender, q => q.SearchAsync(new CatalogSearch(Category: "Flower", Brand: "Northern Bloom", PageSize: 5)));
        var second = await As(Budtender, q => q.SearchAsync(new CatalogSearch(Category: "Flower", Brand: "Northern Bloom", Page: 1, PageSize: 5)));
        Assert.True(first.Total > 5);
        Assert.Equal(first.Total, second.Total);
        Assert.Empty(first.Items.Select(i => i.Id).Intersect(second.Items.Select(i => i.Id)));
        Assert.All(first.Items, i => Assert.Equal(("Flower", "Northern Bloom"), (i.Category, i.Brand)));
        Assert.EndsWith("%", first.Items[0].Thc);
    }

    [Fact]
    public async Task Category_and_brand_lists_come_from_the_tenants_catalogue()
    {
        var categories = await As(Budtender, q => q.CategoriesAsync());
        Assert.Equal(["Accessories", "Beverages", "Capsules", "Edibles", "Extracts", "Flower", "Pre-Rolls", "Seeds", "Topicals", "Vapes"], categories);
        var brands = await As(Budtender, q => q.BrandsAsync());
        Assert.Contains("Maple Ridge Farms", brands);
        Assert.True(brands.Count >= 20);
    }

    [Fact]
    public async Task The_detail_shows_potency_as_labels_give_it()
    {
        var edible = await DemoProductAsync(p => p.Category == "Edibles" && p.ThcPerUnit > 0);
        var detail = await As(Budtender, q => q.GetAsync(edible.Id));
        Assert.EndsWith("mg/unit", detail!.Thc);
        Assert.Equal(edible.DriedFlowerEquivalency, detail.DriedFlowerEquivalency);
    }

    [Fact]
    public async Task An_anonymous_shopper_searches_their_tenants_catalogue_and_a_caller_without_a_tenant_sees_nothing()
    {
        var shopper = await As(TestUser.Anonymous(DemoWorld.MapleLeaf), q => q.SearchAsync(new CatalogSearch("blue dream")));
        Assert.NotEmpty(shopper.Items);
        await using (var ctx = db.Context(FixedTenantContext.For(DemoWorld.MapleLeaf)))
        {
            var id = shopper.Items[0].Id;
            Assert.True(await ctx.Products.AnyAsync(p => p.Id == id));
        }
        var nobody = await As(TestUser.Anonymous(), q => q.SearchAsync(new CatalogSearch("blue dream")));
        Assert.Equal(0, nobody.Total);
        var product = await DemoProductAsync(_ => true);
        Assert.Null(await As(TestUser.Anonymous(DemoWorld.MapleLeaf), q => q.GetAsync(product.Id)));
    }
}
