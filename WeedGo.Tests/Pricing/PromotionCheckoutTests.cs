using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Common;
using WeedGo.Core.Ordering;
using WeedGo.Core.Pricing;
using WeedGo.Tests.Inventory;
using WeedGo.Tests.Support;
using static WeedGo.Tests.Ordering.OrderingKit;

namespace WeedGo.Tests.Pricing;

/// <summary>Promotions through the real cart and checkout on PostgreSQL.</summary>
public sealed class PromotionCheckoutTests(DemoDatabaseFixture db) : IClassFixture<DemoDatabaseFixture>
{
    /// <summary>Saves a promotion for Queen West as the tenant admin (targeting the given products so other tests never see it).</summary>
    private async Task<Guid> CreateAsync(Action<Promotion> set, params Guid[] products)
    {
        var draft = new Promotion { Name = "Test " + Guid.NewGuid().ToString("N")[..6], Type = PromotionType.PercentOff, Percent = 10, StoreIds = [Store], ProductIds = [.. products] };
        set(draft);
        var created = await As(db, InventoryKit.TenantAdmin, sp => sp.GetRequiredService<PromotionService>().CreateAsync(draft));
        Assert.True(created.Succeeded, created.Error?.Message);
        return created.Value;
    }

    private Task<Result<CartView>> ApplyCodeAsync(TestUser who, string code) =>
        As(db, who, sp => sp.GetRequiredService<CartService>().ApplyCodeAsync(Store, code));

    [Fact]
    public async Task The_checkout_total_equals_the_engine_total_and_the_order_records_its_promotions()
    {
        var flower = await StockedAsync(db, 20, price: 12.50m);
        var preroll = await StockedAsync(db, 20, price: 8m, category: "Pre-Rolls");
        var twentyOff = await CreateAsync(p => p.Percent = 20, flower.Id);
        var bogo = await CreateAsync(p => { p.Type = PromotionType.BuyXGetY; p.Percent = 100; p.BuyQuantity = 1; p.GetQuantity = 1; p.Priority = 5; }, preroll.Id);
        var me = await NewCustomerAsync(db);
        await AddAsync(db, me, flower.Id, 3);
        var cart = (await AddAsync(db, me, preroll.Id, 2)).Value;

        Assert.Equal(53.50m, cart.Subtotal);
        Assert.Equal(7.50m + 8m, cart.Discount);
        Assert.Equal(38.00m, cart.Total);
        Assert.Equal(7.50m, cart.Lines.Single(l => l.ProductId == flower.Id).Discount);
        Assert.All(cart.Lines, l => Assert.True(l.FinalTotal > 0));
        Assert.Equal([bogo, twentyOff], cart.AppliedPromotions.Select(a => a.PromotionId));

        var session = (await StartAsync(db, me)).Value;
        var expected = session.TotalsFor(Fulfilment.Pickup);
        var placed = (await PlaceAsync(db, me, Pickup(session))).Value;
        await using var ctx = db.Context();
        var order = await ctx.Orders.Include(o => o.Lines).SingleAsync(o => o.Id == placed.OrderId);
        Assert.Equal(expected.Total, order.Total);
        Assert.Equal(15.50m, order.Discount);
        Assert.Equal(session.PickupPricing!.Total, order.Subtotal - order.Discount + order.DeliveryFee);
        Assert.Equal(OrderMath.Round(38.00m * 1.13m), order.Total);
        Assert.Equal(7.50m, order.Lines.Single(l => l.ProductId == flower.Id).LineDiscount);
        Assert.Equal(30.00m, order.Lines.Single(l => l.ProductId == flower.Id).LineTotal);
        var usages = await ctx.PromotionUsages.Where(u => u.OrderId == order.Id).OrderBy(u => u.DiscountAmount).ToListAsync();
        Assert.Equal([(twentyOff, 7.50m), (bogo, 8m)], usages.Select(u => (u.PromotionId, u.DiscountAmount)));
        Assert.Equal(1, await ctx.Promotions.Where(p => p.Id == bogo).Select(p => p.UsedCount).SingleAsync());

        var stats = (await As(db, InventoryKit.TenantAdmin, sp => sp.GetRequiredService<PromotionQueries>().StatsAsync(bogo))).Value;
        Assert.Equal(new PromotionStats(1, 8m, order.Total, 1), stats);
    }

    [Fact]
    public async Task Free_delivery_is_taken_off_the_fee_at_submit()
    {
        var p = await StockedAsync(db, 10, price: 30m);
        var code = "FREESHIP" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        await CreateAsync(x => { x.Type = PromotionType.DeliveryFee; x.Percent = 100; x.ProductIds = []; x.MinimumSubtotal = 25; x.Code = code; });
        var me = await NewCustomerAsync(db);
        await AddAsync(db, me, p.Id, 1);
        var applied = await ApplyCodeAsync(me, code.ToLowerInvariant());
        Assert.True(applied.Succeeded, applied.Error?.Message);
        Assert.Contains("for delivery orders", applied.Value.CodeMessage); // kept on the cart: it applies at checkout with delivery
        var session = (await StartAsync(db, me)).Value;
        Assert.Equal(5m, session.DeliveryPricing!.DeliveryDiscount);
        var address = new DeliveryAddress { Line1 = "1 Main St", City = "Toronto", PostalCode = "M5V 2T6", Latitude = 43.65, Longitude = -79.40 }; // in a $5 demo zone
        var placed = await PlaceAsync(db, me, Pickup(session) with { Fulfilment = Fulfilment.Delivery, Address = address, Payment = PaymentMethod.PayOnDelivery });
        Assert.True(placed.Succeeded, placed.Error?.Message);
        await using var ctx = db.Context();
        var order = await ctx.Orders.SingleAsync(o => o.Id == placed.Value.OrderId);
        Assert.Equal((0m, 5m, 33.90m), (order.DeliveryFee, order.DeliveryDiscount, order.Total));
        Assert.Equal(session.TotalsFor(Fulfilment.Delivery).Total, order.Total);
        Assert.Null(await ctx.Carts.Where(c => c.UserId == me.UserId).Select(c => c.PromotionCode).SingleAsync()); // the code left with the order
    }

    [Fact]
    public async Task Codes_get_clear_messages_unknown_expired_not_for_this_cart_and_already_used()
    {
        var p = await StockedAsync(db, 10, price: 20m);
        var suffix = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        await CreateAsync(x => { x.Code = "OLD" + suffix; x.EndsAt = db.Clock.GetUtcNow().AddDays(-1); x.StartsAt = db.Clock.GetUtcNow().AddDays(-9); }, p.Id);
        await CreateAsync(x => { x.Code = "YORK" + suffix; x.StoreIds = [DemoWorld.Yorkville]; }, p.Id);
        await CreateAsync(x => { x.Code = "ONCE" + suffix; x.PerCustomerLimit = 1; }, p.Id);
        await CreateAsync(x => { x.Code = "BIG" + suffix; x.MinimumSubtotal = 100; }, p.Id);
        var me = await NewCustomerAsync(db);
        await AddAsync(db, me, p.Id, 1);

        Assert.Equal("promotion_code_unknown", (await ApplyCodeAsync(me, "NOPE" + suffix)).Error!.Code);
        Assert.Equal("promotion_code_expired", (await ApplyCodeAsync(me, "old" + suffix)).Error!.Code);
        var york = (await ApplyCodeAsync(me, "York" + suffix)).Error!;
        Assert.Equal(("promotion_code_not_for_cart", "The code YORK" + suffix + " is not valid at this store."), (york.Code, york.Message));
        var big = (await ApplyCodeAsync(me, "BIG" + suffix)).Value;
        Assert.Equal(0m, big.Discount);
        Assert.Contains("add $80.00 more", big.CodeMessage);
        Assert.Equal(NotAppliedReason.MinimumNotMet, big.CodeRejection!.Reason);

        var once = (await ApplyCodeAsync(me, "once" + suffix)).Value;
        Assert.Equal(2m, once.Discount);
        Assert.StartsWith($"Code ONCE{suffix} applied", once.CodeMessage);
        var session = (await StartAsync(db, me)).Value;
        Assert.True((await PlaceAsync(db, me, Pickup(session))).Succeeded);

        await AddAsync(db, me, p.Id, 1);
        var used = (await ApplyCodeAsync(me, "ONCE" + suffix)).Error!;
        Assert.Equal(("promotion_code_used", $"You have already used the code ONCE{suffix}."), (used.Code, used.Message));
        var removed = (await As(db, me, sp => sp.GetRequiredService<CartService>().RemoveCodeAsync(Store))).Value;
        Assert.Null(removed.PromotionCode);
    }

    [Fact]
    public async Task Cancelling_an_order_gives_its_promotion_uses_back()
    {
        var p = await StockedAsync(db, 10, price: 20m);
        var code = "BACK" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var promotion = await CreateAsync(x => { x.Code = code; x.PerCustomerLimit = 1; x.UsageLimit = 5; }, p.Id);
        var me = await NewCustomerAsync(db);
        await AddAsync(db, me, p.Id, 1);
        Assert.True((await ApplyCodeAsync(me, code)).Succeeded);
        var placed = (await PlaceAsync(db, me, Pickup((await StartAsync(db, me)).Value))).Value;
        await using (var ctx = db.Context())
        {
            Assert.Equal(1, await ctx.Promotions.Where(x => x.Id == promotion).Select(x => x.UsedCount).SingleAsync());
        }
        Assert.True((await As(db, me, sp => sp.GetRequiredService<OrderService>().CancelMineAsync(placed.OrderId))).Succeeded);
        await using (var ctx = db.Context())
        {
            Assert.Equal(0, await ctx.Promotions.Where(x => x.Id == promotion).Select(x => x.UsedCount).SingleAsync());
            Assert.Equal(0, await ctx.PromotionUsages.CountAsync(u => u.PromotionId == promotion));
        }
        await AddAsync(db, me, p.Id, 1);
        Assert.Equal(2m, (await ApplyCodeAsync(me, code)).Value.Discount); // once per customer, and the only use was cancelled
    }

    [Fact]
    public async Task A_usage_limit_holds_under_fifty_concurrent_checkouts()
    {
        const int limit = 10;
        var p = await StockedAsync(db, 60, price: 10m);
        var promotion = await CreateAsync(x => { x.Percent = 50; x.UsageLimit = limit; }, p.Id);
        var buyers = new List<(TestUser Who, CheckoutSession Session)>();
        for (var i = 0; i < 50; i++)
        {
            var buyer = await NewCustomerAsync(db);
            Assert.True((await AddAsync(db, buyer, p.Id)).Succeeded);
            var session = (await StartAsync(db, buyer)).Value;
            Assert.Equal(5m, session.PickupPricing!.Discount); // everyone saw the discount while the limit was not reached
            buyers.Add((buyer, session));
        }
        var results = await Task.WhenAll(buyers.Select(b => Task.Run(() => PlaceAsync(db, b.Who, Pickup(b.Session)))));
        Assert.Equal(limit, results.Count(r => r.Succeeded));
        Assert.All(results.Where(r => !r.Succeeded), r =>
        {
            Assert.Equal("promotion_used_up", r.Error!.Code);
            Assert.Contains("used up", r.Error.Message);
        });
        await using var ctx = db.Context();
        Assert.Equal(limit, await ctx.Promotions.Where(x => x.Id == promotion).Select(x => x.UsedCount).SingleAsync());
        Assert.Equal(limit, await ctx.PromotionUsages.CountAsync(u => u.PromotionId == promotion));
        Assert.Equal(limit, await ctx.Orders.CountAsync(o => o.Lines.Any(l => l.ProductId == p.Id) && o.Discount == 5m));

        // A refused buyer who places again pays the full price (the promotion is used up now).
        var (late, lateSession) = buyers[results.ToList().FindIndex(r => !r.Succeeded)];
        var again = await PlaceAsync(db, late, Pickup(lateSession));
        Assert.True(again.Succeeded, again.Error?.Message);
        Assert.Equal(11.30m, await ctx.Orders.Where(o => o.Id == again.Value.OrderId).Select(o => o.Total).SingleAsync());
    }

    [Fact]
    public async Task The_preview_explains_why_a_code_did_not_apply_and_badges_show_active_automatic_promotions()
    {
        var p = await StockedAsync(db, 10, price: 20m, category: "Pre-Rolls");
        var suffix = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var coded = await CreateAsync(x => { x.Code = "VIP" + suffix; x.MinimumSubtotal = 50; }, p.Id);
        await CreateAsync(x => { x.Percent = 20; x.Windows = [new() { Days = [.. Enum.GetValues<DayOfWeek>()], Start = new(11, 0), End = new(13, 0) }]; }, p.Id);

        var preview = await As(db, InventoryKit.Budtender, sp => sp.GetRequiredService<PricingService>().PreviewAsync(
            new PreviewRequest(Store, PromotionId: coded, Items: [new(p.Id, 1)])));
        Assert.True(preview.Succeeded, preview.Error?.Message);
        Assert.Equal(NotAppliedReason.CodeNotEntered, preview.Value.FocusRejected!.Reason);
        Assert.Contains($"needs the code VIP{suffix}", preview.Value.Explanation);
        var withCode = (await As(db, InventoryKit.Manager, sp => sp.GetRequiredService<PricingService>().PreviewAsync(
            new PreviewRequest(Store, PromotionId: coded, Items: [new(p.Id, 1)], Codes: ["vip" + suffix])))).Value;
        Assert.Contains("add $30.00 more", withCode.Explanation);
        var draft = (await As(db, InventoryKit.TenantAdmin, sp => sp.GetRequiredService<PromotionQueries>().DetailAsync(coded))).Value.Promotion;
        draft.MinimumSubtotal = null;
        var drafted = (await As(db, InventoryKit.Manager, sp => sp.GetRequiredService<PricingService>().PreviewAsync(
            new PreviewRequest(Store, Draft: draft, Items: [new(p.Id, 1)], Codes: ["VIP" + suffix])))).Value;
        Assert.NotNull(drafted.FocusApplied);
        Assert.StartsWith($"\"{draft.Name}\" applies", drafted.Explanation);

        // 12:00 in Toronto: inside the 11:00–13:00 window.
        var badges = await As(db, Guest(), sp => sp.GetRequiredService<PromotionQueries>().BadgesAsync(Store, [p.Id]));
        Assert.Equal("20% off", badges[p.Id]);
        var elsewhere = await As(db, Guest(), sp => sp.GetRequiredService<PromotionQueries>().BadgesAsync(DemoWorld.SquareOne, [p.Id]));
        Assert.Empty(elsewhere);
    }
}
