using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace WeedGo.Core.Ordering;

/// <summary>Card details as the checkout form takes them. Only the sandbox sees the number; nothing stores more than the
/// brand and last four digits.</summary>
public sealed record CardDetails(string Number, int ExpiryMonth, int ExpiryYear, string Cvc, string? NameOnCard = null)
{
    public string Digits => new(Number.Where(char.IsDigit).ToArray());
    public string Last4 => Digits.Length >= 4 ? Digits[^4..] : Digits;
    public string Brand => Digits switch
    {
        ['4', ..] => "Visa",
        ['5', ..] => "Mastercard",
        ['3', '4' or '7', ..] => "Amex",
        _ => "Card",
    };
}

public enum GatewayOutcome
{
    Approved,
    Declined,
    Error,
}

/// <summary>What a payment provider answered: approved with its reference, declined with a reason, or failed.</summary>
public sealed record GatewayResult(GatewayOutcome Outcome, string? Reference, string? Message);

/// <summary>A card processor. Calls carry an idempotency key: the same key twice is one charge (the first answer is
/// returned again).</summary>
public interface IPaymentGateway
{
    string Name { get; }
    /// <summary>True when no real money moves (shown to shoppers as "test mode").</summary>
    bool IsTestMode { get; }
    Task<GatewayResult> ChargeAsync(decimal amount, string currency, CardDetails card, string idempotencyKey, CancellationToken ct = default);
    Task<GatewayResult> RefundAsync(string chargeReference, decimal amount, string idempotencyKey, CancellationToken ct = default);
}

/// <summary>
/// The built-in sandbox, behaving like a card processor's test mode. The card number decides the answer:
/// 4242 4242 4242 4242 (and any other valid number) approves; 4000 0000 0000 0002 is declined; 4000 0000 0000 9995 is
/// declined for insufficient funds; 4000 0000 0000 0069 is declined as expired; 4000 0000 0000 0119 fails with a processing
/// error. Numbers failing the Luhn check, past expiry dates and malformed CVCs are declined as a processor would.
/// </summary>
public sealed class SandboxPaymentGateway(TimeProvider clock) : IPaymentGateway
{
    public const string ApprovedCard = "4242424242424242";
    public const string DeclinedCard = "4000000000000002";
    public const string InsufficientFundsCard = "4000000000009995";
    public const string ExpiredCard = "4000000000000069";
    public const string ErrorCard = "4000000000000119";

    private readonly ConcurrentDictionary<string, GatewayResult> _answered = new();
    private readonly ConcurrentDictionary<string, decimal> _refundable = new();

    public string Name => "sandbox";
    public bool IsTestMode => true;

    public Task<GatewayResult> ChargeAsync(decimal amount, string currency, CardDetails card, string idempotencyKey, CancellationToken ct = default) =>
        Task.FromResult(_answered.GetOrAdd("charge:" + idempotencyKey, _ => Charge(amount, card)));

    public Task<GatewayResult> RefundAsync(string chargeReference, decimal amount, string idempotencyKey, CancellationToken ct = default) =>
        Task.FromResult(_answered.GetOrAdd("refund:" + idempotencyKey, _ =>
        {
            if (!chargeReference.StartsWith("sbx_ch_", StringComparison.Ordinal))
            {
                return new GatewayResult(GatewayOutcome.Declined, null, "The sandbox does not know that charge.");
            }
            // The sandbox forgets charges on restart: a refund of an unknown but well-formed charge is accepted.
            lock (_refundable)
            {
                if (_refundable.TryGetValue(chargeReference, out var left))
                {
                    if (amount > left)
                    {
                        return new GatewayResult(GatewayOutcome.Declined, null, "The refund is more than what is left of the charge.");
                    }
                    _refundable[chargeReference] = left - amount;
                }
            }
            return new GatewayResult(GatewayOutcome.Approved, "sbx_re_" + Reference(idempotencyKey), null);
        }));

    private GatewayResult Charge(decimal amount, CardDetails card)
    {
        var digits = card.Digits;
        if (amount <= 0)
        {
            return new(GatewayOutcome.Declined, null, "The amount must be more than zero.");
        }
        if (digits.Length is < 13 or > 19 || !Luhn(digits))
        {
            return new(GatewayOutcome.Declined, null, "The card number is not valid. Check it and try again.");
        }
        var today = clock.GetUtcNow();
        var year = card.ExpiryYear < 100 ? 2000 + card.ExpiryYear : card.ExpiryYear;
        if (card.ExpiryMonth is < 1 or > 12 || year < today.Year || (year == today.Year && card.ExpiryMonth < today.Month) || digits == ExpiredCard)
        {
            return new(GatewayOutcome.Declined, null, "The card has expired.");
        }
        if (card.Cvc.Length is < 3 or > 4 || !card.Cvc.All(char.IsDigit))
        {
            return new(GatewayOutcome.Declined, null, "The security code (CVC) is not valid.");
        }
        return digits switch
        {
            DeclinedCard => new(GatewayOutcome.Declined, null, "The card was declined by the bank."),
            InsufficientFundsCard => new(GatewayOutcome.Declined, null, "The card was declined: insufficient funds."),
            ErrorCard => new(GatewayOutcome.Error, null, "The payment processor had an error. Nothing was charged; please try again."),
            _ => Approve(amount, digits),
        };
    }

    private GatewayResult Approve(decimal amount, string digits)
    {
        var reference = "sbx_ch_" + Reference(digits + amount + Guid.NewGuid());
        _refundable[reference] = amount;
        return new(GatewayOutcome.Approved, reference, null);
    }

    private static string Reference(string seed) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)))[..20];

    public static bool Luhn(string digits)
    {
        var sum = 0;
        var doubleIt = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return sum % 10 == 0;
    }
}
