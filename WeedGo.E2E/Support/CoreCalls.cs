using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Data;
using WeedGo.Core.Data.DemoData;
using WeedGo.Core.Ordering;
using WeedGo.Web.Identity;

namespace WeedGo.E2E.Support;

/// <summary>
/// Calls into the running app's Core services as a demo person (what another browser or a staff tablet would do), for
/// journeys that need a world the browser then looks at: an order placed, a staff member confirming it.
/// </summary>
public static class CoreCalls
{
    public static readonly Guid NorthernLights = DemoDataSeeder.IdFor(DemoDataSeeder.NorthernLights.Slug);
    public static readonly Guid QueenWest = DemoDataSeeder.IdFor("northern-lights-queen-west");
    public const string QueenWestSlug = "northern-lights-queen-west";
    public const string Customer = "customer@northernlights.demo";
    public const string Budtender = "budtender@northernlights.demo";

    /// <summary>A scope whose services see the demo account <paramref name="email"/> signed in with <paramref name="role"/>.</summary>
    public static AsyncServiceScope As(this AppHost app, string email, string role, params Guid[] stores)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, DemoDataSeeder.IdFor(email).ToString()), new(ClaimTypes.Email, email),
            new(WeedGoClaims.Tenant, NorthernLights.ToString()), new(ClaimTypes.Role, role),
        };
        claims.AddRange(stores.Select(s => new Claim(WeedGoClaims.Store, s.ToString())));
        var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<UserContext>().Set(new ClaimsPrincipal(new ClaimsIdentity(claims, "e2e")), null);
        return scope;
    }

    /// <summary>Products in stock at Queen West (at least <paramref name="units"/> available, priced), by name.</summary>
    public static async Task<IReadOnlyList<(Guid Id, string Name, string Sku)>> InStockAsync(this AppHost app, int units, int take)
    {
        await using var db = await app.Services.GetRequiredService<PooledDbContextFactory<WeedGoDbContext>>().CreateDbContextAsync();
        db.UseTenant(FixedTenantContext.For(NorthernLights));
        var rows = await db.Inventory.AsNoTracking().Where(i => i.StoreId == QueenWest && i.Available >= units)
            .Join(db.Products.Where(p => p.UnitPrice != null && p.IsCannabis), i => i.ProductId, p => p.Id, (i, p) => new { p.Id, p.ProductName, p.Sku })
            .OrderBy(p => p.ProductName).Take(take).ToListAsync();
        return rows.Select(r => (r.Id, r.ProductName, r.Sku)).ToList();
    }

    public static async Task<(int OnHand, int Reserved)> FiguresAsync(this AppHost app, Guid productId)
    {
        await using var db = await app.Services.GetRequiredService<PooledDbContextFactory<WeedGoDbContext>>().CreateDbContextAsync();
        db.UseTenant(FixedTenantContext.For(NorthernLights));
        var i = await db.Inventory.AsNoTracking().SingleAsync(x => x.StoreId == QueenWest && x.ProductId == productId);
        return (i.OnHand, i.Reserved);
    }

    /// <summary>The demo customer's cart at Queen West emptied, one unit of <paramref name="productId"/> added, checked out
    /// for the first pickup slot and paid by the sandbox's approved card.</summary>
    public static async Task<PlacedOrder> PlaceDemoOrderAsync(this AppHost app, Guid productId, int quantity = 1)
    {
        await using var scope = app.As(Customer, Roles.Customer);
        var sp = scope.ServiceProvider;
        var carts = sp.GetRequiredService<CartService>();
        await carts.ClearAsync(QueenWest);
        var added = await carts.AddAsync(QueenWest, productId, quantity);
        Assert.True(added.Succeeded, added.Error?.Message);
        var checkout = sp.GetRequiredService<CheckoutService>();
        var started = await checkout.StartAsync(QueenWest);
        Assert.True(started.Succeeded, started.Error?.Message);
        var s = started.Value;
        var placed = await checkout.PlaceOrderAsync(new PlaceOrderRequest(s.CheckoutId, Fulfilment.Pickup, s.PickupSlots[0], null, s.Customer.Name,
            s.Customer.Email, s.Customer.Phone, null, PaymentMethod.Card, new CardDetails(SandboxPaymentGateway.ApprovedCard, 12, 2030, "123"), null,
            Guid.NewGuid().ToString("N")));
        Assert.True(placed.Succeeded, placed.Error?.Message);
        return placed.Value;
    }

    /// <summary>Leaves the demo customer's Queen West cart empty for the journeys after this one.</summary>
    public static async Task ClearDemoCartAsync(this AppHost app)
    {
        await using var scope = app.As(Customer, Roles.Customer);
        await scope.ServiceProvider.GetRequiredService<CartService>().ClearAsync(QueenWest);
    }
}
