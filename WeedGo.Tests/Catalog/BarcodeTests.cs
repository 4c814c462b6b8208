using WeedGo.Core.Catalog;

namespace WeedGo.Tests.Catalog;

public sealed class BarcodeTests
{
    [Theory]
    [InlineData("036000291452", "00036000291452")]   // UPC-A
    [InlineData("4006381333931", "04006381333931")]  // EAN-13
    [InlineData("10614141000415", "10614141000415")] // GTIN-14
    [InlineData("96385074", "00000096385074")]       // EAN-8
    public void Valid_gtins_normalise_to_14_digits(string input, string expected)
    {
        Assert.True(Gtin.TryNormalize(input, out var gtin14));
        Assert.Equal(expected, gtin14);
    }

    [Theory]
    [InlineData("036000291453")]  // wrong check digit
    [InlineData("12345")]         // wrong length
    [InlineData("03600029145A")]  // not digits
    [InlineData("")]
    [InlineData(null)]
    public void Invalid_gtins_are_refused(string? input) => Assert.False(Gtin.IsValid(input));

    [Fact]
    public void A_bracketed_gs1_string_yields_gtin_lot_expiry_and_production_date()
    {
        Assert.True(Gs1.TryParse("(01)10614141000415(10)LOT-42A(17)270331(11)260115", out var scan, out var error), error);
        Assert.Equal("10614141000415", scan.Gtin14);
        Assert.Equal("LOT-42A", scan.BatchLot);
        Assert.Equal(new DateOnly(2027, 3, 31), scan.Expiry);
        Assert.Equal(new DateOnly(2026, 1, 15), scan.ProducedOn);
    }

    [Fact]
    public void A_raw_gs1_string_with_group_separators_and_symbology_prefix_is_parsed()
    {
        Assert.True(Gs1.TryParse("]C10110614141000415" + "17270300" + "10B-7" + (char)29 + "11260115", out var scan, out var error), error);
        Assert.Equal("10614141000415", scan.Gtin14);
        Assert.Equal("B-7", scan.BatchLot);
        Assert.Equal(new DateOnly(2027, 3, 31), scan.Expiry); // day 00 = last day of the month
        Assert.Equal(new DateOnly(2026, 1, 15), scan.ProducedOn);
    }

    [Fact]
    public void A_plain_upc_is_a_scan_without_a_batch()
    {
        Assert.True(Gs1.TryParse("036000291452", out var scan, out _));
        Assert.Equal("00036000291452", scan.Gtin14);
        Assert.Null(scan.BatchLot);
    }

    [Theory]
    [InlineData("036000291453", "check digit")]
    [InlineData("(10)LOT1", "no GTIN")]
    [InlineData("(01)10614141000415(17)271399", "expiry date")]
    [InlineData("0110614141000415" + "99ABC", "not supported")]
    [InlineData("", "empty")]
    public void Bad_scans_say_what_is_wrong(string input, string expected)
    {
        Assert.False(Gs1.TryParse(input, out _, out var error));
        Assert.Contains(expected, error);
    }
}
