using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Common;
using WeedGo.Core.Inventory;
using WeedGo.Tests.Support;
using static WeedGo.Tests.Inventory.InventoryKit;

namespace WeedGo.Tests.Inventory;

public sealed class ReceivingServiceTests(DemoDatabaseFixture db) : IClassFixture<DemoDatabaseFixture>, IAsyncLifetime
{
    private static readonly Guid Store = DemoWorld.QueenWest;
    private const string Header = "ShipmentID,ContainerID,SKU,ItemName,Vendor,Brand,CaseGTIN,PackagedOnDate,BatchLot,GTINBarCode,EachGTIN,Shipped_Qty,UOM,UOMCONVERSION,UOMCONVERSIONQTY,UnitPrice";

    public Task InitializeAsync() => DemoWorld.LoadAsync(db);
    public Task DisposeAsync() => Task.CompletedTask;

    private static string NewShipment() => "SHP" + Random.Shared.Next(10_000_000, 99_999_999);

    private static string Line(string shipment, TestProduct p, string lot, int qty, string uom = "CS", int? perCase = 6, string date = "03/14/2026 09:30:00 AM",
        string price = "4.25", string? eachGtin = null) =>
        $"{shipment},C1,{p.Sku},\"{p.Name}, 3.5 g\",OCS Vendor,Test Farms,{Gtin.Case(p)},{date},{lot},{eachGtin ?? p.Gtin13},{eachGtin ?? p.Gtin13},{qty},{uom},{uom}-{perCase},{perCase},{price}";

    private static class Gtin
    {
        public static string Case(TestProduct p) => Core.Catalog.Gtin.WithCheckDigit("1" + p.Gtin13[..12]);
    }

    private Task<Result<AsnImported>> Import(TestUser user, string csv, string file = "asn.csv") =>
        As(db, user, sp => sp.GetRequiredService<ReceivingService>().ImportAsnAsync(Store, new MemoryStream(Encoding.UTF8.GetBytes(csv)), file));

    private Task<Result<ShipmentReceived>> Confirm(TestUser user, Guid shipment, params ReceivedLine[] lines) =>
        As(db, user, sp => sp.GetRequiredService<ReceivingService>().ConfirmAsync(shipment, lines));

    private Task<Result<ShipmentDetail>> Detail(Guid shipment) => As(db, Budtender, sp => sp.GetRequiredService<ShipmentQueries>().DetailAsync(shipment));

    [Fact]
    public async Task A_budtender_imports_and_confirms_a_shipment_with_a_shortage_and_one_batch_per_sku_and_lot()
    {
        var a = await AddProductAsync(db);
        var b = await AddProductAsync(db);
        var number = NewShipment();
        var csv = string.Join("\r\n", Header,
            Line(number, a, "LOT-A1", 2),                        // 2 cases of 6 = 12 eaches
            Line(number, a, "LOT-A1", 1, date: "03/15/2026 01:05:00 PM"), // same lot in another container: same batch
            Line(number, b, "LOT-B1", 5, uom: "EA", perCase: 1, price: "$7.50"));
        var imported = await Import(Budtender, csv);
        Assert.True(imported.Succeeded, imported.Error?.Message);
        Assert.Equal((number, 3, 23), (imported.Value.ShipmentNumber, imported.Value.Lines, imported.Value.ShippedEaches));

        var detail = (await Detail(imported.Value.ShipmentId)).Value;
        Assert.Equal(ShipmentStatus.Imported, detail.Status);
        Assert.Equal([(2, 12), (3, 6), (4, 5)], detail.Lines.Select(l => (l.LineNumber, l.ShippedEaches)));
        Assert.Equal(a.Name, detail.Lines[0].ProductName);

        // Line 3 arrived one short; line 4 is not listed, so it was received in full.
        var received = await Confirm(Budtender, detail.Id, new ReceivedLine(detail.Lines[0].Id, 12), new ReceivedLine(detail.Lines[1].Id, 5, "one crushed box"));
        Assert.True(received.Succeeded, received.Error?.Message);
        Assert.Equal((22, 1, 2), (received.Value.ReceivedEaches, received.Value.LinesWithDiscrepancy, received.Value.Batches));

        var after = (await Detail(detail.Id)).Value;
        Assert.Equal(ShipmentStatus.Received, after.Status);
        Assert.Equal([(12, 0, null), (5, -1, "one crushed box"), (5, 0, null)], after.Lines.Select(l => (l.ReceivedEaches!.Value, l.Discrepancy!.Value, l.Note)));
        Assert.NotNull(after.ReceivedBy);

        await using var ctx = db.Context();
        var batchA = await ctx.Batches.SingleAsync(x => x.ProductId == a.Id);
        Assert.Equal(("LOT-A1", 17, 17, 4.25m, new DateTime(2026, 3, 14, 9, 30, 0), "0" + a.Gtin13, Gtin.Case(a), (Guid?)detail.Id),
            (batchA.BatchLot, batchA.ReceivedQuantity, batchA.RemainingQuantity, batchA.UnitCost!.Value, batchA.PackagedOn!.Value, batchA.EachGtin, batchA.CaseGtin, batchA.ShipmentId));
        var batchB = await ctx.Batches.SingleAsync(x => x.ProductId == b.Id);
        Assert.Equal((5, 7.50m), (batchB.RemainingQuantity, batchB.UnitCost!.Value));
        var receipts = await ctx.StockLedger.Where(m => m.Kind == MovementKind.Receipt && m.Reference == $"shipment {number}").ToListAsync();
        Assert.Equal(2, receipts.Count);
        Assert.Equal(17, receipts.Single(m => m.ProductId == a.Id).OnHandDelta);
        Assert.Equal(17, await ctx.Inventory.Where(i => i.ProductId == a.Id && i.StoreId == Store).Select(i => i.OnHand).SingleAsync());

        var list = (await As(db, Budtender, sp => sp.GetRequiredService<ShipmentQueries>().ListAsync(Store))).Value;
        Assert.Contains(list, s => s.ShipmentNumber == number && s.ShippedEaches == 23 && s.ReceivedEaches == 22 && s.Status == ShipmentStatus.Received);
    }

    [Fact]
    public async Task Confirming_twice_is_refused()
    {
        var a = await AddProductAsync(db);
        var number = NewShipment();
        var imported = (await Import(Budtender, Header + "\n" + Line(number, a, "L", 1))).Value;
        Assert.True((await Confirm(Budtender, imported.ShipmentId)).Succeeded);
        var again = await Confirm(Manager, imported.ShipmentId);
        Assert.Equal(ErrorKind.Conflict, again.Error!.Kind);
        Assert.StartsWith($"Shipment {number} was already received on 2026-", again.Error.Message);
        await using var ctx = db.Context();
        Assert.Equal(6, await ctx.Inventory.Where(i => i.ProductId == a.Id).Select(i => i.OnHand).SingleAsync());
    }

    [Fact]
    public async Task Parallel_confirmations_receive_the_shipment_once()
    {
        var a = await AddProductAsync(db);
        var imported = (await Import(Budtender, Header + "\n" + Line(NewShipment(), a, "L", 1))).Value;
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Confirm(Budtender, imported.ShipmentId))));
        Assert.Equal(1, results.Count(r => r.Succeeded));
        await using var ctx = db.Context();
        Assert.Equal(6, await ctx.Inventory.Where(i => i.ProductId == a.Id).Select(i => i.OnHand).SingleAsync());
    }

    [Fact]
    public async Task A_shipment_already_imported_by_the_tenant_is_refused()
    {
        var a = await AddProductAsync(db);
        var number = NewShipment();
        var csv = Header + "\n" + Line(number, a, "L", 1);
        Assert.True((await Import(Budtender, csv)).Succeeded);
        var again = await Import(Manager, csv, "again.csv");
        Assert.Equal(ErrorKind.Conflict, again.Error!.Kind);
        Assert.Equal($"Shipment {number} was already imported on 2026-11-25 for Queen West; it cannot be imported twice.", again.Error.Message);
    }

    [Fact]
    public async Task Bad_lines_are_reported_with_their_line_numbers_and_nothing_is_saved()
    {
        var a = await AddProductAsync(db);
        var number = NewShipment();
        var unknown = a with { Sku = "NOPE-123" };
        var csv = string.Join("\n", Header,
            Line(number, a, "L", 1),
            Line(number, unknown, "L", 1),
            Line(number, a, "L", 1, date: "2026-03-14"),
            Line(number, a, "L", 0),
            Line(number, a, "L", 1, eachGtin: "0628123456789"),
            Line(number, a, "", 1));
        var result = await Import(Budtender, csv, "bad.csv");
        Assert.Equal(ErrorKind.Validation, result.Error!.Kind);
        var lines = result.Error.Message.Split('\n');
        Assert.Equal("bad.csv was not imported (5 problems; nothing was saved):", lines[0]);
        Assert.Equal("Line 3: SKU NOPE-123 is not in the catalogue; import the OCS catalogue first.", lines[1]);
        Assert.Equal("Line 4: PackagedOnDate \"2026-03-14\" is not a date like 03/14/2026 09:30:00 AM.", lines[2]);
        Assert.Equal("Line 5: Shipped_Qty \"0\" is not a whole number of at least 1.", lines[3]);
        Assert.StartsWith("Line 6: GTINBarCode \"0628123456789\" is not a valid GTIN", lines[4]);
        Assert.Equal("Line 7: BatchLot is empty.", lines[5]);
        await using var ctx = db.Context();
        Assert.False(await ctx.Shipments.AnyAsync(s => s.ShipmentNumber == number));
    }

    [Fact]
    public async Task A_file_with_two_shipments_or_missing_columns_is_refused()
    {
        var a = await AddProductAsync(db);
        var two = await Import(Budtender, string.Join("\n", Header, Line(NewShipment(), a, "L", 1), Line("OTHER1", a, "L", 1)));
        Assert.Contains("Line 3: ShipmentID OTHER1 differs from", two.Error!.Message);
        var columns = await Import(Budtender, "ShipmentID,SKU\nX,Y");
        Assert.Contains("The file has no BatchLot, Shipped_Qty columns", columns.Error!.Message);
    }

    [Fact]
    public async Task Receiving_at_a_store_you_do_not_work_at_is_refused()
    {
        var a = await AddProductAsync(db);
        var csv = Header + "\n" + Line(NewShipment(), a, "L", 1);
        var result = await As(db, Budtender, sp => sp.GetRequiredService<ReceivingService>()
            .ImportAsnAsync(DemoWorld.Yorkville, new MemoryStream(Encoding.UTF8.GetBytes(csv)), "asn.csv"));
        Assert.Equal(ErrorKind.Forbidden, result.Error!.Kind);
        var imported = (await Import(Manager, csv)).Value;
        var otherStore = TestUser.Staff(Guid.NewGuid(), DemoWorld.NorthernLights, Core.Accounts.Roles.Budtender, DemoWorld.Yorkville);
        Assert.Equal(ErrorKind.Forbidden, (await Confirm(otherStore, imported.ShipmentId)).Error!.Kind);
        Assert.Equal(ErrorKind.NotFound, (await Confirm(MapleManager, imported.ShipmentId)).Error!.Kind);
    }

    [Theory]
    [InlineData(3, "CS", 24, 72)]
    [InlineData(3, "case", 24, 72)]
    [InlineData(3, "EA", 24, 3)]
    [InlineData(3, "", 24, 3)]
    [InlineData(3, "CS", null, 3)]
    public void Shipped_eaches_multiply_cases_by_their_conversion(int qty, string uom, int? perCase, int eaches) =>
        Assert.Equal(eaches, AsnFile.ShippedEaches(qty, uom, perCase));

    [Fact]
    public void Quoted_fields_may_hold_commas_quotes_and_line_breaks_and_line_numbers_follow_the_file()
    {
        var text = Header + "\n" +
            "S1,C1,SKU1,\"Name, with \"\"comma\"\"\nand break\",V,B,,03/14/2026 09:30:00 AM,L1,,,2,EA,,,1.00\n" +
            "S1,C1,SKU2,Plain,V,B,,3/4/2026 9:05:00 PM,L2,,,1,EA,,,\n";
        var parsed = AsnFile.Parse(text);
        Assert.True(parsed.Ok, string.Join("\n", parsed.Errors));
        Assert.Equal("Name, with \"comma\"\nand break", parsed.Lines[0].ItemName);
        Assert.Equal([2, 4], parsed.Lines.Select(l => l.LineNumber));
        Assert.Equal(new DateTime(2026, 3, 4, 21, 5, 0), parsed.Lines[1].PackagedOn);
    }
}
