using Bunit;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using WeedGo.Core;
using WeedGo.Core.Common;
using WeedGo.Core.Inventory;
using WeedGo.Core.Live;
using WeedGo.Tests.Inventory;
using WeedGo.Tests.Support;
using WeedGo.Web.Components.Admin.Inventory;
using static WeedGo.Tests.Inventory.InventoryKit;

namespace WeedGo.Tests.Components;

/// <summary>The scan field and the inventory grid over real services and a real database (no DbContext mocks).</summary>
public sealed class InventoryComponentTests : BunitTestBase, IClassFixture<DemoDatabaseFixture>, IAsyncLifetime
{
    private static readonly Guid Store = DemoWorld.QueenWest;
    private readonly DatabaseFixture _db;
    private readonly TestUser _user = new();

    public InventoryComponentTests(DemoDatabaseFixture db)
    {
        _db = db;
        var services = Context.Services;
        services.AddLogging();
        services.AddSingleton<TimeProvider>(db.Clock);
        services.AddWeedGoCore(db.AppConnectionString);
        var user = _user;
        user.CopyFrom(Budtender);
        services.AddSingleton(user);
        services.AddSingleton<ITenantContext>(user);
        services.AddSingleton<ICurrentUser>(user);
        // The fixture's live events: a movement made through the fixture reaches the rendered page.
        services.AddSingleton(db.Services.GetRequiredService<ILiveEvents>());
    }

    public new Task InitializeAsync() => DemoWorld.LoadAsync(_db);

    private static void Scan(IRenderedComponent<ScanField> cut, string text)
    {
        var input = cut.Find("input");
        input.Input(text);
        input.KeyDown(new KeyboardEventArgs { Key = "Enter" });
    }

    [Fact]
    public async Task The_scan_field_resolves_what_a_wedge_scanner_types_when_it_presses_enter()
    {
        var p = await AddProductAsync(_db, name: "Scanned Sativa 3.5 g");
        await ReceiveAsync(_db, Store, p.Id, 7, "LOT-SCAN", new DateTime(2026, 2, 1, 10, 0, 0));
        ScanMatch? resolved = null;
        var cut = Context.Render<ScanField>(ps => ps.Add(x => x.StoreId, Store).Add(x => x.OnResolved, (ScanMatch m) => resolved = m));

        Scan(cut, $"(01){p.Gtin14}(10)LOT-SCAN");
        cut.WaitForAssertion(() => Assert.Contains("Scanned Sativa 3.5 g", cut.Find("[data-testid=scan-result]").TextContent));
        Assert.Equal("LOT-SCAN", cut.Find("[data-testid=scan-lot]").TextContent);
        Assert.Equal((p.Id, 7), (resolved!.ProductId, resolved.Available));
        Assert.Equal("", cut.Find("input").GetAttribute("value") ?? ""); // cleared for the next scan
    }

    [Fact]
    public void The_scan_field_says_when_nothing_matches_and_ignores_keys_other_than_enter()
    {
        var unknown = NewGtin13();
        var calls = 0;
        var cut = Context.Render<ScanField>(ps => ps.Add(x => x.StoreId, Store).Add(x => x.OnResolved, (ScanMatch _) => calls++));
        var input = cut.Find("input");
        input.Input(unknown);
        input.KeyDown(new KeyboardEventArgs { Key = "a" });
        Assert.Empty(cut.FindAll("[data-testid=scan-error]"));
        input.KeyDown(new KeyboardEventArgs { Key = "Enter" });
        cut.WaitForAssertion(() => Assert.Equal($"Nothing at Queen West matches the barcode 0{unknown}: no product or received batch has it.",
            cut.Find("[data-testid=scan-error]").TextContent));
        Assert.Equal(0, calls);
    }

    [Fact]
    public async Task The_inventory_grid_pages_from_the_server_filters_low_stock_and_updates_live()
    {
        var plenty = await AddProductAsync(_db, name: "000 Grid Plenty"); // sorts before the demo store's products
        var scarce = await AddProductAsync(_db, name: "000 Grid Scarce");
        await ReceiveAsync(_db, Store, plenty.Id, 40, "L1");
        await ReceiveAsync(_db, Store, scarce.Id, 2, "L1");
        await As(_db, Manager, sp => sp.GetRequiredService<InventoryService>().SetReorderPointAsync(Store, scarce.Id, 5));

        Context.Render<MudPopoverProvider>();
        var cut = Context.Render<InventoryPage>();
        cut.WaitForAssertion(() => Assert.Contains("Grid Scarce", cut.Find("[data-testid=inventory-table]").TextContent), TimeSpan.FromSeconds(10));
        IReadOnlyList<string> Names() => cut.FindAll("[data-testid=product-link]").Select(a => a.TextContent).ToList();
        Assert.Contains("000 Grid Plenty", Names());
        var link = cut.FindAll("[data-testid=product-link]").Single(a => a.TextContent == "000 Grid Scarce");
        Assert.Equal($"/admin/inventory/{Store}/{scarce.Id}", link.GetAttribute("href"));

        cut.FindComponents<MudSwitch<bool>>().Single(s => s.Instance.Label == "Low stock").Find("input").Change(true);
        cut.WaitForAssertion(() => Assert.DoesNotContain("000 Grid Plenty", Names()), TimeSpan.FromSeconds(10));
        Assert.Contains("000 Grid Scarce", Names());

        // A sale elsewhere (another person's session) shows up without a refresh.
        await As(_db, Manager, sp => sp.GetRequiredService<StockLedger>().SellAsync(Store, scarce.Id, 2, "order-live"));
        cut.WaitForAssertion(() =>
        {
            var row = cut.FindAll("tr").Single(tr => tr.TextContent.Contains("Grid Scarce"));
            Assert.Equal("0", row.QuerySelector("[data-testid=on-hand]")!.TextContent.Trim());
        });
    }

    [Fact]
    public async Task The_product_page_shows_figures_batches_and_the_ledger()
    {
        var p = await AddProductAsync(_db, name: "Detail Indica");
        await ReceiveAsync(_db, Store, p.Id, 9, "LOT-D", new DateTime(2026, 2, 3, 9, 0, 0));
        Context.Render<MudPopoverProvider>();
        var cut = Context.Render<ProductStockPage>(ps => ps.Add(x => x.StoreId, Store).Add(x => x.ProductId, p.Id));
        cut.WaitForAssertion(() => Assert.Equal("9", cut.Find("[data-testid=figure-on-hand]").TextContent));
        Assert.Contains("LOT-D", cut.Find("[data-testid=batches-table]").TextContent);
        cut.WaitForAssertion(() => Assert.Contains("test receipt", cut.Find("[data-testid=history-table]").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=adjust-open]")); // a budtender gets no write-off or price controls
    }

    [Fact]
    public async Task A_manager_transfers_stock_to_another_store_from_the_product_page()
    {
        _user.CopyFrom(Manager); // runs Queen West and Yorkville
        var p = await AddProductAsync(_db, name: "Transfer Hybrid");
        await ReceiveAsync(_db, Store, p.Id, 6, "LOT-TR", new DateTime(2026, 2, 4, 9, 0, 0));
        Context.Render<MudPopoverProvider>();
        var dialogs = Context.Render<MudDialogProvider>();
        var cut = Context.Render<ProductStockPage>(ps => ps.Add(x => x.StoreId, Store).Add(x => x.ProductId, p.Id));
        cut.WaitForAssertion(() => Assert.Equal("6", cut.Find("[data-testid=figure-on-hand]").TextContent));

        await cut.InvokeAsync(() => cut.Find("[data-testid=transfer-open]").Click());
        dialogs.WaitForAssertion(() => Assert.Contains("Transfer Transfer Hybrid from Queen West", dialogs.Markup));
        Assert.Contains("Yorkville", dialogs.Markup); // the manager's other store is chosen
        await dialogs.InvokeAsync(() => dialogs.Find("[data-testid=transfer-quantity]").Change("9"));
        await dialogs.InvokeAsync(() => dialogs.Find("[data-testid=transfer-save]").Click());
        dialogs.WaitForAssertion(() => Assert.Equal(
            $"Only 6 units of Transfer Hybrid (SKU {p.Sku}) are available at Queen West, so 9 units cannot be transferred.",
            dialogs.Find("[data-testid=transfer-error]").TextContent));

        await dialogs.InvokeAsync(() => dialogs.Find("[data-testid=transfer-quantity]").Change("4"));
        await dialogs.InvokeAsync(() => dialogs.Find("[data-testid=transfer-note]").Change("for the weekend"));
        await dialogs.InvokeAsync(() => dialogs.Find("[data-testid=transfer-save]").Click());
        cut.WaitForAssertion(() => Assert.Equal(
            "Transferred to Yorkville: 4 of lot LOT-TR. On hand here is now 2, available 2.", cut.Find("[data-testid=stock-message]").TextContent));
        cut.WaitForAssertion(() => Assert.Equal("2", cut.Find("[data-testid=figure-on-hand]").TextContent));
        var atYorkville = await As(_db, Manager, sp => sp.GetRequiredService<InventoryQueries>().ProductStockAsync(DemoWorld.Yorkville, p.Id));
        Assert.Equal((4, "LOT-TR"), (atYorkville.Value.OnHand, atYorkville.Value.Batches.Single().BatchLot));
    }

    [Fact]
    public async Task A_budtender_gets_no_transfer_button()
    {
        var p = await AddProductAsync(_db, name: "No Transfer Sativa");
        await ReceiveAsync(_db, Store, p.Id, 3, "LOT-NT");
        var cut = Context.Render<ProductStockPage>(ps => ps.Add(x => x.StoreId, Store).Add(x => x.ProductId, p.Id));
        cut.WaitForAssertion(() => Assert.Equal("3", cut.Find("[data-testid=figure-on-hand]").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=transfer-open]"));
    }

    [Fact]
    public async Task The_receiving_page_lists_the_stores_shipments()
    {
        var p = await AddProductAsync(_db);
        var csv = "ShipmentID,SKU,BatchLot,Shipped_Qty,UOM,UOMCONVERSIONQTY\nSHP-PAGE-1," + p.Sku + ",L9,2,CS,12";
        await As(_db, Budtender, sp => sp.GetRequiredService<ReceivingService>()
            .ImportAsnAsync(Store, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)), "page.csv"));
        Context.Render<MudPopoverProvider>();
        var cut = Context.Render<ReceivingPage>();
        cut.WaitForAssertion(() => Assert.Contains("SHP-PAGE-1", cut.Find("[data-testid=shipments-table]").TextContent));
        await cut.InvokeAsync(() => cut.FindAll("[data-testid=shipments-table] tbody tr").First(tr => tr.TextContent.Contains("SHP-PAGE-1")).Click());
        cut.WaitForAssertion(() => Assert.Equal("24", cut.Find("[data-testid=line-shipped]").TextContent.Trim()));
        await cut.InvokeAsync(() => cut.Find("[data-testid=shipment-confirm]").Click());
        cut.WaitForAssertion(() => Assert.Contains("Shipment SHP-PAGE-1 received: 24 eaches into 1 batch.", cut.Find("[data-testid=receiving-message]").TextContent));
    }
}
