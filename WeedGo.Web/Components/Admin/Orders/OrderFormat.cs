using System.Globalization;
using MudBlazor;
using WeedGo.Core.Ordering;
using WeedGo.Core.Tenancy;

namespace WeedGo.Web.Components.Admin.Orders;

/// <summary>How staff screens say order things: status names and colours, ages ("5 min ago"), store-local times, money.</summary>
public static class OrderFormat
{
    private static readonly CultureInfo Canada = WeedGo.Web.Components.Shared.Money.Culture;

    public static string Status(OrderStatus s) => s switch
    {
        OrderStatus.Placed => "New",
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
        OrderStatus.Placed => Color.Warning,
        OrderStatus.Confirmed => Color.Info,
        OrderStatus.Packed => Color.Primary,
        OrderStatus.ReadyForPickup or OrderStatus.OutForDelivery => Color.Secondary,
        OrderStatus.Completed => Color.Success,
        OrderStatus.Cancelled or OrderStatus.Returned => Color.Error,
        _ => Color.Default,
    };

    public static string Payment(PaymentMethod method, PaymentStatus status) => (method, status) switch
    {
        (_, PaymentStatus.Due) => method == PaymentMethod.PayOnDelivery ? "Due on delivery" : "Due at pickup",
        (PaymentMethod.Card, PaymentStatus.Paid) => "Paid by card",
        (_, PaymentStatus.Paid) => "Paid",
        (_, PaymentStatus.PartiallyRefunded) => "Partly refunded",
        (_, PaymentStatus.Refunded) => "Refunded",
        (_, PaymentStatus.Void) => "Void",
        _ => status.ToString(),
    };

    public static string Method(PaymentMethod method) => method switch
    {
        PaymentMethod.PayAtPickup => "Pay at pickup",
        PaymentMethod.PayOnDelivery => "Pay on delivery",
        PaymentMethod.Card => "Card",
        _ => method.ToString(),
    };

    public static Color PaymentColor(PaymentStatus status) => status switch
    {
        PaymentStatus.Paid => Color.Success,
        PaymentStatus.Due => Color.Warning,
        _ => Color.Default,
    };

    /// <summary>"just now", "5 min ago", "2 h 10 min ago", "3 d ago".</summary>
    public static string Ago(DateTimeOffset then, DateTimeOffset now)
    {
        var span = now - then;
        if (span < TimeSpan.FromMinutes(1))
        {
            return "just now";
        }
        if (span < TimeSpan.FromHours(1))
        {
            return $"{(int)span.TotalMinutes} min ago";
        }
        if (span < TimeSpan.FromDays(1))
        {
            return span.Minutes == 0 ? $"{(int)span.TotalHours} h ago" : $"{(int)span.TotalHours} h {span.Minutes} min ago";
        }
        return $"{(int)span.TotalDays} d ago";
    }

    /// <summary>A time in the store's zone: "14:30" today, "Thu 14:30" within a week, else "2026-11-30 14:30".</summary>
    public static string StoreTime(DateTimeOffset instant, string timeZoneId, DateTimeOffset now)
    {
        var local = StoreHours.AtStore(timeZoneId, instant);
        var today = StoreHours.AtStore(timeZoneId, now).Date;
        var days = (local.Date - today).TotalDays;
        return days == 0 ? local.ToString("HH:mm", Canada)
            : Math.Abs(days) < 7 ? local.ToString("ddd HH:mm", Canada)
            : local.ToString("yyyy-MM-dd HH:mm", Canada);
    }

    public static string Fulfilment(OrderSummary o, DateTimeOffset now) => o.Fulfilment == Core.Ordering.Fulfilment.Delivery
        ? "Delivery"
        : o.PickupAt is { } at ? $"Pickup {StoreTime(at, o.TimeZoneId, now)}" : "Pickup";

    public static string Money(decimal amount) => WeedGo.Web.Components.Shared.Money.Format(amount);
}
