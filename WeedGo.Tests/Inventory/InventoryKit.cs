using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Accounts;
using WeedGo.Core.Catalog;
using WeedGo.Core.Inventory;
using WeedGo.Tests.Support;

namespace WeedGo.Tests.Inventory;

public sealed record TestProduct(Guid Id, string Sku, string Name, string Gtin13, string Gtin14);

/// <summary>People and catalogue rows for inventory tests (the catalogue import is another feature: rows go in directly).</summary>
public static class InventoryKit
{
    public static TestUser Manager => TestUser.Staff(DemoWorld.User("manager@northernlights.demo"), DemoWorld.NorthernLights, Roles.StoreManager,
        DemoWorld.QueenWest, DemoWorld.Yorkville);
    public static TestUser Budtender => TestUser.Staff(DemoWorld.User("budtender@northernlights.demo"), DemoWorld.NorthernLights, Roles.Budtender,
        DemoWorld.QueenWest);
    public static TestUser TenantAdmin => TestUser.Staff(DemoWorld.User("admin@northernlights.demo"), DemoWorld.NorthernLights, Roles.TenantAdmin);
    public static TestUser MapleManager => TestUser.Staff(DemoWorld.User("manager@mapleleaf.demo"), DemoWorld.MapleLeaf, Roles.StoreManager,
        DemoWorld.Scarborough);

    private static int _counter;

    /// <summary>A random valid GTIN-13 (12 digits and the check digit).</summary>
    public static string NewGtin13()
    {
        var body = "62" + Random.Shared.NextInt64(0, 10_000_000_000).ToString("D10", System.Globalization.CultureInfo.InvariantCulture);
        return Gtin.WithCheckDigit(body);
    }

    public static async Task<TestProduct> AddProductAsync(DatabaseFixture db, Guid? tenant = null, string category = "Flower", string? brand = "Test Farms",
        decimal? price = 29.99m, string? name = null, string? sku = null)
    {
        var n = Interlocked.Increment(ref _counter);
        sku ??= $"T{n:D4}-{Guid.NewGuid().ToString("N")[..6]}".ToUpperInvariant();
        name ??= $"Test Product {n}";
        var gtin13 = NewGtin13();
        var product = new CatalogProduct
        {
            TenantId = tenant ?? DemoWorld.NorthernLights, Sku = sku, SkuKey = sku.ToUpperInvariant(), ProductName = name, Category = category, Brand = brand,
            Gtin = "0" + gtin13, UnitPrice = price, ContentHash = "test", DriedFlowerEquivalency = 1,
        };
        await using var ctx = db.Context();
        ctx.Products.Add(product);
        await ctx.SaveChangesAsync();
        return new TestProduct(product.Id, sku, name, gtin13, "0" + gtin13);
    }

    public static async Task<StockFigures> ReceiveAsync(DatabaseFixture db, Guid storeId, Guid productId, int quantity, string lot,
        DateTime? packagedOn = null, decimal? cost = 10m, string? eachGtin = null, string? caseGtin = null)
    {
        await using var scope = db.As(Manager);
        var result = await scope.ServiceProvider.GetRequiredService<StockLedger>()
            .ReceiveAsync(storeId, productId, quantity, new BatchReceipt(lot, packagedOn, cost, caseGtin, eachGtin), "test receipt");
        Assert.True(result.Succeeded, result.Error?.Message);
        return result.Value;
    }

    public static async Task<T> As<T>(DatabaseFixture db, TestUser user, Func<IServiceProvider, Task<T>> act)
    {
        await using var scope = db.As(user);
        return await act(scope.ServiceProvider);
    }
}
