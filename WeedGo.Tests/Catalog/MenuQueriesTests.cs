using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Catalog;
using WeedGo.Core.Ordering;
using WeedGo.Tests.Inventory;
using WeedGo.Tests.Ordering;
using WeedGo.Tests.Support;

namespace WeedGo.Tests.Catalog;

public sealed class MenuQueriesTests(DemoDatabaseFixture db) : IClassFixture<DemoDatabaseFixture>
{
    private static readonly Guid Store = DemoWorld.QueenWest;

    /// <summary>A product of a brand only this test uses, on the Queen West shelf with <paramref name="units"/>.</summary>
    private async Task<TestProduct> ListedAsync(string brand, string name, decimal price, int units, string strain = "Indica", decimal thc = 20m,
        string terpenes = "Myrcene, Limonene", string size = "3.5 g")
    {
        var p = await InventoryKit.AddProductAsync(db, brand: brand, price: price, name: name);
        await using (var ctx = db.Context())
        {
            await ctx.Products.Where(x => x.Id == p.Id).ExecuteUpdateAsync(u => u
                .SetProperty(x => x.StrainType, strain).SetProperty(x => x.ThcMin, thc - 2).SetProperty(x => x.ThcMax, thc)
                .SetProperty(x => x.Terpenes, terpenes).SetProperty(x => x.Size, size));
        }
        if (units > 0)
        {
            await InventoryKit.ReceiveAsync(db, Store, p.Id, units, "LOT-" + p.Sku);
        }
        else
        {
            // Listed at the store but sold out: received and written off again.
            await InventoryKit.ReceiveAsync(db, Store, p.Id, 1, "LOT-" + p.Sku);
            await using var scope = db.As(InventoryKit.Manager);
            var r = await scope.ServiceProvider.GetRequiredService<Core.Inventory.InventoryService>()
                .AdjustAsync(Store, p.Id, -1, Core.Inventory.AdjustmentReason.Damage, "test");
            Assert.True(r.Succeeded, r.Error?.Message);
        }
        return p;
    }

    private Task<MenuPage> PageAsync(MenuFilter filter, TestUser? who = null) =>
        InventoryKit.As(db, who ?? TestUser.Anonymous(DemoWorld.NorthernLights), sp => sp.GetRequiredService<MenuQueries>().PageAsync(Store, filter));

    private static string Brand() => "Menu Farms " + Guid.NewGuid().ToString("N")[..6];

    [Fact]
    public async Task Filters_narrow_the_menu_and_sold_out_products_show_only_when_asked()
    {
        var brand = Brand();
        var cheap = await ListedAsync(brand, "Cheap Indica", 20m, 5, strain: "Indica", thc: 18m);
        var dear = await ListedAsync(brand, "Dear Sativa", 60m, 5, strain: "Sativa", thc: 28m, terpenes: "Pinene", size: "7 g");
        var gone = await ListedAsync(brand, "Gone Hybrid", 30m, 0, strain: "Hybrid");

        var inStock = await PageAsync(new MenuFilter(Brands: [brand], Sort: MenuSort.PriceLow));
        Assert.Equal([cheap.Id, dear.Id], inStock.Items.Select(i => i.Id));
        Assert.Equal(2, inStock.Total);
        Assert.All(inStock.Items, i => Assert.True(i.Available > 0));

        var all = await PageAsync(new MenuFilter(Brands: [brand], InStockOnly: false, Sort: MenuSort.PriceHigh));
        Assert.Equal([dear.Id, gone.Id, cheap.Id], all.Items.Select(i => i.Id));
        Assert.Equal(0, all.Items.Single(i => i.Id == gone.Id).Available);

        Assert.Equal([dear.Id], (await PageAsync(new MenuFilter(Brands: [brand], StrainTypes: ["Sativa"]))).Items.Select(i => i.Id));
        Assert.Equal([dear.Id], (await PageAsync(new MenuFilter(Brands: [brand], ThcMin: 25))).Items.Select(i => i.Id));
        Assert.Equal([cheap.Id], (await PageAsync(new MenuFilter(Brands: [brand], ThcMax: 20))).Items.Select(i => i.Id));
        Assert.Equal([dear.Id], (await PageAsync(new MenuFilter(Brands: [brand], Terpene: "pinene"))).Items.Select(i => i.Id));
        Assert.Equal([dear.Id], (await PageAsync(new MenuFilter(Brands: [brand], Size: "7 g"))).Items.Select(i => i.Id));
        Assert.Equal([cheap.Id], (await PageAsync(new MenuFilter(Brands: [brand], PriceMax: 25))).Items.Select(i => i.Id));
        Assert.Equal([dear.Id], (await PageAsync(new MenuFilter(Brands: [brand], PriceMin: 50, PriceMax: 70))).Items.Select(i => i.Id));

        var card = inStock.Items[0];
        Assert.Equal("16–18 %", card.Thc); // flower potency as its label gives it
        Assert.Equal(20m, card.Price);
    }

    [Fact]
    public async Task Pages_are_cut_on_the_server_and_count_everything_that_matches()
    {
        var brand = Brand();
        for (var n = 0; n < 5; n++)
        {
            await ListedAsync(brand, $"Paged {n}", 10m + n, 3);
        }
        var first = await PageAsync(new MenuFilter(Brands: [brand], Sort: MenuSort.PriceLow, PageSize: 2));
        var last = await PageAsync(new MenuFilter(Brands: [brand], Sort: MenuSort.PriceLow, PageSize: 2, Page: 2));
        Assert.Equal(5, first.Total);
        Assert.Equal(3, first.PageCount);
        Assert.Equal(["Paged 0", "Paged 1"], first.Items.Select(i => i.ProductName));
        Assert.Equal(["Paged 4"], last.Items.Select(i => i.ProductName));
    }

    [Fact]
    public async Task Search_matches_an_exact_sku_or_gtin_word_prefixes_and_tolerates_typos()
    {
        var brand = Brand();
        var zorb = await ListedAsync(brand, "Zorblax Kush", 40m, 4);
        await ListedAsync(brand, "Quintessa Haze", 40m, 4);

        Assert.Equal([zorb.Id], (await PageAsync(new MenuFilter(Text: zorb.Sku.ToLowerInvariant()))).Items.Select(i => i.Id));
        Assert.Equal([zorb.Id], (await PageAsync(new MenuFilter(Text: zorb.Gtin13))).Items.Select(i => i.Id));
        Assert.Equal([zorb.Id], (await PageAsync(new MenuFilter(Text: "zorbl"))).Items.Select(i => i.Id));

        var typo = await PageAsync(new MenuFilter(Text: "zorblex kush"));
        Assert.True(typo.Corrected);
        Assert.Equal(zorb.Id, typo.Items[0].Id);

        var nothing = await PageAsync(new MenuFilter(Text: "qqqxxyyzz"));
        Assert.Equal(0, nothing.Total);
        Assert.Empty(nothing.Items);
    }

    [Fact]
    public async Task Popular_puts_what_sold_most_at_this_store_first()
    {
        var brand = Brand();
        var quiet = await ListedAsync(brand, "Aaa Quiet", 10m, 10);
        var hit = await ListedAsync(brand, "Zzz Hit", 10m, 10);
        var buyer = await OrderingKit.NewCustomerAsync(db);
        var order = await OrderingKit.OrderAsync(db, buyer, hit.Id, 2);
        await using (var scope = db.As(InventoryKit.Budtender))
        {
            var orders = scope.ServiceProvider.GetRequiredService<OrderService>();
            Assert.True((await orders.ConfirmAsync(order.OrderId)).Succeeded);
            var packed = await orders.PackAsync(order.OrderId);
            Assert.True(packed.Succeeded, packed.Error?.Message);
        }
        var page = await PageAsync(new MenuFilter(Brands: [brand], Sort: MenuSort.Popular));
        Assert.Equal([hit.Id, quiet.Id], page.Items.Select(i => i.Id));
        var byName = await PageAsync(new MenuFilter(Brands: [brand], Sort: MenuSort.Name));
        Assert.Equal([quiet.Id, hit.Id], byName.Items.Select(i => i.Id));
    }

    [Fact]
    public async Task A_product_page_has_the_store_price_live_stock_and_related_products_of_its_category()
    {
        var brand = Brand();
        var main = await ListedAsync(brand, "Main Product", 40m, 7);
        await using (var scope = db.As(InventoryKit.Manager))
        {
            var priced = await scope.ServiceProvider.GetRequiredService<Core.Inventory.InventoryService>().SetPriceAsync(Store, main.Id, 35.5m, 10m);
            Assert.True(priced.Succeeded, priced.Error?.Message);
        }
        var product = await InventoryKit.As(db, TestUser.Anonymous(DemoWorld.NorthernLights),
            sp => sp.GetRequiredService<MenuQueries>().ProductAsync(Store, main.Sku.ToLowerInvariant()));
        Assert.NotNull(product);
        Assert.Equal(35.5m, product.Price);
        Assert.Equal(7, product.Available);
        Assert.Equal("Main Product", product.Product.ProductName);
        Assert.NotEmpty(product.Related);
        Assert.DoesNotContain(product.Related, r => r.Id == main.Id);
        Assert.All(product.Related, r => Assert.Equal("Flower", r.Category));
        Assert.All(product.Related, r => Assert.True(r.Available > 0));
    }

    [Fact]
    public async Task Another_tenant_sees_nothing_of_this_store_and_no_tenant_sees_nothing_at_all()
    {
        var brand = Brand();
        var mine = await ListedAsync(brand, "Private Product", 40m, 3);
        var maple = await PageAsync(new MenuFilter(Brands: [brand]), TestUser.Anonymous(DemoWorld.MapleLeaf));
        Assert.Equal(0, maple.Total);
        Assert.Null(await InventoryKit.As(db, TestUser.Anonymous(DemoWorld.MapleLeaf),
            sp => sp.GetRequiredService<MenuQueries>().ProductAsync(Store, mine.Sku)));
        Assert.Equal(0, (await PageAsync(new MenuFilter(), TestUser.Anonymous())).Total);
        var facets = await InventoryKit.As(db, TestUser.Anonymous(DemoWorld.NorthernLights),
            sp => sp.GetRequiredService<MenuQueries>().FacetsAsync(Store));
        Assert.Contains(facets.Brands, b => b.Value == brand && b.Count == 1);
        Assert.Contains(facets.Categories, c => c.Value == "Flower");
    }
}
