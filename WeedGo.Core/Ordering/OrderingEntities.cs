using WeedGo.Core.Common;

namespace WeedGo.Core.Ordering;

/// <summary>A shopper's cart at one store (<c>carts</c>). Owned by a signed-in customer, or by a guest's browser key
/// (cookie) until they sign in, when it is merged into their own cart.</summary>
public sealed class Cart : TenantEntity
{
    public Guid StoreId { get; set; }
    public Guid? UserId { get; set; }
    /// <summary>The guest browser's key (cookie); null once the cart belongs to an account.</summary>
    public string? ShopperKey { get; set; }
    /// <summary>The promotion code the shopper entered (normalised upper-case), if any.</summary>
    public string? PromotionCode { get; set; }
    public List<CartLine> Lines { get; set; } = [];
}

public sealed class CartLine : TenantEntity
{
    public Guid CartId { get; set; }
    public Guid ProductId { get; set; }
    public int Quantity { get; set; }
}

public enum CheckoutStatus
{
    /// <summary>Stock is reserved for it until <see cref="Checkout.ExpiresAt"/>.</summary>
    Holding,
    /// <summary>The order was placed; the hold now belongs to the order.</summary>
    Placed,
    /// <summary>The hold ran out and the stock went back on the shelf.</summary>
    Expired,
    /// <summary>The shopper changed the cart or left; the hold was released.</summary>
    Released,
}

/// <summary>
/// One checkout attempt (<c>checkouts</c>): the stock it holds (reserved under the order number it will become), until when,
/// and the order it turned into. Its id is the idempotency key of "place order": a retried or double-clicked submit finds the
/// checkout already placed and returns the same order.
/// </summary>
public sealed class Checkout : TenantEntity
{
    public Guid StoreId { get; set; }
    public Guid CartId { get; set; }
    public Guid? UserId { get; set; }
    /// <summary>Allocated when the hold starts; the stock ledger's reservation reference.</summary>
    public string OrderNumber { get; set; } = "";
    public CheckoutStatus Status { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public Guid? OrderId { get; set; }
    public List<CheckoutHold> Holds { get; set; } = [];
}

/// <summary>Units of one product a checkout holds in reserve.</summary>
public sealed class CheckoutHold : TenantEntity
{
    public Guid CheckoutId { get; set; }
    public Guid ProductId { get; set; }
    public int Quantity { get; set; }
}

public enum Fulfilment
{
    Pickup,
    Delivery,
}

public enum OrderStatus
{
    Placed,
    Confirmed,
    Packed,
    ReadyForPickup,
    OutForDelivery,
    Completed,
    Cancelled,
    Returned,
}

public enum PaymentMethod
{
    PayAtPickup,
    PayOnDelivery,
    Card,
}

public enum PaymentStatus
{
    /// <summary>To be paid at the counter or the door.</summary>
    Due,
    Paid,
    Refunded,
    PartiallyRefunded,
    /// <summary>Cancelled before anything was charged.</summary>
    Void,
}

public enum OrderSource
{
    Online,
    InStore,
}

/// <summary>Where a delivery goes (owned by the order, stored in the same row).</summary>
public sealed class DeliveryAddress
{
    public string Line1 { get; set; } = "";
    public string? Line2 { get; set; }
    public string City { get; set; } = "";
    public string Province { get; set; } = "ON";
    public string PostalCode { get; set; } = "";
    public string? Instructions { get; set; }
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }

    public override string ToString() =>
        string.Join(", ", new[] { Line1, Line2, City, $"{Province} {PostalCode}".Trim() }.Where(s => !string.IsNullOrWhiteSpace(s)));
}

/// <summary>An order (<c>orders</c>): one store, filled from that store's stock, priced on the server at submit.</summary>
public sealed class Order : TenantEntity
{
    public Guid StoreId { get; set; }
    public string Number { get; set; } = "";
    public Guid? CustomerId { get; set; }
    public string CustomerName { get; set; } = "";
    public string? CustomerEmail { get; set; }
    public string? CustomerPhone { get; set; }
    public OrderSource Source { get; set; }
    public Fulfilment Fulfilment { get; set; }
    /// <summary>Pickup: the time the customer chose, within opening hours.</summary>
    public DateTimeOffset? PickupAt { get; set; }
    public DeliveryAddress? DeliveryAddress { get; set; }
    public OrderStatus Status { get; set; }
    public PaymentMethod PaymentMethod { get; set; }
    public PaymentStatus PaymentStatus { get; set; }
    public decimal Subtotal { get; set; }
    public decimal Discount { get; set; }
    /// <summary>The delivery fee charged (after <see cref="DeliveryDiscount"/>).</summary>
    public decimal DeliveryFee { get; set; }
    /// <summary>What promotions took off the delivery fee.</summary>
    public decimal DeliveryDiscount { get; set; }
    public decimal Tax { get; set; }
    public decimal Total { get; set; }
    public decimal RefundedAmount { get; set; }
    /// <summary>Dried-cannabis equivalent of the whole order, in grams (at most the purchase limit).</summary>
    public decimal EquivalencyGrams { get; set; }
    public Guid? CheckoutId { get; set; }
    public string? Notes { get; set; }
    public DateTimeOffset PlacedAt { get; set; }
    /// <summary>Who checked ID at handover (pickup counter or door), and when.</summary>
    public Guid? IdCheckedBy { get; set; }
    public DateTimeOffset? IdCheckedAt { get; set; }
    public string? CancelReason { get; set; }
    public List<OrderLine> Lines { get; set; } = [];
    public List<OrderStatusChange> History { get; set; } = [];
}

/// <summary>A line as it was sold: the product's name, SKU and price are copied so the order never changes afterwards.</summary>
public sealed class OrderLine : TenantEntity
{
    public Guid OrderId { get; set; }
    public Guid ProductId { get; set; }
    public string Sku { get; set; } = "";
    public string ProductName { get; set; } = "";
    public string? Brand { get; set; }
    public string? Size { get; set; }
    public int Quantity { get; set; }
    public decimal UnitPrice { get; set; }
    public decimal LineDiscount { get; set; }
    public decimal LineTotal { get; set; }
    /// <summary>Dried-cannabis grams one unit counts as.</summary>
    public decimal EquivalencyPerUnit { get; set; }
}

/// <summary>One step of an order's life (<c>order_status_history</c>): from, to, who, when, why.</summary>
public sealed class OrderStatusChange : TenantEntity
{
    public Guid OrderId { get; set; }
    public OrderStatus? From { get; set; }
    public OrderStatus To { get; set; }
    public Guid? UserId { get; set; }
    public string? Note { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
}

public enum PaymentKind
{
    Charge,
    Refund,
}

public enum PaymentAttemptStatus
{
    /// <summary>Recorded, to be collected in person (pay at pickup / on delivery).</summary>
    Pending,
    Approved,
    Declined,
    Failed,
}

/// <summary>One payment attempt or refund (<c>payment_transactions</c>), with the provider's answer. The idempotency key is
/// unique: the same attempt sent twice is recorded (and charged) once.</summary>
public sealed class PaymentTransaction : TenantEntity
{
    public Guid StoreId { get; set; }
    public Guid? OrderId { get; set; }
    public Guid? CheckoutId { get; set; }
    public PaymentKind Kind { get; set; }
    public PaymentMethod Method { get; set; }
    public PaymentAttemptStatus Status { get; set; }
    public decimal Amount { get; set; }
    public string Currency { get; set; } = "CAD";
    public string Provider { get; set; } = "";
    public string? ProviderReference { get; set; }
    public string IdempotencyKey { get; set; } = "";
    public string? CardBrand { get; set; }
    public string? CardLast4 { get; set; }
    /// <summary>The provider's reason for a decline or failure, in words.</summary>
    public string? Message { get; set; }
    public Guid? UserId { get; set; }
}

/// <summary>A product a customer saved at a store (<c>wishlist</c>): unique per customer, store and product.</summary>
public sealed class WishlistItem : TenantEntity
{
    public Guid UserId { get; set; }
    public Guid StoreId { get; set; }
    public Guid ProductId { get; set; }
}
