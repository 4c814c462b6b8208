using WeedGo.Core.Data;

namespace WeedGo.Core.Ordering;

/// <summary>Whether a store delivers to an address now, for how much, above what minimum and how soon; <paramref name="Zone"/>
/// names the delivery zone that contains the address (null before an address is known, or for a store without zones) and
/// <paramref name="FreeFrom"/> the subtotal from which that zone delivers free.</summary>
public sealed record DeliveryQuote(bool Available, string? Reason, decimal Fee, decimal MinimumOrder, string? Eta, string? Zone = null, decimal? FreeFrom = null)
{
    public static DeliveryQuote No(string reason) => new(false, reason, 0, 0, null);
}

/// <summary>
/// The delivery seam of checkout, implemented by <c>Deliveries.ZoneDeliveryQuoter</c> (PostGIS zones decide fee, minimum and
/// ETA; a store without zones keeps the flat rule). Called when checkout starts (address unknown) and again at submit with the
/// address.
/// </summary>
public interface IDeliveryQuoter
{
    Task<DeliveryQuote> QuoteAsync(WeedGoDbContext db, Guid storeId, DeliveryAddress? address, decimal subtotal, DateTimeOffset now, CancellationToken ct);
}
