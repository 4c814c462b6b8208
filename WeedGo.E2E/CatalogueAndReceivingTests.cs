using System.Text.RegularExpressions;
using Microsoft.Playwright;
using WeedGo.E2E.Support;

namespace WeedGo.E2E;

public sealed class CatalogueAndReceivingTests(AppHost app, BrowserFixture browser) : E2ETest(app, browser)
{
    private const string QueenWestShop = "/s/northern-lights-queen-west";

    [Fact]
    public async Task A_manager_imports_a_catalogue_receives_a_shipment_and_the_storefront_count_rises_live()
    {
        // B: an anonymous shopper keeps the Queen West storefront open the whole time.
        var shopper = await NewPageAsync(Viewport);
        await shopper.GotoAsync(QueenWestShop);
        await shopper.WaitForInteractiveAsync();
        var chip = shopper.GetByTestId("in-stock-count");
        var before = await InStockAsync(chip);
        await shopper.EvaluateAsync("() => { window.__noReload = true; }");

        // A: the manager imports three new products.
        var token = OcsFiles.NewToken();
        var products = OcsFiles.NewProducts(token, 3);
        await Login.SignInAsync("manager@northernlights.demo");
        var import = new CatalogueImportScreen(Page);
        await import.GotoAsync();
        await import.ChooseAsync($"ocs-{token}.csv", OcsFiles.Catalogue(products));
        await Assertions.Expect(import.PreviewNew).ToHaveTextAsync("3 new");
        await Assertions.Expect(import.PreviewInvalid).ToHaveTextAsync("0 invalid");
        await Assertions.Expect(import.PreviewTable.Locator("tbody tr")).ToHaveCountAsync(3);
        await import.ImportAsync();
        await Assertions.Expect(import.Report).ToContainTextAsync("3 new, 0 updated, 0 unchanged, 0 skipped as invalid");

        // ... receives a shipment of them at Queen West, one line a unit short ...
        var shipment = $"ASN-E2E-{token}";
        var asn = OcsFiles.Asn(shipment, products.Select((p, i) => (p, 12 + 6 * i)));
        var receiving = new ReceivingScreen(Page);
        await receiving.GotoAsync(ReceivingScreen.QueenWest);
        await receiving.UploadAsync($"{shipment}.csv", asn);
        await Assertions.Expect(receiving.Message).ToContainTextAsync($"Shipment {shipment} imported: 3 lines, 54 eaches shipped");
        await Assertions.Expect(receiving.Lines).ToHaveCountAsync(3);
        await receiving.ReceivedInput(1).FillAsync("17");
        await Assertions.Expect(receiving.Lines.Nth(1)).ToContainTextAsync("-1");
        await Assertions.Expect(receiving.ConfirmButton).ToContainTextAsync("Confirm receipt (53 eaches)");
        await Screenshots.SaveAsync(Page, "receiving-review");
        Assert.Equal(before, await InStockAsync(chip)); // nothing is on the shelf until the receipt is confirmed
        await receiving.ConfirmAsync();
        await Assertions.Expect(receiving.Message).ToContainTextAsync($"Shipment {shipment} received: 53 eaches into 3 batches; 1 line(s) differ");
        await Assertions.Expect(receiving.Review).ToContainTextAsync("Received");
        await Assertions.Expect(receiving.Lines.Nth(1)).ToContainTextAsync("-1"); // the discrepancy stays on the received shipment

        // ... and the shopper's count rises by three without a reload.
        await Assertions.Expect(chip).ToHaveTextAsync(new Regex($@"^\s*{before + 3} products in stock\s*$"));
        Assert.True(await shopper.EvaluateAsync<bool>("() => window.__noReload === true"), "the storefront reloaded");
        Assert.Equal(QueenWestShop, shopper.PathAndQuery());
        await Screenshots.SaveAsync(shopper, "storefront-in-stock-count");

        // The same notice again is refused with a clear sentence, and nothing changes.
        await receiving.UploadAsync($"{shipment}-again.csv", asn);
        await Assertions.Expect(receiving.Error).ToContainTextAsync($"Shipment {shipment} was already imported on");
        await Assertions.Expect(receiving.Error).ToContainTextAsync("for Queen West; it cannot be imported twice.");
        Assert.Equal(before + 3, await InStockAsync(chip));
    }

    private static async Task<int> InStockAsync(ILocator chip)
    {
        var text = await chip.InnerTextAsync();
        var match = Regex.Match(text, @"(\d+) products? in stock");
        Assert.True(match.Success, $"the in-stock chip says \"{text}\"");
        return int.Parse(match.Groups[1].Value);
    }
}
