using System.Security.Cryptography;
using System.Text;
using WeedGo.Core.Accounts;
using WeedGo.Core.Ordering;
using WeedGo.Core.Pricing;

namespace WeedGo.Tests.Pricing;

/// <summary>One engine case: a cart, the promotions, and what must come out.</summary>
public sealed record EngineCase(string Title, PricingLine[] Lines, Promotion[] Promotions, decimal Discount)
{
    public decimal[]? LineDiscounts { get; init; }
    public NotAppliedReason[] Rejections { get; init; } = [];
    public string[] Applied { get; init; } = [];
    public Fulfilment? Fulfilment { get; init; } = Core.Ordering.Fulfilment.Pickup;
    public decimal DeliveryFee { get; init; }
    public decimal DeliveryDiscount { get; init; }
    public PricingCustomer? Customer { get; init; }
    public string[] Codes { get; init; } = [];
    public bool ForbidBelowCost { get; init; }
    public bool Guarded { get; init; }

    public override string ToString() => Title;
}

public sealed class PricingEngineTests
{
    public static readonly Guid Store = Guid.Parse("0197a000-0000-7000-8000-00000000aa01");
    public static readonly Guid OtherStore = Guid.Parse("0197a000-0000-7000-8000-00000000aa02");
    public static readonly Guid Customer = Guid.Parse("0197a000-0000-7000-8000-00000000cc01");
    /// <summary>Wednesday 2026-11-25 12:00 in Toronto.</summary>
    public static readonly DateTimeOffset Noon = new(2026, 11, 25, 17, 0, 0, TimeSpan.Zero);

    public static Guid IdOf(string name) => new(MD5.HashData(Encoding.UTF8.GetBytes(name)));

    public static PricingLine Line(string name, decimal price, int qty = 1, string category = "Flower", string? brand = "Acme", bool cannabis = true,
        decimal? cost = null) => new(IdOf(name), category, brand, cannabis, qty, price, cost);

    public static Promotion Promo(string name, PromotionType type, int priority = 0, Action<Promotion>? set = null)
    {
        var p = new Promotion { Id = IdOf("promo:" + name), Name = name, Type = type, Priority = priority };
        set?.Invoke(p);
        return p;
    }

    public static PricingCustomer FirstTimer => new(Customer, CustomerType.Recreational, IsFirstOrder: true);

    public static PricingResult Price(IReadOnlyList<PricingLine> lines, IReadOnlyList<Promotion> promotions, Fulfilment? fulfilment = Fulfilment.Pickup,
        decimal fee = 0, PricingCustomer? customer = null, IReadOnlyCollection<string>? codes = null, DateTimeOffset? at = null, bool forbidBelowCost = false) =>
        PricingEngine.Price(new PricingRequest(lines, customer ?? FirstTimer, new PricingStore(Store, "America/Toronto", forbidBelowCost), fulfilment, fee,
            at ?? Noon, codes ?? [], promotions));

    public static TheoryData<EngineCase> Cases => new()
    {
        // Types.
        new("percent off targets a category", [Line("flower", 10, 2), Line("gummy", 5, 1, "Edibles")],
            [Promo("20% flower", PromotionType.PercentOff, set: p => { p.Percent = 20; p.Categories = ["flower"]; })], 4.00m)
            { LineDiscounts = [4.00m, 0m], Applied = ["20% flower"] },
        new("amount off per unit", [Line("a", 10, 3)],
            [Promo("$2 each", PromotionType.AmountOff, set: p => { p.Amount = 2; p.AmountPerUnit = true; })], 6.00m),
        new("amount off once is spread in proportion", [Line("a", 10), Line("b", 30)],
            [Promo("$5 off", PromotionType.AmountOff, set: p => p.Amount = 5)], 5.00m) { LineDiscounts = [1.25m, 3.75m] },
        new("amount off once over three equal lines: the pennies add up", [Line("a", 10), Line("b", 10), Line("c", 10)],
            [Promo("$10 off", PromotionType.AmountOff, set: p => p.Amount = 10)], 10.00m) { LineDiscounts = [3.34m, 3.33m, 3.33m] },
        new("fixed price", [Line("a", 10, 2)], [Promo("now $8", PromotionType.FixedPrice, set: p => p.Price = 8)], 4.00m),
        new("fixed price above the shelf price saves nothing", [Line("a", 10)], [Promo("now $12", PromotionType.FixedPrice, set: p => p.Price = 12)], 0m)
            { Rejections = [NotAppliedReason.NoSaving] },
        new("buy 1 get 1 half off, every X, repeats", [Line("a", 10, 4)],
            [Promo("b1g1 50", PromotionType.BuyXGetY, set: p => { p.BuyQuantity = 1; p.GetQuantity = 1; p.Percent = 50; })], 10.00m),
        new("buy 1 get 1 free is spread over both lines: no cannabis line shows $0.00", [Line("a", 20), Line("b", 10)],
            [Promo("bogo", PromotionType.BuyXGetY, set: p => { p.BuyQuantity = 1; p.GetQuantity = 1; p.Percent = 100; })], 10.00m)
            { LineDiscounts = [6.67m, 3.33m] },
        new("buy 2 get 1 half off, at least X, applies once", [Line("a", 10, 6)],
            [Promo("b2g1 once", PromotionType.BuyXGetY, set: p => { p.BuyQuantity = 2; p.GetQuantity = 1; p.Percent = 50; p.BuyXGetYMode = BuyXGetYMode.AtLeastX; })], 5.00m),
        new("buy 2 get 1 with two items: minimum not met", [Line("a", 10, 2)],
            [Promo("b2g1", PromotionType.BuyXGetY, set: p => { p.BuyQuantity = 2; p.GetQuantity = 1; p.Percent = 100; })], 0m)
            { Rejections = [NotAppliedReason.MinimumNotMet] },
        new("bundle of 3 for $25, one full bundle in four items", [Line("a", 10, 2), Line("b", 10, 2)],
            [Promo("3 for 25", PromotionType.Bundle, set: p => { p.BundleQuantity = 3; p.Price = 25; })], 5.00m),
        new("spend tiers: the highest reached applies", [Line("a", 60, 2)],
            [Promo("spend", PromotionType.SpendThreshold, set: p => p.Tiers = [new() { MinimumSpend = 50, Percent = 5 }, new() { MinimumSpend = 100, Percent = 10 }])], 12.00m),
        new("spend tiers: below the first tier", [Line("a", 40)],
            [Promo("spend", PromotionType.SpendThreshold, set: p => p.Tiers = [new() { MinimumSpend = 50, Amount = 5 }])], 0m)
            { Rejections = [NotAppliedReason.MinimumNotMet] },
        new("free delivery on a delivery order", [Line("a", 40)], [Promo("free delivery", PromotionType.DeliveryFee, set: p => p.Percent = 100)], 0m)
            { Fulfilment = Core.Ordering.Fulfilment.Delivery, DeliveryFee = 5, DeliveryDiscount = 5 },
        new("delivery discount on a pickup order: wrong fulfilment", [Line("a", 40)], [Promo("free delivery", PromotionType.DeliveryFee, set: p => p.Percent = 100)], 0m)
            { Rejections = [NotAppliedReason.WrongFulfilment] },

        // Stacking, priority, exclusivity.
        new("two stackable promotions stack in priority order on the running price", [Line("a", 10)],
            [Promo("10%", PromotionType.PercentOff, 10, p => p.Percent = 10), Promo("$1 each", PromotionType.AmountOff, 5, p => { p.Amount = 1; p.AmountPerUnit = true; })], 2.00m)
            { Applied = ["10%", "$1 each"] },
        new("an exclusive promotion first excludes the rest", [Line("a", 10)],
            [Promo("30% exclusive", PromotionType.PercentOff, 10, p => { p.Percent = 30; p.Exclusive = true; }), Promo("10%", PromotionType.PercentOff, 5, p => p.Percent = 10)], 3.00m)
            { Applied = ["30% exclusive"], Rejections = [NotAppliedReason.ExcludedByExclusive] },
        new("an exclusive promotion of lower priority does not stack", [Line("a", 10)],
            [Promo("10%", PromotionType.PercentOff, 10, p => p.Percent = 10), Promo("30% exclusive", PromotionType.PercentOff, 5, p => { p.Percent = 30; p.Exclusive = true; })], 1.00m)
            { Applied = ["10%"], Rejections = [NotAppliedReason.LowerPriorityNonStackable] },
        new("of two exclusive promotions the higher priority wins", [Line("a", 10)],
            [Promo("20% ex", PromotionType.PercentOff, 10, p => { p.Percent = 20; p.Exclusive = true; }), Promo("50% ex", PromotionType.PercentOff, 5, p => { p.Percent = 50; p.Exclusive = true; })], 2.00m)
            { Applied = ["20% ex"], Rejections = [NotAppliedReason.ExcludedByExclusive] },
        new("an exclusive promotion that gives nothing does not block the others", [Line("a", 10)],
            [Promo("ex edibles", PromotionType.PercentOff, 10, p => { p.Percent = 50; p.Exclusive = true; p.Categories = ["Edibles"]; }), Promo("10%", PromotionType.PercentOff, 5, p => p.Percent = 10)], 1.00m)
            { Applied = ["10%"], Rejections = [NotAppliedReason.NoEligibleItems] },

        // Targeting and eligibility.
        new("brand and product targeting", [Line("a", 10, brand: "Acme"), Line("b", 10, brand: "Other"), Line("c", 10, brand: "Acme")],
            [Promo("acme a", PromotionType.PercentOff, set: p => { p.Percent = 50; p.Brands = ["ACME"]; p.ProductIds = [IdOf("a")]; })], 5.00m)
            { LineDiscounts = [5m, 0m, 0m] },
        new("wrong store", [Line("a", 10)], [Promo("elsewhere", PromotionType.PercentOff, set: p => { p.Percent = 10; p.StoreIds = [OtherStore]; })], 0m)
            { Rejections = [NotAppliedReason.WrongStore] },
        new("medical only for a recreational customer", [Line("a", 10)], [Promo("medical", PromotionType.PercentOff, set: p => { p.Percent = 10; p.CustomerType = CustomerType.Medical; })], 0m)
            { Rejections = [NotAppliedReason.WrongCustomerType] },
        new("first order only for a returning customer", [Line("a", 10)], [Promo("welcome", PromotionType.PercentOff, set: p => { p.Percent = 10; p.FirstOrderOnly = true; })], 0m)
            { Rejections = [NotAppliedReason.NotFirstOrder], Customer = new(Customer, CustomerType.Recreational, IsFirstOrder: false) },
        new("minimum subtotal not met", [Line("a", 10)], [Promo("min 50", PromotionType.PercentOff, set: p => { p.Percent = 10; p.MinimumSubtotal = 50; })], 0m)
            { Rejections = [NotAppliedReason.MinimumNotMet] },
        new("a code promotion without its code", [Line("a", 10)], [Promo("code", PromotionType.PercentOff, set: p => { p.Percent = 10; p.Code = "SAVE10"; })], 0m)
            { Rejections = [NotAppliedReason.CodeNotEntered] },
        new("a code entered in lower case applies", [Line("a", 10)], [Promo("code", PromotionType.PercentOff, set: p => { p.Percent = 10; p.Code = "SAVE10"; })], 1.00m)
            { Codes = [" save10 "] },
        new("paused, not started and ended", [Line("a", 10)],
            [Promo("paused", PromotionType.PercentOff, 3, p => { p.Percent = 10; p.Enabled = false; }),
             Promo("later", PromotionType.PercentOff, 2, p => { p.Percent = 10; p.StartsAt = Noon.AddDays(1); }),
             Promo("over", PromotionType.PercentOff, 1, p => { p.Percent = 10; p.EndsAt = Noon; })], 0m)
            { Rejections = [NotAppliedReason.Paused, NotAppliedReason.NotStarted, NotAppliedReason.Ended] },

        // Usage limits.
        new("overall usage limit reached", [Line("a", 10)], [Promo("limited", PromotionType.PercentOff, set: p => { p.Percent = 10; p.UsageLimit = 5; p.UsedCount = 5; })], 0m)
            { Rejections = [NotAppliedReason.UsageLimitReached] },
        new("below the overall usage limit", [Line("a", 10)], [Promo("limited", PromotionType.PercentOff, set: p => { p.Percent = 10; p.UsageLimit = 5; p.UsedCount = 4; })], 1.00m),
        new("this customer's limit reached", [Line("a", 10)], [Promo("once each", PromotionType.PercentOff, set: p => { p.Percent = 10; p.PerCustomerLimit = 1; })], 0m)
            { Rejections = [NotAppliedReason.CustomerLimitReached], Customer = new(Customer, CustomerType.Recreational, true, new Dictionary<Guid, int> { [IdOf("promo:once each")] = 1 }) },
        new("a per-customer promotion for a guest asks to sign in", [Line("a", 10)], [Promo("once each", PromotionType.PercentOff, set: p => { p.Percent = 10; p.PerCustomerLimit = 1; })], 0m)
            { Rejections = [NotAppliedReason.SignInRequired], Customer = PricingCustomer.Guest },

        // Guardrails.
        new("100% off cannabis: never free, $0.01 a unit", [Line("a", 10, 2)], [Promo("all free", PromotionType.PercentOff, set: p => p.Percent = 100)], 19.98m)
            { Guarded = true },
        new("100% off an accessory may make it free", [Line("lighter", 3, cannabis: false, category: "Accessories")], [Promo("all free", PromotionType.PercentOff, set: p => p.Percent = 100)], 3.00m),
        new("the store forbids selling below cost", [Line("a", 10, cost: 6m)], [Promo("half", PromotionType.PercentOff, set: p => p.Percent = 50)], 4.00m)
            { ForbidBelowCost = true, Guarded = true },
        new("a bundle priced at a cent keeps every cannabis unit at $0.01", [Line("a", 10), Line("b", 10), Line("c", 10)],
            [Promo("3 for a cent", PromotionType.Bundle, set: p => { p.BundleQuantity = 3; p.Price = 0.01m; })], 29.97m)
            { LineDiscounts = [9.99m, 9.99m, 9.99m], Guarded = true },
        new("a promotion with no room left is refused by the guardrail", [Line("a", 10)],
            [Promo("all free", PromotionType.PercentOff, 10, p => p.Percent = 100), Promo("$1", PromotionType.AmountOff, 5, p => { p.Amount = 1; p.AmountPerUnit = true; })], 9.99m)
            { Applied = ["all free"], Rejections = [NotAppliedReason.Guardrail], Guarded = true },
        new("spread discounts give what a floored line cannot take to the others", [Line("cheap", 0.02m), Line("dear", 20)],
            [Promo("$10 off", PromotionType.AmountOff, set: p => p.Amount = 10)], 10.00m) { LineDiscounts = [0.01m, 9.99m] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_engine_prices_each_case(EngineCase c)
    {
        var result = Price(c.Lines, c.Promotions, c.Fulfilment, c.DeliveryFee, c.Customer, c.Codes, forbidBelowCost: c.ForbidBelowCost);
        Assert.Equal(c.Discount, result.Discount);
        Assert.Equal(c.DeliveryDiscount, result.DeliveryDiscount);
        Assert.Equal(result.Subtotal - result.Discount, result.Lines.Sum(l => l.Total));
        Assert.Equal(result.Discount, result.Applied.Sum(a => a.Amount));
        Assert.All(result.Applied, a => Assert.Equal(a.Amount, a.Lines.Sum(l => l.Amount)));
        if (c.LineDiscounts is { } expected)
        {
            Assert.Equal(expected, result.Lines.Select(l => l.Discount));
        }
        if (c.Applied.Length > 0)
        {
            Assert.Equal(c.Applied, result.Applied.Select(a => a.Name));
        }
        Assert.Equal(c.Rejections, result.NotApplied.Select(r => r.Reason));
        Assert.All(result.NotApplied, r => Assert.False(string.IsNullOrWhiteSpace(r.Message)));
        Assert.Equal(c.Guarded, result.Lines.Any(l => l.Guarded));
        // No cannabis line is ever free or under a cent a unit.
        foreach (var (line, priced) in c.Lines.Zip(result.Lines))
        {
            if (line.IsCannabis)
            {
                Assert.True(priced.Total >= 0.01m * line.Quantity, $"{c.Title}: a cannabis line came to {priced.Total}");
            }
        }
    }

    [Fact]
    public void The_explanation_says_why_in_words()
    {
        var result = Price([Line("a", 10)],
        [
            Promo("Happy hour", PromotionType.PercentOff, set: p => { p.Percent = 20; p.Windows = [new() { Days = [DayOfWeek.Friday], Start = new(16, 0), End = new(18, 0) }]; }),
            Promo("Big spender", PromotionType.PercentOff, set: p => { p.Percent = 10; p.MinimumSubtotal = 50; }),
            Promo("Medical", PromotionType.PercentOff, set: p => { p.Percent = 10; p.CustomerType = CustomerType.Medical; }),
            Promo("Code", PromotionType.PercentOff, set: p => { p.Percent = 10; p.Code = "VIP"; }),
            Promo("Limited", PromotionType.PercentOff, set: p => { p.Percent = 10; p.UsageLimit = 1; p.UsedCount = 1; }),
        ]);
        string Why(string name) => result.NotApplied.Single(r => r.Name == name).Message;
        Assert.Contains("Fri 16:00–18:00", Why("Happy hour"));
        Assert.Contains("Wed 12:00", Why("Happy hour"));
        Assert.Contains("add $40.00 more", Why("Big spender"));
        Assert.Contains("medical customers only", Why("Medical"));
        Assert.Contains("needs the code VIP", Why("Code"));
        Assert.Contains("used the most times", Why("Limited"));
        var (applied, rejected) = result.ForCode("vip");
        Assert.Null(applied);
        Assert.Equal(NotAppliedReason.CodeNotEntered, rejected!.Reason);
    }

    [Fact]
    public void A_guardrail_cut_is_reported_with_the_promotion()
    {
        var result = Price([Line("a", 10, 2)], [Promo("Free!", PromotionType.PercentOff, set: p => p.Percent = 100)]);
        var applied = Assert.Single(result.Applied);
        Assert.Contains("cut by $0.02", applied.GuardrailNote);
        Assert.Contains("never given away", applied.GuardrailNote);
        Assert.Single(result.GuardrailNotes);
        Assert.Equal(0.01m, result.Lines[0].FinalUnitPrice);
    }

    [Fact]
    public void Badge_labels_are_short_and_never_call_a_product_free()
    {
        Assert.Equal("20% off", PromotionLabels.Short(Promo("a", PromotionType.PercentOff, set: p => p.Percent = 20)));
        Assert.Equal("Buy 2 get 1 50% off", PromotionLabels.Short(Promo("b", PromotionType.BuyXGetY, set: p => { p.BuyQuantity = 2; p.GetQuantity = 1; p.Percent = 50; })));
        Assert.Equal("Buy 2, pay for 1", PromotionLabels.Short(Promo("c", PromotionType.BuyXGetY, set: p => { p.BuyQuantity = 1; p.GetQuantity = 1; p.Percent = 100; })));
        Assert.Equal("3 for $25.00", PromotionLabels.Short(Promo("d", PromotionType.Bundle, set: p => { p.BundleQuantity = 3; p.Price = 25; })));
        Assert.Equal("Free delivery", PromotionLabels.Short(Promo("e", PromotionType.DeliveryFee, set: p => p.Percent = 100)));
    }

    [Fact]
    public void The_same_request_always_gives_the_same_answer_whatever_the_order_of_candidates()
    {
        var promos = Enumerable.Range(0, 30).Select(i => Promo("p" + i, (PromotionType)(i % 6), i % 4, p =>
        {
            p.Percent = 5 + i % 20; p.Amount = 1 + i % 3; p.Price = 5 + i % 7; p.BuyQuantity = 1 + i % 2; p.GetQuantity = 1; p.BundleQuantity = 2 + i % 3;
            p.Tiers = [new() { MinimumSpend = 20, Percent = 5 }]; p.Exclusive = i % 9 == 0;
        })).ToList();
        var lines = Enumerable.Range(0, 8).Select(i => Line("l" + i, 7.5m + i, 1 + i % 3, i % 2 == 0 ? "Flower" : "Pre-Rolls")).ToList();
        var first = Price(lines, promos);
        var shuffled = Price(lines, promos.OrderBy(p => p.Name.GetHashCode()).Reverse().ToList());
        Assert.Equal(first.Discount, shuffled.Discount);
        Assert.Equal(first.Applied.Select(a => (a.PromotionId, a.Amount)), shuffled.Applied.Select(a => (a.PromotionId, a.Amount)));
        Assert.Equal(first.Lines.Select(l => l.Total), shuffled.Lines.Select(l => l.Total));
    }
}
