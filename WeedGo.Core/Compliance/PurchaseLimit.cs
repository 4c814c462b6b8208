using System.Globalization;

namespace WeedGo.Core.Compliance;

/// <summary>One cart or order line as the purchase limit sees it: how many units, each counting as so many dried grams.</summary>
public readonly record struct LimitLine(Guid ProductId, int Quantity, decimal GramsPerUnit);

/// <summary>Where an order stands against the per-order limit: "18.5 g of 30 g".</summary>
public sealed record LimitMeter(decimal UsedGrams, decimal LimitGrams)
{
    public decimal RemainingGrams => Math.Max(0, LimitGrams - UsedGrams);
    public bool IsOver => UsedGrams > LimitGrams;
    /// <summary>0–100, for a progress bar.</summary>
    public double Percent => LimitGrams <= 0 ? 0 : (double)Math.Min(100m, UsedGrams / LimitGrams * 100m);
    public string Describe() => $"{PurchaseLimit.Grams(UsedGrams)} of {PurchaseLimit.Grams(LimitGrams)}";
}

/// <summary>
/// The per-order purchase limit (Ontario: 30 g of dried cannabis or its equivalent, see DOMAIN.md). Pure: the cart, checkout
/// and staff-created orders all ask the same questions here.
/// </summary>
public static class PurchaseLimit
{
    public static LimitMeter Measure(IEnumerable<LimitLine> lines, decimal limitGrams) =>
        new(lines.Sum(l => l.Quantity * l.GramsPerUnit), limitGrams);

    /// <summary>Null when <paramref name="lines"/> with <paramref name="quantity"/> more of <paramref name="gramsPerUnit"/> stay
    /// within the limit; otherwise the reason, in words.</summary>
    public static string? RefuseAddition(IEnumerable<LimitLine> lines, decimal gramsPerUnit, int quantity, decimal limitGrams, string productName)
    {
        var meter = Measure(lines, limitGrams);
        var adding = gramsPerUnit * quantity;
        if (adding <= 0 || meter.UsedGrams + adding <= limitGrams)
        {
            return null;
        }
        var fits = gramsPerUnit <= 0 ? quantity : (int)Math.Floor(meter.RemainingGrams / gramsPerUnit);
        var room = fits <= 0
            ? "No more of it fits in this order."
            : $"At most {fits} more {(fits == 1 ? "unit" : "units")} of it would fit.";
        return $"Adding {productName} would bring this order to {Grams(meter.UsedGrams + adding)} of dried-cannabis equivalent, " +
               $"over the legal limit of {Grams(limitGrams)} per order (it has {Grams(meter.UsedGrams)} now). {room}";
    }

    public static string Grams(decimal grams) =>
        (Math.Round(grams, 2, MidpointRounding.AwayFromZero) % 1 == 0
            ? Math.Round(grams, 0, MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture)
            : Math.Round(grams, 2, MidpointRounding.AwayFromZero).ToString("0.##", CultureInfo.InvariantCulture)) + " g";
}

/// <summary>The legal age rule, as services check it (the storefront's gate asks; checkout decides by the birth date).</summary>
public static class LegalAge
{
    public static int AgeOn(DateOnly birthDate, DateOnly today)
    {
        var age = today.Year - birthDate.Year;
        return birthDate > today.AddYears(-age) ? age - 1 : age;
    }

    public static bool IsOfAge(DateOnly birthDate, DateOnly today, int minimumAge) => AgeOn(birthDate, today) >= minimumAge;

    /// <summary>
    /// The storefront's age gate: a signed-in customer's birth date decides; otherwise the visitor's own confirmation for this
    /// browser session (the age they confirmed, so a stricter province asks again); otherwise ask.
    /// </summary>
    public static AgeGateDecision Gate(DateOnly? birthDate, int? confirmedAge, DateOnly today, int minimumAge) =>
        birthDate is { } born ? (IsOfAge(born, today, minimumAge) ? AgeGateDecision.Enter : AgeGateDecision.Refuse)
        : confirmedAge >= minimumAge ? AgeGateDecision.Enter
        : AgeGateDecision.Ask;
}

public enum AgeGateDecision
{
    Ask,
    Enter,
    Refuse,
}
