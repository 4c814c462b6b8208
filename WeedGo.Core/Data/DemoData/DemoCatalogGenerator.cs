using System.Globalization;
using CsvHelper;
using WeedGo.Core.Catalog;
using WeedGo.Core.Compliance;

namespace WeedGo.Core.Data.DemoData;

/// <summary>
/// Writes a deterministic OCS-format catalogue (every column of the provincial item file) of realistic, fictional products:
/// flower, pre-rolls, vapes, extracts and oils, edibles, beverages, topicals, capsules, seeds and accessories, from ~25 invented
/// brands, with label-like potencies, terpenes, sizes, prices, valid unique GTINs and local placeholder images.
/// The same count always gives the same file (<c>new Random(2026)</c>).
/// </summary>
public static class DemoCatalogGenerator
{
    /// <summary>Rows in the demo catalogue each demo tenant gets.</summary>
    public const int DemoRows = 1500;

    public const int Seed = 2026;

    public static readonly IReadOnlyList<string> CategorySlugs =
        ["flower", "pre-rolls", "vapes", "extracts", "edibles", "beverages", "topicals", "capsules", "seeds", "accessories"];

    private static readonly (string Name, string Supplier, bool Ontario, bool Craft)[] Brands =
    [
        ("Northern Bloom", "Northern Bloom Cannabis Inc.", true, false), ("Maple Ridge Farms", "Maple Ridge Farms Ltd.", true, true),
        ("Lakeshore Leaf", "Great Lakes Cultivation Inc.", true, false), ("Granite Peak", "Shield Rock Growers Corp.", true, true),
        ("Pacific Drift", "Coastal Botanicals Ltd.", false, false), ("Prairie Sky", "Prairie Sky Cannabis Co.", false, false),
        ("Cedar & Smoke", "Cedar Valley Craft Inc.", true, true), ("Aurora Fields", "Boreal Growers Ltd.", false, false),
        ("Muskoka Gold", "Muskoka Craft Cannabis Inc.", true, true), ("Harbourfront", "Harbour Botanics Corp.", true, false),
        ("Frostline", "Frostline Extracts Inc.", false, false), ("Little Creek", "Little Creek Farm Ltd.", true, true),
        ("True North Labs", "True North Labs Inc.", true, false), ("Wildflower & Co.", "Wildflower Wellness Ltd.", false, false),
        ("Ironwood", "Ironwood Cultivation Corp.", false, true), ("Sugar Bush", "Sugar Bush Edibles Inc.", true, false),
        ("Citizen Spark", "Spark Beverage Co.", true, false), ("Quiet Harbour", "Quiet Harbour Wellness Inc.", false, false),
        ("Kawartha Kind", "Kawartha Kind Craft Ltd.", true, true), ("Blue Heron", "Blue Heron Extracts Corp.", true, false),
        ("Stonecutter", "Stonecutter Hash Co.", false, true), ("Velvet Moss", "Velvet Moss Botanicals Inc.", false, false),
        ("Hollow Pine", "Hollow Pine Growers Ltd.", true, true), ("Upstream", "Upstream Goods Inc.", false, false),
        ("Greybeard Gear", "Greybeard Accessories Ltd.", true, false),
    ];

    private static readonly (string Name, string Type)[] Strains =
    [
        ("Blue Dream", "Sativa"), ("Pink Kush", "Indica"), ("Sour Diesel", "Sativa"), ("Northern Lights", "Indica"), ("OG Kush", "Hybrid"),
        ("Girl Scout Cookies", "Hybrid"), ("Jack Herer", "Sativa"), ("Gorilla Glue", "Hybrid"), ("Wedding Cake", "Indica"),
        ("Gelato", "Hybrid"), ("Durban Poison", "Sativa"), ("Green Crack", "Sativa"), ("Granddaddy Purple", "Indica"),
        ("Pineapple Express", "Hybrid"), ("White Widow", "Hybrid"), ("Super Lemon Haze", "Sativa"), ("AK-47", "Hybrid"),
        ("Bubba Kush", "Indica"), ("Cherry Pie", "Hybrid"), ("Tangie", "Sativa"), ("Ice Cream Cake", "Indica"), ("MAC", "Hybrid"),
        ("Zkittlez", "Indica"), ("Runtz", "Hybrid"), ("Purple Punch", "Indica"), ("Death Bubba", "Indica"), ("Lemon Skunk", "Sativa"),
        ("Strawberry Cough", "Sativa"), ("Chemdawg", "Hybrid"), ("Harlequin", "Sativa"), ("Cannatonic", "Hybrid"), ("ACDC", "Sativa"),
        ("Animal Cookies", "Indica"), ("Banana Kush", "Hybrid"), ("Blueberry", "Indica"), ("Critical Mass", "Indica"),
        ("God's Gift", "Indica"), ("Headband", "Hybrid"), ("Mango Kush", "Indica"), ("Master Kush", "Indica"),
        ("Pink Champagne", "Hybrid"), ("Rockstar", "Indica"), ("Skywalker OG", "Indica"), ("Sunset Sherbet", "Indica"),
        ("Tropicana Cookies", "Sativa"), ("Ultra Sour", "Sativa"), ("Black Cherry Punch", "Indica"), ("Lemon Cherry Gelato", "Hybrid"),
        ("Cold Creek Kush", "Indica"), ("Jean Guy", "Sativa"),
    ];

    private static readonly string[] Terpenes =
        ["Myrcene", "Limonene", "beta-Caryophyllene", "alpha-Pinene", "Linalool", "Terpinolene", "Humulene", "Ocimene", "Bisabolol"];

    private static readonly string[] Flavours =
        ["Sour Cherry", "Wild Blueberry", "Peach Mango", "Watermelon", "Lemon Lime", "Black Currant", "Pink Grapefruit", "Maple", "Raspberry", "Tangerine"];

    /// <summary>Writes the demo catalogue (<see cref="DemoRows"/> rows).</summary>
    public static void WriteDemoCsv(Stream destination) => WriteCsv(destination, DemoRows);

    /// <summary>Writes <paramref name="rows"/> catalogue rows as OCS CSV; fast enough for 100,000 rows in about a second.</summary>
    public static void WriteCsv(Stream destination, int rows)
    {
        using var csv = CsvWriter.Create(destination, null, leaveOpen: true);
        csv.WriteHeader(OcsCatalogReader.Columns.ToArray());
        foreach (var row in Rows(rows))
        {
            csv.WriteRecord(row);
        }
        csv.Flush();
    }

    /// <summary>The demo catalogue as CSV bytes.</summary>
    public static byte[] DemoCsv(int rows = DemoRows)
    {
        using var buffer = new MemoryStream();
        WriteCsv(buffer, rows);
        return buffer.ToArray();
    }

    /// <summary>The rows, each with one value per <see cref="OcsCatalogReader.Columns"/> entry, in that order.</summary>
    public static IEnumerable<string?[]> Rows(int count)
    {
        var random = new Random(Seed);
        var columns = OcsCatalogReader.Columns;
        var position = columns.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);
        var item = 100_000;
        var produced = 0;
        while (produced < count)
        {
            item++;
            var category = PickCategory(random);
            var brand = Brands[random.Next(Brands.Length)];
            var strain = Strains[random.Next(Strains.Length)];
            var sizes = SizesFor(category, random);
            foreach (var size in sizes)
            {
                if (produced >= count)
                {
                    yield break;
                }
                var values = new string?[columns.Count];
                void Set(string column, object? value) => values[position[column]] = value switch
                {
                    null => null,
                    decimal d => d.ToString("0.####", CultureInfo.InvariantCulture),
                    bool b => b ? "Yes" : "No",
                    IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                    _ => value.ToString(),
                };
                Fill(Set, random, category, brand, strain, size, item, produced);
                yield return values;
                produced++;
            }
        }
    }

    private sealed record SizeOption(string Label, string Code, decimal NetWeight, int Items, decimal Price);

    private static string PickCategory(Random r)
    {
        var roll = r.Next(100);
        return roll switch
        {
            < 26 => "flower",
            < 40 => "pre-rolls",
            < 52 => "vapes",
            < 62 => "extracts",
            < 72 => "edibles",
            < 78 => "beverages",
            < 82 => "topicals",
            < 86 => "capsules",
            < 90 => "seeds",
            _ => "accessories",
        };
    }

    private static decimal Price(Random r, decimal min, decimal max) =>
        Math.Round(min + (decimal)r.NextDouble() * (max - min), 0, MidpointRounding.AwayFromZero) - 0.01m;

    private static List<SizeOption> SizesFor(string category, Random r)
    {
        List<SizeOption> all = category switch
        {
            "flower" =>
            [
                new("3.5 g", "3.5G", 3.5m, 1, Price(r, 18, 38)), new("7 g", "7G", 7m, 1, Price(r, 32, 62)),
                new("15 g", "15G", 15m, 1, Price(r, 60, 95)), new("28 g", "28G", 28m, 1, Price(r, 95, 180)),
            ],
            "pre-rolls" =>
            [
                new("1 x 1 g", "1X1G", 1m, 1, Price(r, 8, 14)), new("3 x 0.5 g", "3X0.5G", 1.5m, 3, Price(r, 12, 20)),
                new("10 x 0.35 g", "10X0.35G", 3.5m, 10, Price(r, 22, 38)),
            ],
            "vapes" => [new("0.5 g", "0.5G", 0.5m, 1, Price(r, 25, 40)), new("1 g", "1G", 1m, 1, Price(r, 40, 65))],
            "extracts" => [new("1 g", "1G", 1m, 1, Price(r, 30, 60)), new("2 g", "2G", 2m, 1, Price(r, 50, 90))],
            "edibles" => [new("4 x 2.5 g", "4X2.5G", 10m, 4, Price(r, 4, 9))],
            "beverages" => [new("355 mL", "355ML", 355m, 1, Price(r, 4, 8)), new("4 x 355 mL", "4X355ML", 1420m, 4, Price(r, 14, 24))],
            "topicals" => [new("50 g", "50G", 50m, 1, Price(r, 25, 60))],
            "capsules" => [new("30 x 10 mg", "30X10MG", 15m, 30, Price(r, 25, 60))],
            "seeds" => [new("3 seeds", "3SEEDS", 0.06m, 3, Price(r, 30, 60)), new("5 seeds", "5SEEDS", 0.1m, 5, Price(r, 45, 85))],
            _ => [new("1 unit", "EA", 0m, 1, Price(r, 5, 90))],
        };
        var take = 1 + r.Next(all.Count);
        var start = r.Next(all.Count - take + 1);
        return all.GetRange(start, take);
    }

    private static void Fill(Action<string, object?> set, Random r, string slug, (string Name, string Supplier, bool Ontario, bool Craft) brand,
        (string Name, string Type) strain, SizeOption size, int item, int index)
    {
        var cbdDominant = strain.Name is "Cannatonic" or "ACDC" or "Harlequin" || r.Next(12) == 0;
        var terpenes = string.Join(", ", Terpenes.OrderBy(_ => r.Next()).Take(2 + r.Next(2)));
        var flavour = Flavours[r.Next(Flavours.Length)];
        string category, sub, name;
        switch (slug)
        {
            case "flower":
                (category, sub, name) = ("Flower", "Dried Flower", strain.Name);
                break;
            case "pre-rolls":
                (category, sub, name) = ("Pre-Rolls", "Pre-Rolled", $"{strain.Name} Pre-Rolls");
                break;
            case "vapes":
                (category, sub) = ("Vapes", r.Next(3) == 0 ? "Disposable Vapes" : "510 Vape Cartridges");
                name = $"{strain.Name} {(sub == "Disposable Vapes" ? "Disposable" : "Cartridge")}";
                break;
            case "extracts":
                var kind = new[] { "Hash", "Live Resin", "Shatter", "Rosin", "Oils" }[r.Next(5)];
                (category, sub) = ("Extracts", kind);
                name = kind == "Oils" ? $"{(cbdDominant ? "CBD" : "THC")} {10 + 10 * r.Next(3)} Oil" : $"{strain.Name} {kind}";
                break;
            case "edibles":
                var edible = new[] { "Gummies", "Chocolate", "Baked Goods" }[r.Next(3)];
                (category, sub) = ("Edibles", edible);
                name = edible switch
                {
                    "Gummies" => $"{flavour} Soft Chews",
                    "Chocolate" => $"{(r.Next(2) == 0 ? "Dark" : "Milk")} Chocolate {flavour}",
                    _ => $"{flavour} Cookie",
                };
                break;
            case "beverages":
                (category, sub) = ("Beverages", r.Next(2) == 0 ? "Sparkling Water" : "Iced Tea");
                name = $"{flavour} {sub}";
                break;
            case "topicals":
                (category, sub, name) = ("Topicals", r.Next(2) == 0 ? "Lotions" : "Balms", $"{(cbdDominant ? "CBD" : "Cooling")} {(r.Next(2) == 0 ? "Balm" : "Lotion")}");
                break;
            case "capsules":
                (category, sub, name) = ("Capsules", "Softgels", $"{(cbdDominant ? "CBD" : "THC")} 10 Softgels");
                break;
            case "seeds":
                (category, sub, name) = ("Seeds", "Feminized Seeds", $"{strain.Name} Feminized Seeds");
                break;
            default:
                var gear = new[] { ("Grinders", "Aluminium Grinder"), ("Rolling Papers", "King Size Rolling Papers"), ("Batteries", "510 Thread Battery"), ("Vaporizers", "Dry Herb Vaporizer") }[r.Next(4)];
                (category, sub, name) = ("Accessories", gear.Item1, gear.Item2);
                break;
        }
        var cannabisClass = Equivalency.Classify(category, sub);
        var isCannabis = cannabisClass != CannabisClass.Accessory;
        var sku = $"{item}_{size.Code}";
        // GTIN-12 (UPC) for a third of the rows, GTIN-13 for the rest; the serial is the row index, so they never repeat.
        var gtin = index % 3 == 0
            ? Gtin.WithCheckDigit("6" + (270_000_000 + index).ToString("D10", CultureInfo.InvariantCulture))
            : Gtin.WithCheckDigit("754" + index.ToString("D9", CultureInfo.InvariantCulture));

        set("Category", category);
        set("Sub-Category", sub);
        set("Sub-Sub-Category", isCannabis ? strain.Type : null);
        set("Product Name", name);
        set("Brand", brand.Name);
        set("Supplier Name", brand.Supplier);
        set("Product Short Description", isCannabis ? $"{brand.Name} {name}: {terpenes.ToLowerInvariant()} forward." : $"{brand.Name} {name}.");
        set("Product Long Description", isCannabis
            ? $"{name} by {brand.Name}. A {strain.Type.ToLowerInvariant()} with notes of {flavour.ToLowerInvariant()}; dominant terpenes {terpenes}."
            : $"{name} by {brand.Name}, made to last.");
        set("Size", size.Label);
        set("Colour", slug == "accessories" ? new[] { "Black", "Silver", "Green", "Natural" }[r.Next(4)] : null);
        set("Image URL", $"/img/products/{slug}.svg");
        set("Unit of Measure", "EA");
        set("Stock Status", r.Next(20) == 0 ? "Limited" : "Active");
        set("Unit Price", size.Price);
        set("Pack Size", size.Items > 1 ? $"{size.Items} pack" : "1");
        set("Number of Items in a Retail Pack", size.Items);
        set("GTIN", gtin);
        set("OCS Item Number", item);
        set("OCS Variant Number", sku);
        set("Street Name", isCannabis && slug is "flower" or "pre-rolls" or "vapes" or "seeds" ? strain.Name : null);
        set("Plant Type", isCannabis ? $"{strain.Type} Dominant" : null);
        set("Strain Type", isCannabis ? (cbdDominant ? "Blend" : strain.Type) : null);
        set("Terpenes", isCannabis && slug is not ("seeds" or "beverages") ? terpenes : null);
        set("Ontario Grown", isCannabis && brand.Ontario);
        set("Craft", isCannabis && brand.Craft);
        set("Fulfilment Method", "OCS Warehouse");
        set("Delivery Tier", r.Next(4) == 0 ? "Tier 2" : "Tier 1");
        set("Inventory Status", "Active");
        set("Eaches Per Inner Pack", slug == "beverages" ? 4 : 6);
        set("Eaches Per Master Case", slug == "beverages" ? 24 : 60 + 12 * r.Next(5));
        set("Physical Dimension Width", Math.Round(4 + (decimal)r.NextDouble() * 6, 1));
        set("Physical Dimension Height", Math.Round(6 + (decimal)r.NextDouble() * 10, 1));
        set("Physical Dimension Depth", Math.Round(2 + (decimal)r.NextDouble() * 4, 1));
        set("Physical Dimension Volume", Math.Round(50 + (decimal)r.NextDouble() * 400, 1));
        set("Physical Dimension Weight", Math.Round(size.NetWeight + 20 + (decimal)r.NextDouble() * 60, 1));
        set("Storage Criteria", isCannabis ? "Store in a cool, dry place away from light." : null);
        set("Net Weight", isCannabis ? size.NetWeight : null);
        set("GrowingMethod", slug is "flower" or "pre-rolls" ? (r.Next(3) == 0 ? "Greenhouse" : "Indoor") : null);
        set("Grow Medium", slug is "flower" or "pre-rolls" ? (r.Next(2) == 0 ? "Living soil" : "Coco coir") : null);
        set("Grow Method", slug is "flower" or "pre-rolls" ? (r.Next(2) == 0 ? "Hand-watered" : "Hydroponic") : null);
        set("Grow Region", slug is "flower" or "pre-rolls" ? (brand.Ontario ? "Ontario" : new[] { "British Columbia", "Quebec", "Alberta" }[r.Next(3)]) : null);
        set("Drying Method", slug is "flower" or "pre-rolls" ? (brand.Craft ? "Hang dried" : "Rack dried") : null);
        set("Trimming Method", slug is "flower" or "pre-rolls" ? (brand.Craft ? "Hand trimmed" : "Machine trimmed") : null);

        // Potency as labels give it.
        switch (slug)
        {
            case "flower" or "pre-rolls":
                if (cbdDominant)
                {
                    var cbd = 8 + r.Next(8);
                    set("Minimum THC Content (%)", 0m);
                    set("Maximum THC Content (%)", 1m);
                    set("Minimum CBD Content (%)", (decimal)cbd);
                    set("Maximum CBD Content (%)", (decimal)(cbd + r.Next(4)));
                }
                else
                {
                    var thc = 15 + r.Next(13);
                    set("Minimum THC Content (%)", (decimal)thc);
                    set("Maximum THC Content (%)", (decimal)Math.Min(30, thc + r.Next(4)));
                    set("Minimum CBD Content (%)", 0m);
                    set("Maximum CBD Content (%)", r.Next(2) == 0 ? 0.5m : 1m);
                }
                break;
            case "vapes":
                var vape = 700 + 10 * r.Next(20);
                set("Minimum THC Content (%)", (decimal)vape);
                set("Maximum THC Content (%)", (decimal)(vape + 10 * r.Next(8)));
                set("Heating Element Type", r.Next(2) == 0 ? "Ceramic" : "Quartz");
                set("Compatibility", sub == "Disposable Vapes" ? "All-in-one" : "510 thread batteries");
                set("Rechargeable Battery", sub == "Disposable Vapes" && r.Next(2) == 0);
                set("Extraction Process", r.Next(2) == 0 ? "CO2" : "Hydrocarbon");
                break;
            case "extracts" when sub == "Oils":
                var perMl = 10 + 10 * r.Next(3);
                set(cbdDominant ? "CBD Content Per Volume" : "THC Content Per Volume", (decimal)perMl);
                set(cbdDominant ? "THC Content Per Volume" : "CBD Content Per Volume", r.Next(2) == 0 ? 0m : 1m);
                set("Carrier Oil", r.Next(2) == 0 ? "MCT oil" : "Sunflower oil");
                set("Size", "30 mL");
                set("Net Weight", 27.6m);
                break;
            case "extracts":
                var conc = sub == "Hash" ? 400 + 10 * r.Next(20) : 650 + 10 * r.Next(25);
                set("Minimum THC Content (%)", (decimal)conc);
                set("Maximum THC Content (%)", (decimal)(conc + 10 * r.Next(6)));
                set("Extraction Process", sub is "Hash" or "Rosin" ? "Solventless (ice water)" : "Hydrocarbon");
                break;
            case "edibles":
                set("THC Content Per Unit", cbdDominant ? 0.5m : new[] { 2.5m, 2.5m, 1m }[r.Next(3)]);
                set("CBD Content Per Unit", cbdDominant ? 5m : 0m);
                set("Food Allergens", sub == "Chocolate" ? "Milk, Soy" : sub == "Baked Goods" ? "Wheat, Eggs, Milk" : null);
                set("Ingredients", sub == "Gummies" ? "Sugar, glucose syrup, pectin, citric acid, natural flavour, cannabis extract"
                    : sub == "Chocolate" ? "Cocoa mass, sugar, cocoa butter, soy lecithin, cannabis extract"
                    : "Wheat flour, butter, sugar, eggs, cannabis extract");
                break;
            case "beverages":
                set("THC Content Per Unit", cbdDominant ? 2m : new[] { 2.5m, 5m, 10m }[r.Next(3)]);
                set("CBD Content Per Unit", cbdDominant ? 10m : 0m);
                set("Ingredients", "Carbonated water, natural flavour, citric acid, cannabis emulsion");
                break;
            case "topicals":
                set("THC Content Per Volume", cbdDominant ? 0m : 4m);
                set("CBD Content Per Volume", cbdDominant ? 20m : 4m);
                set("Ingredients", "Shea butter, coconut oil, beeswax, menthol, cannabis extract");
                break;
            case "capsules":
                set("THC Content Per Unit", cbdDominant ? 0m : 10m);
                set("CBD Content Per Unit", cbdDominant ? 10m : 0m);
                set("Carrier Oil", "MCT oil");
                break;
            case "accessories" when sub == "Batteries":
                set("Battery Type", "510 thread");
                set("Rechargeable Battery", true);
                set("Removable Battery", false);
                set("Compatibility", "510 thread cartridges");
                break;
            case "accessories" when sub == "Vaporizers":
                set("Battery Type", "Lithium-ion");
                set("Rechargeable Battery", true);
                set("Removable Battery", r.Next(2) == 0);
                set("Replacement Parts Available", true);
                set("Temperature Control", true);
                set("Temperature Display", r.Next(2) == 0);
                set("Heating Element Type", "Convection");
                break;
        }

        // Half of the cannabis rows carry the equivalency, as OCS files do; the rest are left for the import to derive.
        if (isCannabis && r.Next(2) == 0)
        {
            var amount = cannabisClass == CannabisClass.Seeds ? size.Items : slug == "extracts" && sub == "Oils" ? 27.6m : size.NetWeight;
            set("Dried Flower Cannabis Equivalency", Equivalency.ForUnit(cannabisClass, amount));
        }
    }
}
