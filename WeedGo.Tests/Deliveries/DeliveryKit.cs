using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Accounts;
using WeedGo.Core.Deliveries;
using WeedGo.Core.Ordering;
using WeedGo.Tests.Inventory;
using WeedGo.Tests.Support;
using static WeedGo.Tests.Ordering.OrderingKit;

namespace WeedGo.Tests.Deliveries;

/// <summary>Polygons, drivers and delivery orders that delivery tests repeat.</summary>
public static class DeliveryKit
{
    public static TestUser Driver => TestUser.Staff(DemoWorld.User("driver@northernlights.demo"), DemoWorld.NorthernLights, Roles.Driver, DemoWorld.QueenWest);
    public static TestUser MapleDriver => TestUser.Staff(DemoWorld.User("driver@mapleleaf.demo"), DemoWorld.MapleLeaf, Roles.Driver, DemoWorld.Scarborough);

    /// <summary>A GeoJSON Polygon: a square of <paramref name="size"/> degrees whose south-west corner is (lat, lng),
    /// optionally with a square hole in its middle a third of its size.</summary>
    public static string Square(double lat, double lng, double size = 0.02, bool hole = false)
    {
        string P(double y, double x) => $"[{x.ToString(CultureInfo.InvariantCulture)},{y.ToString(CultureInfo.InvariantCulture)}]";
        var outer = $"[{P(lat, lng)},{P(lat, lng + size)},{P(lat + size, lng + size)},{P(lat + size, lng)},{P(lat, lng)}]";
        if (!hole)
        {
            return $"{{\"type\":\"Polygon\",\"coordinates\":[{outer}]}}";
        }
        double a = size / 3, b = 2 * size / 3;
        var inner = $"[{P(lat + a, lng + a)},{P(lat + a, lng + b)},{P(lat + b, lng + b)},{P(lat + b, lng + a)},{P(lat + a, lng + a)}]";
        return $"{{\"type\":\"Polygon\",\"coordinates\":[{outer},{inner}]}}";
    }

    public static ZoneInput Zone(string name, string geoJson, decimal fee = 7m, decimal minimum = 40m, decimal? freeFrom = 150m, int etaMin = 30, int etaMax = 45) =>
        new(name, geoJson, fee, minimum, freeFrom, etaMin, etaMax);

    public static async Task<Guid> AddZoneAsync(DatabaseFixture db, Guid store, ZoneInput zone)
    {
        await using var scope = db.As(InventoryKit.TenantAdmin);
        var r = await scope.ServiceProvider.GetRequiredService<DeliveryZoneService>().CreateAsync(store, zone);
        Assert.True(r.Succeeded, r.Error?.Message);
        return r.Value;
    }

    /// <summary>Removes a store's zones (the demo stores that deliver have some), for tests that need a store without zones
    /// or only their own.</summary>
    public static async Task ClearZonesAsync(DatabaseFixture db, Guid store)
    {
        await using var ctx = db.Context();
        await ctx.DeliveryZones.Where(z => z.StoreId == store).ExecuteDeleteAsync();
    }

    /// <summary>A new driver account working at <paramref name="store"/> (Northern Lights).</summary>
    public static async Task<TestUser> NewDriverAsync(DatabaseFixture db, Guid store)
    {
        var id = Guid.CreateVersion7();
        var email = $"d{id:N}@test.example";
        await using var ctx = db.Context();
        ctx.Users.Add(new AppUser
        {
            Id = id, TenantId = DemoWorld.NorthernLights, UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email,
            NormalizedEmail = email.ToUpperInvariant(), DisplayName = "Test Driver", SecurityStamp = Guid.NewGuid().ToString(),
        });
        ctx.StaffMemberships.Add(new StaffMembership { TenantId = DemoWorld.NorthernLights, StoreId = store, UserId = id, Role = Roles.Driver });
        await ctx.SaveChangesAsync();
        return TestUser.Staff(id, DemoWorld.NorthernLights, Roles.Driver, store);
    }

    /// <summary>A delivery order at Queen West (pin at lat/lng), placed, confirmed and packed by staff.</summary>
    public static async Task<(PlacedOrder Order, TestProduct Product)> PackedDeliveryOrderAsync(DatabaseFixture db, int units = 2, double lat = 43.65, double lng = -79.40)
    {
        var (order, product, _) = await PackedDeliveryOrderForAsync(db, units, lat, lng);
        return (order, product);
    }

    /// <summary>The same, with the customer who placed it.</summary>
    public static async Task<(PlacedOrder Order, TestProduct Product, TestUser Customer)> PackedDeliveryOrderForAsync(DatabaseFixture db, int units = 2, double lat = 43.65, double lng = -79.40)
    {
        var customer = await NewCustomerAsync(db);
        var p = await StockedAsync(db, 10, price: 30m);
        Assert.True((await AddAsync(db, customer, p.Id, units)).Succeeded);
        var session = (await StartAsync(db, customer)).Value;
        var address = new DeliveryAddress { Line1 = "1 Main St", City = "Toronto", PostalCode = "M5V 2T6", Latitude = lat, Longitude = lng };
        var placed = await PlaceAsync(db, customer, Pickup(session) with { Fulfilment = Fulfilment.Delivery, Address = address, Payment = PaymentMethod.PayOnDelivery });
        Assert.True(placed.Succeeded, placed.Error?.Message);
        await using var scope = db.As(InventoryKit.Budtender);
        var orders = scope.ServiceProvider.GetRequiredService<OrderService>();
        Assert.True((await orders.ConfirmAsync(placed.Value.OrderId)).Succeeded);
        Assert.True((await orders.PackAsync(placed.Value.OrderId)).Succeeded);
        return (placed.Value, p, customer);
    }

    public static async Task<T> Do<T>(DatabaseFixture db, TestUser who, Func<IServiceProvider, Task<T>> act)
    {
        await using var scope = db.As(who);
        return await act(scope.ServiceProvider);
    }
}
