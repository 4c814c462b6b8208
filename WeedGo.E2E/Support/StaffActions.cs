using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Accounts;
using WeedGo.Core.Catalog;
using WeedGo.Core.Data;
using WeedGo.Core.Data.DemoData;
using WeedGo.Core.Inventory;
using WeedGo.Core.Ordering;
using WeedGo.Web.Identity;

namespace WeedGo.E2E.Support;

/// <summary>
/// Acts inside the running app as a demo staff member, through the same Core services the pages use (another person's
/// session, in effect): stocks a fresh product, places an in-store order. Each call makes its own rows, so journeys sharing
/// the app's database stay independent.
/// </summary>
public sealed class StaffActions(AppHost app)
{
    public static readonly Guid NorthernLights = DemoDataSeeder.IdFor(DemoDataSeeder.NorthernLights.Slug);
    public static readonly Guid QueenWest = DemoDataSeeder.IdFor("northern-lights-queen-west");

    private static ClaimsPrincipal Person(string email, string role) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.NameIdentifier, DemoDataSeeder.IdFor(email).ToString()),
        new Claim(ClaimTypes.Email, email),
        new Claim(ClaimTypes.Role, role),
        new Claim(WeedGoClaims.Tenant, NorthernLights.ToString()),
        new Claim(WeedGoClaims.Store, QueenWest.ToString()),
    ], "e2e"));

    private async Task<T> AsAsync<T>(string email, string role, Func<IServiceProvider, Task<T>> act)
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<UserContext>().Set(Person(email, role), null);
        return await act(scope.ServiceProvider);
    }

    /// <summary>A new catalogue product with <paramref name="units"/> received at Queen West in one lot.</summary>
    public Task<CatalogProduct> StockedProductAsync(string name, int units, decimal price = 24.99m, decimal grams = 3.5m) =>
        AsAsync("manager@northernlights.demo", Roles.StoreManager, async sp =>
        {
            var sku = "E2E-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
            var product = new CatalogProduct
            {
                TenantId = NorthernLights, Sku = sku, SkuKey = sku, ProductName = name, Category = "Flower", Brand = "E2E Farms", Size = "3.5 g",
                UnitPrice = price, ContentHash = "e2e", DriedFlowerEquivalency = grams,
            };
            await using (var db = await sp.GetRequiredService<IDbContextFactory<WeedGoDbContext>>().CreateDbContextAsync())
            {
                db.Products.Add(product);
                await db.SaveChangesAsync();
            }
            var received = await sp.GetRequiredService<StockLedger>()
                .ReceiveAsync(QueenWest, product.Id, units, new BatchReceipt("LOT-" + sku, new DateTime(2026, 10, 1), 10m), "e2e receipt");
            Assert.True(received.Succeeded, received.Error?.Message);
            return product;
        });

    /// <summary>A counter order entered by the demo budtender at Queen West (it arrives live in open queues).</summary>
    public Task<PlacedOrder> InStoreOrderAsync(string customer, Guid productId, int quantity) =>
        AsAsync("budtender@northernlights.demo", Roles.Budtender, async sp =>
        {
            var placed = await sp.GetRequiredService<OrderService>().CreateInStoreAsync(QueenWest, customer, "416-555-0199", [new InStoreLine(productId, quantity)]);
            Assert.True(placed.Succeeded, placed.Error?.Message);
            return placed.Value;
        });

    /// <summary>A promotion created by the demo Queen West manager through the Promotions service.</summary>
    public Task<Guid> PromotionAsync(WeedGo.Core.Pricing.Promotion draft) =>
        AsAsync("manager@northernlights.demo", Roles.StoreManager, async sp =>
        {
            var created = await sp.GetRequiredService<WeedGo.Core.Pricing.PromotionService>().CreateAsync(draft);
            Assert.True(created.Succeeded, created.Error?.Message);
            return created.Value;
        });

    /// <summary>Pauses a promotion so later journeys in the same app do not see it.</summary>
    public Task<bool> PausePromotionAsync(Guid id) =>
        AsAsync("manager@northernlights.demo", Roles.StoreManager, async sp =>
            (await sp.GetRequiredService<WeedGo.Core.Pricing.PromotionService>().PauseAsync(id)).Succeeded);
}
