using System.Globalization;
using MudBlazor;
using WeedGo.Core.Ordering;
using WeedGo.Core.Tenancy;

namespace WeedGo.Web.Components.Shop.Orders;

/// <summary>How the shop writes order facts: money in CAD, times on the store's clock, statuses and payments in words.</summary>
public static class OrderFormat
{
    private static readonly CultureInfo Canada = WeedGo.Web.Components.Shared.Money.Culture;

    public static string Money(decimal amount) => WeedGo.Web.Components.Shared.Money.Format(amount);

    /// <summary>"Wed, Nov 25, 2026 · 12:30 p.m." as the store's clock reads it.</summary>
    public static string StoreTime(DateTimeOffset instant, string timeZoneId, bool withYear = true)
    {
        var local = StoreHours.AtStore(timeZoneId, instant);
        return local.ToString(withYear ? "ddd, MMM d, yyyy" : "ddd, MMM d", Canada) + " · " + local.ToString("h:mm tt", Canada);
    }

    public static string Status(OrderStatus s) => s switch
    {
        OrderStatus.Placed => "Placed",
        OrderStatus.Confirmed => "Confirmed",
        OrderStatus.Packed => "Packed",
        OrderStatus.ReadyForPickup => "Ready for pickup",
        OrderStatus.OutForDelivery => "Out for delivery",
        OrderStatus.Completed => "Completed",
        OrderStatus.Cancelled => "Cancelled",
        OrderStatus.Returned => "Returned",
        _ => s.ToString(),
    };

    public static Color StatusColor(OrderStatus s) => s switch
    {
        OrderStatus.Placed => Color.Info,
        OrderStatus.Confirmed or OrderStatus.Packed => Color.Primary,
        OrderStatus.ReadyForPickup or OrderStatus.OutForDelivery => Color.Success,
        OrderStatus.Cancelled => Color.Error,
        OrderStatus.Returned => Color.Warning,
        _ => Color.Default,
    };

    public static string Method(PaymentMethod m) => m switch
    {
        PaymentMethod.PayAtPickup => "Pay at pickup",
        PaymentMethod.PayOnDelivery => "Pay on delivery",
        PaymentMethod.Card => "Card, paid online",
        _ => m.ToString(),
    };

    public static string Payment(PaymentStatus s, PaymentMethod m) => s switch
    {
        PaymentStatus.Due => m == PaymentMethod.PayOnDelivery ? "Due at the door" : "Due at pickup",
        PaymentStatus.Paid => "Paid",
        PaymentStatus.Refunded => "Refunded",
        PaymentStatus.PartiallyRefunded => "Partly refunded",
        PaymentStatus.Void => "Nothing to pay",
        _ => s.ToString(),
    };

    /// <summary>The steps an order normally goes through, for the timeline.</summary>
    public static IReadOnlyList<OrderStatus> Path(Fulfilment f) => f == Fulfilment.Delivery
        ? [OrderStatus.Placed, OrderStatus.Confirmed, OrderStatus.Packed, OrderStatus.OutForDelivery, OrderStatus.Completed]
        : [OrderStatus.Placed, OrderStatus.Confirmed, OrderStatus.Packed, OrderStatus.ReadyForPickup, OrderStatus.Completed];

    /// <summary>True when a card payment went through the sandbox gateway (no real money moved).</summary>
    public static bool IsTestMode(OrderDetail d) => d.Payments.Any(p => p.Method == PaymentMethod.Card && p.Provider == "sandbox");
}
