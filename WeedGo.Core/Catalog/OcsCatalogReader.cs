using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ClosedXML.Excel;
using CsvHelper;
using WeedGo.Core.Common;
using WeedGo.Core.Compliance;

namespace WeedGo.Core.Catalog;

/// <summary>One data row of an OCS catalogue file: its 1-based line (the header is line 1) and either a product or the reasons it is invalid.</summary>
public sealed record OcsCatalogRow(int Line, string? Sku, CatalogProduct? Product, IReadOnlyList<string> Errors)
{
    public bool IsValid => Product is not null && Errors.Count == 0;
    public string Reason => string.Join(" ", Errors);
}

/// <summary>
/// Reads the OCS product catalogue (the provincial wholesaler's item file) from CSV (CsvHelper) or XLSX (ClosedXML), chosen by the
/// file's extension. Columns are found by header name, ignoring case, spaces and punctuation; unknown columns are ignored.
/// A missing required column fails the whole file; anything wrong with one row is reported for that row with its line number.
/// </summary>
public sealed class OcsCatalogReader : IDisposable
{
    public const string VariantNumber = "OCS Variant Number";
    public const string ProductNameColumn = "Product Name";
    public const string CategoryColumn = "Category";

    /// <summary>Every column of the OCS item file, in the order the provincial file lists them (the demo generator writes this order).</summary>
    public static readonly IReadOnlyList<string> Columns =
    [
        "Category", "Sub-Category", "Sub-Sub-Category", "Product Name", "Brand", "Supplier Name", "Product Short Description",
        "Product Long Description", "Size", "Colour", "Image URL", "Unit of Measure", "Stock Status", "Unit Price", "Pack Size",
        "Minimum THC Content (%)", "Maximum THC Content (%)", "THC Content Per Unit", "THC Content Per Volume",
        "Minimum CBD Content (%)", "Maximum CBD Content (%)", "CBD Content Per Unit", "CBD Content Per Volume",
        "Dried Flower Cannabis Equivalency", "Plant Type", "Terpenes", "GrowingMethod", "Number of Items in a Retail Pack", "GTIN",
        "OCS Item Number", "OCS Variant Number", "Physical Dimension Width", "Physical Dimension Height", "Physical Dimension Depth",
        "Physical Dimension Volume", "Physical Dimension Weight", "Eaches Per Inner Pack", "Eaches Per Master Case", "Inventory Status",
        "Storage Criteria", "Food Allergens", "Ingredients", "Street Name", "Grow Medium", "Grow Method", "Grow Region", "Drying Method",
        "Trimming Method", "Extraction Process", "Carrier Oil", "Heating Element Type", "Battery Type", "Rechargeable Battery",
        "Removable Battery", "Replacement Parts Available", "Temperature Control", "Temperature Display", "Compatibility", "Net Weight",
        "Ontario Grown", "Craft", "Fulfilment Method", "Delivery Tier", "Strain Type",
    ];

    private static readonly string[] Required = [VariantNumber, ProductNameColumn, CategoryColumn];

    private readonly IEnumerable<(int Line, string?[] Cells)> _source;
    private readonly IDisposable? _owner;
    private readonly int[] _index; // Columns[i] → cell position, or -1
    private readonly Dictionary<string, int> _seen = new(StringComparer.Ordinal);

    private OcsCatalogReader(string[] header, IEnumerable<(int, string?[])> source, IDisposable? owner)
    {
        _source = source;
        _owner = owner;
        var positions = new Dictionary<string, int>();
        for (var i = 0; i < header.Length; i++)
        {
            positions.TryAdd(Normalize(header[i]), i);
        }
        _index = Columns.Select(c => positions.GetValueOrDefault(Normalize(c), -1)).ToArray();
    }

    /// <summary>Opens a catalogue file; fails with a sentence when the format is unknown, the file is unreadable or a required column is missing.</summary>
    public static Result<OcsCatalogReader> Open(Stream stream, string fileName)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        try
        {
            var (header, rows, owner) = extension switch
            {
                ".csv" or ".txt" => OpenCsv(stream),
                ".xlsx" or ".xlsm" => OpenXlsx(stream),
                _ => throw new NotSupportedException(),
            };
            var normalized = header.Select(Normalize).ToHashSet();
            var missing = Required.Where(r => !normalized.Contains(Normalize(r))).ToList();
            if (missing.Count > 0)
            {
                owner?.Dispose();
                return Error.Validation($"{fileName} is missing the required column{(missing.Count > 1 ? "s" : "")} " +
                                        $"{string.Join(", ", missing.Select(m => $"\"{m}\""))}. Is it an OCS catalogue file?");
            }
            return new OcsCatalogReader(header, rows, owner);
        }
        catch (NotSupportedException)
        {
            return Error.Validation($"{fileName} is not a CSV or XLSX file. Export the OCS catalogue as .csv or .xlsx.");
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
        {
            return Error.Validation($"{fileName} could not be read as {(extension == ".csv" ? "CSV" : "an Excel workbook")}: {e.Message}");
        }
    }

    /// <summary>Reads a whole file into memory (tests and small files).</summary>
    public static Result<IReadOnlyList<OcsCatalogRow>> ReadAll(Stream stream, string fileName)
    {
        var opened = Open(stream, fileName);
        if (!opened.Succeeded)
        {
            return opened.Error!;
        }
        using var reader = opened.Value;
        return reader.Rows().ToList();
    }

    /// <summary>The data rows, parsed one by one (streamed for CSV).</summary>
    public IEnumerable<OcsCatalogRow> Rows()
    {
        foreach (var (line, cells) in _source)
        {
            if (cells.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }
            yield return Parse(line, cells);
        }
    }

    public void Dispose() => _owner?.Dispose();

    private static (string[], IEnumerable<(int, string?[])>, IDisposable?) OpenCsv(Stream stream)
    {
        var csv = CsvReader.Create(stream, new CsvReaderOptions { HasHeader = true }, leaveOpen: true);
        var header = csv.Headers.ToArray();
        return (header, CsvRows(csv), csv);
    }

    private static IEnumerable<(int, string?[])> CsvRows(CsvReader csv)
    {
        while (csv.Read())
        {
            var cells = new string?[csv.FieldCount];
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = csv.GetString(i);
            }
            yield return ((int)csv.RowNumber + 1, cells);
        }
    }

    private static (string[], IEnumerable<(int, string?[])>, IDisposable?) OpenXlsx(Stream stream)
    {
        var workbook = new XLWorkbook(stream);
        var sheet = workbook.Worksheets.First();
        var used = sheet.RangeUsed();
        if (used is null)
        {
            workbook.Dispose();
            return ([], [], null);
        }
        var firstRow = used.FirstRow().RowNumber();
        var lastColumn = used.LastColumn().ColumnNumber();
        var header = Enumerable.Range(1, lastColumn).Select(c => CellText(sheet.Cell(firstRow, c)) ?? "").ToArray();
        var rows = sheet.RowsUsed().Where(r => r.RowNumber() > firstRow)
            .Select(r => (r.RowNumber() - firstRow + 1, Enumerable.Range(1, lastColumn).Select(c => CellText(r.Cell(c))).ToArray()));
        return (header, rows, workbook);
    }

    private static string? CellText(IXLCell cell)
    {
        if (cell.IsEmpty())
        {
            return null;
        }
        return cell.Value switch
        {
            double d when d == Math.Floor(d) && Math.Abs(d) < 1e15 => d.ToString("0", CultureInfo.InvariantCulture),
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            bool b => b ? "Yes" : "No",
            DateTime dt => dt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            var other => Convert.ToString(other, CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Lower case, letters and digits only: "Minimum THC Content (%)" and "minimum thc content" match.</summary>
    public static string Normalize(string header)
    {
        var sb = new StringBuilder(header.Length);
        foreach (var c in header)
        {
            if (char.IsLetterOrDigit(c))
            {
                sb.Append(char.ToLowerInvariant(c));
            }
        }
        return sb.ToString();
    }

    private OcsCatalogRow Parse(int line, string?[] cells)
    {
        var row = new RowParser(cells, _index);
        var p = new CatalogProduct();
        var errors = row.Errors;

        var sku = row.Text("OCS Variant Number");
        if (sku is null)
        {
            errors.Add("The row has no OCS Variant Number (SKU).");
        }
        else if (sku.Length > 64)
        {
            errors.Add($"The OCS Variant Number is longer than 64 characters.");
        }
        else
        {
            p.Sku = sku;
            p.SkuKey = sku.ToUpperInvariant();
            if (_seen.TryGetValue(p.SkuKey, out var first))
            {
                errors.Add($"SKU {sku} already appears on line {first}; only the first row is imported.");
            }
            else
            {
                _seen[p.SkuKey] = line;
            }
        }
        p.ProductName = row.Text("Product Name") ?? "";
        if (p.ProductName.Length == 0)
        {
            errors.Add("The row has no Product Name.");
        }
        else if (p.ProductName.Length > 300)
        {
            errors.Add("The Product Name is longer than 300 characters.");
        }
        p.Category = row.Text("Category") ?? "";
        if (p.Category.Length == 0)
        {
            errors.Add("The row has no Category.");
        }
        else if (p.Category.Length > 100)
        {
            errors.Add("The Category is longer than 100 characters.");
        }
        var gtin = row.Text("GTIN");
        if (gtin is not null)
        {
            if (Gtin.TryNormalize(gtin, out var gtin14))
            {
                p.Gtin = gtin14;
            }
            else
            {
                errors.Add($"GTIN {gtin} is not valid: it must be 8, 12, 13 or 14 digits with a correct check digit.");
            }
        }

        p.OcsItemNumber = row.Text("OCS Item Number");
        p.SubCategory = row.Text("Sub-Category");
        p.SubSubCategory = row.Text("Sub-Sub-Category");
        p.Brand = row.Text("Brand");
        p.SupplierName = row.Text("Supplier Name");
        p.StreetName = row.Text("Street Name");
        p.ShortDescription = row.Text("Product Short Description");
        p.LongDescription = row.Text("Product Long Description");
        p.ImageUrl = row.Text("Image URL");
        p.Size = row.Text("Size");
        p.Colour = row.Text("Colour");
        p.UnitOfMeasure = row.Text("Unit of Measure");
        p.PackSize = row.Text("Pack Size");
        p.ItemsPerRetailPack = row.Int("Number of Items in a Retail Pack");
        p.NetWeight = row.Number("Net Weight");
        p.EachesPerInnerPack = row.Int("Eaches Per Inner Pack");
        p.EachesPerMasterCase = row.Int("Eaches Per Master Case");
        p.PhysicalWidth = row.Number("Physical Dimension Width");
        p.PhysicalHeight = row.Number("Physical Dimension Height");
        p.PhysicalDepth = row.Number("Physical Dimension Depth");
        p.PhysicalVolume = row.Number("Physical Dimension Volume");
        p.PhysicalWeight = row.Number("Physical Dimension Weight");
        p.UnitPrice = row.Number("Unit Price") is { } price ? Math.Round(price, 2, MidpointRounding.AwayFromZero) : null;
        p.StockStatus = row.Text("Stock Status");
        p.InventoryStatus = row.Text("Inventory Status");
        p.ThcMin = row.Number("Minimum THC Content (%)");
        p.ThcMax = row.Number("Maximum THC Content (%)");
        p.ThcPerUnit = row.Number("THC Content Per Unit");
        p.ThcPerVolume = row.Number("THC Content Per Volume");
        p.CbdMin = row.Number("Minimum CBD Content (%)");
        p.CbdMax = row.Number("Maximum CBD Content (%)");
        p.CbdPerUnit = row.Number("CBD Content Per Unit");
        p.CbdPerVolume = row.Number("CBD Content Per Volume");
        p.PlantType = row.Text("Plant Type");
        p.StrainType = row.Text("Strain Type");
        p.Terpenes = row.Text("Terpenes");
        p.GrowingMethod = row.Text("GrowingMethod");
        p.GrowMedium = row.Text("Grow Medium");
        p.GrowMethod = row.Text("Grow Method");
        p.GrowRegion = row.Text("Grow Region");
        p.DryingMethod = row.Text("Drying Method");
        p.TrimmingMethod = row.Text("Trimming Method");
        p.ExtractionProcess = row.Text("Extraction Process");
        p.CarrierOil = row.Text("Carrier Oil");
        p.HeatingElementType = row.Text("Heating Element Type");
        p.BatteryType = row.Text("Battery Type");
        p.RechargeableBattery = row.Bool("Rechargeable Battery");
        p.RemovableBattery = row.Bool("Removable Battery");
        p.ReplacementPartsAvailable = row.Bool("Replacement Parts Available");
        p.TemperatureControl = row.Bool("Temperature Control");
        p.TemperatureDisplay = row.Bool("Temperature Display");
        p.Compatibility = row.Text("Compatibility");
        p.StorageCriteria = row.Text("Storage Criteria");
        p.FoodAllergens = row.Text("Food Allergens");
        p.Ingredients = row.Text("Ingredients");
        p.OntarioGrown = row.Bool("Ontario Grown") ?? false;
        p.Craft = row.Bool("Craft") ?? false;
        p.FulfilmentMethod = row.Text("Fulfilment Method");
        p.DeliveryTier = row.Text("Delivery Tier");

        var given = row.Number("Dried Flower Cannabis Equivalency");
        var cannabisClass = Equivalency.Classify(p.Category, p.SubCategory);
        if (cannabisClass == CannabisClass.Accessory)
        {
            p.IsCannabis = false;
            p.DriedFlowerEquivalency = 0m;
        }
        else if (given is { } value)
        {
            if (value < 0)
            {
                errors.Add("The Dried Flower Cannabis Equivalency cannot be negative.");
            }
            p.DriedFlowerEquivalency = value;
        }
        else if (UnitAmount(cannabisClass, p) is { } amount)
        {
            p.DriedFlowerEquivalency = Equivalency.ForUnit(cannabisClass, amount);
            p.EquivalencyDerived = true;
        }
        else if (errors.Count == 0)
        {
            errors.Add("The Dried Flower Cannabis Equivalency is empty and cannot be derived: give a Net Weight or a Size such as \"3.5 g\".");
        }

        if (errors.Count > 0)
        {
            return new OcsCatalogRow(line, sku, null, errors);
        }
        p.ContentHash = Hash(p);
        return new OcsCatalogRow(line, sku, p, []);
    }

    /// <summary>
    /// How much of the class one sellable unit holds: grams (mL for drinks, seeds for seeds), from Net Weight, else from the Size.
    /// </summary>
    internal static decimal? UnitAmount(CannabisClass c, CatalogProduct p)
    {
        var size = ParseSize(p.Size);
        if (c == CannabisClass.Seeds)
        {
            if (size is { Unit: "seed" })
            {
                return size.Value.Total;
            }
            return (decimal?)p.ItemsPerRetailPack ?? (size is { Unit: "" } ? size.Value.Total : null);
        }
        if (p.NetWeight is > 0)
        {
            return p.NetWeight;
        }
        return size is { Unit: "g" or "ml" } ? size.Value.Total : null;
    }

    /// <summary>
    /// Parses a label size: "3.5 g", "7g", "1 x 0.5 g", "3 x 0.5g", "355 mL", "10 x 10 mg", "1 L", "5 seeds".
    /// Returns the total in g (mass), mL (volume) or seeds, and the unit ("g", "ml", "seed", or "" for a bare count).
    /// </summary>
    public static (decimal Total, string Unit)? ParseSize(string? size)
    {
        if (string.IsNullOrWhiteSpace(size))
        {
            return null;
        }
        var text = size.Trim().ToLowerInvariant().Replace('×', 'x');
        var m = System.Text.RegularExpressions.Regex.Match(text,
            @"^(?:(?<count>\d+)\s*x\s*)?(?<amount>\d+(?:[.,]\d+)?)\s*(?<unit>mg|g|kg|ml|l|seeds?|pack|units?|pcs?)?\b");
        if (!m.Success)
        {
            return null;
        }
        var count = m.Groups["count"].Success ? decimal.Parse(m.Groups["count"].Value, CultureInfo.InvariantCulture) : 1m;
        var amount = decimal.Parse(m.Groups["amount"].Value.Replace(',', '.'), CultureInfo.InvariantCulture);
        var (factor, unit) = m.Groups["unit"].Value switch
        {
            "mg" => (0.001m, "g"),
            "g" => (1m, "g"),
            "kg" => (1000m, "g"),
            "ml" => (1m, "ml"),
            "l" => (1000m, "ml"),
            "seed" or "seeds" => (1m, "seed"),
            _ => (1m, ""),
        };
        return (count * amount * factor, unit);
    }

    /// <summary>SHA-256 (hex) over every imported value in a fixed order, invariant formatting: equal hash = unchanged row.</summary>
    public static string Hash(CatalogProduct p)
    {
        var sb = new StringBuilder(512);
        void Add(object? v)
        {
            sb.Append(v switch
            {
                null => "\u2400",
                decimal d => d.ToString("0.############", CultureInfo.InvariantCulture),
                bool b => b ? "1" : "0",
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => v.ToString(),
            }).Append('\u001f');
        }
        foreach (var v in new object?[]
                 {
                     p.Sku, p.OcsItemNumber, p.Gtin, p.Category, p.SubCategory, p.SubSubCategory, p.ProductName, p.Brand, p.SupplierName,
                     p.StreetName, p.ShortDescription, p.LongDescription, p.ImageUrl, p.Size, p.Colour, p.UnitOfMeasure, p.PackSize,
                     p.ItemsPerRetailPack, p.NetWeight, p.EachesPerInnerPack, p.EachesPerMasterCase, p.PhysicalWidth, p.PhysicalHeight,
                     p.PhysicalDepth, p.PhysicalVolume, p.PhysicalWeight, p.UnitPrice, p.StockStatus, p.InventoryStatus, p.ThcMin, p.ThcMax,
                     p.ThcPerUnit, p.ThcPerVolume, p.CbdMin, p.CbdMax, p.CbdPerUnit, p.CbdPerVolume, p.DriedFlowerEquivalency,
                     p.EquivalencyDerived, p.PlantType, p.StrainType, p.Terpenes, p.GrowingMethod, p.GrowMedium, p.GrowMethod, p.GrowRegion,
                     p.DryingMethod, p.TrimmingMethod, p.ExtractionProcess, p.CarrierOil, p.HeatingElementType, p.BatteryType,
                     p.RechargeableBattery, p.RemovableBattery, p.ReplacementPartsAvailable, p.TemperatureControl, p.TemperatureDisplay,
                     p.Compatibility, p.StorageCriteria, p.FoodAllergens, p.Ingredients, p.OntarioGrown, p.Craft, p.FulfilmentMethod,
                     p.DeliveryTier, p.IsCannabis,
                 })
        {
            Add(v);
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    private sealed class RowParser(string?[] cells, int[] index)
    {
        private static readonly Dictionary<string, int> Position =
            Columns.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);

        public List<string> Errors { get; } = [];

        public string? Text(string column)
        {
            var at = index[Position[column]];
            if (at < 0 || at >= cells.Length)
            {
                return null;
            }
            var value = cells[at]?.Trim();
            return string.IsNullOrEmpty(value) ? null : value;
        }

        public decimal? Number(string column)
        {
            var text = Text(column);
            if (text is null)
            {
                return null;
            }
            var cleaned = CleanNumber(text);
            if (cleaned.Length == 0 || cleaned is "-" or "n/a" or "na")
            {
                return null;
            }
            if (decimal.TryParse(cleaned, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }
            Errors.Add($"{column} \"{text}\" is not a number.");
            return null;
        }

        public int? Int(string column)
        {
            var value = Number(column);
            if (value is null)
            {
                return null;
            }
            if (value != Math.Floor(value.Value) || value is < 0 or > int.MaxValue)
            {
                Errors.Add($"{column} \"{Text(column)}\" is not a whole number.");
                return null;
            }
            return (int)value.Value;
        }

        public bool? Bool(string column)
        {
            var text = Text(column);
            switch (text?.ToLowerInvariant())
            {
                case null:
                    return null;
                case "yes" or "y" or "true" or "t" or "1":
                    return true;
                case "no" or "n" or "false" or "f" or "0":
                    return false;
                default:
                    Errors.Add($"{column} \"{text}\" is not Yes or No.");
                    return null;
            }
        }

        /// <summary>Drops "%", "$", thousands separators, spaces and a trailing unit ("mg/g", "mg", "g", "mL").</summary>
        private static string CleanNumber(string text)
        {
            var t = text.Trim().ToLowerInvariant();
            foreach (var unit in new[] { "mg/g", "mg/ml", "mg", "ml", "g", "%" })
            {
                if (t.Length > unit.Length && t.EndsWith(unit, StringComparison.Ordinal) && t[^(unit.Length + 1)] is (>= '0' and <= '9') or ' ')
                {
                    t = t[..^unit.Length];
                    break;
                }
            }
            var sb = new StringBuilder(t.Length);
            foreach (var c in t)
            {
                if (c is '$' or ',' or ' ' or '%' or '\u00a0')
                {
                    continue;
                }
                sb.Append(c);
            }
            return sb.ToString();
        }
    }
}
