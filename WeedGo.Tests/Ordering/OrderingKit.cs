using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Ordering;
using WeedGo.Tests.Inventory;
using WeedGo.Tests.Support;

namespace WeedGo.Tests.Ordering;

/// <summary>Shoppers, stocked products and the checkout steps ordering tests repeat.</summary>
public static class OrderingKit
{
    public static readonly Guid Store = DemoWorld.QueenWest;

    /// <summary>A fresh customer account of Northern Lights (own cart, own orders), born on <paramref name="born"/>.</summary>
    public static async Task<TestUser> NewCustomerAsync(DatabaseFixture db, DateOnly? born = null, bool withBirthDate = true)
    {
        var id = Guid.CreateVersion7();
        var email = $"c{id:N}@test.example";
        await using var ctx = db.Context();
        ctx.Users.Add(new AppUser
        {
            Id = id, TenantId = DemoWorld.NorthernLights, UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email,
            NormalizedEmail = email.ToUpperInvariant(), DisplayName = "Test Customer", SecurityStamp = Guid.NewGuid().ToString(),
            Profile = new Profile { UserId = id, FirstName = "Test", LastName = "Customer", BirthDate = withBirthDate ? born ?? new DateOnly(1990, 1, 1) : null },
        });
        await ctx.SaveChangesAsync();
        return new TestUser { UserId = id, TenantId = DemoWorld.NorthernLights, Email = email, Roles = [Roles.Customer] };
    }

    public static TestUser Guest(string? key = null) =>
        new() { TenantId = DemoWorld.NorthernLights, ShopperKey = key ?? Guid.NewGuid().ToString("N") };

    /// <summary>A product with <paramref name="units"/> on the Queen West shelf, counting <paramref name="grams"/> each.</summary>
    public static async Task<TestProduct> StockedAsync(DatabaseFixture db, int units, decimal grams = 1m, decimal price = 10m, string category = "Flower")
    {
        var p = await InventoryKit.AddProductAsync(db, price: price, category: category);
        await using (var ctx = db.Context())
        {
            await ctx.Products.Where(x => x.Id == p.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.DriedFlowerEquivalency, grams));
        }
        if (units > 0)
        {
            await InventoryKit.ReceiveAsync(db, Store, p.Id, units, "LOT-" + p.Sku);
        }
        return p;
    }

    public static async Task<T> As<T>(DatabaseFixture db, TestUser who, Func<IServiceProvider, Task<T>> act)
    {
        await using var scope = db.As(who);
        return await act(scope.ServiceProvider);
    }

    public static Task<Result<CartView>> AddAsync(DatabaseFixture db, TestUser who, Guid productId, int quantity = 1) =>
        As(db, who, sp => sp.GetRequiredService<CartService>().AddAsync(Store, productId, quantity));

    public static Task<Result<CheckoutSession>> StartAsync(DatabaseFixture db, TestUser who) =>
        As(db, who, sp => sp.GetRequiredService<CheckoutService>().StartAsync(Store));

    public static PlaceOrderRequest Pickup(CheckoutSession session, PaymentMethod payment = PaymentMethod.PayAtPickup, CardDetails? card = null,
        string? attempt = null) =>
        new(session.CheckoutId, Fulfilment.Pickup, session.PickupSlots[0], null, "Test Customer", "test@example.com", null, null, payment, card, null,
            attempt ?? Guid.NewGuid().ToString("N"));

    public static Task<Result<PlacedOrder>> PlaceAsync(DatabaseFixture db, TestUser who, PlaceOrderRequest request) =>
        As(db, who, sp => sp.GetRequiredService<CheckoutService>().PlaceOrderAsync(request));

    /// <summary>Cart of one product, checkout started and placed for pickup; returns the order.</summary>
    public static async Task<PlacedOrder> OrderAsync(DatabaseFixture db, TestUser who, Guid productId, int quantity,
        PaymentMethod payment = PaymentMethod.PayAtPickup)
    {
        Assert.True((await AddAsync(db, who, productId, quantity)).Succeeded);
        var session = (await StartAsync(db, who)).Value;
        var card = payment == PaymentMethod.Card ? new CardDetails(SandboxPaymentGateway.ApprovedCard, 12, 2030, "123") : null;
        var placed = await PlaceAsync(db, who, Pickup(session, payment, card));
        Assert.True(placed.Succeeded, placed.Error?.Message);
        return placed.Value;
    }

    public static async Task<(int OnHand, int Reserved, int Available)> FiguresAsync(DatabaseFixture db, Guid productId)
    {
        await using var ctx = db.Context();
        var i = await ctx.Inventory.AsNoTracking().SingleAsync(x => x.StoreId == Store && x.ProductId == productId);
        return (i.OnHand, i.Reserved, i.Available);
    }
}
