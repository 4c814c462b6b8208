using System.Globalization;
using MudBlazor;
using WeedGo.Core.Pricing;
using WeedGo.Core.Tenancy;

namespace WeedGo.Web.Components.Admin.Promotions;

/// <summary>How staff screens say promotion things: status names and colours, type names, schedules in store time.</summary>
public static class PromotionFormat
{
    private static readonly CultureInfo Canada = CultureInfo.GetCultureInfo("en-CA");

    /// <summary>Monday first, as a store's week reads.</summary>
    public static readonly DayOfWeek[] Week =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    public static readonly PromotionType[] Types =
        [PromotionType.PercentOff, PromotionType.AmountOff, PromotionType.FixedPrice, PromotionType.BuyXGetY, PromotionType.Bundle,
         PromotionType.SpendThreshold, PromotionType.DeliveryFee];

    public static string Status(PromotionStatus s) => s switch
    {
        PromotionStatus.ActiveNow => "Active now",
        PromotionStatus.Scheduled => "Scheduled",
        PromotionStatus.Expired => "Expired",
        PromotionStatus.Paused => "Paused",
        PromotionStatus.LimitReached => "Limit reached",
        _ => s.ToString(),
    };

    public static Color StatusColor(PromotionStatus s) => s switch
    {
        PromotionStatus.ActiveNow => Color.Success,
        PromotionStatus.Scheduled => Color.Info,
        PromotionStatus.Paused => Color.Warning,
        _ => Color.Default,
    };

    public static string Type(PromotionType t) => t switch
    {
        PromotionType.PercentOff => "Percent off",
        PromotionType.AmountOff => "Amount off",
        PromotionType.FixedPrice => "Fixed price",
        PromotionType.BuyXGetY => "Buy X get Y",
        PromotionType.Bundle => "Bundle",
        PromotionType.SpendThreshold => "Spend thresholds",
        PromotionType.DeliveryFee => "Delivery-fee discount",
        _ => t.ToString(),
    };

    /// <summary>A label with what it applies to: "20% off Pre-Rolls", "Free delivery".</summary>
    public static string Label(string label, IReadOnlyCollection<string>? categories)
        => categories is { Count: > 0 } ? $"{label} {string.Join(", ", categories)}" : label;

    /// <summary>"Fri–Sat 22:00–02:00 (crosses midnight)", "Every day 16:00–18:00", "Mon, Wed, Fri 12:00–13:00".</summary>
    public static string Window(PromotionWindow w)
    {
        var time = $"{w.Start:HH\\:mm}–{w.End:HH\\:mm}";
        var crosses = w.End < w.Start ? " (crosses midnight)" : "";
        return $"{Days(w.Days)} {time}{crosses}";
    }

    /// <summary>Days as runs of the week: "Mon–Fri", "Fri–Sat", "Mon, Wed", "Every day".</summary>
    public static string Days(IReadOnlyCollection<DayOfWeek> days)
    {
        if (days.Count == 7)
        {
            return "Every day";
        }
        var idx = days.Select(d => Array.IndexOf(Week, d)).Distinct().Order().ToList();
        var parts = new List<string>();
        for (var i = 0; i < idx.Count;)
        {
            var j = i;
            while (j + 1 < idx.Count && idx[j + 1] == idx[j] + 1)
            {
                j++;
            }
            parts.Add(j == i ? Short(Week[idx[i]]) : $"{Short(Week[idx[i]])}–{Short(Week[idx[j]])}");
            i = j + 1;
        }
        return string.Join(", ", parts);
    }

    private static string Short(DayOfWeek d) => d.ToString()[..3];

    /// <summary>Dates in store time ("from 2026-12-01", "until 2026-12-31", "2026-12-01 – 2026-12-31", "Always") and the windows.</summary>
    public static string Schedule(DateTimeOffset? starts, DateTimeOffset? ends, IReadOnlyList<PromotionWindow> windows, string timeZoneId)
    {
        var from = starts is { } s ? Local(s, timeZoneId) : null;
        var until = ends is { } e ? LastDay(e, timeZoneId) : null;
        var dates = (from, until) switch
        {
            (null, null) => windows.Count == 0 ? "Always" : "",
            ({ } f, null) => $"from {f}",
            (null, { } u) => $"until {u}",
            ({ } f, { } u) => $"{f} – {u}",
        };
        var times = string.Join("; ", windows.Select(Window));
        return string.Join(" · ", new[] { dates, times }.Where(x => x.Length > 0));
    }

    /// <summary>An instant in the store's zone: "2026-12-01" at midnight, else "2026-12-01 14:30".</summary>
    public static string Local(DateTimeOffset instant, string timeZoneId)
    {
        var local = StoreHours.AtStore(timeZoneId, instant);
        return local.TimeOfDay == TimeSpan.Zero ? local.ToString("yyyy-MM-dd", Canada) : local.ToString("yyyy-MM-dd HH:mm", Canada);
    }

    /// <summary>The end is exclusive: an end at local midnight reads as the day before ("until 2026-12-31" = through that day).</summary>
    public static string LastDay(DateTimeOffset end, string timeZoneId)
    {
        var local = StoreHours.AtStore(timeZoneId, end);
        return local.TimeOfDay == TimeSpan.Zero ? local.AddDays(-1).ToString("yyyy-MM-dd", Canada) : local.ToString("yyyy-MM-dd HH:mm", Canada);
    }

    public static string Usage(int used, int? limit) => limit is { } l ? $"{used} / {l}" : $"{used} / no limit";

    public static string Money(decimal amount) => Orders.OrderFormat.Money(amount);
}
