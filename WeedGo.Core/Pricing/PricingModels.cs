using WeedGo.Core.Accounts;
using WeedGo.Core.Ordering;

namespace WeedGo.Core.Pricing;

/// <summary>A cart line as the engine sees it: what the product is (for targeting and guardrails), how many, and the shelf
/// price and unit cost at the store.</summary>
public sealed record PricingLine(Guid ProductId, string Category, string? Brand, bool IsCannabis, int Quantity, decimal UnitPrice, decimal? UnitCost = null);

/// <summary>Who is buying: null id for a guest; <paramref name="UsageCounts"/> = orders this customer already placed with each
/// promotion (by promotion id).</summary>
public sealed record PricingCustomer(Guid? Id, CustomerType Type, bool IsFirstOrder, IReadOnlyDictionary<Guid, int>? UsageCounts = null)
{
    public static PricingCustomer Guest { get; } = new(null, CustomerType.Recreational, false);

    public int UsedOf(Guid promotionId) => UsageCounts is not null && UsageCounts.TryGetValue(promotionId, out var n) ? n : 0;
}

/// <summary>The store: its id (targeting), IANA time zone (windows) and the below-cost guardrail.</summary>
public sealed record PricingStore(Guid Id, string TimeZoneId, bool ForbidBelowCost = false);

/// <summary>Everything the engine needs; it reads nothing else. <paramref name="Fulfilment"/> is null while the shopper has not
/// chosen yet (cart page); <paramref name="Promotions"/> are the candidates, each with its overall
/// <see cref="Promotion.UsedCount"/>.</summary>
public sealed record PricingRequest(
    IReadOnlyList<PricingLine> Lines, PricingCustomer Customer, PricingStore Store, Fulfilment? Fulfilment, decimal DeliveryFee,
    DateTimeOffset At, IReadOnlyCollection<string> Codes, IReadOnlyList<Promotion> Promotions);

/// <summary>Why a promotion that was considered did not apply.</summary>
public enum NotAppliedReason
{
    Paused,
    NotStarted,
    Ended,
    OutsideWindow,
    WrongStore,
    CodeNotEntered,
    WrongCustomerType,
    WrongFulfilment,
    NotFirstOrder,
    SignInRequired,
    UsageLimitReached,
    CustomerLimitReached,
    NoEligibleItems,
    MinimumNotMet,
    /// <summary>It would not lower the price (e.g. the fixed price is above the shelf price, no delivery fee to discount).</summary>
    NoSaving,
    ExcludedByExclusive,
    LowerPriorityNonStackable,
    Guardrail,
}

/// <summary>What one promotion took off one line.</summary>
public readonly record struct PromotionShare(Guid PromotionId, string Name, decimal Amount);

/// <summary>One line after promotions: <see cref="Subtotal"/> = unit price × quantity, <see cref="Discount"/> = the sum of
/// <see cref="Discounts"/>, <see cref="Total"/> = what the customer pays for it. <see cref="Guarded"/>: a guardrail limited it.</summary>
public sealed record PricedLineResult(
    Guid ProductId, int Quantity, decimal UnitPrice, decimal Subtotal, decimal Discount, IReadOnlyList<PromotionShare> Discounts, bool Guarded)
{
    public decimal Total => Subtotal - Discount;
    /// <summary>Effective price of one unit (display; rounded).</summary>
    public decimal FinalUnitPrice => Quantity == 0 ? 0 : OrderMath.Round(Total / Quantity);
}

/// <summary>A line's share of an applied promotion.</summary>
public readonly record struct LineAmount(Guid ProductId, decimal Amount);

/// <summary>A promotion that applied: what it took off the goods (<see cref="Amount"/>, per line in <see cref="Lines"/>) and off
/// the delivery fee; <see cref="GuardrailNote"/> when a guardrail cut it down.</summary>
public sealed record AppliedPromotion(
    Guid PromotionId, string Name, PromotionType Type, string? Code, string Label, decimal Amount, decimal DeliveryDiscount,
    IReadOnlyList<LineAmount> Lines, string? GuardrailNote)
{
    public decimal Total => Amount + DeliveryDiscount;
}

/// <summary>A promotion considered but not applied, with the typed reason and a sentence for people (<see cref="Message"/>,
/// worded on first read: a cart checks hundreds of promotions and shows few reasons).</summary>
public sealed class PromotionRejection
{
    private readonly Promotion? _promotion;
    private readonly PricingEngine.Why _why;
    private PricingEngine.ExplainContext? _context;
    private string? _message;

    public PromotionRejection(Guid promotionId, string name, string? code, NotAppliedReason reason, string message)
        : this(promotionId, name, code, reason) => _message = message;

    internal PromotionRejection(Promotion promotion, PricingEngine.Why why, PricingEngine.ExplainContext context)
        : this(promotion.Id, promotion.Name, promotion.Code, why.Reason)
    {
        _promotion = promotion;
        _why = why;
        _context = context;
    }

    private PromotionRejection(Guid promotionId, string name, string? code, NotAppliedReason reason)
    {
        PromotionId = promotionId;
        Name = name;
        Code = code;
        Reason = reason;
    }

    public Guid PromotionId { get; }
    public string Name { get; }
    public string? Code { get; }
    public NotAppliedReason Reason { get; }
    public string Message
    {
        get
        {
            if (_message is null)
            {
                _message = PricingEngine.Explain(_promotion!, _why, _context!);
                _context = null;
            }
            return _message;
        }
    }

    public override string ToString() => $"{Name}: {Reason} ({Message})";
}

/// <summary>The engine's answer: final lines and totals (before tax), what applied and why the others did not.</summary>
public sealed record PricingResult(
    IReadOnlyList<PricedLineResult> Lines, decimal Subtotal, decimal Discount, decimal DeliveryFee, decimal DeliveryDiscount,
    IReadOnlyList<AppliedPromotion> Applied, IReadOnlyList<PromotionRejection> NotApplied, IReadOnlyList<string> GuardrailNotes)
{
    public static PricingResult Empty { get; } = new([], 0, 0, 0, 0, [], [], []);

    /// <summary>Goods after discounts.</summary>
    public decimal GoodsTotal => Subtotal - Discount;
    /// <summary>The delivery fee the customer pays.</summary>
    public decimal ChargedDeliveryFee => DeliveryFee - DeliveryDiscount;
    /// <summary>Goods plus delivery, after every discount, before tax.</summary>
    public decimal Total => GoodsTotal + ChargedDeliveryFee;
    public decimal Savings => Discount + DeliveryDiscount;

    public PricedLineResult? Line(Guid productId) => Lines.FirstOrDefault(l => l.ProductId == productId);

    /// <summary>Why the promotion did not apply (null when it applied or was not considered).</summary>
    public PromotionRejection? WhyNot(Guid promotionId) => NotApplied.FirstOrDefault(r => r.PromotionId == promotionId);

    /// <summary>The outcome for an entered code: the applied promotion, or the rejection (both null: no promotion has that code).</summary>
    public (AppliedPromotion? Applied, PromotionRejection? Rejected) ForCode(string code)
    {
        var key = Promotion.NormalizeCode(code);
        return (Applied.FirstOrDefault(a => a.Code == key), NotApplied.FirstOrDefault(r => r.Code == key));
    }
}

/// <summary>Where a promotion stands for staff lists.</summary>
public enum PromotionStatus
{
    ActiveNow,
    /// <summary>Enabled and not over, but not active at this moment (before its start date, or outside its recurring window).</summary>
    Scheduled,
    Expired,
    Paused,
    /// <summary>Its overall usage limit is reached.</summary>
    LimitReached,
}

/// <summary>A product card's promotion: the badge, and the price of one unit bought alone when that is lower (else null).</summary>
public sealed record MenuDeal(string Label, decimal? Price);
