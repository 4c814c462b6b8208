using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WeedGo.Core.Common;
using WeedGo.Core.Inventory;
using WeedGo.Core.Live;
using WeedGo.Tests.Support;
using static WeedGo.Tests.Inventory.InventoryKit;

namespace WeedGo.Tests.Inventory;

public sealed class StockLedgerTests(DemoDatabaseFixture db) : IClassFixture<DemoDatabaseFixture>, IAsyncLifetime
{
    private static readonly Guid Store = DemoWorld.QueenWest;

    public Task InitializeAsync() => DemoWorld.LoadAsync(db);
    public Task DisposeAsync() => Task.CompletedTask;

    private Task<T> AsManager<T>(Func<IServiceProvider, Task<T>> act) => As(db, Manager, act);
    private Task<Result<StockFigures>> Ledger(Func<StockLedger, Task<Result<StockFigures>>> act) =>
        AsManager(sp => act(sp.GetRequiredService<StockLedger>()));

    private async Task AssertFiguresEqualLedgerSum(Guid productId, int onHand, int reserved)
    {
        var totals = (await AsManager(sp => sp.GetRequiredService<InventoryQueries>().RecomputeFromLedgerAsync(Store, productId))).Value;
        await using var ctx = db.Context();
        var item = await ctx.Inventory.SingleAsync(i => i.StoreId == Store && i.ProductId == productId);
        Assert.Equal((onHand, reserved, onHand - reserved), (item.OnHand, item.Reserved, item.Available));
        Assert.Equal((item.OnHand, item.Reserved), (totals.OnHand, totals.Reserved));
        var batched = await ctx.Batches.Where(b => b.StoreId == Store && b.ProductId == productId).SumAsync(b => b.RemainingQuantity);
        var unbatched = await ctx.StockLedger.Where(m => m.StoreId == Store && m.ProductId == productId && m.BatchId == null).SumAsync(m => m.OnHandDelta);
        Assert.Equal(item.OnHand, batched + unbatched);
    }

    [Fact]
    public async Task Receipts_sales_and_adjustments_keep_the_figures_equal_to_the_ledger_sum()
    {
        var p = await AddProductAsync(db);
        await ReceiveAsync(db, Store, p.Id, 24, "LOT-A", new DateTime(2026, 3, 14, 9, 30, 0));
        await ReceiveAsync(db, Store, p.Id, 12, "LOT-B", new DateTime(2026, 4, 1, 8, 0, 0));
        Assert.True((await Ledger(l => l.SellAsync(Store, p.Id, 5, "order-1"))).Succeeded);
        var damaged = await AsManager(sp => sp.GetRequiredService<InventoryService>().AdjustAsync(Store, p.Id, -2, AdjustmentReason.Damage, "dropped"));
        Assert.True(damaged.Succeeded, damaged.Error?.Message);
        var found = await AsManager(sp => sp.GetRequiredService<InventoryService>().AdjustAsync(Store, p.Id, 3, AdjustmentReason.CountCorrection, "found behind shelf"));
        Assert.Equal(32, found.Value.OnHand);
        Assert.True((await Ledger(l => l.ReturnAsync(Store, p.Id, 1, "order-1"))).Succeeded);
        await AssertFiguresEqualLedgerSum(p.Id, 33, 0);
    }

    [Fact]
    public async Task Sales_consume_the_oldest_packaged_batch_first_and_write_one_row_per_batch()
    {
        var p = await AddProductAsync(db);
        // Received newest first: FIFO follows the packaged-on date, not the order of receipt.
        await ReceiveAsync(db, Store, p.Id, 10, "NEWER", new DateTime(2026, 5, 1, 9, 0, 0), cost: 12m);
        await ReceiveAsync(db, Store, p.Id, 5, "OLDER", new DateTime(2026, 1, 10, 9, 0, 0), cost: 10m);
        var sold = await Ledger(l => l.SellAsync(Store, p.Id, 7, "order-fifo"));
        Assert.Equal(8, sold.Value.OnHand);

        await using var ctx = db.Context();
        var batches = await ctx.Batches.Where(b => b.ProductId == p.Id).ToDictionaryAsync(b => b.BatchLot, b => b.RemainingQuantity);
        Assert.Equal(0, batches["OLDER"]);
        Assert.Equal(8, batches["NEWER"]);
        var sales = await ctx.StockLedger.Where(m => m.ProductId == p.Id && m.Kind == MovementKind.Sale)
            .Join(ctx.Batches, m => m.BatchId, b => b.Id, (m, b) => new { b.BatchLot, m.OnHandDelta, m.UnitCost, m.Reference, m.UserId })
            .OrderBy(x => x.BatchLot).ToListAsync();
        Assert.Equal([("NEWER", -2, 12m), ("OLDER", -5, 10m)], sales.Select(s => (s.BatchLot, s.OnHandDelta, s.UnitCost!.Value)));
        Assert.All(sales, s => Assert.Equal(("order-fifo", Manager.UserId), (s.Reference!, s.UserId)));
        await AssertFiguresEqualLedgerSum(p.Id, 8, 0);
    }

    [Fact]
    public async Task A_named_batch_is_consumed_instead_of_the_oldest()
    {
        var p = await AddProductAsync(db);
        await ReceiveAsync(db, Store, p.Id, 5, "OLD", new DateTime(2026, 1, 1, 9, 0, 0));
        await ReceiveAsync(db, Store, p.Id, 5, "NEW", new DateTime(2026, 6, 1, 9, 0, 0));
        await using var ctx = db.Context();
        var newer = await ctx.Batches.SingleAsync(b => b.ProductId == p.Id && b.BatchLot == "NEW");
        Assert.True((await Ledger(l => l.SellAsync(Store, p.Id, 2, "order-pick", batchId: newer.Id))).Succeeded);
        var refused = await Ledger(l => l.SellAsync(Store, p.Id, 4, "order-pick", batchId: newer.Id));
        Assert.Equal(ErrorKind.OutOfStock, refused.Error!.Kind);
        Assert.Contains("Lot NEW", refused.Error.Message);
        await using var after = db.Context();
        Assert.Equal(5, await after.Batches.Where(b => b.ProductId == p.Id && b.BatchLot == "OLD").Select(b => b.RemainingQuantity).SingleAsync());
        Assert.Equal(3, await after.Batches.Where(b => b.ProductId == p.Id && b.BatchLot == "NEW").Select(b => b.RemainingQuantity).SingleAsync());
    }

    [Fact]
    public async Task Taking_more_than_is_available_is_refused_with_a_clear_message_and_changes_nothing()
    {
        var p = await AddProductAsync(db, name: "Blue Dream 3.5 g");
        await ReceiveAsync(db, Store, p.Id, 3, "LOT-1");
        var refused = await Ledger(l => l.SellAsync(Store, p.Id, 5, "order-big"));
        Assert.False(refused.Succeeded);
        Assert.Equal(ErrorKind.OutOfStock, refused.Error!.Kind);
        Assert.Equal($"Only 3 units of Blue Dream 3.5 g (SKU {p.Sku}) are available, so 5 units cannot be taken out.", refused.Error.Message);
        var adjusted = await AsManager(sp => sp.GetRequiredService<InventoryService>().AdjustAsync(Store, p.Id, -4, AdjustmentReason.TheftLoss, null));
        Assert.Equal(ErrorKind.OutOfStock, adjusted.Error!.Kind);
        await AssertFiguresEqualLedgerSum(p.Id, 3, 0);
        await using var ctx = db.Context();
        Assert.Equal(1, await ctx.StockLedger.CountAsync(m => m.ProductId == p.Id));
    }

    [Fact]
    public async Task Reservations_hold_stock_and_a_sale_converts_them()
    {
        var p = await AddProductAsync(db);
        await ReceiveAsync(db, Store, p.Id, 10, "LOT-R");
        var held = await Ledger(l => l.ReserveAsync(Store, p.Id, 4, "checkout-1"));
        Assert.Equal((10, 4, 6), (held.Value.OnHand, held.Value.Reserved, held.Value.Available));

        var tooMuch = await Ledger(l => l.ReserveAsync(Store, p.Id, 7, "checkout-2"));
        Assert.Equal(ErrorKind.OutOfStock, tooMuch.Error!.Kind);
        var notAvailable = await Ledger(l => l.SellAsync(Store, p.Id, 7, "walk-in"));
        Assert.Contains("4 more are reserved", notAvailable.Error!.Message);

        var sold = await Ledger(l => l.SellAsync(Store, p.Id, 3, "checkout-1", fromReservation: true));
        Assert.Equal((7, 1, 6), (sold.Value.OnHand, sold.Value.Reserved, sold.Value.Available));
        var overRelease = await Ledger(l => l.ReleaseAsync(Store, p.Id, 2, "checkout-1"));
        Assert.Equal(ErrorKind.Conflict, overRelease.Error!.Kind);
        var released = await Ledger(l => l.ReleaseAsync(Store, p.Id, 1, "checkout-1"));
        Assert.Equal((7, 0, 7), (released.Value.OnHand, released.Value.Reserved, released.Value.Available));
        var notHeld = await Ledger(l => l.SellAsync(Store, p.Id, 1, "checkout-1", fromReservation: true));
        Assert.Equal(ErrorKind.OutOfStock, notHeld.Error!.Kind);
        await AssertFiguresEqualLedgerSum(p.Id, 7, 0);
    }

    [Fact]
    public async Task Twenty_parallel_adjustments_on_one_sku_lose_nothing()
    {
        var p = await AddProductAsync(db);
        await ReceiveAsync(db, Store, p.Id, 100, "LOT-P");
        var tasks = Enumerable.Range(0, 20).Select(i => Task.Run(() => AsManager(sp =>
            sp.GetRequiredService<InventoryService>().AdjustAsync(Store, p.Id, i % 2 == 0 ? 1 : -2,
                i % 2 == 0 ? AdjustmentReason.CountCorrection : AdjustmentReason.Damage, $"parallel {i}"))));
        var results = await Task.WhenAll(tasks);
        Assert.All(results, r => Assert.True(r.Succeeded, r.Error?.Message));
        await AssertFiguresEqualLedgerSum(p.Id, 100 + 10 - 20, 0);
    }

    [Fact]
    public async Task Parallel_first_movements_create_the_inventory_row_once()
    {
        var p = await AddProductAsync(db);
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => AsManager(sp =>
            sp.GetRequiredService<InventoryService>().AdjustAsync(Store, p.Id, 1, AdjustmentReason.CountCorrection, null)))));
        Assert.All(results, r => Assert.True(r.Succeeded, r.Error?.Message));
        await AssertFiguresEqualLedgerSum(p.Id, 20, 0);
    }

    [Fact]
    public async Task Ledger_rows_cannot_be_updated_or_deleted()
    {
        var p = await AddProductAsync(db);
        await ReceiveAsync(db, Store, p.Id, 5, "LOT-I");
        await using var ctx = db.Context();
        var update = await Assert.ThrowsAsync<PostgresException>(() =>
            ctx.Database.ExecuteSqlAsync($"UPDATE stock_ledger SET on_hand_delta = 500 WHERE product_id = {p.Id}"));
        Assert.Contains("immutable", update.MessageText);
        await Assert.ThrowsAsync<PostgresException>(() => ctx.Database.ExecuteSqlAsync($"DELETE FROM stock_ledger WHERE product_id = {p.Id}"));
        await AssertFiguresEqualLedgerSum(p.Id, 5, 0);
    }

    [Fact]
    public async Task The_database_check_refuses_reserved_above_on_hand_as_the_last_wall()
    {
        var p = await AddProductAsync(db);
        await ReceiveAsync(db, Store, p.Id, 2, "LOT-W");
        await using var ctx = db.Context();
        var e = await Assert.ThrowsAsync<PostgresException>(() =>
            ctx.Database.ExecuteSqlAsync($"UPDATE ocs_inventory SET reserved = 3 WHERE product_id = {p.Id}"));
        Assert.Equal(PostgresErrorCodes.CheckViolation, e.SqlState);
    }

    [Fact]
    public async Task Stock_changed_is_published_after_the_commit_with_the_new_figures()
    {
        var p = await AddProductAsync(db);
        var seen = new List<StockChanged>();
        using var _ = db.Services.GetRequiredService<ILiveEvents>().Subscribe<StockChanged>(DemoWorld.NorthernLights, e =>
        {
            if (e.ProductId == p.Id)
            {
                lock (seen)
                {
                    seen.Add(e);
                }
            }
            return Task.CompletedTask;
        });
        await ReceiveAsync(db, Store, p.Id, 6, "LOT-E");
        await Ledger(l => l.ReserveAsync(Store, p.Id, 2, "checkout-e"));
        await Ledger(l => l.SellAsync(Store, p.Id, 10, "too-many")); // refused: publishes nothing
        Assert.Equal(2, seen.Count);
        Assert.Equal(new StockChanged(DemoWorld.NorthernLights, Store, p.Id, p.Sku, 6, 2, 4), seen[1]);
        Assert.Equal(6, seen[0].Available);
    }
}
