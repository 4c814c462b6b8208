using Microsoft.Playwright;
using WeedGo.E2E.Support;

namespace WeedGo.E2E;

public sealed class CatalogueImportTests(AppHost app, BrowserFixture browser) : E2ETest(app, browser)
{
    [Fact]
    public async Task A_row_with_a_bad_gtin_check_digit_is_shown_with_its_line_and_reason_and_the_valid_rows_still_import()
    {
        var token = OcsFiles.NewToken();
        var products = OcsFiles.NewProducts(token, 3, strain: "Lakeshore Lemon");
        var bad = products[1] with { Gtin = OcsFiles.WithWrongCheckDigit(products[1].Gtin) };
        var file = OcsFiles.Catalogue([products[0], bad, products[2]]); // the bad row is on line 3 (the header is line 1)

        await Login.SignInAsync("manager@northernlights.demo");
        await Admin.GotoAsync("/admin/catalogue");
        await Assertions.Expect(Page.GetByTestId("catalogue-row-name")).ToHaveCountAsync(25); // the demo catalogue, first page
        await Screenshots.SaveAsync(Page, "catalogue-grid");

        var import = new CatalogueImportScreen(Page);
        await import.GotoAsync();
        await import.ChooseAsync($"ocs-{token}.csv", file);
        await Assertions.Expect(import.PreviewNew).ToHaveTextAsync("2 new");
        await Assertions.Expect(import.PreviewInvalid).ToHaveTextAsync("1 invalid");
        await AssertTheBadRowIsListedAsync(import, bad);
        await Assertions.Expect(import.ImportButton).ToContainTextAsync("Import 2 rows");
        await Screenshots.SaveAsync(Page, "catalogue-import-preview");

        await import.ImportAsync();
        await Assertions.Expect(import.Report).ToContainTextAsync("2 new, 0 updated, 0 unchanged, 1 skipped as invalid");
        await AssertTheBadRowIsListedAsync(import, bad);
        await Screenshots.SaveAsync(Page, "catalogue-import-report");

        // The two valid rows are in the catalogue; the bad one is not.
        await Admin.GotoAsync("/admin/catalogue");
        await Page.FieldInput("catalogue-search").FillAsync(token);
        var names = Page.GetByTestId("catalogue-row-name");
        await Assertions.Expect(names).ToHaveTextAsync([products[0].Name, products[2].Name]);
    }

    private static async Task AssertTheBadRowIsListedAsync(CatalogueImportScreen import, TestProduct bad)
    {
        var rows = import.InvalidRows.Locator("tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.Locator("td[data-label='Line']")).ToHaveTextAsync("3");
        await Assertions.Expect(rows.Locator("td[data-label='SKU']")).ToHaveTextAsync(bad.Sku);
        await Assertions.Expect(rows.Locator("td[data-label='Reason']")).ToHaveTextAsync(
            $"GTIN {bad.Gtin} is not valid: it must be 8, 12, 13 or 14 digits with a correct check digit.");
    }
}
