using System.Text;
using ClosedXML.Excel;
using WeedGo.Core.Catalog;
using WeedGo.Core.Data.DemoData;

namespace WeedGo.Tests.Catalog;

public sealed class OcsCatalogReaderTests
{
    internal static MemoryStream Csv(params string[] lines) => new(Encoding.UTF8.GetBytes(string.Join("\r\n", lines) + "\r\n"));

    private static IReadOnlyList<OcsCatalogRow> Read(params string[] lines)
    {
        var result = OcsCatalogReader.ReadAll(Csv(lines), "catalogue.csv");
        Assert.True(result.Succeeded, result.Error?.Message);
        return result.Value;
    }

    [Fact]
    public void Columns_are_found_by_name_whatever_their_case_spacing_or_order_and_unknown_ones_are_ignored()
    {
        var rows = Read(
            " product name ,CATEGORY,Sub-Category,ocs variant number,Brand,Size,Minimum THC Content (%),Maximum THC Content (%),Unit Price,Ontario Grown,Something New,physical dimension width",
            "Blue Dream,Flower,Dried Flower,abc-123,Northern Bloom,3.5 g,18%,24 %,\"$1,024.50\",Yes,whatever,12.5");
        var p = Assert.Single(rows).Product!;
        Assert.Equal("Blue Dream", p.ProductName);
        Assert.Equal("abc-123", p.Sku);
        Assert.Equal("ABC-123", p.SkuKey);
        Assert.Equal(18m, p.ThcMin);
        Assert.Equal(24m, p.ThcMax);
        Assert.Equal(1024.50m, p.UnitPrice);
        Assert.True(p.OntarioGrown);
        Assert.Equal(12.5m, p.PhysicalWidth);
        Assert.Equal(64, p.ContentHash.Length);
    }

    [Fact]
    public void A_file_without_a_required_column_fails_as_a_whole_with_a_sentence()
    {
        var result = OcsCatalogReader.ReadAll(Csv("Product Name,Brand", "Blue Dream,Northern Bloom"), "items.csv");
        Assert.False(result.Succeeded);
        Assert.Contains("\"OCS Variant Number\"", result.Error!.Message);
        Assert.Contains("\"Category\"", result.Error.Message);
    }

    [Fact]
    public void An_unknown_file_type_is_refused()
    {
        var result = OcsCatalogReader.ReadAll(Csv("x"), "catalogue.pdf");
        Assert.Contains("not a CSV or XLSX", result.Error!.Message);
    }

    [Fact]
    public void Row_errors_carry_their_line_number_and_reason_and_do_not_stop_the_file()
    {
        var rows = Read(
            "OCS Variant Number,Product Name,Category,GTIN,Net Weight,Rechargeable Battery",
            "SKU-1,Good,Flower,00628123456780,3.5,",
            ",No Sku,Flower,,3.5,",
            "SKU-3,Bad Gtin,Flower,00628123456781,3.5,",
            "SKU-4,Bad Number,Flower,,three,",
            "SKU-5,,Flower,,3.5,",
            "SKU-6,Bad Bool,Accessories,,,maybe",
            "sku-1,Duplicate,Flower,,3.5,");
        Assert.True(rows[0].IsValid, rows[0].Reason);
        Assert.Equal(2, rows[0].Line);
        Assert.Equal((3, "The row has no OCS Variant Number (SKU)."), (rows[1].Line, rows[1].Reason));
        Assert.Equal(4, rows[2].Line);
        Assert.Contains("GTIN 00628123456781 is not valid", rows[2].Reason);
        Assert.Contains("Net Weight \"three\" is not a number.", rows[3].Reason);
        Assert.Equal(6, rows[4].Line);
        Assert.Contains("no Product Name", rows[4].Reason);
        Assert.Contains("Rechargeable Battery \"maybe\" is not Yes or No.", rows[5].Reason);
        Assert.Contains("already appears on line 2", rows[6].Reason);
        Assert.Equal(1, rows.Count(r => r.IsValid));
    }

    [Theory]
    [InlineData("Flower", "Dried Flower", "3.5 g", "", "3.5")]
    [InlineData("Pre-Rolls", "Pre-Rolled", "3 x 0.5 g", "", "1.5")]
    [InlineData("Pre-Rolls", "Pre-Rolled", "7g", "", "7")]
    [InlineData("Vapes", "510 Vape Cartridges", "0.5 g", "", "2")]
    [InlineData("Beverages", "Sparkling Water", "355 mL", "", "0.6228")]
    [InlineData("Edibles", "Gummies", "10 x 10 mg", "", "0.0067")]
    [InlineData("Edibles", "Chocolate", "1 bar", "10", "0.6667")]
    [InlineData("Extracts", "Oils", "30 mL", "", "0.4286")]
    [InlineData("Seeds", "Feminized Seeds", "5 seeds", "0.1", "5")]
    public void A_missing_equivalency_is_derived_from_schedule_3(string category, string sub, string size, string netWeight, string expected)
    {
        var p = Read("OCS Variant Number,Product Name,Category,Sub-Category,Size,Net Weight,Dried Flower Cannabis Equivalency",
            $"S1,Thing,{category},{sub},{size},{netWeight},").Single().Product!;
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), p.DriedFlowerEquivalency);
        Assert.True(p.EquivalencyDerived);
        Assert.True(p.IsCannabis);
    }

    [Fact]
    public void The_files_equivalency_wins_and_accessories_count_zero_and_are_not_cannabis()
    {
        var rows = Read("OCS Variant Number,Product Name,Category,Sub-Category,Size,Dried Flower Cannabis Equivalency",
            "S1,Blue Dream,Flower,Dried Flower,3.5 g,3.4",
            "S2,Grinder,Accessories,Grinders,1 unit,");
        Assert.Equal((3.4m, false), (rows[0].Product!.DriedFlowerEquivalency, rows[0].Product!.EquivalencyDerived));
        Assert.Equal((0m, false), (rows[1].Product!.DriedFlowerEquivalency, rows[1].Product!.IsCannabis));
    }

    [Fact]
    public void A_cannabis_row_whose_equivalency_cannot_be_derived_is_reported()
    {
        var row = Read("OCS Variant Number,Product Name,Category", "S1,Mystery,Flower").Single();
        Assert.Contains("cannot be derived", row.Reason);
    }

    [Fact]
    public void Gtins_in_12_13_and_14_digit_forms_normalise_to_14_digits()
    {
        var rows = Read("OCS Variant Number,Product Name,Category,Net Weight,GTIN",
            "A,One,Flower,1,628123456780", "B,Two,Flower,1,0628123456780", "C,Three,Flower,1,00628123456780");
        Assert.All(rows, r => Assert.Equal("00628123456780", r.Product!.Gtin));
    }

    [Fact]
    public void The_same_values_hash_the_same_and_a_changed_value_changes_the_hash()
    {
        var a = Read("OCS Variant Number,Product Name,Category,Net Weight", "A,One,Flower,1").Single().Product!;
        var b = Read("Category,OCS Variant Number,Product Name,Net Weight,Extra", "Flower,A,One,1.0,x").Single().Product!;
        var c = Read("OCS Variant Number,Product Name,Category,Net Weight", "A,One!,Flower,1").Single().Product!;
        Assert.Equal(a.ContentHash, b.ContentHash);
        Assert.NotEqual(a.ContentHash, c.ContentHash);
    }

    [Fact]
    public void An_xlsx_workbook_reads_like_the_csv_with_sheet_row_numbers()
    {
        using var workbook = new XLWorkbook();
        var sheet = workbook.AddWorksheet("Catalogue");
        string[] header = ["OCS Variant Number", "Product Name", "Category", "GTIN", "Size", "Maximum THC Content (%)", "Craft"];
        for (var c = 0; c < header.Length; c++)
        {
            sheet.Cell(1, c + 1).Value = header[c];
        }
        sheet.Cell(2, 1).Value = "X-1";
        sheet.Cell(2, 2).Value = "Pink Kush";
        sheet.Cell(2, 3).Value = "Flower";
        sheet.Cell(2, 4).Value = 628123456780d; // numeric cell, as Excel keeps barcodes
        sheet.Cell(2, 5).Value = "7 g";
        sheet.Cell(2, 6).Value = 22.5d;
        sheet.Cell(2, 7).Value = "Y";
        sheet.Cell(3, 2).Value = "No SKU";
        sheet.Cell(3, 3).Value = "Flower";
        using var stream = new MemoryStream();
        workbook.SaveAs(stream);
        stream.Position = 0;

        var rows = OcsCatalogReader.ReadAll(stream, "Catalogue.XLSX").Value;
        var p = rows[0].Product!;
        Assert.Equal(("X-1", "00628123456780", 22.5m, true, 7m), (p.Sku, p.Gtin, p.ThcMax, p.Craft, p.DriedFlowerEquivalency));
        Assert.Equal((3, false), (rows[1].Line, rows[1].IsValid));
    }

    [Fact]
    public void The_demo_catalogue_is_deterministic_and_every_row_is_valid_with_unique_skus_and_gtins()
    {
        var csv = DemoCatalogGenerator.DemoCsv();
        Assert.Equal(csv, DemoCatalogGenerator.DemoCsv());
        var rows = OcsCatalogReader.ReadAll(new MemoryStream(csv), "demo.csv").Value;
        Assert.Equal(DemoCatalogGenerator.DemoRows, rows.Count);
        Assert.All(rows, r => Assert.True(r.IsValid, $"line {r.Line}: {r.Reason}"));
        var products = rows.Select(r => r.Product!).ToList();
        Assert.Equal(products.Count, products.Select(p => p.SkuKey).Distinct().Count());
        Assert.Equal(products.Count, products.Select(p => p.Gtin).Distinct().Count());
        Assert.Equal(DemoCatalogGenerator.CategorySlugs.Count, products.Select(p => p.ImageUrl).Distinct().Count());
        Assert.Contains(products, p => p.ProductName == "Blue Dream");
        Assert.Contains(products, p => p.EquivalencyDerived);
        Assert.All(products.Where(p => p.Category == "Edibles"), p => Assert.True(p.ThcPerUnit * p.ItemsPerRetailPack <= 10m));
        Assert.All(products.Where(p => p.Category == "Flower" && p.ThcMax > 1), p => Assert.InRange(p.ThcMax!.Value, 15m, 30m));
    }
}
