using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Common;
using WeedGo.Core.Ordering;
using WeedGo.Tests.Support;
using static WeedGo.Tests.Ordering.OrderingKit;

namespace WeedGo.Tests.Ordering;

public sealed class CartServiceTests(DemoDatabaseFixture db) : IClassFixture<DemoDatabaseFixture>
{
    [Fact]
    public async Task Adding_keeps_the_cart_on_the_server_with_live_price_stock_and_the_meter()
    {
        var me = await NewCustomerAsync(db);
        var flower = await StockedAsync(db, 10, grams: 3.5m, price: 45m);
        var preRoll = await StockedAsync(db, 10, grams: 1m, price: 12.5m);
        Assert.True((await AddAsync(db, me, flower.Id, 2)).Succeeded);
        var cart = (await AddAsync(db, me, preRoll.Id, 3)).Value;
        Assert.Equal(2, cart.Lines.Count);
        Assert.Equal(10m, cart.Meter.UsedGrams);
        Assert.Equal("10 g of 30 g", cart.Meter.Describe());
        Assert.Equal(127.5m, cart.Subtotal);
        Assert.Equal(5, cart.ItemCount);
        Assert.True(cart.CanCheckout);
        // Read again through a new scope: it is the same cart.
        var again = await As(db, me, sp => sp.GetRequiredService<CartService>().GetAsync(Store));
        Assert.Equal(cart.CartId, again.CartId);
        Assert.Equal(10, again.Lines.Single(l => l.ProductId == flower.Id).Available);
    }

    [Fact]
    public async Task An_addition_that_would_pass_30_grams_is_refused_with_the_reason_and_the_cart_is_unchanged()
    {
        var me = await NewCustomerAsync(db);
        var ounceish = await StockedAsync(db, 10, grams: 7m);
        Assert.True((await AddAsync(db, me, ounceish.Id, 4)).Succeeded); // 28 g
        var refused = await AddAsync(db, me, ounceish.Id, 1);
        Assert.Equal(ErrorKind.OverPurchaseLimit, refused.Error!.Kind);
        Assert.Contains("35 g", refused.Error.Message);
        Assert.Contains("30 g", refused.Error.Message);
        var cart = await As(db, me, sp => sp.GetRequiredService<CartService>().GetAsync(Store));
        Assert.Equal(4, cart.Lines.Single().Quantity);
        Assert.Equal(28m, cart.Meter.UsedGrams);
    }

    [Fact]
    public async Task More_than_the_store_has_available_is_refused_as_out_of_stock()
    {
        var me = await NewCustomerAsync(db);
        var scarce = await StockedAsync(db, 2);
        var refused = await AddAsync(db, me, scarce.Id, 3);
        Assert.Equal(ErrorKind.OutOfStock, refused.Error!.Kind);
        Assert.Contains("Only 2", refused.Error.Message);
        var soldOut = await StockedAsync(db, 0);
        Assert.Contains("sold out", (await AddAsync(db, me, soldOut.Id)).Error!.Message);
    }

    [Fact]
    public async Task A_guest_cart_is_merged_into_the_customers_cart_when_they_sign_in_from_the_same_browser()
    {
        var browser = Guid.NewGuid().ToString("N");
        var guest = Guest(browser);
        var a = await StockedAsync(db, 10);
        var b = await StockedAsync(db, 10);
        Assert.True((await AddAsync(db, guest, a.Id, 2)).Succeeded);
        var me = await NewCustomerAsync(db);
        Assert.True((await AddAsync(db, me, b.Id, 1)).Succeeded); // their cart from an earlier visit
        me.ShopperKey = browser; // signs in from the guest's browser
        var merged = await As(db, me, sp => sp.GetRequiredService<CartService>().GetAsync(Store));
        Assert.Equal([(a.Id, 2), (b.Id, 1)], merged.Lines.Select(l => (l.ProductId, l.Quantity)).OrderBy(l => l.ProductId != a.Id).ToArray());
        var guestNow = await As(db, Guest(browser), sp => sp.GetRequiredService<CartService>().GetAsync(Store));
        Assert.True(guestNow.IsEmpty); // the guest cart is gone
    }

    [Fact]
    public async Task A_shopper_cannot_put_another_tenants_store_or_product_in_a_cart()
    {
        var me = await NewCustomerAsync(db);
        var p = await StockedAsync(db, 5);
        var otherStore = await As(db, me, sp => sp.GetRequiredService<CartService>().AddAsync(DemoWorld.Scarborough, p.Id));
        Assert.Equal(ErrorKind.NotFound, otherStore.Error!.Kind);
        var mapleProduct = await Inventory.InventoryKit.AddProductAsync(db, tenant: DemoWorld.MapleLeaf);
        Assert.Equal(ErrorKind.NotFound, (await AddAsync(db, me, mapleProduct.Id)).Error!.Kind);
    }

    [Fact]
    public async Task Setting_a_quantity_to_zero_removes_the_line_and_wishlist_moves_to_cart()
    {
        var me = await NewCustomerAsync(db);
        var p = await StockedAsync(db, 5);
        Assert.True((await AddAsync(db, me, p.Id, 2)).Succeeded);
        var emptied = await As(db, me, sp => sp.GetRequiredService<CartService>().SetQuantityAsync(Store, p.Id, 0));
        Assert.True(emptied.Value.IsEmpty);

        Assert.True((await As(db, me, sp => sp.GetRequiredService<WishlistService>().ToggleAsync(Store, p.Id))).Value);
        Assert.Contains(p.Id, await As(db, me, sp => sp.GetRequiredService<WishlistService>().ProductIdsAsync(Store)));
        var moved = await As(db, me, sp => sp.GetRequiredService<WishlistService>().MoveToCartAsync(Store, p.Id));
        Assert.Equal(1, moved.Value.Lines.Single().Quantity);
        Assert.Empty(await As(db, me, sp => sp.GetRequiredService<WishlistService>().ListAsync(Store)));
        Assert.Equal(ErrorKind.Forbidden, (await As(db, Guest(), sp => sp.GetRequiredService<WishlistService>().ToggleAsync(Store, p.Id))).Error!.Kind);
    }
}
