using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Common;
using WeedGo.Core.Inventory;
using WeedGo.Core.Ordering;
using WeedGo.Tests.Support;
using static WeedGo.Tests.Ordering.OrderingKit;

namespace WeedGo.Tests.Ordering;

public sealed class CheckoutServiceTests(DemoDatabaseFixture db) : IClassFixture<DemoDatabaseFixture>
{
    [Fact]
    public async Task Starting_checkout_reserves_the_cart_and_the_sweep_releases_it_after_15_minutes()
    {
        var me = await NewCustomerAsync(db);
        var p = await StockedAsync(db, 10);
        await AddAsync(db, me, p.Id, 3);
        var session = (await StartAsync(db, me)).Value;
        Assert.Equal((10, 3, 7), await FiguresAsync(db, p.Id));
        Assert.StartsWith("WG-", session.OrderNumber);
        Assert.Equal(db.Clock.GetUtcNow().AddMinutes(15), session.ExpiresAt);
        Assert.NotEmpty(session.PickupSlots);

        // Starting again with the same cart extends the hold instead of reserving twice.
        db.Clock.Advance(TimeSpan.FromMinutes(5));
        var again = (await StartAsync(db, me)).Value;
        Assert.Equal(session.CheckoutId, again.CheckoutId);
        Assert.Equal((10, 3, 7), await FiguresAsync(db, p.Id));

        db.Clock.Advance(TimeSpan.FromMinutes(16)); // the extended hold ends 20 minutes after the first start
        Assert.True(await db.Services.GetRequiredService<HoldSweeper>().ReleaseExpiredAsync() >= 1);
        Assert.Equal((10, 0, 10), await FiguresAsync(db, p.Id));
        var late = await PlaceAsync(db, me, Pickup(again));
        Assert.Equal("hold_expired", late.Error!.Code);
        await using var ctx = db.Context();
        var ledger = await ctx.StockLedger.Where(m => m.ProductId == p.Id && m.Reference == session.OrderNumber).ToListAsync();
        Assert.Equal([MovementKind.Reservation, MovementKind.Release], ledger.OrderBy(m => m.OccurredAt).Select(m => m.Kind));
        Assert.Equal(0, ledger.Sum(m => m.ReservedDelta));
    }

    [Fact]
    public async Task Placing_turns_the_hold_into_an_order_priced_on_the_server_and_empties_the_cart()
    {
        var me = await NewCustomerAsync(db);
        var p = await StockedAsync(db, 10, price: 20m);
        await AddAsync(db, me, p.Id, 2);
        var session = (await StartAsync(db, me)).Value;
        // The store changes the price while the customer is on the review page: the order uses today's shelf price.
        await using (var ctx = db.Context())
        {
            await ctx.Inventory.Where(i => i.StoreId == Store && i.ProductId == p.Id).ExecuteUpdateAsync(u => u.SetProperty(i => i.RetailPriceOverride, 22m));
        }
        var placed = (await PlaceAsync(db, me, Pickup(session))).Value;
        var detail = (await As(db, me, sp => sp.GetRequiredService<OrderQueries>().DetailAsync(placed.OrderId))).Value;
        Assert.Equal(session.OrderNumber, detail.Summary.Number);
        Assert.Equal(44m, detail.Subtotal);
        Assert.Equal(5.72m, detail.Tax);
        Assert.Equal(49.72m, detail.Summary.Total);
        Assert.Equal(OrderStatus.Placed, detail.Summary.Status);
        Assert.Equal(PaymentStatus.Due, detail.Summary.PaymentStatus);
        Assert.Equal((10, 2, 8), await FiguresAsync(db, p.Id)); // still held, now by the order
        Assert.True((await As(db, me, sp => sp.GetRequiredService<CartService>().GetAsync(Store))).IsEmpty);
        Assert.Single(await As(db, me, sp => sp.GetRequiredService<OrderQueries>().MineAsync()));
        // The sweep never touches a placed checkout's hold.
        db.Clock.Advance(TimeSpan.FromMinutes(20));
        await db.Services.GetRequiredService<HoldSweeper>().ReleaseExpiredAsync();
        Assert.Equal((10, 2, 8), await FiguresAsync(db, p.Id));
    }

    [Fact]
    public async Task A_double_click_or_retried_submit_creates_exactly_one_order_and_one_payment_row()
    {
        var me = await NewCustomerAsync(db);
        var p = await StockedAsync(db, 10);
        await AddAsync(db, me, p.Id, 1);
        var session = (await StartAsync(db, me)).Value;
        var request = Pickup(session, PaymentMethod.Card, new CardDetails(SandboxPaymentGateway.ApprovedCard, 12, 2030, "123"), attempt: "click-1");
        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => PlaceAsync(db, me, request)));
        Assert.All(results, r => Assert.True(r.Succeeded, r.Error?.Message));
        Assert.Single(results.Select(r => r.Value.OrderId).Distinct());
        Assert.Equal(4, results.Count(r => r.Value.AlreadyPlaced));
        var retried = await PlaceAsync(db, me, request with { AttemptKey = "click-2" });
        Assert.Equal(results[0].Value.OrderId, retried.Value.OrderId);
        await using var ctx = db.Context();
        Assert.Equal(1, await ctx.Orders.CountAsync(o => o.CheckoutId == session.CheckoutId));
        var payment = await ctx.Payments.SingleAsync(x => x.CheckoutId == session.CheckoutId);
        Assert.Equal((PaymentAttemptStatus.Approved, "4242", results[0].Value.OrderId), (payment.Status, payment.CardLast4, payment.OrderId!.Value));
        Assert.StartsWith("sbx_ch_", payment.ProviderReference);
    }

    [Fact]
    public async Task A_declined_card_is_recorded_keeps_the_hold_and_a_second_card_places_the_order()
    {
        var me = await NewCustomerAsync(db);
        var p = await StockedAsync(db, 5);
        await AddAsync(db, me, p.Id, 1);
        var session = (await StartAsync(db, me)).Value;
        var declined = await PlaceAsync(db, me, Pickup(session, PaymentMethod.Card, new CardDetails(SandboxPaymentGateway.InsufficientFundsCard, 12, 2030, "123")));
        Assert.Equal("payment_declined", declined.Error!.Code);
        Assert.Contains("insufficient funds", declined.Error.Message);
        Assert.Equal((5, 1, 4), await FiguresAsync(db, p.Id));
        var placed = await PlaceAsync(db, me, Pickup(session, PaymentMethod.Card, new CardDetails(SandboxPaymentGateway.ApprovedCard, 12, 2030, "123")));
        Assert.True(placed.Succeeded, placed.Error?.Message);
        await using var ctx = db.Context();
        var attempts = await ctx.Payments.Where(x => x.CheckoutId == session.CheckoutId).OrderBy(x => x.CreatedAt).Select(x => x.Status).ToListAsync();
        Assert.Equal([PaymentAttemptStatus.Declined, PaymentAttemptStatus.Approved], attempts);
    }

    [Fact]
    public async Task Under_age_closed_store_times_and_delivery_from_a_store_that_does_not_deliver_each_get_their_own_message()
    {
        var p = await StockedAsync(db, 20);
        var young = await NewCustomerAsync(db, born: DateOnly.FromDateTime(db.Clock.GetUtcNow().AddYears(-18).Date));
        await AddAsync(db, young, p.Id);
        Assert.Equal(ErrorKind.UnderAge, (await StartAsync(db, young)).Error!.Kind);

        var noBirthDate = await NewCustomerAsync(db, withBirthDate: false);
        await AddAsync(db, noBirthDate, p.Id);
        var session = (await StartAsync(db, noBirthDate)).Value;
        var tooYoung = await PlaceAsync(db, noBirthDate, Pickup(session) with { BirthDate = DateOnly.FromDateTime(db.Clock.GetUtcNow().AddYears(-19).AddDays(1).Date) });
        Assert.Equal(ErrorKind.UnderAge, tooYoung.Error!.Kind);

        var me = await NewCustomerAsync(db);
        await AddAsync(db, me, p.Id);
        session = (await StartAsync(db, me)).Value;
        var midnight = new DateTimeOffset(2026, 11, 26, 3, 0, 0, TimeSpan.FromHours(-5));
        var closed = await PlaceAsync(db, me, Pickup(session) with { PickupAt = midnight });
        Assert.Equal(ErrorKind.StoreClosed, closed.Error!.Kind);
        // Queen West delivers by zones (demo data): the pin is in "Downtown West" ($5).
        var address = new DeliveryAddress { Line1 = "1 Main St", City = "Toronto", PostalCode = "M5V 2T6", Latitude = 43.65, Longitude = -79.40 };
        var badPostal = await PlaceAsync(db, me, Pickup(session) with { Fulfilment = Fulfilment.Delivery, Address = new DeliveryAddress { Line1 = "1 Main St", City = "Toronto", PostalCode = "12345" }, Payment = PaymentMethod.PayOnDelivery });
        Assert.Contains("postal code", badPostal.Error!.Message);
        var delivered = await PlaceAsync(db, me, Pickup(session) with { Fulfilment = Fulfilment.Delivery, Address = address, Payment = PaymentMethod.PayOnDelivery });
        Assert.True(delivered.Succeeded, delivered.Error?.Message); // Queen West delivers while open
        var detail = (await As(db, me, sp => sp.GetRequiredService<OrderQueries>().DetailAsync(delivered.Value.OrderId))).Value;
        Assert.Equal(5m, detail.DeliveryFee);
    }

    [Fact]
    public async Task Checkout_needs_an_account_and_a_sold_out_line_fails_the_whole_hold_with_its_name()
    {
        var p = await StockedAsync(db, 1);
        var guest = Guest();
        await AddAsync(db, guest, p.Id);
        Assert.Equal("sign_in_required", (await StartAsync(db, guest)).Error!.Code);

        var first = await NewCustomerAsync(db);
        var second = await NewCustomerAsync(db);
        var other = await StockedAsync(db, 5);
        await AddAsync(db, first, p.Id);
        await AddAsync(db, second, other.Id, 2);
        await AddAsync(db, second, p.Id);
        Assert.True((await StartAsync(db, first)).Succeeded);
        var refused = await StartAsync(db, second);
        Assert.Equal(ErrorKind.OutOfStock, refused.Error!.Kind);
        Assert.Contains(p.Name, refused.Error.Message);
        Assert.Equal((5, 0, 5), await FiguresAsync(db, other.Id)); // nothing half-held
    }

    [Fact]
    public async Task Two_hundred_concurrent_checkouts_for_twenty_units_sell_exactly_twenty_and_never_go_below_zero()
    {
        var p = await StockedAsync(db, 20);
        var buyers = new List<TestUser>();
        for (var i = 0; i < 200; i++)
        {
            var buyer = await NewCustomerAsync(db);
            Assert.True((await AddAsync(db, buyer, p.Id)).Succeeded);
            buyers.Add(buyer);
        }
        var results = await Task.WhenAll(buyers.Select(b => Task.Run(() => StartAsync(db, b))));
        Assert.Equal(20, results.Count(r => r.Succeeded));
        Assert.All(results.Where(r => !r.Succeeded), r =>
        {
            Assert.Equal(ErrorKind.OutOfStock, r.Error!.Kind);
            Assert.Contains("sold out", r.Error.Message);
        });
        Assert.Equal((20, 20, 0), await FiguresAsync(db, p.Id));
        await using var ctx = db.Context();
        Assert.Equal(20, await ctx.StockLedger.Where(m => m.ProductId == p.Id).SumAsync(m => m.ReservedDelta));
    }
}
