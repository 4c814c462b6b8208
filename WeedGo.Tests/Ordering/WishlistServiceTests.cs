using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Common;
using WeedGo.Core.Ordering;
using WeedGo.Tests.Support;
using static WeedGo.Tests.Ordering.OrderingKit;

namespace WeedGo.Tests.Ordering;

public sealed class WishlistServiceTests(DemoDatabaseFixture db) : IClassFixture<DemoDatabaseFixture>
{
    private static Task<T> Wishlist<T>(DatabaseFixture db, TestUser who, Func<WishlistService, Task<T>> act) =>
        As(db, who, sp => act(sp.GetRequiredService<WishlistService>()));

    [Fact]
    public async Task The_list_is_per_customer_and_store_with_todays_price_and_availability()
    {
        var me = await NewCustomerAsync(db);
        var other = await NewCustomerAsync(db);
        var stocked = await StockedAsync(db, 4, price: 31m);
        var soldOut = await StockedAsync(db, 0, price: 9m);
        Assert.True((await Wishlist(db, me, w => w.ToggleAsync(Store, stocked.Id))).Value);
        db.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await Wishlist(db, me, w => w.ToggleAsync(Store, soldOut.Id))).Value);
        Assert.True((await Wishlist(db, me, w => w.ToggleAsync(DemoWorld.Yorkville, stocked.Id))).Value);

        var list = await Wishlist(db, me, w => w.ListAsync(Store));
        Assert.Equal(2, list.Count);
        Assert.Equal((31m, 4), list.Single(e => e.ProductId == stocked.Id) is var s ? (s.Price, s.Available) : default);
        Assert.Equal(0, list.Single(e => e.ProductId == soldOut.Id).Available);
        Assert.Single(await Wishlist(db, me, w => w.ListAsync(DemoWorld.Yorkville)));
        Assert.Empty(await Wishlist(db, other, w => w.ListAsync(Store)));

        // Toggling again removes it; a double click never makes two rows.
        Assert.False((await Wishlist(db, me, w => w.ToggleAsync(Store, soldOut.Id))).Value);
        await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Wishlist(db, other, w => w.ToggleAsync(Store, stocked.Id))));
        await using var ctx = db.Context();
        Assert.True(await ctx.Wishlist.CountAsync(w => w.UserId == other.UserId) <= 1);
        Assert.Equal([stocked.Id], (await Wishlist(db, me, w => w.ListAsync(Store))).Select(e => e.ProductId));
    }

    [Fact]
    public async Task Moving_to_the_cart_over_30_grams_or_when_sold_out_is_refused_and_the_product_stays_listed()
    {
        var me = await NewCustomerAsync(db);
        var heavy = await StockedAsync(db, 10, grams: 7m);
        var wished = await StockedAsync(db, 10, grams: 3.5m);
        var soldOut = await StockedAsync(db, 0);
        Assert.True((await AddAsync(db, me, heavy.Id, 4)).Succeeded); // 28 g already
        await Wishlist(db, me, w => w.ToggleAsync(Store, wished.Id));
        await Wishlist(db, me, w => w.ToggleAsync(Store, soldOut.Id));

        var over = await Wishlist(db, me, w => w.MoveToCartAsync(Store, wished.Id));
        Assert.Equal(ErrorKind.OverPurchaseLimit, over.Error!.Kind);
        Assert.Contains("30 g", over.Error.Message);
        var gone = await Wishlist(db, me, w => w.MoveToCartAsync(Store, soldOut.Id));
        Assert.Equal(ErrorKind.OutOfStock, gone.Error!.Kind);
        Assert.Equal(2, (await Wishlist(db, me, w => w.ListAsync(Store))).Count);

        await As(db, me, sp => sp.GetRequiredService<CartService>().SetQuantityAsync(Store, heavy.Id, 1));
        var moved = await Wishlist(db, me, w => w.MoveToCartAsync(Store, wished.Id));
        Assert.True(moved.Succeeded, moved.Error?.Message);
        Assert.Equal(10.5m, moved.Value.Meter.UsedGrams);
        Assert.Equal([soldOut.Id], (await Wishlist(db, me, w => w.ListAsync(Store))).Select(e => e.ProductId));
        Assert.Equal("sign_in_required", (await Wishlist(db, Guest(), w => w.MoveToCartAsync(Store, wished.Id))).Error!.Code);
    }
}
