using System.Globalization;
using WeedGo.Core.Accounts;
using WeedGo.Core.Ordering;
using WeedGo.Core.Pricing;
using WeedGo.Core.Tenancy;

namespace WeedGo.Web.Components.Admin.Promotions;

/// <summary>A recurring window as the form edits it: days and "HH:mm" texts (from time inputs).</summary>
public sealed class WindowRow
{
    public HashSet<DayOfWeek> Days { get; set; } = [];
    public string Start { get; set; } = "";
    public string End { get; set; } = "";
}

/// <summary>A spend tier as the form edits it: minimum spend, and percent or amount off.</summary>
public sealed class TierRow
{
    public decimal? MinimumSpend { get; set; }
    public bool IsPercent { get; set; } = true;
    public decimal? Value { get; set; }
}

/// <summary>
/// The create/edit form's state. Every type keeps its own fields while staff switch types; <see cref="ToDraft"/> builds the
/// <see cref="Promotion"/> with only the chosen type's fields, which is what is validated, previewed and saved. Dates are
/// whole days in the store's time zone: starts at the start of the first day, ends after the last day (the end is exclusive).
/// </summary>
public sealed class PromotionForm
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public Guid? Id { get; set; }
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public PromotionType Type { get; set; } = PromotionType.PercentOff;
    public bool UsesCode { get; set; }
    public string? Code { get; set; }
    public bool Enabled { get; set; } = true;
    public int Priority { get; set; }
    public bool Exclusive { get; set; }

    public decimal? Percent { get; set; }
    public decimal? Amount { get; set; }
    public bool AmountPerUnit { get; set; }
    public decimal? FixedPrice { get; set; }
    public int? BuyQuantity { get; set; } = 2;
    public int? GetQuantity { get; set; } = 1;
    public decimal? GetPercent { get; set; } = 50;
    public BuyXGetYMode Mode { get; set; }
    public int? BundleQuantity { get; set; } = 3;
    public decimal? BundlePrice { get; set; }
    public List<TierRow> Tiers { get; set; } = [new()];
    public bool DeliveryIsPercent { get; set; } = true;
    public decimal? DeliveryValue { get; set; } = 100;
    public decimal? MinimumSubtotal { get; set; }

    public IReadOnlyCollection<Guid> StoreIds { get; set; } = [];
    public IReadOnlyCollection<string> Categories { get; set; } = [];
    public IReadOnlyCollection<string> Brands { get; set; } = [];
    public List<(Guid Id, string Name)> Products { get; set; } = [];
    public CustomerType? CustomerType { get; set; }
    public Fulfilment? Fulfilment { get; set; }
    public bool FirstOrderOnly { get; set; }

    /// <summary>"yyyy-MM-dd" in store time (from a date input), or empty.</summary>
    public string? StartDate { get; set; }
    public string? EndDate { get; set; }
    public List<WindowRow> Windows { get; set; } = [];

    public int? UsageLimit { get; set; }
    public int? PerCustomerLimit { get; set; }
    public int UsedCount { get; set; }

    /// <summary>Problems the form itself finds (a time it cannot read) before the rules see the draft.</summary>
    public List<string> FormErrors { get; } = [];

    public static PromotionForm From(Promotion p, string timeZoneId, IReadOnlyDictionary<Guid, string> productNames)
    {
        var f = new PromotionForm
        {
            Id = p.Id, Name = p.Name, Description = p.Description, Type = p.Type, UsesCode = p.Code is not null, Code = p.Code, Enabled = p.Enabled,
            Priority = p.Priority, Exclusive = p.Exclusive, MinimumSubtotal = p.MinimumSubtotal, StoreIds = p.StoreIds.ToList(),
            Categories = p.Categories.ToList(), Brands = p.Brands.ToList(),
            Products = p.ProductIds.Select(id => (id, productNames.GetValueOrDefault(id) ?? id.ToString())).ToList(),
            CustomerType = p.CustomerType, Fulfilment = p.Fulfilment, FirstOrderOnly = p.FirstOrderOnly,
            UsageLimit = p.UsageLimit, PerCustomerLimit = p.PerCustomerLimit, UsedCount = p.UsedCount,
            Windows = p.Windows.Select(w => new WindowRow { Days = [.. w.Days], Start = w.Start.ToString("HH:mm", Invariant), End = w.End.ToString("HH:mm", Invariant) }).ToList(),
        };
        switch (p.Type)
        {
            case PromotionType.PercentOff: f.Percent = p.Percent; break;
            case PromotionType.AmountOff: (f.Amount, f.AmountPerUnit) = (p.Amount, p.AmountPerUnit); break;
            case PromotionType.FixedPrice: f.FixedPrice = p.Price; break;
            case PromotionType.BuyXGetY: (f.BuyQuantity, f.GetQuantity, f.GetPercent, f.Mode) = (p.BuyQuantity, p.GetQuantity, p.Percent, p.BuyXGetYMode); break;
            case PromotionType.Bundle: (f.BundleQuantity, f.BundlePrice) = (p.BundleQuantity, p.Price); break;
            case PromotionType.SpendThreshold:
                f.Tiers = p.Tiers.Select(t => new TierRow { MinimumSpend = t.MinimumSpend, IsPercent = t.Percent is not null, Value = t.Percent ?? t.Amount }).ToList();
                break;
            case PromotionType.DeliveryFee: (f.DeliveryIsPercent, f.DeliveryValue) = (p.Percent is not null, p.Percent ?? p.Amount); break;
        }
        if (p.StartsAt is { } s)
        {
            f.StartDate = StoreHours.AtStore(timeZoneId, s).ToString("yyyy-MM-dd", Invariant);
        }
        if (p.EndsAt is { } e)
        {
            var local = StoreHours.AtStore(timeZoneId, e);
            f.EndDate = (local.TimeOfDay == TimeSpan.Zero ? local.AddDays(-1) : local).ToString("yyyy-MM-dd", Invariant);
        }
        return f;
    }

    /// <summary>The promotion as it would be saved: only the chosen type's amounts, dates as instants of the store's zone.</summary>
    public Promotion ToDraft(string timeZoneId)
    {
        FormErrors.Clear();
        var p = new Promotion
        {
            Name = Name ?? "", Description = Description, Type = Type, Code = UsesCode ? Code : null, Enabled = Enabled, Priority = Priority,
            Exclusive = Exclusive, MinimumSubtotal = MinimumSubtotal, StoreIds = StoreIds.ToList(), Categories = Categories.ToList(),
            Brands = Brands.ToList(), ProductIds = Products.Select(x => x.Id).ToList(), CustomerType = CustomerType,
            Fulfilment = Fulfilment, FirstOrderOnly = FirstOrderOnly, UsageLimit = UsageLimit, PerCustomerLimit = PerCustomerLimit, UsedCount = UsedCount,
        };
        if (Id is { } id)
        {
            p.Id = id;
        }
        if (UsesCode && string.IsNullOrWhiteSpace(Code))
        {
            FormErrors.Add("Enter the code shoppers type, or make the promotion automatic.");
        }
        switch (Type)
        {
            case PromotionType.PercentOff: p.Percent = Percent; break;
            case PromotionType.AmountOff: (p.Amount, p.AmountPerUnit) = (Amount, AmountPerUnit); break;
            case PromotionType.FixedPrice: p.Price = FixedPrice; break;
            case PromotionType.BuyXGetY: (p.BuyQuantity, p.GetQuantity, p.Percent, p.BuyXGetYMode) = (BuyQuantity, GetQuantity, GetPercent, Mode); break;
            case PromotionType.Bundle: (p.BundleQuantity, p.Price) = (BundleQuantity, BundlePrice); break;
            case PromotionType.SpendThreshold:
                p.Tiers = Tiers.Select(t => new SpendTier
                {
                    MinimumSpend = t.MinimumSpend ?? 0, Percent = t.IsPercent ? t.Value : null, Amount = t.IsPercent ? null : t.Value,
                }).ToList();
                break;
            case PromotionType.DeliveryFee:
                (p.Percent, p.Amount) = DeliveryIsPercent ? (DeliveryValue, (decimal?)null) : ((decimal?)null, DeliveryValue);
                break;
        }
        p.StartsAt = Day(StartDate, timeZoneId, "start");
        p.EndsAt = Day(EndDate, timeZoneId, "end")?.Let(e => StoreMidnightAfter(e, timeZoneId));
        foreach (var w in Windows)
        {
            // Time inputs give "HH:mm" (or "HH:mm:ss" when a browser adds seconds).
            if (!TimeOnly.TryParse(w.Start ?? "", Invariant, DateTimeStyles.None, out var start)
                || !TimeOnly.TryParse(w.End ?? "", Invariant, DateTimeStyles.None, out var end))
            {
                FormErrors.Add("A time window needs a start and an end time (HH:mm).");
                continue;
            }
            p.Windows.Add(new PromotionWindow { Days = w.Days.OrderBy(d => d).ToList(), Start = start, End = end });
        }
        return p;
    }

    private DateTimeOffset? Day(string? text, string timeZoneId, string which)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", Invariant, DateTimeStyles.None, out var date))
        {
            FormErrors.Add($"The {which} date is not a date (yyyy-MM-dd).");
            return null;
        }
        return StoreMidnight(date, timeZoneId);
    }

    /// <summary>The instant the store's clock reads 00:00 on <paramref name="date"/>.</summary>
    public static DateTimeOffset StoreMidnight(DateOnly date, string timeZoneId) => AtStoreClock(date.ToDateTime(TimeOnly.MinValue), timeZoneId);

    /// <summary>The instant the store's clock reads <paramref name="local"/> (a skipped DST time moves forward an hour).</summary>
    public static DateTimeOffset AtStoreClock(DateTime local, string timeZoneId)
    {
        var zone = StoreHours.Zone(timeZoneId);
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(unspecified))
        {
            unspecified = unspecified.AddHours(1);
        }
        return new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified)).ToUniversalTime();
    }

    private static DateTimeOffset StoreMidnightAfter(DateTimeOffset dayStart, string timeZoneId) =>
        StoreMidnight(DateOnly.FromDateTime(StoreHours.AtStore(timeZoneId, dayStart).Date).AddDays(1), timeZoneId);
}

internal static class FormExtensions
{
    public static TOut Let<TIn, TOut>(this TIn value, Func<TIn, TOut> f) => f(value);
}
