using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WeedGo.Core.Data;
using WeedGo.Core.Tenancy;

namespace WeedGo.Core.Ordering;

/// <summary>Whether a store delivers to an address now, for how much, above what minimum and how soon.</summary>
public sealed record DeliveryQuote(bool Available, string? Reason, decimal Fee, decimal MinimumOrder, string? Eta)
{
    public static DeliveryQuote No(string reason) => new(false, reason, 0, 0, null);
}

/// <summary>
/// The delivery seam of checkout. The deliveries work replaces the default with PostGIS zones (which zone contains the
/// address decides fee, minimum and ETA; outside every zone, no delivery). Called when checkout starts (address unknown)
/// and again at submit with the address.
/// </summary>
public interface IDeliveryQuoter
{
    Task<DeliveryQuote> QuoteAsync(WeedGoDbContext db, Guid storeId, DeliveryAddress? address, decimal subtotal, DateTimeOffset now, CancellationToken ct);
}

/// <summary>Until zones exist: a store with delivery switched on delivers anywhere in Ontario while it is open, for the
/// configured flat fee.</summary>
public sealed class StoreDeliveryQuoter(IOptions<OrderingOptions> options) : IDeliveryQuoter
{
    public async Task<DeliveryQuote> QuoteAsync(WeedGoDbContext db, Guid storeId, DeliveryAddress? address, decimal subtotal, DateTimeOffset now, CancellationToken ct)
    {
        var store = await db.Stores.AsNoTracking().Where(s => s.Id == storeId)
            .Select(s => new { s.Name, s.DeliveryEnabled, s.Hours, s.TimeZoneId }).FirstOrDefaultAsync(ct);
        if (store is null || !store.DeliveryEnabled)
        {
            return DeliveryQuote.No($"{store?.Name ?? "This store"} does not deliver; choose pickup.");
        }
        if (!StoreHours.IsOpenAt(store.Hours, store.TimeZoneId, now))
        {
            return DeliveryQuote.No($"{store.Name} delivers only while it is open (today {StoreHours.Describe(StoreHours.Today(store.Hours, store.TimeZoneId, now))}). Choose pickup or come back during opening hours.");
        }
        if (address is not null && !string.Equals(address.Province, "ON", StringComparison.OrdinalIgnoreCase))
        {
            return DeliveryQuote.No("We deliver only to addresses in Ontario.");
        }
        return new DeliveryQuote(true, null, options.Value.DeliveryFee, 0m, "45–90 min");
    }
}
