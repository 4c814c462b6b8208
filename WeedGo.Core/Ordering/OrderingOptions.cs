namespace WeedGo.Core.Ordering;

/// <summary>Ordering rules that are configuration (section <c>WeedGo:Ordering</c>); the defaults are Ontario's.</summary>
public sealed class OrderingOptions
{
    public const string Section = "WeedGo:Ordering";

    /// <summary>Dried-cannabis grams (or equivalent) one order may hold.</summary>
    public decimal PurchaseLimitGrams { get; set; } = Compliance.Equivalency.OntarioLimitGrams;
    public int MinimumAge { get; set; } = 19;
    /// <summary>Legal age by province or territory code where it differs from <see cref="MinimumAge"/> (Quebec 21, Alberta 18).</summary>
    public Dictionary<string, int> MinimumAgeByProvince { get; set; } = new(StringComparer.OrdinalIgnoreCase) { ["QC"] = 21, ["AB"] = 18 };

    /// <summary>The legal age where a store is.</summary>
    public int MinimumAgeFor(string? province) =>
        province is not null && MinimumAgeByProvince.TryGetValue(province.Trim(), out var age) ? age : MinimumAge;
    /// <summary>How long a checkout holds stock.</summary>
    public TimeSpan HoldFor { get; set; } = TimeSpan.FromMinutes(15);
    /// <summary>Ontario HST on cannabis and accessories.</summary>
    public decimal TaxRate { get; set; } = 0.13m;
    /// <summary>Delivery fee until the deliveries work sets it per zone.</summary>
    public decimal DeliveryFee { get; set; } = 5.00m;
    /// <summary>Earliest pickup is this long after ordering; slots are this far apart.</summary>
    public TimeSpan PickupLeadTime { get; set; } = TimeSpan.FromMinutes(15);
    public TimeSpan PickupSlot { get; set; } = TimeSpan.FromMinutes(15);
    public int PickupDays { get; set; } = 3;
    /// <summary>At most this many units of one product per line (a typing slip of 100 should not empty a shelf).</summary>
    public int MaxUnitsPerLine { get; set; } = 20;
}
