using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Inventory;
using WeedGo.Core.Ordering;
using WeedGo.Tests.Inventory;
using WeedGo.Tests.Support;
using static WeedGo.Tests.Ordering.OrderingKit;

namespace WeedGo.Tests.Ordering;

/// <summary>The order lifecycle on a real database: every staff move, its refusals, the stock it moves and who may make it.</summary>
public sealed class OrderServiceTests(DemoDatabaseFixture db) : IClassFixture<DemoDatabaseFixture>
{
    private static readonly TestUser Budtender = InventoryKit.Budtender;
    private static readonly TestUser Manager = InventoryKit.Manager;

    private Task<Result> Staff(TestUser who, Func<OrderService, Task<Result>> act) =>
        As(db, who, sp => act(sp.GetRequiredService<OrderService>()));

    private Task<OrderDetail> DetailAsync(Guid orderId) =>
        As(db, Manager, async sp => (await sp.GetRequiredService<OrderQueries>().DetailAsync(orderId)).Value);

    private async Task<List<StockMovement>> LedgerAsync(Guid productId, string reference)
    {
        await using var ctx = db.Context();
        return await ctx.StockLedger.AsNoTracking().Where(m => m.StoreId == Store && m.ProductId == productId && m.Reference == reference)
            .OrderBy(m => m.OccurredAt).ThenBy(m => m.Id).ToListAsync();
    }

    /// <summary>The inventory row's figures equal the sums of the product's whole ledger (nothing moved off the books).</summary>
    private async Task AssertFiguresMatchLedgerAsync(Guid productId)
    {
        await using var ctx = db.Context();
        var all = await ctx.StockLedger.AsNoTracking().Where(m => m.StoreId == Store && m.ProductId == productId).ToListAsync();
        var row = await FiguresAsync(db, productId);
        Assert.Equal(all.Sum(m => m.OnHandDelta), row.OnHand);
        Assert.Equal(all.Sum(m => m.ReservedDelta), row.Reserved);
        var batches = await ctx.Batches.AsNoTracking().Where(b => b.StoreId == Store && b.ProductId == productId).SumAsync(b => b.RemainingQuantity);
        Assert.Equal(row.OnHand, batches);
    }

    private async Task<Dictionary<string, int>> BatchesAsync(Guid productId)
    {
        await using var ctx = db.Context();
        return await ctx.Batches.AsNoTracking().Where(b => b.StoreId == Store && b.ProductId == productId)
            .ToDictionaryAsync(b => b.BatchLot, b => b.RemainingQuantity);
    }

    [Fact]
    public async Task A_pickup_order_moves_placed_confirmed_packed_ready_completed_and_each_step_is_in_the_history()
    {
        var customer = await NewCustomerAsync(db);
        var p = await StockedAsync(db, 10);
        var order = await OrderAsync(db, customer, p.Id, 2);

        Assert.True((await Staff(Budtender, s => s.ConfirmAsync(order.OrderId))).Succeeded);
        Assert.True((await Staff(Budtender, s => s.PackAsync(order.OrderId))).Succeeded);
        Assert.Equal((8, 0, 8), await FiguresAsync(db, p.Id)); // sold from the order's own hold
        Assert.True((await Staff(Budtender, s => s.MarkReadyAsync(order.OrderId))).Succeeded);
        Assert.True((await Staff(Budtender, s => s.CompleteAsync(order.OrderId, idChecked: true))).Succeeded);

        var detail = await DetailAsync(order.OrderId);
        Assert.Equal(OrderStatus.Completed, detail.Summary.Status);
        Assert.Equal(PaymentStatus.Paid, detail.Summary.PaymentStatus); // collected at the counter
        Assert.NotNull(detail.IdCheckedAt);
        Assert.Equal([OrderStatus.Placed, OrderStatus.Confirmed, OrderStatus.Packed, OrderStatus.ReadyForPickup, OrderStatus.Completed],
            detail.History.Select(h => h.To));
        Assert.Equal(PaymentAttemptStatus.Approved, Assert.Single(detail.Payments).Status);
        await AssertFiguresMatchLedgerAsync(p.Id);
    }

    [Fact]
    public async Task Moves_out_of_order_are_refused_with_a_sentence_and_change_nothing()
    {
        var customer = await NewCustomerAsync(db);
        var p = await StockedAsync(db, 10);
        var order = await OrderAsync(db, customer, p.Id, 1);

        var ready = await Staff(Budtender, s => s.MarkReadyAsync(order.OrderId));
        Assert.Equal(ErrorKind.Conflict, ready.Error!.Kind);
        Assert.Equal($"Order {order.Number} is placed, so it cannot be marked ready now.", ready.Error.Message);
        Assert.False((await Staff(Budtender, s => s.CompleteAsync(order.OrderId, true))).Succeeded);
        Assert.True((await Staff(Budtender, s => s.ConfirmAsync(order.OrderId))).Succeeded);
        Assert.Equal(ErrorKind.Conflict, (await Staff(Budtender, s => s.ConfirmAsync(order.OrderId))).Error!.Kind);
        Assert.True((await Staff(Budtender, s => s.PackAsync(order.OrderId))).Succeeded);
        Assert.Equal(ErrorKind.Conflict, (await Staff(Budtender, s => s.PackAsync(order.OrderId))).Error!.Kind); // not sold twice
        var sendOut = await Staff(Budtender, s => s.SendOutAsync(order.OrderId));
        Assert.Equal($"Order {order.Number} is for pickup; mark it ready instead.", sendOut.Error!.Message);
        Assert.Equal(ErrorKind.Conflict, (await Staff(Budtender, s => s.ReturnAsync(order.OrderId, "changed mind"))).Error!.Kind);

        Assert.Equal(OrderStatus.Packed, (await DetailAsync(order.OrderId)).Summary.Status);
        Assert.Equal((9, 0, 9), await FiguresAsync(db, p.Id));
        Assert.Equal(ErrorKind.NotFound, (await Staff(Budtender, s => s.ConfirmAsync(Guid.NewGuid()))).Error!.Kind);
    }

    [Fact]
    public async Task Packing_sells_from_the_oldest_packaged_batch_first_by_default()
    {
        var customer = await NewCustomerAsync(db);
        var p = await StockedAsync(db, 0);
        await InventoryKit.ReceiveAsync(db, Store, p.Id, 3, "LOT-NEW", new DateTime(2026, 10, 1));
        await InventoryKit.ReceiveAsync(db, Store, p.Id, 2, "LOT-OLD", new DateTime(2026, 6, 1));
        var order = await OrderAsync(db, customer, p.Id, 3);

        var options = (await As(db, Budtender, sp => sp.GetRequiredService<OrderQueries>().PickOptionsAsync(order.OrderId))).Value;
        Assert.Equal(["LOT-OLD", "LOT-NEW"], options[p.Id].Select(o => o.BatchLot)); // the FIFO default comes first

        Assert.True((await Staff(Budtender, s => s.PackAsync(order.OrderId))).Succeeded);
        Assert.Equal(new Dictionary<string, int> { ["LOT-NEW"] = 2, ["LOT-OLD"] = 0 }, await BatchesAsync(p.Id));
        var sales = (await LedgerAsync(p.Id, order.Number)).Where(m => m.Kind == MovementKind.Sale).ToList();
        Assert.Equal(-3, sales.Sum(m => m.OnHandDelta));
        Assert.Equal(-3, sales.Sum(m => m.ReservedDelta)); // the hold turned into the sale
        Assert.Equal(2, sales.Count); // one row per batch touched
        Assert.Equal((2, 0, 2), await FiguresAsync(db, p.Id));
        await AssertFiguresMatchLedgerAsync(p.Id);
    }

    [Fact]
    public async Task Packing_with_a_named_batch_sells_from_that_batch_and_a_batch_too_small_is_refused()
    {
        var customer = await NewCustomerAsync(db);
        var p = await StockedAsync(db, 0);
        await InventoryKit.ReceiveAsync(db, Store, p.Id, 4, "LOT-A", new DateTime(2026, 5, 1));
        await InventoryKit.ReceiveAsync(db, Store, p.Id, 4, "LOT-B", new DateTime(2026, 9, 1));
        var order = await OrderAsync(db, customer, p.Id, 3);
        var options = (await As(db, Budtender, sp => sp.GetRequiredService<OrderQueries>().PickOptionsAsync(order.OrderId))).Value[p.Id];
        var lotB = options.Single(o => o.BatchLot == "LOT-B").BatchId;

        Assert.True((await Staff(Budtender, s => s.PackAsync(order.OrderId, [new BatchPick(p.Id, lotB)]))).Succeeded);
        Assert.Equal(new Dictionary<string, int> { ["LOT-A"] = 4, ["LOT-B"] = 1 }, await BatchesAsync(p.Id));
        var sale = Assert.Single(await LedgerAsync(p.Id, order.Number), m => m.Kind == MovementKind.Sale);
        Assert.Equal((lotB, -3), (sale.BatchId!.Value, sale.OnHandDelta));
        await AssertFiguresMatchLedgerAsync(p.Id);

        var second = await OrderAsync(db, await NewCustomerAsync(db), p.Id, 2);
        var tooSmall = await Staff(Budtender, s => s.PackAsync(second.OrderId, [new BatchPick(p.Id, lotB)]));
        Assert.Equal(ErrorKind.OutOfStock, tooSmall.Error!.Kind);
        Assert.Contains("Lot LOT-B", tooSmall.Error.Message);
        Assert.Equal(OrderStatus.Placed, (await DetailAsync(second.OrderId)).Summary.Status); // nothing half-done
        Assert.Equal((5, 2, 3), await FiguresAsync(db, p.Id));
    }

    [Fact]
    public async Task Cancelling_before_packing_releases_the_hold_and_after_packing_puts_units_back_in_their_batches()
    {
        var p = await StockedAsync(db, 0);
        await InventoryKit.ReceiveAsync(db, Store, p.Id, 5, "LOT-C", new DateTime(2026, 4, 1));
        var early = await OrderAsync(db, await NewCustomerAsync(db), p.Id, 2);
        var late = await OrderAsync(db, await NewCustomerAsync(db), p.Id, 1);
        Assert.Equal((5, 3, 2), await FiguresAsync(db, p.Id));

        var noReason = await Staff(Budtender, s => s.CancelAsync(early.OrderId, "  "));
        Assert.Equal(ErrorKind.Validation, noReason.Error!.Kind);
        Assert.True((await Staff(Budtender, s => s.CancelAsync(early.OrderId, "Customer called to cancel"))).Succeeded);
        Assert.Equal((5, 1, 4), await FiguresAsync(db, p.Id));
        var released = (await LedgerAsync(p.Id, early.Number)).Sum(m => m.ReservedDelta);
        Assert.Equal(0, released);
        var detail = await DetailAsync(early.OrderId);
        Assert.Equal((OrderStatus.Cancelled, "Customer called to cancel", PaymentStatus.Void),
            (detail.Summary.Status, detail.CancelReason, detail.Summary.PaymentStatus));

        Assert.True((await Staff(Budtender, s => s.PackAsync(late.OrderId))).Succeeded);
        Assert.Equal((4, 0, 4), await FiguresAsync(db, p.Id));
        Assert.True((await Staff(Budtender, s => s.CancelAsync(late.OrderId, "Damaged packaging found"))).Succeeded);
        Assert.Equal((5, 0, 5), await FiguresAsync(db, p.Id));
        Assert.Equal(new Dictionary<string, int> { ["LOT-C"] = 5 }, await BatchesAsync(p.Id));
        Assert.Equal(ErrorKind.Conflict, (await Staff(Budtender, s => s.CancelAsync(late.OrderId, "again"))).Error!.Kind);
        await AssertFiguresMatchLedgerAsync(p.Id);
    }

    [Fact]
    public async Task Completing_a_pickup_without_the_id_check_is_refused()
    {
        var p = await StockedAsync(db, 5);
        var order = await OrderAsync(db, await NewCustomerAsync(db), p.Id, 1);
        foreach (var step in new Func<OrderService, Task<Result>>[] { s => s.ConfirmAsync(order.OrderId), s => s.PackAsync(order.OrderId), s => s.MarkReadyAsync(order.OrderId) })
        {
            Assert.True((await Staff(Budtender, step)).Succeeded);
        }
        var refused = await Staff(Budtender, s => s.CompleteAsync(order.OrderId, idChecked: false));
        Assert.Equal(ErrorKind.Validation, refused.Error!.Kind);
        Assert.Contains("government ID", refused.Error.Message);
        var detail = await DetailAsync(order.OrderId);
        Assert.Equal((OrderStatus.ReadyForPickup, PaymentStatus.Due), (detail.Summary.Status, detail.Summary.PaymentStatus));
        Assert.Null(detail.IdCheckedAt);
    }

    [Fact]
    public async Task A_delivery_order_goes_out_for_delivery_instead_of_ready()
    {
        var customer = await NewCustomerAsync(db);
        var p = await StockedAsync(db, 5);
        Assert.True((await AddAsync(db, customer, p.Id, 1)).Succeeded);
        var session = (await StartAsync(db, customer)).Value;
        var address = new DeliveryAddress { Line1 = "1 Main St", City = "Toronto", PostalCode = "M5V 2T6", Latitude = 43.65, Longitude = -79.40 }; // in a demo zone
        var placed = (await PlaceAsync(db, customer, Pickup(session) with { Fulfilment = Fulfilment.Delivery, Address = address, Payment = PaymentMethod.PayOnDelivery })).Value;

        Assert.True((await Staff(Budtender, s => s.PackAsync(placed.OrderId))).Succeeded); // confirming first is optional
        Assert.Equal($"Order {placed.Number} is for delivery; send it out for delivery instead.",
            (await Staff(Budtender, s => s.MarkReadyAsync(placed.OrderId))).Error!.Message);
        Assert.True((await Staff(Budtender, s => s.SendOutAsync(placed.OrderId))).Succeeded);
        Assert.False((await Staff(Budtender, s => s.CompleteAsync(placed.OrderId, false))).Succeeded);
        Assert.True((await Staff(Budtender, s => s.CompleteAsync(placed.OrderId, true, "ID seen at the door"))).Succeeded);
        Assert.Equal(OrderStatus.Completed, (await DetailAsync(placed.OrderId)).Summary.Status);
    }

    [Fact]
    public async Task Refunds_go_to_the_card_through_the_sandbox_within_what_is_left_and_only_managers_make_them()
    {
        var p = await StockedAsync(db, 5, price: 20m);
        var order = await OrderAsync(db, await NewCustomerAsync(db), p.Id, 2, PaymentMethod.Card); // 40 + 13% = 45.20

        var budtender = await Staff(Budtender, s => s.RefundAsync(order.OrderId, 5m, "Wrong strain"));
        Assert.Equal(ErrorKind.Forbidden, budtender.Error!.Kind);
        Assert.Equal(ErrorKind.Validation, (await Staff(Manager, s => s.RefundAsync(order.OrderId, 5m, ""))).Error!.Kind);
        Assert.Equal(ErrorKind.Validation, (await Staff(Manager, s => s.RefundAsync(order.OrderId, 0m, "Nothing"))).Error!.Kind);
        var tooMuch = await Staff(Manager, s => s.RefundAsync(order.OrderId, 45.21m, "Too much"));
        Assert.Equal("Refund between $0.01 and $45.20 (what is left of the payment).", tooMuch.Error!.Message);

        Assert.True((await Staff(Manager, s => s.RefundAsync(order.OrderId, 10m, "Price match"))).Succeeded);
        var detail = await DetailAsync(order.OrderId);
        Assert.Equal((10m, PaymentStatus.PartiallyRefunded), (detail.RefundedAmount, detail.Summary.PaymentStatus));
        var refund = detail.Payments.Single(x => x.Kind == PaymentKind.Refund);
        Assert.Equal((PaymentAttemptStatus.Approved, 10m, "sandbox"), (refund.Status, refund.Amount, refund.Provider));
        Assert.StartsWith("sbx_re_", refund.Reference);

        var over = await Staff(Manager, s => s.RefundAsync(order.OrderId, 35.21m, "Over what is left"));
        Assert.Equal("Refund between $0.01 and $35.20 (what is left of the payment).", over.Error!.Message);
        // Cancelling refunds the rest to the card.
        Assert.True((await Staff(Budtender, s => s.CancelAsync(order.OrderId, "Out of the customer's area"))).Succeeded);
        detail = await DetailAsync(order.OrderId);
        Assert.Equal((45.20m, PaymentStatus.Refunded), (detail.RefundedAmount, detail.Summary.PaymentStatus));
        Assert.Equal([10m, 35.20m], detail.Payments.Where(x => x.Kind == PaymentKind.Refund).Select(x => x.Amount));
        Assert.Equal(ErrorKind.Validation, (await Staff(Manager, s => s.RefundAsync(order.OrderId, 1m, "Nothing left"))).Error!.Kind);
    }

    [Fact]
    public async Task An_order_paid_at_the_counter_cannot_be_refunded_to_a_card()
    {
        var p = await StockedAsync(db, 5);
        var order = await OrderAsync(db, await NewCustomerAsync(db), p.Id, 1);
        var refused = await Staff(Manager, s => s.RefundAsync(order.OrderId, 1m, "Goodwill"));
        Assert.Equal($"Order {order.Number} was not paid by card online; refund it at the counter.", refused.Error!.Message);
    }

    [Fact]
    public async Task Staff_of_another_store_or_tenant_and_customers_cannot_move_an_order()
    {
        var customer = await NewCustomerAsync(db);
        var p = await StockedAsync(db, 5);
        var order = await OrderAsync(db, customer, p.Id, 1);
        var yorkvilleOnly = TestUser.Staff(DemoWorld.User("budtender@northernlights.demo"), DemoWorld.NorthernLights, Roles.Budtender, DemoWorld.Yorkville);

        var otherStore = await Staff(yorkvilleOnly, s => s.ConfirmAsync(order.OrderId));
        Assert.Equal(ErrorKind.Forbidden, otherStore.Error!.Kind);
        Assert.Contains("You do not work at", otherStore.Error.Message);
        Assert.Equal(ErrorKind.NotFound, (await Staff(InventoryKit.MapleManager, s => s.CancelAsync(order.OrderId, "not mine"))).Error!.Kind);
        Assert.Equal(ErrorKind.NotFound, (await Staff(InventoryKit.MapleManager, s => s.RefundAsync(order.OrderId, 1m, "not mine"))).Error!.Kind);
        Assert.Equal(ErrorKind.Forbidden, (await Staff(customer, s => s.ConfirmAsync(order.OrderId))).Error!.Kind);
        Assert.False((await As(db, yorkvilleOnly, sp => sp.GetRequiredService<OrderQueries>().QueueAsync(Store))).Succeeded);
        Assert.Equal(OrderStatus.Placed, (await DetailAsync(order.OrderId)).Summary.Status);
    }

    [Fact]
    public async Task A_customer_cancels_their_own_order_only_while_placed_or_confirmed()
    {
        var me = await NewCustomerAsync(db);
        var someoneElse = await NewCustomerAsync(db);
        var p = await StockedAsync(db, 10);
        var first = await OrderAsync(db, me, p.Id, 1);
        var second = await OrderAsync(db, me, p.Id, 1);

        Assert.Equal(ErrorKind.NotFound, (await Staff(someoneElse, s => s.CancelMineAsync(first.OrderId))).Error!.Kind);
        Assert.True((await Staff(Budtender, s => s.ConfirmAsync(first.OrderId))).Succeeded);
        Assert.True((await Staff(me, s => s.CancelMineAsync(first.OrderId))).Succeeded);
        Assert.Equal(OrderStatus.Cancelled, (await DetailAsync(first.OrderId)).Summary.Status);

        Assert.True((await Staff(Budtender, s => s.PackAsync(second.OrderId))).Succeeded);
        var tooLate = await Staff(me, s => s.CancelMineAsync(second.OrderId));
        Assert.Equal(ErrorKind.Conflict, tooLate.Error!.Kind);
        Assert.Contains("Call the store", tooLate.Error.Message);
        Assert.Equal((9, 0, 9), await FiguresAsync(db, p.Id));
        await AssertFiguresMatchLedgerAsync(p.Id);
    }

    [Fact]
    public async Task An_in_store_order_holds_stock_within_30_g_and_one_over_30_g_is_refused()
    {
        var flower = await StockedAsync(db, 40, grams: 3.5m, price: 35m);
        var refused = await As(db, Budtender, sp => sp.GetRequiredService<OrderService>()
            .CreateInStoreAsync(Store, "Walk-in Wendy", null, [new InStoreLine(flower.Id, 5), new InStoreLine(flower.Id, 4)]));
        Assert.Equal("over_purchase_limit", refused.Error!.Code);
        Assert.Contains("31.5 g of 30 g", refused.Error.Message);
        Assert.Equal((40, 0, 40), await FiguresAsync(db, flower.Id));

        Assert.Equal(ErrorKind.Validation, (await As(db, Budtender, sp => sp.GetRequiredService<OrderService>()
            .CreateInStoreAsync(Store, " ", null, [new InStoreLine(flower.Id, 1)]))).Error!.Kind);
        var otherStore = await As(db, Budtender, sp => sp.GetRequiredService<OrderService>()
            .CreateInStoreAsync(DemoWorld.Yorkville, "Walk-in Wendy", null, [new InStoreLine(flower.Id, 1)]));
        Assert.Equal(ErrorKind.Forbidden, otherStore.Error!.Kind);

        var placed = await As(db, Budtender, sp => sp.GetRequiredService<OrderService>()
            .CreateInStoreAsync(Store, "Walk-in Wendy", "416-555-0100", [new InStoreLine(flower.Id, 8)]));
        Assert.True(placed.Succeeded, placed.Error?.Message);
        var detail = await DetailAsync(placed.Value.OrderId);
        Assert.Equal((OrderSource.InStore, OrderStatus.Placed, 28m), (detail.Summary.Source, detail.Summary.Status, detail.EquivalencyGrams));
        Assert.Equal((280m, 316.40m), (detail.Subtotal, detail.Summary.Total));
        Assert.Equal((40, 8, 32), await FiguresAsync(db, flower.Id));
        var queue = (await As(db, Budtender, sp => sp.GetRequiredService<OrderQueries>().QueueAsync(Store))).Value;
        Assert.Contains(queue, o => o.Id == placed.Value.OrderId && o.CustomerName == "Walk-in Wendy");
    }

    [Fact]
    public async Task The_queue_lists_open_orders_oldest_first_and_finished_ones_of_the_store_day_and_today_counts_sales()
    {
        var p = await StockedAsync(db, 10, price: 10m);
        var before = (await As(db, Budtender, sp => sp.GetRequiredService<OrderQueries>().TodayAsync())).Single(d => d.StoreId == Store);
        var open = await OrderAsync(db, await NewCustomerAsync(db), p.Id, 1);
        db.Clock.Advance(TimeSpan.FromMinutes(1));
        var done = await OrderAsync(db, await NewCustomerAsync(db), p.Id, 2);
        var cancelled = await OrderAsync(db, await NewCustomerAsync(db), p.Id, 1);
        foreach (var step in new Func<OrderService, Task<Result>>[]
                 {
                     s => s.PackAsync(done.OrderId), s => s.MarkReadyAsync(done.OrderId), s => s.CompleteAsync(done.OrderId, true),
                     s => s.CancelAsync(cancelled.OrderId, "Duplicate order"),
                 })
        {
            Assert.True((await Staff(Budtender, step)).Succeeded);
        }

        var queries = (Func<IServiceProvider, OrderQueries>)(sp => sp.GetRequiredService<OrderQueries>());
        var queue = (await As(db, Budtender, sp => queries(sp).QueueAsync(Store))).Value;
        Assert.Contains(queue, o => o.Id == open.OrderId);
        Assert.DoesNotContain(queue, o => o.Id == done.OrderId || o.Id == cancelled.OrderId);
        Assert.Equal(queue.OrderBy(o => o.PlacedAt).Select(o => o.Id), queue.Select(o => o.Id));
        var finished = (await As(db, Budtender, sp => queries(sp).QueueAsync(Store, openOnly: false))).Value;
        Assert.Contains(finished, o => o.Id == done.OrderId && o.Status == OrderStatus.Completed);
        Assert.Contains(finished, o => o.Id == cancelled.OrderId && o.Status == OrderStatus.Cancelled);

        var today = (await As(db, Budtender, sp => queries(sp).TodayAsync())).Single(d => d.StoreId == Store);
        Assert.Equal(before.Orders + 3, today.Orders);
        Assert.Equal(before.Open + 1, today.Open);
        Assert.Equal(before.Sales + 11.30m + 22.60m, today.Sales); // the cancelled order does not count
        Assert.Equal([DemoWorld.QueenWest], (await As(db, Budtender, sp => queries(sp).TodayAsync())).Select(d => d.StoreId));

        // The next store day starts empty: yesterday's finished orders leave the "finished today" list.
        db.Clock.Advance(TimeSpan.FromDays(1));
        var tomorrow = (await As(db, Budtender, sp => queries(sp).QueueAsync(Store, openOnly: false))).Value;
        Assert.DoesNotContain(tomorrow, o => o.Id == done.OrderId);
    }

    [Fact]
    public async Task Refunds_made_at_the_same_moment_add_up_and_never_exceed_what_was_paid()
    {
        var p = await StockedAsync(db, 5, price: 20m);
        var order = await OrderAsync(db, await NewCustomerAsync(db), p.Id, 2, PaymentMethod.Card); // $45.20

        // Two managers refund different amounts at once: both count.
        var both = await Task.WhenAll(
            Staff(Manager, s => s.RefundAsync(order.OrderId, 5m, "Damaged jar")),
            Staff(Manager, s => s.RefundAsync(order.OrderId, 7m, "Price match")));
        Assert.All(both, r => Assert.True(r.Succeeded, r.Error?.Message));
        var detail = await DetailAsync(order.OrderId);
        Assert.Equal(12m, detail.RefundedAmount);
        Assert.Equal(2, detail.Payments.Count(x => x.Kind == PaymentKind.Refund));

        // Racing past what is left: one of them is refused, never more than was paid.
        var race = await Task.WhenAll(
            Staff(Manager, s => s.RefundAsync(order.OrderId, 20m, "Race A")),
            Staff(Manager, s => s.RefundAsync(order.OrderId, 25m, "Race B")));
        Assert.Single(race, r => r.Succeeded);
        Assert.StartsWith("Refund between $0.01 and $", Assert.Single(race, r => !r.Succeeded).Error!.Message);
        detail = await DetailAsync(order.OrderId);
        Assert.Contains(detail.RefundedAmount, new[] { 32m, 37m });
        Assert.Equal(detail.RefundedAmount, detail.Payments.Where(x => x.Kind == PaymentKind.Refund && x.Status == PaymentAttemptStatus.Approved).Sum(x => x.Amount));
    }
}
