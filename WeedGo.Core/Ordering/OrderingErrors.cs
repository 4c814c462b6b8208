using WeedGo.Core.Common;

namespace WeedGo.Core.Ordering;

/// <summary>The expected failures of shopping, each a sentence a customer or staff member understands.</summary>
public static class OrderingErrors
{
    public static Error SignInToCheckout() =>
        new("sign_in_required", "Please sign in or create an account to check out. Your cart is kept.", ErrorKind.Forbidden);
    public static Error OutOfStock(string message) => new("out_of_stock", message, ErrorKind.OutOfStock);
    public static Error OverLimit(string message) => new("over_purchase_limit", message, ErrorKind.OverPurchaseLimit);
    public static Error StoreClosed(string message) => new("store_closed", message, ErrorKind.StoreClosed);
    public static Error UnderAge(int minimumAge) =>
        new("under_age", $"You must be {minimumAge} or older to buy cannabis. We cannot take this order.", ErrorKind.UnderAge);
    public static Error HoldExpired() => new("hold_expired",
        "Your 15-minute hold ran out and the items went back on the shelf. Review your cart and check out again.", ErrorKind.Conflict);
    public static Error CartChanged() => new("cart_changed",
        "Your cart changed since you started checking out. Review it and check out again.", ErrorKind.Conflict);
    public static Error PaymentDeclined(string reason) => new("payment_declined", $"Payment declined: {reason}", ErrorKind.Validation);
    public static Error PaymentFailed(string reason) => new("payment_failed", reason, ErrorKind.Conflict);
}
