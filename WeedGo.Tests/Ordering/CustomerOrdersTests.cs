using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Live;
using WeedGo.Core.Ordering;
using WeedGo.Tests.Support;

using static WeedGo.Tests.Ordering.OrderingKit;

namespace WeedGo.Tests.Ordering;

/// <summary>The customer's side of orders: their history, one order, cancelling and reordering (OrderQueries + OrderService).</summary>
public sealed class CustomerOrdersTests(DemoDatabaseFixture db) : IClassFixture<DemoDatabaseFixture>
{
    private static Task<T> Orders<T>(DatabaseFixture db, TestUser who, Func<OrderService, Task<T>> act) =>
        As(db, who, sp => act(sp.GetRequiredService<OrderService>()));

    private static Task<T> Queries<T>(DatabaseFixture db, TestUser who, Func<OrderQueries, Task<T>> act) =>
        As(db, who, sp => act(sp.GetRequiredService<OrderQueries>()));

    [Fact]
    public async Task A_customer_lists_and_opens_only_their_own_orders_newest_first()
    {
        var me = await NewCustomerAsync(db);
        var other = await NewCustomerAsync(db);
        var p = await StockedAsync(db, 20, price: 12.50m);
        var first = await OrderAsync(db, me, p.Id, 1);
        db.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await OrderAsync(db, me, p.Id, 3);
        var theirs = await OrderAsync(db, other, p.Id, 2);

        var mine = await Queries(db, me, q => q.MineAsync());
        Assert.Equal([second.OrderId, first.OrderId], mine.Select(o => o.Id));
        Assert.Equal(3, mine[0].Items);
        Assert.Equal(("Queen West", "America/Toronto", OrderStatus.Placed), (mine[0].StoreName, mine[0].TimeZoneId, mine[0].Status));
        Assert.DoesNotContain(mine, o => o.Id == theirs.OrderId);

        // Another customer's order does not exist as far as I am concerned, in my tenant or from another one.
        Assert.Equal(ErrorKind.NotFound, (await Queries(db, me, q => q.DetailAsync(theirs.OrderId))).Error!.Kind);
        var maple = new TestUser { UserId = Guid.CreateVersion7(), TenantId = DemoWorld.MapleLeaf, Roles = [Roles.Customer] };
        Assert.Equal(ErrorKind.NotFound, (await Queries(db, maple, q => q.DetailAsync(first.OrderId))).Error!.Kind);
        Assert.Empty(await Queries(db, TestUser.Anonymous(DemoWorld.NorthernLights), q => q.MineAsync()));

        var detail = (await Queries(db, me, q => q.DetailAsync(second.OrderId))).Value;
        Assert.Equal((37.50m, 4.88m, 42.38m), (detail.Subtotal, detail.Tax, detail.Summary.Total));
        Assert.True(detail.CustomerCanCancel);
        Assert.All(detail.History, h => Assert.Null(h.Who)); // customers do not see staff names
    }

    [Fact]
    public async Task Cancelling_my_order_releases_its_stock_and_nobody_else_can_cancel_it()
    {
        var me = await NewCustomerAsync(db);
        var other = await NewCustomerAsync(db);
        var p = await StockedAsync(db, 10);
        var order = await OrderAsync(db, me, p.Id, 3);
        Assert.Equal((10, 3, 7), await FiguresAsync(db, p.Id));

        var stranger = await Orders(db, other, s => s.CancelMineAsync(order.OrderId));
        Assert.Equal(ErrorKind.NotFound, stranger.Error!.Kind);
        Assert.Equal(ErrorKind.NotFound, (await Orders(db, TestUser.Anonymous(DemoWorld.NorthernLights), s => s.CancelMineAsync(order.OrderId))).Error!.Kind);
        Assert.Equal((10, 3, 7), await FiguresAsync(db, p.Id));

        Assert.True((await Orders(db, me, s => s.CancelMineAsync(order.OrderId))).Succeeded);
        Assert.Equal((10, 0, 10), await FiguresAsync(db, p.Id));
        var detail = (await Queries(db, me, q => q.DetailAsync(order.OrderId))).Value;
        Assert.Equal((OrderStatus.Cancelled, PaymentStatus.Void), (detail.Summary.Status, detail.Summary.PaymentStatus));
        Assert.Equal("Cancelled by the customer", detail.CancelReason);
        Assert.False(detail.CustomerCanCancel);
        Assert.Equal([OrderStatus.Placed, OrderStatus.Cancelled], detail.History.Select(h => h.To));

        var again = await Orders(db, me, s => s.CancelMineAsync(order.OrderId));
        Assert.Equal(ErrorKind.Conflict, again.Error!.Kind);
        Assert.Equal((10, 0, 10), await FiguresAsync(db, p.Id)); // released once
    }

    [Fact]
    public async Task A_confirmed_order_can_still_be_cancelled_but_a_packed_one_must_be_called_in()
    {
        var me = await NewCustomerAsync(db);
        var p = await StockedAsync(db, 10);
        var confirmed = await OrderAsync(db, me, p.Id, 1);
        Assert.True((await Orders(db, Inventory.InventoryKit.Budtender, s => s.ConfirmAsync(confirmed.OrderId))).Succeeded);
        Assert.True((await Orders(db, me, s => s.CancelMineAsync(confirmed.OrderId))).Succeeded);

        var packed = await OrderAsync(db, me, p.Id, 2);
        Assert.True((await Orders(db, Inventory.InventoryKit.Budtender, s => s.PackAsync(packed.OrderId))).Succeeded);
        Assert.Equal((8, 0, 8), await FiguresAsync(db, p.Id));
        var refused = await Orders(db, me, s => s.CancelMineAsync(packed.OrderId));
        Assert.Equal(ErrorKind.Conflict, refused.Error!.Kind);
        Assert.Contains("Call the store", refused.Error.Message);
        Assert.False((await Queries(db, me, q => q.DetailAsync(packed.OrderId))).Value.CustomerCanCancel);
        Assert.Equal((8, 0, 8), await FiguresAsync(db, p.Id));
    }

    [Fact]
    public async Task A_card_order_the_customer_cancels_is_refunded_in_full()
    {
        var me = await NewCustomerAsync(db);
        var p = await StockedAsync(db, 5, price: 20m);
        var order = await OrderAsync(db, me, p.Id, 1, PaymentMethod.Card);
        Assert.True((await Orders(db, me, s => s.CancelMineAsync(order.OrderId))).Succeeded);
        var detail = (await Queries(db, me, q => q.DetailAsync(order.OrderId))).Value;
        Assert.Equal((PaymentStatus.Refunded, 22.60m), (detail.Summary.PaymentStatus, detail.RefundedAmount));
        Assert.Equal([PaymentKind.Charge, PaymentKind.Refund], detail.Payments.Select(x => x.Kind));
        Assert.All(detail.Payments, x => Assert.Null(x.Reference)); // provider references stay with staff
    }

    [Fact]
    public async Task The_last_live_event_of_a_cancel_comes_after_the_payment_is_voided()
    {
        var me = await NewCustomerAsync(db);
        var p = await StockedAsync(db, 5);
        var order = await OrderAsync(db, me, p.Id, 1);
        var seen = new List<(string Status, PaymentStatus Payment)>();
        using var sub = db.Services.GetRequiredService<ILiveEvents>().Subscribe<OrderChanged>(DemoWorld.NorthernLights, async e =>
        {
            if (e.OrderId == order.OrderId)
            {
                // What an open order page would read when the event arrives.
                var d = (await Queries(db, me, q => q.DetailAsync(order.OrderId))).Value;
                lock (seen)
                {
                    seen.Add((e.Status, d.Summary.PaymentStatus));
                }
            }
        });
        Assert.True((await Orders(db, me, s => s.CancelMineAsync(order.OrderId))).Succeeded);
        Assert.Equal(("Cancelled", PaymentStatus.Void), seen.Last());
    }

    [Fact]
    public async Task Reorder_puts_back_what_is_still_available_and_names_what_was_skipped()
    {
        var me = await NewCustomerAsync(db);
        var keeps = await StockedAsync(db, 10);
        var sellsOut = await StockedAsync(db, 2);
        Assert.True((await AddAsync(db, me, keeps.Id, 2)).Succeeded);
        Assert.True((await AddAsync(db, me, sellsOut.Id, 2)).Succeeded);
        var placed = (await PlaceAsync(db, me, Pickup((await StartAsync(db, me)).Value))).Value;
        Assert.True((await Orders(db, Inventory.InventoryKit.Budtender, s => s.PackAsync(placed.OrderId))).Succeeded); // the last two units leave the shelf

        var outcome = await Orders(db, me, s => s.ReorderAsync(placed.OrderId));
        Assert.Equal(1, outcome.Value.Added);
        Assert.Contains(outcome.Value.Skipped, m => m.Contains(sellsOut.Name) && m.Contains("sold out"));
        var cart = await As(db, me, sp => sp.GetRequiredService<CartService>().GetAsync(Store));
        Assert.Equal([(keeps.Id, 2)], cart.Lines.Select(l => (l.ProductId, l.Quantity)));

        var other = await NewCustomerAsync(db);
        Assert.Equal(ErrorKind.NotFound, (await Orders(db, other, s => s.ReorderAsync(placed.OrderId))).Error!.Kind);
        Assert.True((await As(db, other, sp => sp.GetRequiredService<CartService>().GetAsync(Store))).IsEmpty);
    }
}
