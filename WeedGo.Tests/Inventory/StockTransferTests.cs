using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Common;
using WeedGo.Core.Inventory;
using WeedGo.Core.Live;
using WeedGo.Tests.Support;
using static WeedGo.Tests.Inventory.InventoryKit;

namespace WeedGo.Tests.Inventory;

/// <summary><see cref="InventoryService.TransferAsync"/> on the real database: both sides of the ledger, lots, refusals, races.</summary>
public sealed class StockTransferTests(DemoDatabaseFixture db) : IClassFixture<DemoDatabaseFixture>, IAsyncLifetime
{
    private static readonly Guid From = DemoWorld.QueenWest;
    private static readonly Guid To = DemoWorld.Yorkville;

    public Task InitializeAsync() => DemoWorld.LoadAsync(db);
    public Task DisposeAsync() => Task.CompletedTask;

    private Task<Result<StockTransferred>> Transfer(TestUser user, Guid from, Guid to, Guid productId, int quantity, Guid? batchId = null,
        string? note = null) =>
        As(db, user, sp => sp.GetRequiredService<InventoryService>().TransferAsync(from, to, productId, quantity, batchId, note));

    /// <summary>The row's figures, the ledger sums and the batches all agree at <paramref name="store"/>; returns on hand.</summary>
    private async Task<int> AssertLedgerAgreesAsync(Guid store, Guid productId)
    {
        var totals = (await As(db, TenantAdmin, sp => sp.GetRequiredService<InventoryQueries>().RecomputeFromLedgerAsync(store, productId))).Value;
        await using var ctx = db.Context();
        var item = await ctx.Inventory.SingleAsync(i => i.StoreId == store && i.ProductId == productId);
        Assert.Equal((item.OnHand, item.Reserved), (totals.OnHand, totals.Reserved));
        var batched = await ctx.Batches.Where(b => b.StoreId == store && b.ProductId == productId).SumAsync(b => b.RemainingQuantity);
        var unbatched = await ctx.StockLedger.Where(m => m.StoreId == store && m.ProductId == productId && m.BatchId == null).SumAsync(m => m.OnHandDelta);
        Assert.Equal(item.OnHand, batched + unbatched);
        return item.OnHand;
    }

    [Fact]
    public async Task A_manager_moves_a_lot_to_another_store_and_both_ledgers_add_up()
    {
        var p = await AddProductAsync(db);
        var packaged = new DateTime(2026, 1, 5, 8, 30, 0);
        await ReceiveAsync(db, From, p.Id, 10, "LOT-T1", packaged, cost: 7.25m, eachGtin: p.Gtin14, caseGtin: "10" + p.Gtin13[..11] + "5");

        var done = await Transfer(Manager, From, To, p.Id, 4, note: "weekend rush");

        Assert.True(done.Succeeded, done.Error?.Message);
        Assert.Equal((6, 4), (done.Value.From.OnHand, done.Value.To.OnHand));
        Assert.Equal([new TransferredLot("LOT-T1", 4)], done.Value.Lots);
        Assert.Equal(6, await AssertLedgerAgreesAsync(From, p.Id));
        Assert.Equal(4, await AssertLedgerAgreesAsync(To, p.Id));

        await using var ctx = db.Context();
        var source = await ctx.Batches.SingleAsync(b => b.StoreId == From && b.ProductId == p.Id);
        var arrived = await ctx.Batches.SingleAsync(b => b.StoreId == To && b.ProductId == p.Id);
        Assert.Equal(("LOT-T1", packaged, 7.25m, p.Gtin14, source.CaseGtin, 4),
            (arrived.BatchLot, arrived.PackagedOn!.Value, arrived.UnitCost!.Value, arrived.EachGtin, arrived.CaseGtin, arrived.RemainingQuantity));
        var rows = await ctx.StockLedger.Where(m => m.ProductId == p.Id && m.Reference == done.Value.Reference).ToListAsync();
        Assert.Equal(2, rows.Count);
        var (outRow, inRow) = (rows.Single(r => r.StoreId == From), rows.Single(r => r.StoreId == To));
        Assert.Equal((MovementKind.TransferOut, -4, source.Id), (outRow.Kind, outRow.OnHandDelta, outRow.BatchId!.Value));
        Assert.Equal((MovementKind.TransferIn, 4, arrived.Id), (inRow.Kind, inRow.OnHandDelta, inRow.BatchId!.Value));
        Assert.Equal("weekend rush", inRow.Note);
    }

    [Fact]
    public async Task Without_a_named_lot_the_oldest_goes_first_and_a_named_lot_is_taken_as_asked()
    {
        var p = await AddProductAsync(db);
        await ReceiveAsync(db, From, p.Id, 5, "LOT-NEW", new DateTime(2026, 3, 1));
        await ReceiveAsync(db, From, p.Id, 3, "LOT-OLD", new DateTime(2026, 1, 1));
        await ReceiveAsync(db, To, p.Id, 2, "LOT-NEW", new DateTime(2026, 3, 1)); // the destination already holds one of the lots

        var fifo = await Transfer(Manager, From, To, p.Id, 4);
        Assert.Equal([new TransferredLot("LOT-OLD", 3), new TransferredLot("LOT-NEW", 1)], fifo.Value.Lots);

        await using var ctx = db.Context();
        var newLot = await ctx.Batches.SingleAsync(b => b.StoreId == From && b.ProductId == p.Id && b.BatchLot == "LOT-NEW");
        var named = await Transfer(Manager, From, To, p.Id, 2, newLot.Id);
        Assert.Equal([new TransferredLot("LOT-NEW", 2)], named.Value.Lots);

        var atDestination = await ctx.Batches.Where(b => b.StoreId == To && b.ProductId == p.Id)
            .OrderBy(b => b.BatchLot).Select(b => new { b.BatchLot, b.RemainingQuantity }).ToListAsync();
        Assert.Equal(new[] { new { BatchLot = "LOT-NEW", RemainingQuantity = 5 }, new { BatchLot = "LOT-OLD", RemainingQuantity = 3 } }, atDestination);
        Assert.Equal(2, await AssertLedgerAgreesAsync(From, p.Id));
        Assert.Equal(8, await AssertLedgerAgreesAsync(To, p.Id));
    }

    [Fact]
    public async Task A_transfer_of_more_than_is_available_is_refused_with_a_sentence_and_changes_nothing()
    {
        var p = await AddProductAsync(db);
        await ReceiveAsync(db, From, p.Id, 3, "LOT-S");
        await As(db, Manager, sp => sp.GetRequiredService<StockLedger>().ReserveAsync(From, p.Id, 1, "checkout-s"));

        var refused = await Transfer(Manager, From, To, p.Id, 3);

        Assert.Equal(ErrorKind.OutOfStock, refused.Error!.Kind);
        Assert.Equal($"Only 2 units of {p.Name} (SKU {p.Sku}) are available at Queen West, so 3 units cannot be transferred.", refused.Error.Message);
        Assert.Equal(3, await AssertLedgerAgreesAsync(From, p.Id));
        await using var ctx = db.Context();
        Assert.False(await ctx.StockLedger.AnyAsync(m => m.ProductId == p.Id && m.StoreId == To));
        Assert.False(await ctx.Batches.AnyAsync(b => b.ProductId == p.Id && b.StoreId == To));

        var lot = await ctx.Batches.SingleAsync(b => b.ProductId == p.Id && b.StoreId == From);
        var fromLot = await Transfer(Manager, From, To, p.Id, 0, lot.Id);
        Assert.Equal("Enter how many units to transfer (at least one).", fromLot.Error!.Message);
    }

    [Fact]
    public async Task Only_managers_of_both_stores_of_the_same_tenant_may_transfer()
    {
        var p = await AddProductAsync(db);
        await ReceiveAsync(db, From, p.Id, 10, "LOT-A");

        var budtender = await Transfer(Budtender, From, To, p.Id, 1);
        Assert.Equal(ErrorKind.Forbidden, budtender.Error!.Kind);
        var notTheirStore = await Transfer(Manager, From, DemoWorld.SquareOne, p.Id, 1); // the manager runs Queen West and Yorkville
        Assert.Equal(ErrorKind.Forbidden, notTheirStore.Error!.Kind);
        Assert.Contains("Square One", notTheirStore.Error.Message);
        var otherTenant = await Transfer(Manager, From, DemoWorld.Scarborough, p.Id, 1);
        Assert.Equal(ErrorKind.NotFound, otherTenant.Error!.Kind);
        var fromOutside = await Transfer(MapleManager, From, DemoWorld.Scarborough, p.Id, 1);
        Assert.Equal(ErrorKind.NotFound, fromOutside.Error!.Kind);
        var sameStore = await Transfer(Manager, From, From, p.Id, 1);
        Assert.Equal(ErrorKind.Validation, sameStore.Error!.Kind);
        Assert.Equal(10, await AssertLedgerAgreesAsync(From, p.Id));

        var admin = await Transfer(TenantAdmin, From, DemoWorld.SquareOne, p.Id, 1); // a tenant admin reaches every store
        Assert.True(admin.Succeeded, admin.Error?.Message);
    }

    [Fact]
    public async Task Parallel_transfers_both_ways_lose_nothing_and_publish_for_both_stores()
    {
        var p = await AddProductAsync(db);
        await ReceiveAsync(db, From, p.Id, 40, "LOT-P", new DateTime(2026, 2, 1));
        await ReceiveAsync(db, To, p.Id, 40, "LOT-Q", new DateTime(2026, 2, 2));
        var stores = new HashSet<Guid>();
        using var _ = db.Services.GetRequiredService<ILiveEvents>().Subscribe<StockChanged>(DemoWorld.NorthernLights, e =>
        {
            if (e.ProductId == p.Id)
            {
                lock (stores)
                {
                    stores.Add(e.StoreId ?? Guid.Empty);
                }
            }
            return Task.CompletedTask;
        });

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            i % 2 == 0 ? Transfer(Manager, From, To, p.Id, 3) : Transfer(Manager, To, From, p.Id, 1))));

        Assert.All(results, r => Assert.True(r.Succeeded, r.Error?.Message));
        var (from, to) = (await AssertLedgerAgreesAsync(From, p.Id), await AssertLedgerAgreesAsync(To, p.Id));
        Assert.Equal((40 - 30 + 10, 40 + 30 - 10), (from, to));
        Assert.Equal(new[] { From, To }.Order(), stores.Order());
    }
}
