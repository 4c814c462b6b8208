using WeedGo.Core.Accounts;
using WeedGo.Core.Ordering;
using WeedGo.Core.Tenancy;

namespace WeedGo.Core.Pricing;

/// <summary>
/// The promotion engine: pure and deterministic (no database, no clock; the same request always gives the same answer).
/// <list type="number">
/// <item>Candidates are tried in priority order (higher first; ties by id, i.e. creation order).</item>
/// <item>Each must pass its checks in this order: paused, not started, ended, outside its window, wrong store, code not
/// entered, wrong customer type, wrong fulfilment, not a first order, usage limit (overall, then this customer's), no
/// eligible items, minimum subtotal, the type's own condition (enough units, spend tier reached, a saving at all).</item>
/// <item>Stacking: a stackable promotion applies on top of those already applied (on the running prices); an exclusive one
/// applies only if nothing applied before it, and then nothing after it applies ("excluded by a better exclusive
/// promotion"); an exclusive one reached after others applied is skipped ("lower priority, does not stack").</item>
/// <item>Guardrails: a line never drops below its floor: $0.01 a unit for cannabis (never free), the unit cost when the store
/// forbids selling below cost (never above the shelf price). Each promotion's per-line amounts are cut to the room left above
/// the floor; a spread discount (BOGO, bundle, amount, spend tier) gives what one line cannot take to the other lines it
/// covers. A promotion cut to nothing is reported as "guardrail".</item>
/// </list>
/// Money is worked in cents: amounts per line are rounded half away from zero; spread discounts are split in proportion to
/// the lines' values with the largest-remainder rule, so the cents always add up to the promotion's amount.
/// </summary>
public static class PricingEngine
{
    /// <summary>The rule the engine uses to decide a promotion is on (see <see cref="PromotionSchedule"/>).</summary>
    public static bool IsActiveNow(Promotion promotion, string timeZoneId, DateTimeOffset instant) =>
        PromotionSchedule.IsActiveNow(promotion, timeZoneId, instant);

    public static PricingResult Price(PricingRequest request)
    {
        var lines = request.Lines;
        var n = lines.Count;
        var subtotal = new long[n];
        var current = new long[n];
        var floor = new long[n];
        var floorIsCost = new bool[n];
        var guarded = new bool[n];
        var shares = new List<PromotionShare>?[n];
        long cartSubtotal = 0;
        for (var i = 0; i < n; i++)
        {
            var l = lines[i];
            subtotal[i] = Cents(l.UnitPrice * l.Quantity);
            current[i] = subtotal[i];
            cartSubtotal += subtotal[i];
            var unitFloor = l.IsCannabis ? 0.01m : 0m;
            if (request.Store.ForbidBelowCost && l.UnitCost is { } cost && cost > unitFloor)
            {
                unitFloor = cost;
                floorIsCost[i] = true;
            }
            unitFloor = Math.Min(unitFloor, l.UnitPrice);
            floor[i] = Math.Min(subtotal[i], (long)Math.Ceiling(unitFloor * l.Quantity * 100m));
        }
        var feeCents = request.Fulfilment == Fulfilment.Delivery ? Cents(request.DeliveryFee) : 0;
        long feeLeft = feeCents;

        var local = StoreHours.LocalTime(request.Store.TimeZoneId, request.At);
        var codes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in request.Codes)
        {
            if (Promotion.NormalizeCode(c) is { } key)
            {
                codes.Add(key);
            }
        }

        var ordered = request.Promotions.ToArray();
        Array.Sort(ordered, static (a, b) => a.Priority != b.Priority ? b.Priority.CompareTo(a.Priority) : a.Id.CompareTo(b.Id));

        var applied = new List<AppliedPromotion>();
        var rejected = new List<PromotionRejection>();
        var notes = new List<string>();
        Promotion? exclusiveWinner = null;
        var eligible = new List<int>(n);
        var proposal = new long[n];
        var given = new long[n];
        var scratch = new Scratch(n);
        var explain = new ExplainContext(request, local, applied);

        foreach (var p in ordered)
        {
            if (Precheck(p, request, local, codes) is { } r)
            {
                rejected.Add(new PromotionRejection(p, r, explain));
                continue;
            }
            eligible.Clear();
            if (p.TargetsItems)
            {
                for (var i = 0; i < n; i++)
                {
                    if (Matches(p, lines[i]))
                    {
                        eligible.Add(i);
                    }
                }
                if (eligible.Count == 0)
                {
                    rejected.Add(new PromotionRejection(p, new Why(NotAppliedReason.NoEligibleItems), explain));
                    continue;
                }
            }
            if (p.MinimumSubtotal is { } min && cartSubtotal < Cents(min))
            {
                rejected.Add(new PromotionRejection(p, new Why(NotAppliedReason.MinimumNotMet, 0, min, min - cartSubtotal / 100m), explain));
                continue;
            }

            // What the promotion would take, before stacking and guardrails.
            Array.Clear(proposal);
            long feeProposal = 0, spreadAmount = 0;
            var spread = false;
            var failure = Propose(p, lines, eligible, current, proposal, ref spread, ref spreadAmount, feeLeft, ref feeProposal, scratch);
            if (failure is { } f)
            {
                rejected.Add(new PromotionRejection(p, f, explain));
                continue;
            }

            if (exclusiveWinner is not null)
            {
                rejected.Add(new PromotionRejection(p, new Why(NotAppliedReason.ExcludedByExclusive), explain));
                continue;
            }
            if (p.Exclusive && applied.Count > 0)
            {
                rejected.Add(new PromotionRejection(p, new Why(NotAppliedReason.LowerPriorityNonStackable, 0, applied.Count), explain));
                continue;
            }

            // Guardrails: cut each line to the room left above its floor.
            Array.Clear(given);
            long proposedTotal = feeProposal, goods = 0;
            var cutCannabis = false;
            var cutCost = false;
            if (spread)
            {
                proposedTotal += spreadAmount;
                SpreadWithCaps(spreadAmount, eligible, proposal, current, floor, given, scratch);
            }
            else
            {
                foreach (var i in eligible)
                {
                    proposedTotal += proposal[i];
                    given[i] = Math.Max(0, Math.Min(proposal[i], current[i] - floor[i]));
                }
            }
            foreach (var i in eligible)
            {
                goods += given[i];
            }
            if (goods + feeProposal < proposedTotal)
            {
                foreach (var i in eligible)
                {
                    // A line that reached its floor while the promotion wanted more from it (or from the lines it covers).
                    if (proposal[i] > 0 && floor[i] > 0 && current[i] - given[i] <= floor[i])
                    {
                        guarded[i] = true;
                        if (floorIsCost[i])
                        {
                            cutCost = true;
                        }
                        else
                        {
                            cutCannabis = true;
                        }
                    }
                }
            }
            var feeGiven = feeProposal;
            if (goods + feeGiven == 0)
            {
                rejected.Add(new PromotionRejection(p, new Why(NotAppliedReason.Guardrail, (cutCannabis ? 1 : 0) | (cutCost ? 2 : 0)), explain));
                continue;
            }

            var lineAmounts = new List<LineAmount>();
            foreach (var i in eligible)
            {
                if (given[i] > 0)
                {
                    current[i] -= given[i];
                    (shares[i] ??= []).Add(new PromotionShare(p.Id, p.Name, given[i] / 100m));
                    lineAmounts.Add(new LineAmount(lines[i].ProductId, given[i] / 100m));
                }
            }
            feeLeft -= feeGiven;
            string? note = null;
            if (goods + feeGiven < proposedTotal)
            {
                note = $"\"{p.Name}\" was cut by {OrderMath.Money((proposedTotal - goods - feeGiven) / 100m)}: it would bring {GuardWords(cutCannabis, cutCost)}.";
                notes.Add(note);
            }
            applied.Add(new AppliedPromotion(p.Id, p.Name, p.Type, p.Code, PromotionLabels.Short(p), goods / 100m, feeGiven / 100m, lineAmounts, note));
            if (p.Exclusive)
            {
                exclusiveWinner = p;
                explain.ExclusiveWinner = p.Name;
            }

        }

        var priced = new PricedLineResult[n];
        long discount = 0;
        for (var i = 0; i < n; i++)
        {
            var d = subtotal[i] - current[i];
            discount += d;
            priced[i] = new PricedLineResult(lines[i].ProductId, lines[i].Quantity, lines[i].UnitPrice, subtotal[i] / 100m, d / 100m,
                (IReadOnlyList<PromotionShare>?)shares[i] ?? [], guarded[i]);
        }
        return new PricingResult(priced, cartSubtotal / 100m, discount / 100m, feeCents / 100m, (feeCents - feeLeft) / 100m, applied, rejected, notes);
    }

    private static string GuardWords(bool cannabis, bool cost) => (cannabis, cost) switch
    {
        (_, true) when !cannabis => "an item below its cost, which this store does not allow",
        (true, true) => "items below $0.01 a unit or below cost, which is not allowed",
        _ => "a cannabis item below $0.01 a unit (cannabis is never given away free)",
    };

    /// <summary>Null when the promotion may apply to this cart as far as who, where, when and limits go.</summary>
    private static Why? Precheck(Promotion p, PricingRequest request, DateTime local, HashSet<string> codes)
    {
        if (PromotionSchedule.Check(p, local, request.At) is { } off)
        {
            return new Why(off);
        }
        if (p.StoreIds.Count > 0 && !p.StoreIds.Contains(request.Store.Id))
        {
            return new Why(NotAppliedReason.WrongStore);
        }
        if (p.Code is { } code && !codes.Contains(code))
        {
            return new Why(NotAppliedReason.CodeNotEntered);
        }
        if (p.CustomerType is { } type && type != request.Customer.Type)
        {
            return new Why(NotAppliedReason.WrongCustomerType);
        }
        var needs = p.Type == PromotionType.DeliveryFee ? Fulfilment.Delivery : p.Fulfilment;
        if (needs is { } f && request.Fulfilment != f)
        {
            return new Why(NotAppliedReason.WrongFulfilment);
        }
        if (p.FirstOrderOnly && !request.Customer.IsFirstOrder)
        {
            return new Why(request.Customer.Id is null ? NotAppliedReason.SignInRequired : NotAppliedReason.NotFirstOrder);
        }
        if (p.UsageLimit is { } limit && p.UsedCount >= limit)
        {
            return new Why(NotAppliedReason.UsageLimitReached);
        }
        if (p.PerCustomerLimit is { } perCustomer)
        {
            if (request.Customer.Id is null)
            {
                return new Why(NotAppliedReason.SignInRequired, 1);
            }
            if (request.Customer.UsedOf(p.Id) >= perCustomer)
            {
                return new Why(NotAppliedReason.CustomerLimitReached);
            }
        }
        return null;
    }

    /// <summary>The sentence for a rejection (worded only when someone reads it).</summary>
    internal static string Explain(Promotion p, Why why, ExplainContext ctx)
    {
        var name = $"\"{p.Name}\"";
        var request = ctx.Request;
        var needs = p.Type == PromotionType.DeliveryFee ? Fulfilment.Delivery : p.Fulfilment ?? Fulfilment.Pickup;
        return why.Reason switch
        {
            NotAppliedReason.Paused => $"{name} is paused.",
            NotAppliedReason.NotStarted => $"{name} starts {StoreHours.AtStore(request.Store.TimeZoneId, p.StartsAt!.Value):yyyy-MM-dd HH:mm}.",
            NotAppliedReason.Ended => $"{name} ended {StoreHours.AtStore(request.Store.TimeZoneId, p.EndsAt!.Value):yyyy-MM-dd HH:mm}.",
            NotAppliedReason.OutsideWindow =>
                $"{name} runs only {string.Join("; ", p.Windows.Select(PromotionSchedule.Describe))} (store time); it is {ctx.Local:ddd HH:mm} at the store.",
            NotAppliedReason.WrongStore => $"{name} is not offered at this store.",
            NotAppliedReason.CodeNotEntered => $"{name} needs the code {p.Code}, which was not entered.",
            NotAppliedReason.WrongCustomerType => $"{name} is for {(p.CustomerType == CustomerType.Medical ? "medical" : "recreational")} customers only.",
            NotAppliedReason.WrongFulfilment => request.Fulfilment is null
                ? $"{name} is for {Words(needs)} orders; it applies at checkout if you choose {Words(needs)}."
                : $"{name} is for {Words(needs)} orders only.",
            NotAppliedReason.SignInRequired => why.Variant == 1
                ? $"{name} is limited per customer; sign in to use it."
                : $"{name} is for a first order; sign in so we can check.",
            NotAppliedReason.NotFirstOrder => $"{name} is for a customer's first order only.",
            NotAppliedReason.UsageLimitReached => $"{name} has been used the most times it may be ({p.UsageLimit}).",
            NotAppliedReason.CustomerLimitReached => p.PerCustomerLimit == 1
                ? $"You have already used {name}; it is once per customer."
                : $"You have already used {name} {p.PerCustomerLimit} times, the most per customer.",
            NotAppliedReason.NoEligibleItems => $"Nothing in the cart is eligible for {name}{Targets(p)}.",
            NotAppliedReason.MinimumNotMet => why.Variant switch
            {
                1 => $"{name} needs {why.A:0} eligible items; add {why.B:0} more.",
                2 => $"{name} starts at {OrderMath.Money(why.A)} of eligible items; add {OrderMath.Money(why.B)} more.",
                _ => $"{name} needs an order of at least {OrderMath.Money(why.A)}; add {OrderMath.Money(why.B)} more.",
            },
            NotAppliedReason.NoSaving => why.Variant switch
            {
                1 => $"The eligible items already cost {OrderMath.Money(p.Price ?? 0)} or less, so {name} saves nothing.",
                2 => $"These items already cost less than the bundle price, so {name} saves nothing.",
                3 => $"There is no delivery fee for {name} to take off.",
                4 => $"{name} takes nothing off the delivery fee.",
                _ => $"{name} takes nothing off these items.",
            },
            NotAppliedReason.ExcludedByExclusive =>
                $"\"{ctx.ExclusiveWinner}\" applies to this cart and combines with no other promotion, so {name} does not apply.",
            NotAppliedReason.LowerPriorityNonStackable =>
                $"{name} combines with no other promotion, and {string.Join(", ", ctx.Applied.Take((int)why.A).Select(a => $"\"{a.Name}\""))} with a higher priority already applies.",
            NotAppliedReason.Guardrail => $"{name} would bring {GuardWords((why.Variant & 1) != 0, (why.Variant & 2) != 0)}, so it does not apply.",
            _ => $"{name} does not apply.",
        };
    }

    /// <summary>Why a promotion did not apply: the reason, a variant of its sentence and up to two figures for it.</summary>
    internal readonly record struct Why(NotAppliedReason Reason, int Variant = 0, decimal A = 0, decimal B = 0);

    /// <summary>What the sentences need besides the promotion (one per <see cref="Price"/> call).</summary>
    internal sealed class ExplainContext(PricingRequest request, DateTime local, List<AppliedPromotion> applied)
    {
        public PricingRequest Request { get; } = request;
        public DateTime Local { get; } = local;
        public List<AppliedPromotion> Applied { get; } = applied;
        public string? ExclusiveWinner { get; set; }
    }

    private static string Words(Fulfilment f) => f == Fulfilment.Delivery ? "delivery" : "pickup";

    private static string Targets(Promotion p)
    {
        var parts = new List<string>();
        if (p.Categories.Count > 0)
        {
            parts.Add(string.Join(" or ", p.Categories));
        }
        if (p.Brands.Count > 0)
        {
            parts.Add("by " + string.Join(" or ", p.Brands));
        }
        if (p.ProductIds.Count > 0)
        {
            parts.Add($"{p.ProductIds.Count} chosen product{(p.ProductIds.Count == 1 ? "" : "s")}");
        }
        return parts.Count == 0 ? "" : $" ({string.Join(", ", parts)})";
    }

    /// <summary>A line is eligible when it matches every targeting list that is set (category, brand, product).</summary>
    public static bool Matches(Promotion p, PricingLine line)
    {
        if (p.ProductIds.Count > 0 && !p.ProductIds.Contains(line.ProductId))
        {
            return false;
        }
        if (p.Categories.Count > 0 && !ContainsIgnoreCase(p.Categories, line.Category))
        {
            return false;
        }
        return p.Brands.Count == 0 || (line.Brand is not null && ContainsIgnoreCase(p.Brands, line.Brand));
    }

    private static bool ContainsIgnoreCase(List<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (string.Equals(list[i], value, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Fills <paramref name="proposal"/>: per-line amounts (cents), or for a spread promotion the weights, with the
    /// amount in <paramref name="spreadAmount"/>. Null on success; else why it gives nothing.</summary>
    private static Why? Propose(Promotion p, IReadOnlyList<PricingLine> lines, List<int> eligible, long[] current,
        long[] proposal, ref bool spread, ref long spreadAmount, long feeLeft, ref long feeProposal, Scratch scratch)
    {
        switch (p.Type)
        {
            case PromotionType.PercentOff:
            {
                var pct = p.Percent ?? 0;
                long total = 0;
                foreach (var i in eligible)
                {
                    proposal[i] = RoundCents(current[i] * pct / 100m);
                    total += proposal[i];
                }
                return total > 0 ? null : new Why(NotAppliedReason.NoSaving);
            }
            case PromotionType.AmountOff:
            {
                var amount = Cents(p.Amount ?? 0);
                if (p.AmountPerUnit)
                {
                    long total = 0;
                    foreach (var i in eligible)
                    {
                        proposal[i] = Math.Min(current[i], amount * lines[i].Quantity);
                        total += proposal[i];
                    }
                    return total > 0 ? null : new Why(NotAppliedReason.NoSaving);
                }
                long value = 0;
                foreach (var i in eligible)
                {
                    proposal[i] = current[i];
                    value += current[i];
                }
                spread = true;
                spreadAmount = Math.Min(amount, value);
                return spreadAmount > 0 ? null : new Why(NotAppliedReason.NoSaving);
            }
            case PromotionType.FixedPrice:
            {
                var price = Cents(p.Price ?? 0);
                long total = 0;
                foreach (var i in eligible)
                {
                    proposal[i] = Math.Max(0, current[i] - price * lines[i].Quantity);
                    total += proposal[i];
                }
                return total > 0 ? null
                    : new Why(NotAppliedReason.NoSaving, 1);
            }
            case PromotionType.BuyXGetY:
            {
                int x = p.BuyQuantity ?? 0, y = p.GetQuantity ?? 0, group = x + y;
                var count = scratch.FillRuns(lines, eligible, current);
                var groups = group <= 0 ? 0 : p.BuyXGetYMode == BuyXGetYMode.EveryX ? count / group : count >= group ? 1 : 0;
                if (groups == 0)
                {
                    var more = Math.Max(1, group - count);
                    return new Why(NotAppliedReason.MinimumNotMet, 1, group, more);
                }
                decimal discount = 0;
                var cursor = new UnitCursor(scratch.Runs);
                for (var g = 0; g < groups; g++)
                {
                    for (var k = 0; k < group; k++)
                    {
                        var (line, price) = cursor.Next();
                        proposal[line] += RoundCents(price); // weight: the value of the units the deal covers
                        if (k >= x)
                        {
                            discount += price * (p.Percent ?? 0) / 100m;
                        }
                    }
                }
                spread = true;
                spreadAmount = RoundCents(discount);
                return spreadAmount > 0 ? null : new Why(NotAppliedReason.NoSaving);
            }
            case PromotionType.Bundle:
            {
                var size = p.BundleQuantity ?? 0;
                var count = scratch.FillRuns(lines, eligible, current);
                var bundles = size <= 0 ? 0 : count / size;
                if (bundles == 0)
                {
                    return new Why(NotAppliedReason.MinimumNotMet, 1, size, Math.Max(1, size - count));
                }
                var price = Cents(p.Price ?? 0);
                long discount = 0;
                var cursor = new UnitCursor(scratch.Runs);
                for (var b = 0; b < bundles; b++)
                {
                    decimal value = 0;
                    for (var k = 0; k < size; k++)
                    {
                        var (line, unit) = cursor.Next();
                        proposal[line] += RoundCents(unit);
                        value += unit;
                    }
                    discount += Math.Max(0, RoundCents(value) - price);
                }
                spread = true;
                spreadAmount = discount;
                return discount > 0 ? null : new Why(NotAppliedReason.NoSaving, 2);
            }
            case PromotionType.SpendThreshold:
            {
                long spend = 0;
                foreach (var i in eligible)
                {
                    spend += current[i];
                    proposal[i] = current[i];
                }
                SpendTier? tier = null;
                foreach (var t in p.Tiers)
                {
                    if (spend >= Cents(t.MinimumSpend) && (tier is null || t.MinimumSpend > tier.MinimumSpend))
                    {
                        tier = t;
                    }
                }
                if (tier is null)
                {
                    var lowest = p.Tiers.Count == 0 ? 0 : p.Tiers.Min(t => t.MinimumSpend);
                    return new Why(NotAppliedReason.MinimumNotMet, 2, lowest, lowest - spend / 100m);
                }
                spread = true;
                spreadAmount = tier.Percent is { } pct ? RoundCents(spend * pct / 100m) : Math.Min(spend, Cents(tier.Amount ?? 0));
                return spreadAmount > 0 ? null : new Why(NotAppliedReason.NoSaving);
            }
            case PromotionType.DeliveryFee:
            {
                if (feeLeft <= 0)
                {
                    return new Why(NotAppliedReason.NoSaving, 3);
                }
                feeProposal = p.Percent is { } pct ? Math.Min(feeLeft, RoundCents(feeLeft * pct / 100m)) : Math.Min(feeLeft, Cents(p.Amount ?? 0));
                return feeProposal > 0 ? null : new Why(NotAppliedReason.NoSaving, 4);
            }
            default:
                return new Why(NotAppliedReason.NoSaving);
        }
    }

    /// <summary>Reusable buffers for one <see cref="Price"/> call (no allocation per promotion).</summary>
    internal sealed class Scratch(int n)
    {
        public readonly Run[] Runs = new Run[Math.Max(n, 1)];
        public readonly int[] Active = new int[Math.Max(n, 1)];
        public readonly long[] Alloc = new long[Math.Max(n, 1)];
        public readonly (int Line, decimal Fraction)[] Fractions = new (int, decimal)[Math.Max(n, 1)];
        private static readonly RunOrder Order = new();
        private static readonly FractionOrder ByFraction = new();

        /// <summary>Every eligible unit as runs of (line, current unit price in cents, quantity), most expensive first (ties by
        /// line): the deal's cheapest units are the ones discounted. Returns the number of units.</summary>
        public int FillRuns(IReadOnlyList<PricingLine> lines, List<int> eligible, long[] current)
        {
            var count = 0;
            var units = 0;
            foreach (var i in eligible)
            {
                var q = lines[i].Quantity;
                if (q > 0)
                {
                    Runs[count++] = new Run(i, (decimal)current[i] / q, q);
                    units += q;
                }
            }
            Array.Sort(Runs, 0, count, Order);
            if (count < Runs.Length)
            {
                Runs[count] = default;
            }
            return units;
        }

        public void SortFractions(int count) => Array.Sort(Fractions, 0, count, ByFraction);

        private sealed class RunOrder : IComparer<Run>
        {
            public int Compare(Run a, Run b) => a.Price != b.Price ? b.Price.CompareTo(a.Price) : a.Line.CompareTo(b.Line);
        }

        private sealed class FractionOrder : IComparer<(int Line, decimal Fraction)>
        {
            public int Compare((int Line, decimal Fraction) a, (int Line, decimal Fraction) b) =>
                a.Fraction != b.Fraction ? b.Fraction.CompareTo(a.Fraction) : a.Line.CompareTo(b.Line);
        }
    }

    internal readonly record struct Run(int Line, decimal Price, int Quantity);

    /// <summary>Walks the units of <see cref="Scratch.Runs"/> one by one, most expensive first.</summary>
    private struct UnitCursor(Run[] runs)
    {
        private int _run;
        private int _used;

        public (int Line, decimal Price) Next()
        {
            var run = runs[_run];
            if (++_used == run.Quantity)
            {
                _run++;
                _used = 0;
            }
            return (run.Line, run.Price);
        }
    }

    /// <summary>Splits <paramref name="amount"/> cents over the lines in proportion to <paramref name="weights"/> (largest
    /// remainder, so the cents add up), never taking a line below its floor; what one line cannot take goes to the others.</summary>
    internal static void SpreadWithCaps(long amount, List<int> lines, long[] weights, long[] current, long[] floor, long[] given, Scratch scratch)
    {
        var active = scratch.Active;
        var alloc = scratch.Alloc;
        var fractions = scratch.Fractions;
        var count = 0;
        foreach (var i in lines)
        {
            if (weights[i] > 0 && current[i] - floor[i] > 0)
            {
                active[count++] = i;
            }
        }
        var remaining = amount;
        while (remaining > 0 && count > 0)
        {
            decimal totalWeight = 0;
            for (var a = 0; a < count; a++)
            {
                totalWeight += weights[active[a]];
            }
            long handed = 0;
            for (var a = 0; a < count; a++)
            {
                var i = active[a];
                var exact = remaining * (decimal)weights[i] / totalWeight;
                var whole = (long)Math.Floor(exact);
                alloc[i] = whole;
                handed += whole;
                fractions[a] = (i, exact - whole);
            }
            scratch.SortFractions(count);
            for (var k = 0; handed < remaining && k < count; k++, handed++)
            {
                alloc[fractions[k].Line]++;
            }
            var capped = false;
            var kept = 0;
            for (var a = 0; a < count; a++)
            {
                var i = active[a];
                var room = current[i] - floor[i] - given[i];
                var take = Math.Min(alloc[i], room);
                given[i] += take;
                remaining -= take;
                capped |= take < alloc[i];
                if (take < room)
                {
                    active[kept++] = i; // still has room for what others cannot take
                }
            }
            count = kept;
            if (!capped)
            {
                break;
            }
        }
    }

    private static long Cents(decimal amount) => (long)(OrderMath.Round(amount) * 100m);

    private static long RoundCents(decimal cents) => (long)Math.Round(cents, 0, MidpointRounding.AwayFromZero);

}
