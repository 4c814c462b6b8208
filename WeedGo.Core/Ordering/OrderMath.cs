namespace WeedGo.Core.Ordering;

/// <summary>A priced line: unit price (the store's shelf price at the time), quantity, discount and what it comes to.</summary>
public sealed record PricedLine(Guid ProductId, int Quantity, decimal UnitPrice, decimal Discount = 0m)
{
    public decimal LineTotal => OrderMath.Round(UnitPrice * Quantity - Discount);
}

/// <summary>What an order or cart comes to.</summary>
public sealed record Totals(decimal Subtotal, decimal Discount, decimal DeliveryFee, decimal Tax, decimal Total);

/// <summary>Money rules (DESIGN: decimal CAD, 2 decimals, half away from zero at line level). Pure.</summary>
public static class OrderMath
{
    public static decimal Round(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);

    private static readonly System.Globalization.CultureInfo Canada = System.Globalization.CultureInfo.GetCultureInfo("en-CA");

    /// <summary>"$45.20": dollars the way messages show them, whatever the server's culture (an invariant culture prints "¤").</summary>
    public static string Money(decimal amount) => amount.ToString("C2", Canada);

    /// <summary>Shelf price: the store's own price when set, else the catalogue's.</summary>
    public static decimal? ShelfPrice(decimal? storeOverride, decimal? cataloguePrice) => storeOverride ?? cataloguePrice;

    /// <summary>Subtotal of the lines before discounts, the discounts, the delivery fee, tax on the discounted goods and the
    /// fee, and the total.</summary>
    public static Totals Compute(IEnumerable<PricedLine> lines, decimal deliveryFee, decimal taxRate)
    {
        var list = lines.ToList();
        var subtotal = list.Sum(l => Round(l.UnitPrice * l.Quantity));
        var discount = list.Sum(l => Round(l.Discount));
        var taxable = list.Sum(l => l.LineTotal) + Round(deliveryFee);
        var tax = Round(taxable * taxRate);
        return new Totals(subtotal, discount, Round(deliveryFee), tax, subtotal - discount + Round(deliveryFee) + tax);
    }
}

/// <summary>Pickup times a customer may choose: within the store's opening hours (store time zone), from a lead time after
/// now, on a fixed grid. Pure.</summary>
public static class PickupSlots
{
    public static IReadOnlyList<DateTimeOffset> For(IReadOnlyCollection<Tenancy.OpeningHours> hours, string timeZoneId, DateTimeOffset now,
        TimeSpan lead, TimeSpan step, int days)
    {
        var zone = Tenancy.StoreHours.Zone(timeZoneId);
        var earliest = now + lead;
        var localToday = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        var slots = new List<DateTimeOffset>();
        for (var d = 0; d < days; d++)
        {
            var date = localToday.AddDays(d);
            var h = hours.FirstOrDefault(x => x.Day == date.DayOfWeek);
            if (h is null)
            {
                continue;
            }
            // The last slot leaves one step before closing to hand the order over.
            for (var t = date.ToDateTime(h.Opens); t.AddTicks(step.Ticks) <= date.ToDateTime(h.Closes); t = t.Add(step))
            {
                if (zone.IsInvalidTime(t))
                {
                    continue; // skipped by a DST change
                }
                var instant = new DateTimeOffset(t, zone.GetUtcOffset(t));
                if (instant >= earliest)
                {
                    slots.Add(instant);
                }
            }
        }
        return slots;
    }

    public static bool IsValid(IReadOnlyCollection<Tenancy.OpeningHours> hours, string timeZoneId, DateTimeOffset now, DateTimeOffset chosen,
        TimeSpan lead, TimeSpan step, int days) =>
        For(hours, timeZoneId, now, lead, step, days).Any(s => s == chosen);
}
