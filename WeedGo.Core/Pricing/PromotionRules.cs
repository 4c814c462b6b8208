using WeedGo.Core.Ordering;

namespace WeedGo.Core.Pricing;

/// <summary>What a save-time check found: <see cref="Errors"/> stop the save; <see cref="Warnings"/> tell staff that the
/// engine's guardrails will step in (e.g. "free" cannabis becomes $0.01 a unit).</summary>
public sealed record PromotionValidation(IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>Save-time checks of a promotion, in plain words. Pure.</summary>
public static class PromotionRules
{
    public const int MaxCodeLength = 40;

    public static PromotionValidation Validate(Promotion p)
    {
        var errors = new List<string>();
        var warnings = new List<string>();
        if (string.IsNullOrWhiteSpace(p.Name))
        {
            errors.Add("Give the promotion a name.");
        }
        else if (p.Name.Trim().Length > 200)
        {
            errors.Add("Keep the name under 200 characters.");
        }
        if (p.Description is { Length: > 500 })
        {
            errors.Add("Keep the description under 500 characters.");
        }
        if (Promotion.NormalizeCode(p.Code) is { } code)
        {
            if (code.Length > MaxCodeLength)
            {
                errors.Add($"A code can be at most {MaxCodeLength} characters.");
            }
            if (!code.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                errors.Add("A code may use letters, digits, '-' and '_' only (no spaces).");
            }
        }
        if (p.Priority is < -1000 or > 1000)
        {
            errors.Add("Priority must be between -1000 and 1000.");
        }

        switch (p.Type)
        {
            case PromotionType.PercentOff:
                Percent(p.Percent, "Percent off", errors);
                if (p.Percent >= 100)
                {
                    warnings.Add("100% off would give items away: cannabis is never free, so the engine will charge $0.01 a unit.");
                }
                break;
            case PromotionType.AmountOff:
                Positive(p.Amount, "The amount off", errors);
                break;
            case PromotionType.FixedPrice:
                if (p.Price is not { } price || price <= 0)
                {
                    errors.Add("The fixed price must be more than $0.00.");
                }
                else
                {
                    Cents(price, "The fixed price", errors);
                }
                break;
            case PromotionType.BuyXGetY:
                if (p.BuyQuantity is not >= 1)
                {
                    errors.Add("Buy X: X must be at least 1.");
                }
                if (p.GetQuantity is not >= 1)
                {
                    errors.Add("Get Y: Y must be at least 1.");
                }
                if (p.BuyQuantity + p.GetQuantity > 20)
                {
                    errors.Add("Buy X get Y: X + Y can be at most 20 (the most of one product per order line).");
                }
                Percent(p.Percent, "The discount on the Y items", errors);
                if (p.Percent >= 100)
                {
                    warnings.Add("\"Get Y free\": cannabis is never given away, so the engine charges at least $0.01 a unit and spreads the discount over the items the deal covers.");
                }
                break;
            case PromotionType.Bundle:
                if (p.BundleQuantity is not >= 2)
                {
                    errors.Add("A bundle needs at least 2 items.");
                }
                if (p.Price is not { } bundlePrice || bundlePrice <= 0)
                {
                    errors.Add("The bundle price must be more than $0.00.");
                }
                else
                {
                    Cents(bundlePrice, "The bundle price", errors);
                    if (p.BundleQuantity is { } size && bundlePrice < 0.01m * size)
                    {
                        warnings.Add($"A bundle of {size} for {OrderMath.Money(bundlePrice)} is under $0.01 an item; the engine keeps every cannabis item at $0.01 or more.");
                    }
                }
                break;
            case PromotionType.SpendThreshold:
                if (p.Tiers.Count == 0)
                {
                    errors.Add("Add at least one spend tier.");
                }
                foreach (var t in p.Tiers)
                {
                    if (t.MinimumSpend <= 0)
                    {
                        errors.Add("Each tier's minimum spend must be more than $0.00.");
                    }
                    if ((t.Percent is null) == (t.Amount is null))
                    {
                        errors.Add($"The {OrderMath.Money(t.MinimumSpend)} tier needs either a percent or an amount off (one of them).");
                    }
                    Percent(t.Percent, $"The {OrderMath.Money(t.MinimumSpend)} tier's percent", errors, optional: true);
                    if (t.Amount is { } a && a <= 0)
                    {
                        errors.Add($"The {OrderMath.Money(t.MinimumSpend)} tier's amount off must be more than $0.00.");
                    }
                    if (t.Amount is { } amount && amount >= t.MinimumSpend)
                    {
                        warnings.Add($"The {OrderMath.Money(t.MinimumSpend)} tier takes off {OrderMath.Money(amount)}, the whole spend: the engine keeps every cannabis item at $0.01 or more.");
                    }
                    if (t.Percent >= 100)
                    {
                        warnings.Add("A 100% tier would give items away: the engine keeps every cannabis item at $0.01 or more.");
                    }
                }
                if (p.Tiers.GroupBy(t => t.MinimumSpend).Any(g => g.Count() > 1))
                {
                    errors.Add("Two tiers have the same minimum spend.");
                }
                break;
            case PromotionType.DeliveryFee:
                if ((p.Percent is null) == (p.Amount is null))
                {
                    errors.Add("A delivery-fee discount needs either a percent (100 = free delivery) or an amount off (one of them).");
                }
                Percent(p.Percent, "The percent off delivery", errors, optional: true);
                if (p.Amount is { } fee && fee <= 0)
                {
                    errors.Add("The amount off delivery must be more than $0.00.");
                }
                if (p.Fulfilment == Fulfilment.Pickup)
                {
                    errors.Add("A delivery-fee discount cannot be limited to pickup orders.");
                }
                break;
        }

        if (p.MinimumSubtotal is < 0)
        {
            errors.Add("The minimum order cannot be negative.");
        }
        if (p.StartsAt is { } start && p.EndsAt is { } end && end <= start)
        {
            errors.Add("The end date must be after the start date.");
        }
        foreach (var w in p.Windows)
        {
            if (w.Days.Count == 0)
            {
                errors.Add("A time window needs at least one day of the week.");
            }
            if (w.End == w.Start)
            {
                errors.Add($"A time window cannot end when it starts ({w.Start:HH\\:mm}); for all day, leave the window out.");
            }
        }
        if (p.UsageLimit is < 1)
        {
            errors.Add("The usage limit must be at least 1 (or empty for no limit).");
        }
        if (p.PerCustomerLimit is < 1)
        {
            errors.Add("The per-customer limit must be at least 1 (or empty for no limit).");
        }
        if (p.UsageLimit is { } overall && p.PerCustomerLimit > overall)
        {
            warnings.Add("The per-customer limit is higher than the overall limit; the overall limit wins.");
        }
        if (p.Type == PromotionType.AmountOff && p.Amount is { } off && p.MinimumSubtotal is { } minimum && off >= minimum && !p.AmountPerUnit)
        {
            warnings.Add("The amount off is as large as the minimum order: the engine keeps every cannabis item at $0.01 or more.");
        }
        return new PromotionValidation(errors.Distinct().ToList(), warnings.Distinct().ToList());
    }

    private static void Percent(decimal? value, string what, List<string> errors, bool optional = false)
    {
        if (value is null)
        {
            if (!optional)
            {
                errors.Add($"{what} is required.");
            }
            return;
        }
        if (value <= 0 || value > 100)
        {
            errors.Add($"{what} must be more than 0% and at most 100%.");
        }
        else if (decimal.Round(value.Value, 2) != value)
        {
            errors.Add($"{what} can have at most 2 decimals.");
        }
    }

    private static void Positive(decimal? value, string what, List<string> errors)
    {
        if (value is not { } v || v <= 0)
        {
            errors.Add($"{what} must be more than $0.00.");
        }
        else
        {
            Cents(v, what, errors);
        }
    }

    private static void Cents(decimal value, string what, List<string> errors)
    {
        if (decimal.Round(value, 2) != value)
        {
            errors.Add($"{what} must be in dollars and cents (2 decimals).");
        }
        if (value > 100_000m)
        {
            errors.Add($"{what} is too large.");
        }
    }
}
