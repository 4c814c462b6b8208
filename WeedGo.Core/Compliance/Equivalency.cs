namespace WeedGo.Core.Compliance;

/// <summary>Classes of Schedule 3 of the Cannabis Act (for the 30 g dried-equivalent purchase limit).</summary>
public enum CannabisClass
{
    Dried,
    Fresh,
    Solid,
    NonSolid,
    Beverage,
    Concentrate,
    Seeds,
    Accessory,
}

/// <summary>
/// Dried-flower equivalency from Schedule 3: 1 g dried equals 5 g fresh, 15 g solids (edibles), 70 g non-solids,
/// 570 g beverages, 0.25 g concentrates, 1 seed. Accessories count 0.
/// </summary>
public static class Equivalency
{
    /// <summary>Ontario's default per-order limit in grams of dried cannabis.</summary>
    public const decimal OntarioLimitGrams = 30m;

    /// <summary>Grams (or seeds, or mL for drinks) of a class that equal 1 g of dried cannabis.</summary>
    public static decimal AmountPerDriedGram(CannabisClass c) => c switch
    {
        CannabisClass.Dried => 1m,
        CannabisClass.Fresh => 5m,
        CannabisClass.Solid => 15m,
        CannabisClass.NonSolid => 70m,
        CannabisClass.Beverage => 570m,
        CannabisClass.Concentrate => 0.25m,
        CannabisClass.Seeds => 1m,
        _ => 0m,
    };

    /// <summary>Dried-gram equivalent of one unit holding <paramref name="netAmount"/> grams (mL for drinks, seeds for seeds).</summary>
    public static decimal ForUnit(CannabisClass c, decimal netAmount) =>
        c == CannabisClass.Accessory || netAmount <= 0 ? 0m : Math.Round(netAmount / AmountPerDriedGram(c), 4, MidpointRounding.AwayFromZero);

    /// <summary>Reads the class from the OCS category path (e.g. "Flower" / "Edibles" / "Beverages" / "Extracts").</summary>
    public static CannabisClass Classify(string? category, string? subCategory)
    {
        var text = $"{category} {subCategory}".ToLowerInvariant();
        if (text.Contains("accessor") || text.Contains("device") || text.Contains("battery") || text.Contains("grinder") || text.Contains("paper"))
        {
            return CannabisClass.Accessory;
        }
        if (text.Contains("seed"))
        {
            return CannabisClass.Seeds;
        }
        if (text.Contains("beverage") || text.Contains("drink"))
        {
            return CannabisClass.Beverage;
        }
        if (text.Contains("edible") || text.Contains("chocolate") || text.Contains("gumm") || text.Contains("baked") || text.Contains("chew"))
        {
            return CannabisClass.Solid;
        }
        if (text.Contains("oil") || text.Contains("topical") || text.Contains("spray") || text.Contains("tincture") || text.Contains("capsule"))
        {
            return CannabisClass.NonSolid;
        }
        if (text.Contains("extract") || text.Contains("vape") || text.Contains("concentrate") || text.Contains("hash") || text.Contains("resin") || text.Contains("rosin") || text.Contains("shatter") || text.Contains("kief"))
        {
            return CannabisClass.Concentrate;
        }
        if (text.Contains("fresh"))
        {
            return CannabisClass.Fresh;
        }
        return CannabisClass.Dried; // flower, pre-rolls, milled
    }
}
