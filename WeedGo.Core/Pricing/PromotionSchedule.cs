using WeedGo.Core.Tenancy;

namespace WeedGo.Core.Pricing;

/// <summary>
/// When a promotion is on: enabled, inside its start/end dates (UTC instants, end exclusive) and, when it has recurring
/// windows, inside one of them on the store's wall clock (IANA zone). Windows compare local wall-clock times, so on a DST
/// day a window means what the store's clock says: 14:00–16:00 is two real hours, 01:00–03:00 on the spring-forward day
/// is one real hour, and on the fall-back day 01:00–02:00 is on during both of the clock's 01:xx hours. A window whose end
/// is before its start crosses midnight and belongs to the day it starts on. Pure; the engine uses exactly this rule.
/// </summary>
public static class PromotionSchedule
{
    public static bool IsActiveNow(Promotion promotion, string timeZoneId, DateTimeOffset instant) =>
        Check(promotion, StoreHours.LocalTime(timeZoneId, instant), instant) is null;

    public static PromotionStatus Status(Promotion promotion, string timeZoneId, DateTimeOffset instant)
    {
        if (!promotion.Enabled)
        {
            return PromotionStatus.Paused;
        }
        if (promotion.EndsAt is { } end && end <= instant)
        {
            return PromotionStatus.Expired;
        }
        if (promotion.UsageLimit is { } limit && promotion.UsedCount >= limit)
        {
            return PromotionStatus.LimitReached;
        }
        return IsActiveNow(promotion, timeZoneId, instant) ? PromotionStatus.ActiveNow : PromotionStatus.Scheduled;
    }

    /// <summary>Null when on at <paramref name="instant"/> (whose store-local time is <paramref name="local"/>); else why not.</summary>
    internal static NotAppliedReason? Check(Promotion p, DateTime local, DateTimeOffset instant)
    {
        if (!p.Enabled)
        {
            return NotAppliedReason.Paused;
        }
        if (p.StartsAt is { } start && instant < start)
        {
            return NotAppliedReason.NotStarted;
        }
        if (p.EndsAt is { } end && instant >= end)
        {
            return NotAppliedReason.Ended;
        }
        if (p.Windows.Count > 0 && !InAnyWindow(p.Windows, local))
        {
            return NotAppliedReason.OutsideWindow;
        }
        return null;
    }

    public static bool InAnyWindow(IReadOnlyList<PromotionWindow> windows, DateTime local)
    {
        var time = TimeOnly.FromDateTime(local);
        var day = local.DayOfWeek;
        var yesterday = day == DayOfWeek.Sunday ? DayOfWeek.Saturday : day - 1;
        for (var i = 0; i < windows.Count; i++)
        {
            var w = windows[i];
            if (w.Start < w.End)
            {
                if (w.Days.Contains(day) && time >= w.Start && time < w.End)
                {
                    return true;
                }
            }
            else if (w.End < w.Start)
            {
                // Crosses midnight: the evening part on the listed day, the early-morning part on the day after it.
                if ((w.Days.Contains(day) && time >= w.Start) || (w.Days.Contains(yesterday) && time < w.End))
                {
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>"Fri 22:00–02:00" style description of a window.</summary>
    public static string Describe(PromotionWindow w)
    {
        var days = w.Days.Count == 7 ? "Every day" : string.Join(", ", w.Days.OrderBy(d => ((int)d + 6) % 7).Select(d => d.ToString()[..3]));
        return $"{days} {w.Start:HH\\:mm}–{w.End:HH\\:mm}";
    }
}
