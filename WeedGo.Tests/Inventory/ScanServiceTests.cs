using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Common;
using WeedGo.Core.Inventory;
using WeedGo.Tests.Support;
using static WeedGo.Tests.Inventory.InventoryKit;

namespace WeedGo.Tests.Inventory;

public sealed class ScanServiceTests(DemoDatabaseFixture db) : IClassFixture<DemoDatabaseFixture>, IAsyncLifetime
{
    private static readonly Guid Store = DemoWorld.QueenWest;

    public Task InitializeAsync() => DemoWorld.LoadAsync(db);
    public Task DisposeAsync() => Task.CompletedTask;

    private Task<Result<ScanMatch>> Scan(string text, TestUser? user = null) =>
        As(db, user ?? Budtender, sp => sp.GetRequiredService<ScanService>().ResolveAsync(Store, text));

    [Fact]
    public async Task A_product_resolves_from_its_gtin_13_gtin_14_and_a_upc_12()
    {
        var p = await AddProductAsync(db);
        await ReceiveAsync(db, Store, p.Id, 4, "LOT-1");
        foreach (var scan in new[] { p.Gtin13, p.Gtin14, " " + p.Gtin13 + "\n" })
        {
            var match = (await Scan(scan)).Value;
            Assert.Equal((p.Id, p.Name, 4, "product GTIN"), (match.ProductId, match.ProductName, match.OnHand, match.MatchedBy));
        }
        // A UPC-A (12 digits) is a GTIN-13 with a leading zero.
        var upc = await AddProductAsync(db);
        var upc12 = Core.Catalog.Gtin.WithCheckDigit("06281234" + Random.Shared.Next(100, 999));
        await using (var ctx = db.Context())
        {
            var row = await ctx.Products.FindAsync(upc.Id);
            row!.Gtin = "00" + upc12;
            await ctx.SaveChangesAsync();
        }
        Assert.Equal(upc.Id, (await Scan(upc12)).Value.ProductId);
    }

    [Fact]
    public async Task A_gs1_scan_with_a_lot_resolves_to_that_batch()
    {
        var p = await AddProductAsync(db);
        await ReceiveAsync(db, Store, p.Id, 4, "LOT-OLD", new DateTime(2026, 1, 2, 9, 0, 0));
        await ReceiveAsync(db, Store, p.Id, 6, "LOT-NEW", new DateTime(2026, 3, 2, 9, 0, 0));
        var human = (await Scan($"(01){p.Gtin14}(17)271231(10)LOT-NEW")).Value;
        Assert.Equal((p.Id, "LOT-NEW", 6, "GS1 GTIN and lot"), (human.ProductId, human.BatchLot!, human.BatchRemaining!.Value, human.MatchedBy));
        var raw = (await Scan($"]C101{p.Gtin14}10LOT-OLD\u001d17271231")).Value;
        Assert.Equal("LOT-OLD", raw.BatchLot);
        var unknownLot = (await Scan($"(01){p.Gtin14}(10)NOT-HERE")).Value;
        Assert.Equal((p.Id, (Guid?)null), (unknownLot.ProductId, unknownLot.BatchId));
        Assert.Equal("Lot NOT-HERE has not been received at Queen West.", unknownLot.Notice);
    }

    [Fact]
    public async Task A_case_or_each_gtin_that_only_a_batch_carries_resolves_to_the_batch()
    {
        var p = await AddProductAsync(db);
        var each = "0" + NewGtin13();
        var @case = "1" + NewGtin13()[..12];
        @case = Core.Catalog.Gtin.WithCheckDigit(@case);
        await ReceiveAsync(db, Store, p.Id, 12, "LOT-C", eachGtin: each, caseGtin: @case);
        var byCase = (await Scan(@case)).Value;
        Assert.Equal((p.Id, "LOT-C", "case GTIN"), (byCase.ProductId, byCase.BatchLot!, byCase.MatchedBy));
        var byEach = (await Scan(each)).Value;
        Assert.Equal(("LOT-C", "each GTIN"), (byEach.BatchLot!, byEach.MatchedBy));
    }

    [Fact]
    public async Task A_typed_sku_resolves_to_its_product()
    {
        var p = await AddProductAsync(db);
        Assert.Equal((p.Id, "SKU"), ((await Scan(p.Sku.ToLowerInvariant())).Value.ProductId, (await Scan(p.Sku)).Value.MatchedBy));
    }

    [Fact]
    public async Task A_scan_that_matches_nothing_says_so()
    {
        var unknown = NewGtin13();
        var none = await Scan(unknown);
        Assert.Equal((ErrorKind.NotFound, $"Nothing at Queen West matches the barcode 0{unknown}: no product or received batch has it."),
            (none.Error!.Kind, none.Error.Message));
        var badCheck = await Scan(unknown[..12] + ((unknown[12] - '0' + 1) % 10));
        Assert.Contains("check digit is wrong", badCheck.Error!.Message);
        Assert.Equal("Nothing matches \"hello\": it is not a barcode, and no product has that SKU.", (await Scan("hello")).Error!.Message);
        Assert.Equal("Scan a barcode or type a GTIN or SKU.", (await Scan("  ")).Error!.Message);
    }

    [Fact]
    public async Task Another_tenants_products_never_match()
    {
        var theirs = await AddProductAsync(db, tenant: DemoWorld.MapleLeaf);
        Assert.Equal(ErrorKind.NotFound, (await Scan(theirs.Gtin13)).Error!.Kind);
        var other = await As(db, MapleManager, sp => sp.GetRequiredService<ScanService>().ResolveAsync(Store, theirs.Gtin13));
        Assert.Equal("That store was not found.", other.Error!.Message);
    }
}
