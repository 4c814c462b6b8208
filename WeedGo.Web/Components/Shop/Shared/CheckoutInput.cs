using WeedGo.Core.Ordering;

namespace WeedGo.Web.Components.Shop.Shared;

/// <summary>What the checkout form collects; turned into a <see cref="PlaceOrderRequest"/> at submit.</summary>
public sealed class CheckoutInput
{
    public Fulfilment Fulfilment { get; set; } = Fulfilment.Pickup;
    public DateTimeOffset? PickupAt { get; set; }
    public string Line1 { get; set; } = "";
    public string? Line2 { get; set; }
    public string City { get; set; } = "";
    public string PostalCode { get; set; } = "";
    public string? Instructions { get; set; }
    /// <summary>The drop-off pin the customer placed on the map (the truth for the delivery zone).</summary>
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
    public string Name { get; set; } = "";
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public DateTime? BirthDate { get; set; }
    public bool NeedsBirthDate { get; set; }
    public PaymentMethod Payment { get; set; } = PaymentMethod.PayAtPickup;
    public string CardNumber { get; set; } = "";
    public string CardExpiry { get; set; } = "";
    public string CardCvc { get; set; } = "";
    public string? CardName { get; set; }
    public string? Notes { get; set; }

    /// <summary>The card, or null with the reason the fields do not make one.</summary>
    public (CardDetails? Card, string? Problem) Card()
    {
        var parts = CardExpiry.Replace(" ", "", StringComparison.Ordinal).Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], out var month) || !int.TryParse(parts[1], out var year) || month is < 1 or > 12)
        {
            return (null, "Enter the card's expiry as MM/YY, e.g. 12/29.");
        }
        return (new CardDetails(CardNumber, month, year < 100 ? 2000 + year : year, CardCvc.Trim(), CardName), null);
    }

    public DeliveryAddress Address() => new()
    {
        Line1 = Line1.Trim(), Line2 = string.IsNullOrWhiteSpace(Line2) ? null : Line2.Trim(), City = City.Trim(), Province = "ON",
        PostalCode = PostalCode.Trim().ToUpperInvariant(), Instructions = string.IsNullOrWhiteSpace(Instructions) ? null : Instructions.Trim(),
        Latitude = Latitude, Longitude = Longitude,
    };
}
