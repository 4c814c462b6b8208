using System.Globalization;
using System.Text;
using WeedGo.Core.Catalog;

namespace WeedGo.Core.Inventory;

/// <summary>One line of an ASN file as read (GTINs normalised to 14 digits); <see cref="LineNumber"/> is the file's line
/// number as a spreadsheet shows it (the header is line 1).</summary>
public sealed record AsnLine(
    int LineNumber, string ShipmentId, string? ContainerId, string Sku, string? ItemName, string? Vendor, string? Brand, string? CaseGtin,
    DateTime? PackagedOn, string BatchLot, string? GtinBarcode, string? EachGtin, int ShippedQuantity, string? Uom, string? UomConversion,
    int? UomConversionQuantity, decimal? UnitPrice)
{
    public int ShippedEaches => AsnFile.ShippedEaches(ShippedQuantity, Uom, UomConversionQuantity);
}

/// <summary>What reading a file produced: its lines, or the problems found (each naming its line).</summary>
public sealed record AsnParse(IReadOnlyList<AsnLine> Lines, IReadOnlyList<string> Errors)
{
    public bool Ok => Errors.Count == 0;
}

/// <summary>
/// Reads the OCS advance shipping notice CSV (columns ShipmentID, ContainerID, SKU, ItemName, Vendor, Brand, CaseGTIN,
/// PackagedOnDate, BatchLot, GTINBarCode, EachGTIN, Shipped_Qty, UOM, UOMCONVERSION, UOMCONVERSIONQTY, UnitPrice; header names
/// matched ignoring case, spaces and underscores). PackagedOnDate is <c>MM/DD/YYYY hh:mm:ss AM</c> (invariant culture).
/// </summary>
public static class AsnFile
{
    public const string DateFormat = "MM/dd/yyyy hh:mm:ss tt";
    private static readonly string[] DateFormats = [DateFormat, "M/d/yyyy h:mm:ss tt"];
    private static readonly string[] Required = ["ShipmentID", "SKU", "BatchLot", "Shipped_Qty"];
    private static readonly HashSet<string> EachUnits = new(StringComparer.OrdinalIgnoreCase) { "", "EA", "EACH", "EACHES", "UNIT", "UNITS", "UN", "PC", "PCS" };

    /// <summary>
    /// Eaches a line ships. Shipped_Qty counts UOMs: when the UOM is an each (EA, EACH, UNIT… or empty) it is already eaches;
    /// otherwise (a case, CS, BOX…) it is multiplied by UOMCONVERSIONQTY, the eaches per UOM (when given and positive).
    /// </summary>
    public static int ShippedEaches(int shippedQuantity, string? uom, int? conversionQuantity) =>
        !EachUnits.Contains(uom?.Trim() ?? "") && conversionQuantity is > 0 ? shippedQuantity * conversionQuantity.Value : shippedQuantity;

    public static async Task<AsnParse> ParseAsync(Stream stream, CancellationToken ct = default)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var text = await reader.ReadToEndAsync(ct);
        return Parse(text);
    }

    public static AsnParse Parse(string text)
    {
        var records = ReadCsv(text);
        var errors = new List<string>();
        var lines = new List<AsnLine>();
        if (records.Count == 0)
        {
            return new AsnParse(lines, ["The file is empty."]);
        }
        var header = records[0].Fields.Select(Key).ToList();
        var missing = Required.Where(r => !header.Contains(Key(r))).ToList();
        if (missing.Count > 0)
        {
            return new AsnParse(lines, [$"The file has no {string.Join(", ", missing)} column{(missing.Count > 1 ? "s" : "")}: is it an ASN export from OCS?"]);
        }
        string? shipment = null;
        foreach (var (number, fields) in records.Skip(1))
        {
            if (fields.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }
            string? Get(string column)
            {
                var i = header.IndexOf(Key(column));
                var v = i >= 0 && i < fields.Count ? fields[i].Trim() : "";
                return v.Length == 0 ? null : v;
            }
            var problems = new List<string>();
            var shipmentId = Get("ShipmentID");
            if (shipmentId is null)
            {
                problems.Add("ShipmentID is empty");
            }
            else if (shipment is null)
            {
                shipment = shipmentId;
            }
            else if (!string.Equals(shipment, shipmentId, StringComparison.Ordinal))
            {
                problems.Add($"ShipmentID {shipmentId} differs from {shipment} (one file holds one shipment)");
            }
            var sku = Get("SKU");
            if (sku is null)
            {
                problems.Add("SKU is empty");
            }
            var lot = Get("BatchLot");
            if (lot is null)
            {
                problems.Add("BatchLot is empty");
            }
            DateTime? packagedOn = null;
            if (Get("PackagedOnDate") is { } date)
            {
                if (DateTime.TryParseExact(date, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                {
                    packagedOn = d;
                }
                else
                {
                    problems.Add($"PackagedOnDate \"{date}\" is not a date like 03/14/2026 09:30:00 AM");
                }
            }
            var shipped = 0;
            if (Get("Shipped_Qty") is not { } qty)
            {
                problems.Add("Shipped_Qty is empty");
            }
            else if (!TryWhole(qty, out shipped) || shipped <= 0)
            {
                problems.Add($"Shipped_Qty \"{qty}\" is not a whole number of at least 1");
            }
            int? conversion = null;
            if (Get("UOMCONVERSIONQTY") is { } conv)
            {
                if (TryWhole(conv, out var c) && c > 0)
                {
                    conversion = c;
                }
                else
                {
                    problems.Add($"UOMCONVERSIONQTY \"{conv}\" is not a whole number of at least 1");
                }
            }
            decimal? price = null;
            if (Get("UnitPrice") is { } priceText)
            {
                if (decimal.TryParse(priceText.Replace("$", "").Replace(",", ""), NumberStyles.Number, CultureInfo.InvariantCulture, out var p) && p >= 0)
                {
                    price = p;
                }
                else
                {
                    problems.Add($"UnitPrice \"{priceText}\" is not an amount");
                }
            }
            var caseGtin = Barcode("CaseGTIN", Get("CaseGTIN"), problems);
            var barcode = Barcode("GTINBarCode", Get("GTINBarCode"), problems);
            var eachGtin = Barcode("EachGTIN", Get("EachGTIN"), problems);
            if (problems.Count > 0)
            {
                errors.Add($"Line {number}: {string.Join("; ", problems)}.");
                continue;
            }
            lines.Add(new AsnLine(number, shipmentId!, Get("ContainerID"), sku!, Get("ItemName"), Get("Vendor"), Get("Brand"), caseGtin, packagedOn,
                lot!, barcode, eachGtin, shipped, Get("UOM"), Get("UOMCONVERSION"), conversion, price));
        }
        if (lines.Count == 0 && errors.Count == 0)
        {
            errors.Add("The file has a header but no shipment lines.");
        }
        return new AsnParse(lines, errors);
    }

    private static string? Barcode(string column, string? value, List<string> problems)
    {
        if (value is null)
        {
            return null;
        }
        // Spreadsheets sometimes turn long numbers into "1.23E+13"; such a value cannot be trusted.
        if (Gtin.TryNormalize(value, out var gtin14))
        {
            return gtin14;
        }
        problems.Add($"{column} \"{value}\" is not a valid GTIN (8, 12, 13 or 14 digits with a correct check digit)");
        return null;
    }

    private static bool TryWhole(string text, out int value)
    {
        value = 0;
        if (!decimal.TryParse(text.Replace(",", ""), NumberStyles.Number, CultureInfo.InvariantCulture, out var d) || d != decimal.Truncate(d)
            || d > int.MaxValue || d < int.MinValue)
        {
            return false;
        }
        value = (int)d;
        return true;
    }

    private static string Key(string name) => new string(name.Where(char.IsLetterOrDigit).ToArray()).ToUpperInvariant();

    /// <summary>RFC 4180 records with the physical line number each starts on (quoted fields may hold commas, quotes and newlines).</summary>
    internal static List<(int Line, List<string> Fields)> ReadCsv(string text)
    {
        var records = new List<(int, List<string>)>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var inQuotes = false;
        var line = 1;
        var recordLine = 1;
        var any = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }
                    field.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"':
                    inQuotes = true;
                    any = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    any = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    records.Add((recordLine, fields));
                    fields = [];
                    any = false;
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(c);
                    any = true;
                    break;
            }
        }
        if (any || field.Length > 0)
        {
            fields.Add(field.ToString());
            records.Add((recordLine, fields));
        }
        return records;
    }
}
