using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Ordering;

namespace WeedGo.Core.Pricing;

/// <summary>What a promotion does.</summary>
public enum PromotionType
{
    /// <summary><see cref="Promotion.Percent"/> % off every eligible unit.</summary>
    PercentOff,
    /// <summary><see cref="Promotion.Amount"/> dollars off: per eligible unit when <see cref="Promotion.AmountPerUnit"/>, else once off
    /// the eligible items (spread across them).</summary>
    AmountOff,
    /// <summary>Every eligible unit sells for <see cref="Promotion.Price"/> (only where that is lower than the shelf price).</summary>
    FixedPrice,
    /// <summary>Buy <see cref="Promotion.BuyQuantity"/>, get <see cref="Promotion.GetQuantity"/> at <see cref="Promotion.Percent"/> % off
    /// (100 = "free", which the guardrail turns into $0.01 for cannabis); see <see cref="BuyXGetYMode"/>.</summary>
    BuyXGetY,
    /// <summary><see cref="Promotion.BundleQuantity"/> eligible items for <see cref="Promotion.Price"/> (repeats per full bundle).</summary>
    Bundle,
    /// <summary>Spend tiers (<see cref="Promotion.Tiers"/>) over the eligible items: the highest tier reached applies.</summary>
    SpendThreshold,
    /// <summary><see cref="Promotion.Percent"/> % (100 = free delivery) or <see cref="Promotion.Amount"/> off the delivery fee.</summary>
    DeliveryFee,
}

/// <summary>How buy-X-get-Y repeats.</summary>
public enum BuyXGetYMode
{
    /// <summary>Every X + Y eligible units: Y of them (the cheapest) get the discount, as often as the cart allows.</summary>
    EveryX,
    /// <summary>Once the cart holds at least X + Y eligible units, Y units (the cheapest) get the discount, once per order.</summary>
    AtLeastX,
}

/// <summary>A recurring window ("happy hour"): days of the week and local times in the store's time zone. When
/// <see cref="End"/> is earlier than <see cref="Start"/> the window crosses midnight and belongs to the day it starts on
/// (Friday 22:00–02:00 covers Saturday 01:00).</summary>
public sealed class PromotionWindow
{
    public List<DayOfWeek> Days { get; set; } = [];
    public TimeOnly Start { get; set; }
    public TimeOnly End { get; set; }
}

/// <summary>One spend tier: at least <see cref="MinimumSpend"/> of eligible items earns <see cref="Percent"/> % or
/// <see cref="Amount"/> dollars off.</summary>
public sealed class SpendTier
{
    public decimal MinimumSpend { get; set; }
    public decimal? Percent { get; set; }
    public decimal? Amount { get; set; }
}

/// <summary>
/// A promotion (<c>promotions</c>), owned by a tenant. Automatic when <see cref="Code"/> is null, otherwise it applies only
/// when the shopper enters the code (unique per tenant, compared case-insensitively; stored upper-case). Targeting lists
/// that are empty mean "any"; a line is eligible when it matches every list that is set. The schedule is
/// <see cref="StartsAt"/>/<see cref="EndsAt"/> (UTC instants) and the optional recurring <see cref="Windows"/> (store-local).
/// </summary>
public sealed class Promotion : TenantEntity
{
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public PromotionType Type { get; set; }
    /// <summary>Null: automatic. Otherwise the code a shopper enters (normalised with <see cref="NormalizeCode"/>).</summary>
    public string? Code { get; set; }
    /// <summary>The on/off switch: false = paused.</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>Higher goes first; promotions are tried in priority order.</summary>
    public int Priority { get; set; }
    /// <summary>True: combines with no other promotion (applies alone if it is the first to apply, otherwise it is skipped).</summary>
    public bool Exclusive { get; set; }

    // Amounts (which ones matter depends on Type; see PromotionType).
    public decimal? Percent { get; set; }
    public decimal? Amount { get; set; }
    public bool AmountPerUnit { get; set; }
    /// <summary>FixedPrice: the unit price; Bundle: the price of one bundle.</summary>
    public decimal? Price { get; set; }
    public int? BuyQuantity { get; set; }
    public int? GetQuantity { get; set; }
    public BuyXGetYMode BuyXGetYMode { get; set; }
    public int? BundleQuantity { get; set; }
    public List<SpendTier> Tiers { get; set; } = [];
    /// <summary>The cart's subtotal before discounts must reach this for the promotion to apply.</summary>
    public decimal? MinimumSubtotal { get; set; }

    // Targeting.
    public List<Guid> StoreIds { get; set; } = [];
    public List<string> Categories { get; set; } = [];
    public List<string> Brands { get; set; } = [];
    public List<Guid> ProductIds { get; set; } = [];
    public CustomerType? CustomerType { get; set; }
    public Fulfilment? Fulfilment { get; set; }
    public bool FirstOrderOnly { get; set; }

    // Schedule.
    public DateTimeOffset? StartsAt { get; set; }
    public DateTimeOffset? EndsAt { get; set; }
    public List<PromotionWindow> Windows { get; set; } = [];

    // Limits.
    /// <summary>How many orders may use it in all (null: no limit).</summary>
    public int? UsageLimit { get; set; }
    /// <summary>How many orders one customer may use it for (null: no limit).</summary>
    public int? PerCustomerLimit { get; set; }
    /// <summary>Orders that used it so far; raised only by checkout's conditional update (never above <see cref="UsageLimit"/>).</summary>
    public int UsedCount { get; set; }

    public bool IsAutomatic => Code is null;

    /// <summary>Codes are compared case-insensitively: trimmed and upper-cased (invariant).</summary>
    public static string? NormalizeCode(string? code) =>
        string.IsNullOrWhiteSpace(code) ? null : code.Trim().ToUpperInvariant();

    /// <summary>True when the promotion looks at which items are in the cart (false for delivery-fee promotions).</summary>
    public bool TargetsItems => Type != PromotionType.DeliveryFee;

    /// <summary>A detached copy with a new id (and no usage), for "duplicate" and previews.</summary>
    public Promotion Clone()
    {
        var copy = (Promotion)MemberwiseClone();
        copy.Id = Guid.CreateVersion7();
        copy.UsedCount = 0;
        copy.Tiers = Tiers.Select(t => new SpendTier { MinimumSpend = t.MinimumSpend, Percent = t.Percent, Amount = t.Amount }).ToList();
        copy.StoreIds = [.. StoreIds];
        copy.Categories = [.. Categories];
        copy.Brands = [.. Brands];
        copy.ProductIds = [.. ProductIds];
        copy.Windows = Windows.Select(w => new PromotionWindow { Days = [.. w.Days], Start = w.Start, End = w.End }).ToList();
        return copy;
    }

    /// <summary>Copies what staff edit (everything but identity, tenant, counters and timestamps).</summary>
    internal void CopyEditableFrom(Promotion p)
    {
        Name = p.Name.Trim();
        Description = string.IsNullOrWhiteSpace(p.Description) ? null : p.Description.Trim();
        Type = p.Type;
        Code = NormalizeCode(p.Code);
        Enabled = p.Enabled;
        Priority = p.Priority;
        Exclusive = p.Exclusive;
        Percent = p.Percent;
        Amount = p.Amount;
        AmountPerUnit = p.AmountPerUnit;
        Price = p.Price;
        BuyQuantity = p.BuyQuantity;
        GetQuantity = p.GetQuantity;
        BuyXGetYMode = p.BuyXGetYMode;
        BundleQuantity = p.BundleQuantity;
        Tiers = p.Tiers.Select(t => new SpendTier { MinimumSpend = t.MinimumSpend, Percent = t.Percent, Amount = t.Amount }).OrderBy(t => t.MinimumSpend).ToList();
        MinimumSubtotal = p.MinimumSubtotal;
        StoreIds = p.StoreIds.Distinct().ToList();
        Categories = p.Categories.Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        Brands = p.Brands.Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => c.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        ProductIds = p.ProductIds.Distinct().ToList();
        CustomerType = p.CustomerType;
        Fulfilment = p.Fulfilment;
        FirstOrderOnly = p.FirstOrderOnly;
        StartsAt = p.StartsAt?.ToUniversalTime();
        EndsAt = p.EndsAt?.ToUniversalTime();
        Windows = p.Windows.Select(w => new PromotionWindow { Days = w.Days.Distinct().OrderBy(d => d).ToList(), Start = w.Start, End = w.End }).ToList();
        UsageLimit = p.UsageLimit;
        PerCustomerLimit = p.PerCustomerLimit;
    }
}

/// <summary>One order's use of a promotion (<c>promotion_usages</c>), written in the order's transaction.</summary>
public sealed class PromotionUsage : TenantEntity
{
    public Guid PromotionId { get; set; }
    public Guid OrderId { get; set; }
    public Guid StoreId { get; set; }
    public Guid? CustomerId { get; set; }
    /// <summary>What the promotion took off this order (goods and delivery fee).</summary>
    public decimal DiscountAmount { get; set; }
    public DateTimeOffset UsedAt { get; set; }
}

/// <summary>How many orders one customer placed with a promotion (<c>promotion_customer_counts</c>): the per-customer limit's
/// counter, raised by a conditional upsert in the order's transaction.</summary>
public sealed class PromotionCustomerCount : TenantEntity
{
    public Guid PromotionId { get; set; }
    public Guid CustomerId { get; set; }
    public int Used { get; set; }
}
