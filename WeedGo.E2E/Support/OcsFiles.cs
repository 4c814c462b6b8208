using System.Globalization;
using System.Text;
using WeedGo.Core.Catalog;

namespace WeedGo.E2E.Support;

/// <summary>A catalogue row a journey invents: a SKU and a GTIN no other run or journey uses.</summary>
public sealed record TestProduct(string Sku, string Gtin, string Name);

/// <summary>
/// Small OCS files written in the test: a catalogue (the required columns plus enough to derive the dried-flower equivalency)
/// and an advance shipping notice (ASN) for products of that catalogue.
/// </summary>
public static class OcsFiles
{
    public const string CatalogueHeader = "Category,Sub-Category,Product Name,Brand,Size,Unit Price,GTIN,OCS Variant Number";

    public const string AsnHeader =
        "ShipmentID,ContainerID,SKU,ItemName,Vendor,Brand,CaseGTIN,PackagedOnDate,BatchLot,GTINBarCode,EachGTIN,Shipped_Qty,UOM,UOMCONVERSION,UOMCONVERSIONQTY,UnitPrice";

    /// <summary>Six letters/digits that name one journey's data, e.g. <c>K3F9QA</c>.</summary>
    public static string NewToken() => Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();

    /// <summary>
    /// Products with unique SKUs (<c>E2E-{token}-{n}</c>) and valid GTIN-13s under prefix 758 (the demo catalogue uses 754 and 627).
    /// </summary>
    public static IReadOnlyList<TestProduct> NewProducts(string token, int count, string strain = "Harbour Haze") =>
        Enumerable.Range(1, count).Select(n => new TestProduct(
            $"E2E-{token}-{n}",
            Gtin.WithCheckDigit("758" + Random.Shared.NextInt64(0, 1_000_000_000).ToString("D9", CultureInfo.InvariantCulture)),
            $"{strain} {n} ({token})")).ToList();

    /// <summary>The same GTIN with a wrong check digit.</summary>
    public static string WithWrongCheckDigit(string gtin)
    {
        var last = gtin[^1] - '0';
        return gtin[..^1] + (char)('0' + (last + 1) % 10);
    }

    /// <summary>A CSV catalogue: Flower / Dried Flower, 3.5 g (so the equivalency is derived), one row per product.</summary>
    public static byte[] Catalogue(IEnumerable<TestProduct> products)
    {
        var sb = new StringBuilder(CatalogueHeader).Append("\r\n");
        foreach (var p in products)
        {
            sb.Append($"Flower,Dried Flower,{p.Name},E2E Growers,3.5 g,29.95,{p.Gtin},{p.Sku}\r\n");
        }
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>An ASN of one shipment: each product shipped in eaches (UOM EA) from one lot packaged on 14 March 2026.</summary>
    public static byte[] Asn(string shipmentId, IEnumerable<(TestProduct Product, int Eaches)> lines)
    {
        var sb = new StringBuilder(AsnHeader).Append("\r\n");
        foreach (var (p, eaches) in lines)
        {
            sb.Append($"{shipmentId},CTR-{shipmentId},{p.Sku},{p.Name},E2E Growers Inc.,E2E Growers,,03/14/2026 09:30:00 AM,")
              .Append($"LOT-{p.Sku},{p.Gtin},{p.Gtin},{eaches},EA,EACH,1,12.50\r\n");
        }
        return Encoding.UTF8.GetBytes(sb.ToString());
    }
}
