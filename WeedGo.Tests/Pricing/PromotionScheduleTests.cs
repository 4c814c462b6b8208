using WeedGo.Core.Pricing;
using static WeedGo.Tests.Pricing.PricingEngineTests;

namespace WeedGo.Tests.Pricing;

public sealed class PromotionScheduleTests
{
    private const string Toronto = "America/Toronto";

    private static Promotion Windowed(DayOfWeek day, int startHour, int startMinute, int endHour, int endMinute) =>
        Promo("window", PromotionType.PercentOff, set: p =>
        {
            p.Percent = 20;
            p.Windows = [new() { Days = [day], Start = new(startHour, startMinute), End = new(endHour, endMinute) }];
        });

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    /// <summary>(window, UTC instant, active?) — instants chosen around midnight and the two DST changes of 2026 in Toronto.</summary>
    public static TheoryData<string, Promotion, DateTimeOffset, bool> Instants => new()
    {
        // Friday 22:00–02:00 crosses midnight (Friday 2026-11-27, EST = UTC-5).
        { "Fri 21:59", Windowed(DayOfWeek.Friday, 22, 0, 2, 0), Utc(11, 28, 2, 59), false },
        { "Fri 22:00", Windowed(DayOfWeek.Friday, 22, 0, 2, 0), Utc(11, 28, 3, 0), true },
        { "Fri 23:30", Windowed(DayOfWeek.Friday, 22, 0, 2, 0), Utc(11, 28, 4, 30), true },
        { "Sat 01:59 (Friday's window)", Windowed(DayOfWeek.Friday, 22, 0, 2, 0), Utc(11, 28, 6, 59), true },
        { "Sat 02:00", Windowed(DayOfWeek.Friday, 22, 0, 2, 0), Utc(11, 28, 7, 0), false },
        { "Sat 23:00 (Saturday not listed)", Windowed(DayOfWeek.Friday, 22, 0, 2, 0), Utc(11, 29, 4, 0), false },
        { "Fri 01:00 (Thursday not listed)", Windowed(DayOfWeek.Friday, 22, 0, 2, 0), Utc(11, 27, 6, 0), false },
        { "window to midnight, 23:59", Windowed(DayOfWeek.Friday, 20, 0, 0, 0), Utc(11, 28, 4, 59), true },
        { "window to midnight, 00:00", Windowed(DayOfWeek.Friday, 20, 0, 0, 0), Utc(11, 28, 5, 0), false },

        // Spring forward: Sunday 2026-03-08, 02:00 EST becomes 03:00 EDT.
        { "DST spring 01:30 EST", Windowed(DayOfWeek.Sunday, 1, 0, 3, 30), Utc(3, 8, 6, 30), true },
        { "DST spring 03:00 EDT (one real minute after 01:59 EST)", Windowed(DayOfWeek.Sunday, 1, 0, 3, 30), Utc(3, 8, 7, 0), true },
        { "DST spring 03:30 EDT", Windowed(DayOfWeek.Sunday, 1, 0, 3, 30), Utc(3, 8, 7, 30), false },
        { "DST spring 14:30 EDT (UTC-4 now)", Windowed(DayOfWeek.Sunday, 14, 0, 16, 0), Utc(3, 8, 18, 30), true },
        { "DST spring 13:30 EDT", Windowed(DayOfWeek.Sunday, 14, 0, 16, 0), Utc(3, 8, 17, 30), false },
        { "DST spring 16:00 EDT", Windowed(DayOfWeek.Sunday, 14, 0, 16, 0), Utc(3, 8, 20, 0), false },
        { "DST spring: Saturday 22:00–02:00 at 01:30 EST", Windowed(DayOfWeek.Saturday, 22, 0, 2, 0), Utc(3, 8, 6, 30), true },
        { "DST spring: Saturday 22:00–02:00 at 03:00 EDT", Windowed(DayOfWeek.Saturday, 22, 0, 2, 0), Utc(3, 8, 7, 0), false },

        // Fall back: Sunday 2026-11-01, 02:00 EDT becomes 01:00 EST (01:xx happens twice).
        { "DST fall 01:30 EDT (first time)", Windowed(DayOfWeek.Sunday, 1, 0, 2, 0), Utc(11, 1, 5, 30), true },
        { "DST fall 01:30 EST (second time)", Windowed(DayOfWeek.Sunday, 1, 0, 2, 0), Utc(11, 1, 6, 30), true },
        { "DST fall 02:00 EST", Windowed(DayOfWeek.Sunday, 1, 0, 2, 0), Utc(11, 1, 7, 0), false },
        { "DST fall 20:00 EST (UTC-5 now)", Windowed(DayOfWeek.Sunday, 20, 0, 22, 0), Utc(11, 2, 1, 0), true },
        { "DST fall 19:30 EST", Windowed(DayOfWeek.Sunday, 20, 0, 22, 0), Utc(11, 2, 0, 30), false },
    };

    [Theory]
    [MemberData(nameof(Instants))]
    public void A_window_is_on_by_the_store_clock_and_the_engine_agrees_with_IsActiveNow(string title, Promotion promotion, DateTimeOffset at, bool active)
    {
        Assert.True(active == PricingEngine.IsActiveNow(promotion, Toronto, at), title);
        var result = Price([Line("pre-roll", 10)], [promotion], at: at);
        Assert.Equal(active, result.Applied.Count == 1);
        if (!active)
        {
            Assert.Equal(NotAppliedReason.OutsideWindow, Assert.Single(result.NotApplied).Reason);
        }
    }

    [Fact]
    public void Status_tells_paused_expired_used_up_scheduled_and_active()
    {
        var now = Noon;
        Assert.Equal(PromotionStatus.ActiveNow, PromotionSchedule.Status(Promo("a", PromotionType.PercentOff), Toronto, now));
        Assert.Equal(PromotionStatus.Paused, PromotionSchedule.Status(Promo("b", PromotionType.PercentOff, set: p => p.Enabled = false), Toronto, now));
        Assert.Equal(PromotionStatus.Expired, PromotionSchedule.Status(Promo("c", PromotionType.PercentOff, set: p => p.EndsAt = now.AddSeconds(-1)), Toronto, now));
        Assert.Equal(PromotionStatus.Scheduled, PromotionSchedule.Status(Promo("d", PromotionType.PercentOff, set: p => p.StartsAt = now.AddDays(1)), Toronto, now));
        Assert.Equal(PromotionStatus.Scheduled, PromotionSchedule.Status(Windowed(DayOfWeek.Friday, 16, 0, 18, 0), Toronto, now));
        Assert.Equal(PromotionStatus.LimitReached, PromotionSchedule.Status(Promo("e", PromotionType.PercentOff, set: p => { p.UsageLimit = 3; p.UsedCount = 3; }), Toronto, now));
    }
}

public sealed class PromotionRulesTests
{
    public static TheoryData<string, Action<Promotion>, string> Invalid => new()
    {
        { "percent over 100", p => { p.Type = PromotionType.PercentOff; p.Percent = 150; }, "at most 100%" },
        { "percent missing", p => p.Type = PromotionType.PercentOff, "Percent off is required" },
        { "fixed price zero", p => { p.Type = PromotionType.FixedPrice; p.Price = 0; }, "more than $0.00" },
        { "window ends when it starts", p => { p.Percent = 10; p.Windows = [new() { Days = [DayOfWeek.Monday], Start = new(16, 0), End = new(16, 0) }]; }, "cannot end when it starts" },
        { "window without days", p => { p.Percent = 10; p.Windows = [new() { Start = new(16, 0), End = new(18, 0) }]; }, "at least one day" },
        { "end before start", p => { p.Percent = 10; p.StartsAt = Noon; p.EndsAt = Noon.AddDays(-1); }, "end date must be after" },
        { "bundle of one", p => { p.Type = PromotionType.Bundle; p.BundleQuantity = 1; p.Price = 10; }, "at least 2 items" },
        { "buy x get y without y", p => { p.Type = PromotionType.BuyXGetY; p.BuyQuantity = 2; p.Percent = 50; }, "Y must be at least 1" },
        { "spend tiers missing", p => p.Type = PromotionType.SpendThreshold, "at least one spend tier" },
        { "code with a space", p => { p.Percent = 10; p.Code = "SAVE 10"; }, "no spaces" },
        { "usage limit zero", p => { p.Percent = 10; p.UsageLimit = 0; }, "usage limit must be at least 1" },
        { "no name", p => { p.Percent = 10; p.Name = " "; }, "name" },
        { "delivery discount for pickup", p => { p.Type = PromotionType.DeliveryFee; p.Percent = 100; p.Fulfilment = Core.Ordering.Fulfilment.Pickup; }, "cannot be limited to pickup" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void An_invalid_promotion_gets_a_clear_message(string title, Action<Promotion> set, string message)
    {
        var p = new Promotion { Name = "Test", Type = PromotionType.PercentOff };
        set(p);
        var v = PromotionRules.Validate(p);
        Assert.False(v.IsValid, title);
        Assert.Contains(v.Errors, e => e.Contains(message, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Promotions_that_could_break_a_guardrail_warn_but_save()
    {
        var free = PromotionRules.Validate(new Promotion { Name = "All free", Type = PromotionType.PercentOff, Percent = 100 });
        Assert.True(free.IsValid);
        Assert.Contains(free.Warnings, w => w.Contains("cannabis is never free"));
        var bogo = PromotionRules.Validate(new Promotion { Name = "BOGO", Type = PromotionType.BuyXGetY, BuyQuantity = 1, GetQuantity = 1, Percent = 100 });
        Assert.True(bogo.IsValid);
        Assert.Contains(bogo.Warnings, w => w.Contains("never given away"));
        var fine = PromotionRules.Validate(new Promotion { Name = "Happy hour", Type = PromotionType.PercentOff, Percent = 20, Categories = ["Pre-Rolls"],
            Windows = [new() { Days = [DayOfWeek.Friday], Start = new(22, 0), End = new(2, 0) }] });
        Assert.True(fine.IsValid);
        Assert.Empty(fine.Warnings);
    }
}
