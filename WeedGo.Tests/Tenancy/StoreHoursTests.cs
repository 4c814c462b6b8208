using WeedGo.Core.Data.DemoData;
using WeedGo.Core.Tenancy;

namespace WeedGo.Tests.Tenancy;

public sealed class StoreHoursTests
{
    private static readonly List<OpeningHours> Hours = DemoDataSeeder.StandardHours();
    private const string Toronto = "America/Toronto";

    [Theory]
    [InlineData("2026-11-25T15:00:00Z", true)]   // Wednesday 10:00 EST: opening minute
    [InlineData("2026-11-25T14:59:00Z", false)]  // 09:59
    [InlineData("2026-11-26T02:59:00Z", true)]   // Wednesday 21:59
    [InlineData("2026-11-26T03:00:00Z", false)]  // 22:00: closed
    [InlineData("2026-11-29T15:30:00Z", false)]  // Sunday 10:30: opens at 11
    [InlineData("2026-07-01T14:00:00Z", true)]   // Wednesday 10:00 EDT (summer time)
    public void Open_or_closed_is_decided_in_the_stores_time_zone(string instant, bool open) =>
        Assert.Equal(open, StoreHours.IsOpenAt(Hours, Toronto, DateTimeOffset.Parse(instant)));

    [Fact]
    public void Hours_outside_the_provincial_window_are_reported()
    {
        var problems = StoreHours.Validate([new OpeningHours { Day = DayOfWeek.Monday, Opens = new(8, 0), Closes = new(23, 30) }]);
        Assert.Contains(problems, p => p.Contains("09:00 and 23:00"));
    }

    [Fact]
    public void Closing_before_opening_and_duplicate_days_are_reported()
    {
        var problems = StoreHours.Validate(
        [
            new OpeningHours { Day = DayOfWeek.Monday, Opens = new(12, 0), Closes = new(11, 0) },
            new OpeningHours { Day = DayOfWeek.Monday, Opens = new(10, 0), Closes = new(20, 0) },
        ]);
        Assert.Contains(problems, p => p.Contains("after opening"));
        Assert.Contains(problems, p => p.Contains("more than once"));
    }

    [Fact]
    public void The_demo_week_is_valid() => Assert.Empty(StoreHours.Validate(Hours));
}
