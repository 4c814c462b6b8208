using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Common;
using WeedGo.Core.Deliveries;
using WeedGo.Core.Ordering;
using WeedGo.Tests.Support;
using static WeedGo.Tests.Deliveries.DeliveryKit;
using static WeedGo.Tests.Ordering.OrderingKit;

namespace WeedGo.Tests.Deliveries;

/// <summary>The address check at checkout: the zone PostGIS finds for the pin sets fee, minimum and ETA; outside every zone,
/// no delivery.</summary>
public sealed class ZoneDeliveryQuoterTests(DemoDatabaseFixture db) : IClassFixture<DemoDatabaseFixture>
{
    private async Task<DeliveryQuote> QuoteAsync(Guid store, DeliveryAddress? address, decimal subtotal, DateTimeOffset? at = null)
    {
        var quoter = db.Services.GetRequiredService<IDeliveryQuoter>();
        Assert.IsType<ZoneDeliveryQuoter>(quoter);
        await using var ctx = db.Context();
        return await quoter.QuoteAsync(ctx, store, address, subtotal, at ?? db.Clock.GetUtcNow(), CancellationToken.None);
    }

    private static DeliveryAddress Pin(double lat, double lng) =>
        new() { Line1 = "1 Main St", City = "Toronto", PostalCode = "M5V 2T6", Latitude = lat, Longitude = lng };

    [Fact]
    public async Task The_zone_containing_the_pin_sets_fee_minimum_and_eta_and_outside_every_zone_there_is_no_delivery()
    {
        await ClearZonesAsync(db, DemoWorld.Yorkville); // only this test's zones
        await AddZoneAsync(db, DemoWorld.Yorkville, Zone("Near", Square(43.66, -79.40), fee: 5m, minimum: 30m, freeFrom: 100m, etaMin: 30, etaMax: 45));
        await AddZoneAsync(db, DemoWorld.Yorkville, Zone("Far", Square(43.68, -79.40), fee: 12m, minimum: 60m, freeFrom: null, etaMin: 60, etaMax: 90));

        var start = await QuoteAsync(DemoWorld.Yorkville, null, 10m);
        Assert.Equal((true, 5m, 30m, "30–90 min"), (start.Available, start.Fee, start.MinimumOrder, start.Eta)); // from the cheapest

        var near = await QuoteAsync(DemoWorld.Yorkville, Pin(43.67, -79.39), 50m);
        Assert.Equal((true, 5m, 30m, "30–45 min"), (near.Available, near.Fee, near.MinimumOrder, near.Eta));
        var free = await QuoteAsync(DemoWorld.Yorkville, Pin(43.67, -79.39), 100m);
        Assert.Equal(0m, free.Fee); // at or above the free-delivery threshold
        var far = await QuoteAsync(DemoWorld.Yorkville, Pin(43.69, -79.39), 500m);
        Assert.Equal((true, 12m, 60m, "60–90 min"), (far.Available, far.Fee, far.MinimumOrder, far.Eta));

        var outside = await QuoteAsync(DemoWorld.Yorkville, Pin(43.75, -79.39), 50m);
        Assert.False(outside.Available);
        Assert.Equal("We don't deliver to that address yet; choose pickup.", outside.Reason);

        var noPin = await QuoteAsync(DemoWorld.Yorkville, new DeliveryAddress { Line1 = "1 Main St", City = "Toronto", PostalCode = "M5V 2T6" }, 50m);
        Assert.False(noPin.Available);
        Assert.Contains("Place the pin", noPin.Reason);

        var night = await QuoteAsync(DemoWorld.Yorkville, Pin(43.67, -79.39), 50m, new DateTimeOffset(2026, 11, 26, 4, 0, 0, TimeSpan.Zero));
        Assert.False(night.Available);
        Assert.Contains("only while it is open", night.Reason);
    }

    [Fact]
    public async Task A_store_without_delivery_or_without_zones_answers_as_before()
    {
        var off = await QuoteAsync(DemoWorld.SquareOne, null, 10m); // delivery switched off in the demo
        Assert.False(off.Available);
        Assert.Contains("does not deliver", off.Reason);
        await ClearZonesAsync(db, DemoWorld.QueenWest);
        var legacy = await QuoteAsync(DemoWorld.QueenWest, Pin(43.65, -79.40), 10m); // no zones drawn yet: flat fee
        Assert.Equal((true, 5m, "45–90 min"), (legacy.Available, legacy.Fee, legacy.Eta));
    }

    [Fact]
    public async Task Checkout_with_zones_refuses_an_address_outside_and_charges_the_zone_fee_inside()
    {
        await ClearZonesAsync(db, Store);
        await AddZoneAsync(db, Store, Zone("Queen West core", Square(43.63, -79.43, 0.04), fee: 6m, minimum: 20m, freeFrom: null));
        var me = await NewCustomerAsync(db);
        var p = await StockedAsync(db, 10, price: 15m);
        await AddAsync(db, me, p.Id, 2);
        var session = (await StartAsync(db, me)).Value;
        Assert.True(session.Delivery.Available);
        Assert.Equal(6m, session.Delivery.Fee);

        var outside = await PlaceAsync(db, me, Pickup(session) with { Fulfilment = Fulfilment.Delivery, Address = Pin(43.80, -79.40), Payment = PaymentMethod.PayOnDelivery });
        Assert.Equal(ErrorKind.StoreClosed, outside.Error!.Kind);
        Assert.Equal("We don't deliver to that address yet; choose pickup.", outside.Error.Message);

        var inside = await PlaceAsync(db, me, Pickup(session) with { Fulfilment = Fulfilment.Delivery, Address = Pin(43.65, -79.41), Payment = PaymentMethod.PayOnDelivery });
        Assert.True(inside.Succeeded, inside.Error?.Message);
        var detail = (await As(db, me, sp => sp.GetRequiredService<OrderQueries>().DetailAsync(inside.Value.OrderId))).Value;
        Assert.Equal(6m, detail.DeliveryFee);
    }
}
