using Microsoft.Extensions.Time.Testing;
using WeedGo.Core.Compliance;
using WeedGo.Core.Data.DemoData;
using WeedGo.Core.Ordering;

namespace WeedGo.Tests.Ordering;

public sealed class OrderingRulesTests
{
    private static readonly Guid A = Guid.NewGuid(), B = Guid.NewGuid();

    [Fact]
    public void The_meter_adds_grams_per_unit_times_quantity_and_describes_itself()
    {
        var meter = PurchaseLimit.Measure([new LimitLine(A, 3, 3.5m), new LimitLine(B, 2, 4m)], 30m);
        Assert.Equal(18.5m, meter.UsedGrams);
        Assert.Equal("18.5 g of 30 g", meter.Describe());
        Assert.False(meter.IsOver);
        Assert.Equal(11.5m, meter.RemainingGrams);
    }

    [Fact]
    public void An_addition_up_to_exactly_the_limit_is_allowed_and_one_past_it_is_refused_with_the_reason()
    {
        LimitLine[] cart = [new(A, 6, 3.5m)]; // 21 g
        Assert.Null(PurchaseLimit.RefuseAddition(cart, 3m, 3, 30m, "Pre-roll"));
        var reason = PurchaseLimit.RefuseAddition(cart, 3.5m, 3, 30m, "Blue Dream 3.5 g");
        Assert.NotNull(reason);
        Assert.Contains("31.5 g", reason);
        Assert.Contains("limit of 30 g", reason);
        Assert.Contains("At most 2 more units", reason);
    }

    [Fact]
    public void Accessories_count_nothing_against_the_limit()
    {
        Assert.Null(PurchaseLimit.RefuseAddition([new LimitLine(A, 1, 30m)], 0m, 5, 30m, "Grinder"));
    }

    [Fact]
    public void Legal_age_counts_the_birthday_itself_as_the_day_one_becomes_of_age()
    {
        var today = new DateOnly(2026, 11, 25);
        Assert.True(LegalAge.IsOfAge(new DateOnly(2007, 11, 25), today, 19));
        Assert.False(LegalAge.IsOfAge(new DateOnly(2007, 11, 26), today, 19));
    }

    [Fact]
    public void Totals_round_each_line_half_away_from_zero_and_tax_the_goods_and_the_delivery_fee()
    {
        var totals = OrderMath.Compute([new PricedLine(A, 3, 10.335m), new PricedLine(B, 1, 5m, Discount: 1m)], 5m, 0.13m);
        Assert.Equal(36.01m, totals.Subtotal); // 31.005 → 31.01, plus 5.00
        Assert.Equal(1m, totals.Discount);
        Assert.Equal(5.20m, totals.Tax); // (31.01 + 4.00 + 5.00) × 13 % = 5.2013
        Assert.Equal(45.21m, totals.Total);
    }

    [Fact]
    public void Pickup_slots_fall_within_opening_hours_after_the_lead_time_in_the_store_zone()
    {
        var hours = DemoDataSeeder.StandardHours(); // Wednesday 10:00–22:00
        var now = new DateTimeOffset(2026, 11, 25, 17, 0, 0, TimeSpan.Zero); // 12:00 in Toronto
        var slots = PickupSlots.For(hours, "America/Toronto", now, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(15), 2);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 12, 15, 0, TimeSpan.FromHours(-5)), slots[0]);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 21, 45, 0, TimeSpan.FromHours(-5)), slots.Last(s => s.Day == 25));
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.FromHours(-5)), slots.First(s => s.Day == 26));
        Assert.DoesNotContain(slots, s => s.TimeOfDay < TimeSpan.FromHours(10) || s.TimeOfDay >= TimeSpan.FromHours(22));
        var lateNight = PickupSlots.For(hours, "America/Toronto", new DateTimeOffset(2026, 11, 26, 4, 0, 0, TimeSpan.Zero), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(15), 2);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.FromHours(-5)), lateNight[0]); // 23:00 → next morning
    }

    [Theory]
    [InlineData(SandboxPaymentGateway.ApprovedCard, GatewayOutcome.Approved)]
    [InlineData(SandboxPaymentGateway.DeclinedCard, GatewayOutcome.Declined)]
    [InlineData(SandboxPaymentGateway.InsufficientFundsCard, GatewayOutcome.Declined)]
    [InlineData(SandboxPaymentGateway.ExpiredCard, GatewayOutcome.Declined)]
    [InlineData(SandboxPaymentGateway.ErrorCard, GatewayOutcome.Error)]
    [InlineData("4242424242424241", GatewayOutcome.Declined)] // fails the Luhn check
    public async Task The_sandbox_answers_by_test_card_number(string card, GatewayOutcome expected)
    {
        var gateway = new SandboxPaymentGateway(new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero)));
        var result = await gateway.ChargeAsync(10m, "CAD", new CardDetails(card, 12, 2030, "123"), Guid.NewGuid().ToString());
        Assert.Equal(expected, result.Outcome);
        Assert.Equal(expected == GatewayOutcome.Approved, result.Reference is not null);
        Assert.Equal(expected != GatewayOutcome.Approved, result.Message is not null);
    }

    [Fact]
    public async Task The_sandbox_charges_once_per_idempotency_key_and_refuses_refunds_beyond_the_charge()
    {
        var gateway = new SandboxPaymentGateway(TimeProvider.System);
        var card = new CardDetails(SandboxPaymentGateway.ApprovedCard, 12, 2099, "123");
        var first = await gateway.ChargeAsync(20m, "CAD", card, "key-1");
        var again = await gateway.ChargeAsync(20m, "CAD", card, "key-1");
        Assert.Equal(first.Reference, again.Reference);
        Assert.Equal(GatewayOutcome.Approved, (await gateway.RefundAsync(first.Reference!, 15m, "r1")).Outcome);
        Assert.Equal(GatewayOutcome.Declined, (await gateway.RefundAsync(first.Reference!, 10m, "r2")).Outcome);
    }
}
