namespace WeedGo.Core.Tenancy;

/// <summary>Pure rules about a store's opening hours, evaluated in the store's own time zone.</summary>
public static class StoreHours
{
    /// <summary>Ontario allows retail sales between 09:00 and 23:00.</summary>
    public static readonly TimeOnly EarliestOpening = new(9, 0);
    public static readonly TimeOnly LatestClosing = new(23, 0);

    public static TimeZoneInfo Zone(string timeZoneId) => TimeZoneInfo.FindSystemTimeZoneById(timeZoneId);

    /// <summary>The instant as the store's clock shows it (offset included), for display to staff.</summary>
    public static DateTimeOffset AtStore(string timeZoneId, DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone(timeZoneId));

    public static DateTime LocalTime(string timeZoneId, DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, Zone(timeZoneId)).DateTime;

    public static bool IsOpenAt(IReadOnlyCollection<OpeningHours> hours, string timeZoneId, DateTimeOffset instant)
    {
        var local = LocalTime(timeZoneId, instant);
        var time = TimeOnly.FromDateTime(local);
        return hours.Any(h => h.Day == local.DayOfWeek && time >= h.Opens && time < h.Closes);
    }

    /// <summary>Today's hours in the store's zone, or null when closed all day.</summary>
    public static OpeningHours? Today(IReadOnlyCollection<OpeningHours> hours, string timeZoneId, DateTimeOffset instant)
    {
        var day = LocalTime(timeZoneId, instant).DayOfWeek;
        return hours.FirstOrDefault(h => h.Day == day);
    }

    /// <summary>Checks a week of hours against the provincial window; returns the problems in plain words.</summary>
    public static IReadOnlyList<string> Validate(IReadOnlyCollection<OpeningHours> hours)
    {
        var problems = new List<string>();
        foreach (var group in hours.GroupBy(h => h.Day).Where(g => g.Count() > 1))
        {
            problems.Add($"{group.Key} is listed more than once.");
        }
        foreach (var h in hours)
        {
            if (h.Closes <= h.Opens)
            {
                problems.Add($"{h.Day}: closing time must be after opening time.");
            }
            if (h.Opens < EarliestOpening || h.Closes > LatestClosing)
            {
                problems.Add($"{h.Day}: Ontario allows sales only between 09:00 and 23:00.");
            }
        }
        return problems;
    }

    public static string Describe(OpeningHours? h) => h is null ? "Closed today" : $"{h.Opens:HH\\:mm}–{h.Closes:HH\\:mm}";
}
