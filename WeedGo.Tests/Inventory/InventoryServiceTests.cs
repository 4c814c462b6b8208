using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Inventory;
using WeedGo.Tests.Support;
using static WeedGo.Tests.Inventory.InventoryKit;

namespace WeedGo.Tests.Inventory;

public sealed class InventoryServiceTests(DemoDatabaseFixture db) : IClassFixture<DemoDatabaseFixture>, IAsyncLifetime
{
    private static readonly Guid Store = DemoWorld.QueenWest;

    public Task InitializeAsync() => DemoWorld.LoadAsync(db);
    public Task DisposeAsync() => Task.CompletedTask;

    private Task<T> Service<T>(TestUser user, Func<InventoryService, Task<T>> act) => As(db, user, sp => act(sp.GetRequiredService<InventoryService>()));
    private Task<T> Queries<T>(TestUser user, Func<InventoryQueries, Task<T>> act) => As(db, user, sp => act(sp.GetRequiredService<InventoryQueries>()));

    [Theory]
    [InlineData(AdjustmentReason.Damage)]
    [InlineData(AdjustmentReason.TheftLoss)]
    [InlineData(AdjustmentReason.Expiry)]
    public async Task A_budtender_cannot_write_off_stock_but_a_manager_can(AdjustmentReason reason)
    {
        var p = await AddProductAsync(db);
        await ReceiveAsync(db, Store, p.Id, 10, "LOT");
        var refused = await Service(Budtender, s => s.AdjustAsync(Store, p.Id, -1, reason, "broken jar"));
        Assert.Equal(ErrorKind.Forbidden, refused.Error!.Kind);
        Assert.StartsWith("Only a store manager can record", refused.Error.Message);
        var done = await Service(Manager, s => s.AdjustAsync(Store, p.Id, -1, reason, "broken jar"));
        Assert.Equal(9, done.Value.OnHand);
    }

    [Fact]
    public async Task Destruction_is_for_managers_and_is_recorded_as_its_own_kind()
    {
        var p = await AddProductAsync(db);
        await ReceiveAsync(db, Store, p.Id, 10, "LOT");
        Assert.Equal(ErrorKind.Forbidden, (await Service(Budtender, s => s.DestroyAsync(Store, p.Id, 2, "recall"))).Error!.Kind);
        Assert.Equal(8, (await Service(Manager, s => s.DestroyAsync(Store, p.Id, 2, "recall"))).Value.OnHand);
        await using var ctx = db.Context();
        Assert.Equal(-2, await ctx.StockLedger.Where(m => m.ProductId == p.Id && m.Kind == MovementKind.Destruction).SumAsync(m => m.OnHandDelta));
    }

    [Fact]
    public async Task Write_offs_only_take_stock_out()
    {
        var p = await AddProductAsync(db);
        var result = await Service(Manager, s => s.AdjustAsync(Store, p.Id, 3, AdjustmentReason.Damage, null));
        Assert.Equal("Damage only takes stock out: enter a negative quantity.", result.Error!.Message);
    }

    [Fact]
    public async Task Staff_of_another_store_are_refused()
    {
        var p = await AddProductAsync(db);
        var budtender = await Service(Budtender, s => s.AdjustAsync(DemoWorld.Yorkville, p.Id, 1, AdjustmentReason.CountCorrection, null));
        Assert.Equal(ErrorKind.Forbidden, budtender.Error!.Kind);
        Assert.Equal("You do not work at Yorkville, so you cannot see or change its stock.", budtender.Error.Message);
        var grid = await Queries(Budtender, q => q.PageAsync(new InventoryGridQuery(DemoWorld.Yorkville)));
        Assert.Equal(ErrorKind.Forbidden, grid.Error!.Kind);
        var manager = await Service(Manager, s => s.SetPriceAsync(DemoWorld.SquareOne, p.Id, 20m, null));
        Assert.Equal(ErrorKind.Forbidden, manager.Error!.Kind);
    }

    [Fact]
    public async Task Another_tenant_cannot_see_or_touch_this_tenants_inventory()
    {
        var p = await AddProductAsync(db);
        await ReceiveAsync(db, Store, p.Id, 10, "LOT");
        // Even with Queen West forged into their store claims, Maple Leaf staff find no such store.
        var forged = TestUser.Staff(MapleManager.UserId!.Value, DemoWorld.MapleLeaf, Roles.StoreManager, Store);
        var page = await Queries(forged, q => q.PageAsync(new InventoryGridQuery(Store)));
        Assert.Equal(ErrorKind.NotFound, page.Error!.Kind);
        var detail = await Queries(forged, q => q.ProductStockAsync(Store, p.Id));
        Assert.Equal(ErrorKind.NotFound, detail.Error!.Kind);
        var adjust = await Service(forged, s => s.AdjustAsync(Store, p.Id, -5, AdjustmentReason.TheftLoss, null));
        Assert.Equal(ErrorKind.NotFound, adjust.Error!.Kind);
        // Their own store cannot be stocked with this tenant's product either.
        var cross = await Service(MapleManager, s => s.AdjustAsync(DemoWorld.Scarborough, p.Id, 1, AdjustmentReason.CountCorrection, null));
        Assert.Equal("That product was not found.", cross.Error!.Message);
        var low = await Queries(MapleManager, q => q.LowStockAsync());
        Assert.DoesNotContain(low.Value, r => r.ProductId == p.Id);
    }

    [Fact]
    public async Task A_budtender_posts_a_count_sheet_and_only_differences_become_count_corrections()
    {
        var a = await AddProductAsync(db);
        var b = await AddProductAsync(db);
        var c = await AddProductAsync(db);
        await ReceiveAsync(db, Store, a.Id, 10, "LOT");
        await ReceiveAsync(db, Store, b.Id, 5, "LOT");
        var posted = await Service(Budtender, s => s.PostCountAsync(Store, [new(a.Id, 8), new(b.Id, 5), new(c.Id, 2)], "Monday count"));
        Assert.True(posted.Succeeded, posted.Error?.Message);
        Assert.Equal(3, posted.Value.LinesCounted);
        Assert.Equal([(a.Id, 10, 8, -2), (c.Id, 0, 2, 2)],
            posted.Value.Differences.OrderBy(d => d.Difference).Select(d => (d.ProductId, d.Expected, d.Counted, d.Difference)).ToList());
        await using var ctx = db.Context();
        var moves = await ctx.StockLedger.Where(m => m.Reference == posted.Value.Reference).ToListAsync();
        Assert.Equal(2, moves.Count);
        Assert.All(moves, m => Assert.Equal((MovementKind.Adjustment, AdjustmentReason.CountCorrection, "Monday count", Budtender.UserId),
            (m.Kind, m.Reason!.Value, m.Note!, m.UserId)));
        Assert.Equal(8, await ctx.Inventory.Where(i => i.ProductId == a.Id).Select(i => i.OnHand).SingleAsync());
    }

    [Fact]
    public async Task A_count_below_what_is_reserved_is_refused_and_nothing_of_the_sheet_is_saved()
    {
        var a = await AddProductAsync(db);
        var b = await AddProductAsync(db);
        await ReceiveAsync(db, Store, a.Id, 10, "LOT");
        await ReceiveAsync(db, Store, b.Id, 10, "LOT");
        await As(db, Manager, sp => sp.GetRequiredService<StockLedger>().ReserveAsync(Store, b.Id, 4, "checkout-x"));
        var result = await Service(Budtender, s => s.PostCountAsync(Store, [new(a.Id, 1), new(b.Id, 3)], null));
        Assert.Equal(ErrorKind.OutOfStock, result.Error!.Kind);
        Assert.Contains("3 counted, but 4 are reserved", result.Error.Message);
        await using var ctx = db.Context();
        Assert.Equal(10, await ctx.Inventory.Where(i => i.ProductId == a.Id).Select(i => i.OnHand).SingleAsync());
        Assert.Equal(1, await ctx.StockLedger.CountAsync(m => m.ProductId == a.Id));
    }

    [Fact]
    public async Task Count_sheets_are_validated()
    {
        var a = await AddProductAsync(db);
        Assert.Equal("A count cannot be negative.", (await Service(Budtender, s => s.PostCountAsync(Store, [new(a.Id, -1)], null))).Error!.Message);
        Assert.Equal("The count sheet is empty: count at least one product.", (await Service(Budtender, s => s.PostCountAsync(Store, [], null))).Error!.Message);
        Assert.Contains("twice", (await Service(Budtender, s => s.PostCountAsync(Store, [new(a.Id, 1), new(a.Id, 2)], null))).Error!.Message);
        Assert.Equal("That product was not found.", (await Service(Budtender, s => s.PostCountAsync(Store, [new(Guid.NewGuid(), 1)], null))).Error!.Message);
    }

    [Theory]
    [InlineData(-1.0, null, "A price or cost cannot be negative.")]
    [InlineData(null, -0.5, "A price or cost cannot be negative.")]
    [InlineData(0.0, null, "A shelf price must be at least $0.01: cannabis is never given away.")]
    [InlineData(0.009, null, "A shelf price must be at least $0.01: cannabis is never given away.")]
    [InlineData(12.345, null, "A shelf price has at most two decimals (dollars and cents).")]
    public async Task Prices_are_validated(double? price, double? cost, string message)
    {
        var p = await AddProductAsync(db);
        var result = await Service(Manager, s => s.SetPriceAsync(Store, p.Id, (decimal?)price, (decimal?)cost));
        Assert.Equal(message, result.Error!.Message);
    }

    [Fact]
    public async Task A_manager_sets_shelf_price_cost_and_reorder_point_and_a_budtender_cannot()
    {
        var p = await AddProductAsync(db, price: 30m);
        Assert.Equal(ErrorKind.Forbidden, (await Service(Budtender, s => s.SetPriceAsync(Store, p.Id, 25m, null))).Error!.Kind);
        Assert.Equal(ErrorKind.Forbidden, (await Service(Budtender, s => s.SetReorderPointAsync(Store, p.Id, 5))).Error!.Kind);
        Assert.Equal("That product was not found.", (await Service(Manager, s => s.SetPriceAsync(Store, Guid.NewGuid(), 25m, null))).Error!.Message);
        Assert.True((await Service(Manager, s => s.SetPriceAsync(Store, p.Id, 24.99m, 11.5m))).Succeeded);
        Assert.True((await Service(Manager, s => s.SetReorderPointAsync(Store, p.Id, 6))).Succeeded);
        Assert.Equal("A reorder point cannot be negative.", (await Service(Manager, s => s.SetReorderPointAsync(Store, p.Id, -1))).Error!.Message);
        var stock = (await Queries(Budtender, q => q.ProductStockAsync(Store, p.Id))).Value;
        Assert.Equal((24.99m, 30m, 24.99m, 11.5m, 6), (stock.Price!.Value, stock.CataloguePrice!.Value, stock.PriceOverride!.Value, stock.UnitCost!.Value, stock.ReorderPoint));
        Assert.True((await Service(Manager, s => s.SetPriceAsync(Store, p.Id, null, 11.5m))).Succeeded);
        Assert.Equal(30m, (await Queries(Budtender, q => q.ProductStockAsync(Store, p.Id))).Value.Price);
    }

    [Fact]
    public async Task The_grid_pages_sorts_and_filters_in_the_database()
    {
        var cat = "Cat-" + Guid.NewGuid().ToString("N")[..6];
        var low = await AddProductAsync(db, category: cat, brand: "Alpha", name: "Aardvark Kush", price: 10m);
        var fine = await AddProductAsync(db, category: cat, brand: "Beta", name: "Bubba Haze", price: 20m);
        var empty = await AddProductAsync(db, category: cat, brand: "Beta", name: "Cherry Pie", price: 30m);
        var never = await AddProductAsync(db, category: cat, brand: "Alpha", name: "Durban Poison", price: 40m);
        await ReceiveAsync(db, Store, low.Id, 2, "L1", eachGtin: "0" + NewGtin13());
        await ReceiveAsync(db, Store, fine.Id, 50, "L1");
        await ReceiveAsync(db, Store, empty.Id, 1, "L1");
        await Service(Manager, s => s.SetReorderPointAsync(Store, low.Id, 5));
        await Service(Manager, s => s.SetReorderPointAsync(Store, fine.Id, 5));
        await Service(Manager, s => s.SetPriceAsync(Store, fine.Id, 18m, 9m));
        await As(db, Manager, sp => sp.GetRequiredService<StockLedger>().SellAsync(Store, empty.Id, 1, "o"));

        async Task<InventoryGridPage> Page(InventoryGridQuery q) => (await Queries(Budtender, x => x.PageAsync(q))).Value;

        var all = await Page(new InventoryGridQuery(Store, Category: cat));
        Assert.Equal(3, all.Total);
        Assert.Equal(["Aardvark Kush", "Bubba Haze", "Cherry Pie"], all.Rows.Select(r => r.ProductName));
        var withUnstocked = await Page(new InventoryGridQuery(Store, Category: cat, IncludeUnstocked: true, SortBy: InventorySort.Price, Descending: true));
        Assert.Equal(["Durban Poison", "Cherry Pie", "Bubba Haze", "Aardvark Kush"], withUnstocked.Rows.Select(r => r.ProductName));
        var bubba = withUnstocked.Rows.Single(r => r.ProductId == fine.Id);
        Assert.Equal((50, 0, 50, 5, 18m, true, 9m), (bubba.OnHand, bubba.Reserved, bubba.Available, bubba.ReorderPoint, bubba.Price!.Value, bubba.PriceOverridden, bubba.UnitCost!.Value));

        var paged = await Page(new InventoryGridQuery(Store, Category: cat, SortBy: InventorySort.OnHand, Descending: true, Page: 1, PageSize: 2));
        Assert.Equal((3, "Cherry Pie"), (paged.Total, paged.Rows.Single().ProductName));
        Assert.Equal(["Aardvark Kush", "Cherry Pie"], (await Page(new InventoryGridQuery(Store, Category: cat, LowStock: true))).Rows.Select(r => r.ProductName));
        Assert.Equal(["Cherry Pie"], (await Page(new InventoryGridQuery(Store, Category: cat, OutOfStock: true))).Rows.Select(r => r.ProductName));
        Assert.Equal(["Aardvark Kush"], (await Page(new InventoryGridQuery(Store, Category: cat, Brand: "Alpha"))).Rows.Select(r => r.ProductName));
        Assert.Equal(["Bubba Haze"], (await Page(new InventoryGridQuery(Store, Category: cat, Search: "bubba"))).Rows.Select(r => r.ProductName));
        Assert.Equal(["Bubba Haze"], (await Page(new InventoryGridQuery(Store, Search: fine.Sku.ToLowerInvariant()))).Rows.Select(r => r.ProductName));
        Assert.Equal(["Cherry Pie"], (await Page(new InventoryGridQuery(Store, Search: empty.Gtin13))).Rows.Select(r => r.ProductName));
        Assert.Empty((await Page(new InventoryGridQuery(Store, Search: "100%_", Category: cat, IncludeUnstocked: true))).Rows); // wildcards are literal
    }

    [Fact]
    public async Task Product_detail_shows_batches_and_ledger_history_latest_first()
    {
        var p = await AddProductAsync(db);
        await ReceiveAsync(db, Store, p.Id, 10, "OLD", new DateTime(2026, 1, 5, 9, 0, 0), cost: 8m);
        db.Clock.Advance(TimeSpan.FromMinutes(1));
        await ReceiveAsync(db, Store, p.Id, 4, "NEW", new DateTime(2026, 2, 5, 9, 0, 0), cost: 9m);
        db.Clock.Advance(TimeSpan.FromMinutes(1));
        await Service(Manager, s => s.AdjustAsync(Store, p.Id, -3, AdjustmentReason.Expiry, "past date"));
        var stock = (await Queries(Budtender, q => q.ProductStockAsync(Store, p.Id, historyPage: 0, historyPageSize: 2))).Value;
        Assert.Equal((11, 11), (stock.OnHand, stock.Available));
        Assert.Equal([("OLD", 10, 7), ("NEW", 4, 4)], stock.Batches.Select(b => (b.BatchLot, b.Received, b.Remaining)));
        Assert.Equal(3, stock.HistoryTotal);
        Assert.Equal([(MovementKind.Adjustment, -3, "OLD"), (MovementKind.Receipt, 4, "NEW")], stock.History.Select(h => (h.Kind, h.OnHandDelta, h.BatchLot!)));
        Assert.Equal("past date", stock.History[0].Note);
        Assert.False(string.IsNullOrEmpty(stock.History[0].By));
        Assert.Equal(8.2857m, stock.UnitCost); // weighted average of 10 at $8 and 4 at $9
    }

    [Fact]
    public async Task Low_stock_lists_what_is_at_or_below_its_reorder_point_at_the_persons_stores()
    {
        var p = await AddProductAsync(db);
        await ReceiveAsync(db, Store, p.Id, 3, "LOT");
        await Service(Manager, s => s.SetReorderPointAsync(Store, p.Id, 3));
        var mine = (await Queries(Budtender, q => q.LowStockAsync(null, 100))).Value;
        Assert.Contains(mine, r => r.ProductId == p.Id && r.StoreName == "Queen West" && r.Available == 3);
        var yorkvilleOnly = TestUser.Staff(Guid.NewGuid(), DemoWorld.NorthernLights, Roles.Budtender, DemoWorld.Yorkville);
        Assert.DoesNotContain((await Queries(yorkvilleOnly, q => q.LowStockAsync(null, 100))).Value, r => r.ProductId == p.Id);
        Assert.Equal(ErrorKind.Forbidden, (await Queries(yorkvilleOnly, q => q.LowStockAsync(Store, 100))).Error!.Kind);
        Assert.Equal(ErrorKind.Forbidden, (await Queries(TestUser.Staff(Guid.NewGuid(), DemoWorld.NorthernLights, Roles.Driver, Store), q => q.LowStockAsync())).Error!.Kind);
    }
}
