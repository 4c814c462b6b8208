using System.Globalization;
using WeedGo.Core.Ordering;

namespace WeedGo.Core.Pricing;

/// <summary>Short words for a promotion: product-card badges ("20% off", "Buy 2 get 1 50% off", "3 for $30.00").</summary>
public static class PromotionLabels
{
    public static string Short(Promotion p) => p.Type switch
    {
        PromotionType.PercentOff => $"{Pct(p.Percent)} off",
        PromotionType.AmountOff => p.AmountPerUnit ? $"{OrderMath.Money(p.Amount ?? 0)} off each" : $"{OrderMath.Money(p.Amount ?? 0)} off",
        PromotionType.FixedPrice => $"Now {OrderMath.Money(p.Price ?? 0)}",
        // Never "free" for products: cannabis may not be given away (the engine charges at least $0.01 a unit), so a 100 %
        // deal reads as a price: "Buy 2, pay for 1".
        PromotionType.BuyXGetY => p.Percent >= 100
            ? $"Buy {p.BuyQuantity + p.GetQuantity}, pay for {p.BuyQuantity}"
            : $"Buy {p.BuyQuantity} get {p.GetQuantity} {Pct(p.Percent)} off",
        PromotionType.Bundle => $"{p.BundleQuantity} for {OrderMath.Money(p.Price ?? 0)}",
        PromotionType.SpendThreshold => p.Tiers.Count == 0 ? "Spend and save"
            : p.Tiers.OrderBy(t => t.MinimumSpend).First() is var t
                ? $"Spend {OrderMath.Money(t.MinimumSpend)}, save {(t.Percent is { } tp ? Pct(tp) : OrderMath.Money(t.Amount ?? 0))}"
                : "",
        PromotionType.DeliveryFee => p.Percent >= 100 ? "Free delivery" : p.Percent is { } dp ? $"{Pct(dp)} off delivery" : $"{OrderMath.Money(p.Amount ?? 0)} off delivery",
        _ => p.Name,
    };

    public static string Pct(decimal? percent) => (percent ?? 0).ToString("0.##", CultureInfo.InvariantCulture) + "%";
}
