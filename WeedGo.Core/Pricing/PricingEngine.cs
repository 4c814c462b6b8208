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

        foreach (var p in ordered)
        {
            var reason = Precheck(p, request, local, codes);
            if (reason is { } r)
            {
                rejected.Add(Reject(p, r.Reason, r.Message));
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
                    rejected.Add(Reject(p, NotAppliedReason.NoEligibleItems, $"Nothing in the cart is eligible for \"{p.Name}\"{Targets(p)}."));
                    continue;
                }
            }
            if (p.MinimumSubtotal is { } min && cartSubtotal < Cents(min))
            {
                rejected.Add(Reject(p, NotAppliedReason.MinimumNotMet,
                    $"\"{p.Name}\" needs an order of at least {OrderMath.Money(min)}; add {OrderMath.Money(min - cartSubtotal / 100m)} more."));
                continue;
            }

            // What the promotion would take, before stacking and guardrails.
            Array.Clear(proposal);
            long feeProposal = 0, spreadAmount = 0;
            var spread = false;
            var failure = Propose(p, lines, eligible, current, proposal, ref spread, ref spreadAmount, feeLeft, ref feeProposal);
            if (failure is { } f)
            {
                rejected.Add(Reject(p, f.Reason, f.Message));
                continue;
            }

            if (exclusiveWinner is not null)
            {
                rejected.Add(Reject(p, NotAppliedReason.ExcludedByExclusive,
                    $"\"{exclusiveWinner.Name}\" applies to this cart and combines with no other promotion, so \"{p.Name}\" does not apply."));
                continue;
            }
            if (p.Exclusive && applied.Count > 0)
            {
                rejected.Add(Reject(p, NotAppliedReason.LowerPriorityNonStackable,
                    $"\"{p.Name}\" combines with no other promotion, and {string.Join(", ", applied.Select(a => $"\"{a.Name}\""))} with a higher priority already applies."));
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
                SpreadWithCaps(spreadAmount, eligible, proposal, current, floor, given);
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
                rejected.Add(Reject(p, NotAppliedReason.Guardrail, $"\"{p.Name}\" would bring {GuardWords(cutCannabis, cutCost)}, so it does not apply."));
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
    private static (NotAppliedReason Reason, string Message)? Precheck(Promotion p, PricingRequest request, DateTime local, HashSet<string> codes)
    {
        switch (PromotionSchedule.Check(p, local, request.At))
        {
            case NotAppliedReason.Paused:
                return (NotAppliedReason.Paused, $"\"{p.Name}\" is paused.");
            case NotAppliedReason.NotStarted:
                return (NotAppliedReason.NotStarted, $"\"{p.Name}\" starts {StoreHours.AtStore(request.Store.TimeZoneId, p.StartsAt!.Value):yyyy-MM-dd HH:mm}.");
            case NotAppliedReason.Ended:
                return (NotAppliedReason.Ended, $"\"{p.Name}\" ended {StoreHours.AtStore(request.Store.TimeZoneId, p.EndsAt!.Value):yyyy-MM-dd HH:mm}.");
            case NotAppliedReason.OutsideWindow:
                return (NotAppliedReason.OutsideWindow,
                    $"\"{p.Name}\" runs only {string.Join("; ", p.Windows.Select(PromotionSchedule.Describe))} (store time); it is {local:ddd HH:mm} at the store.");
        }
        if (p.StoreIds.Count > 0 && !p.StoreIds.Contains(request.Store.Id))
        {
            return (NotAppliedReason.WrongStore, $"\"{p.Name}\" is not offered at this store.");
        }
        if (p.Code is { } code && !codes.Contains(code))
        {
            return (NotAppliedReason.CodeNotEntered, $"\"{p.Name}\" needs the code {code}, which was not entered.");
        }
        if (p.CustomerType is { } type && type != request.Customer.Type)
        {
            return (NotAppliedReason.WrongCustomerType, $"\"{p.Name}\" is for {(type == CustomerType.Medical ? "medical" : "recreational")} customers only.");
        }
        var needsDelivery = p.Type == PromotionType.DeliveryFee ? Fulfilment.Delivery : p.Fulfilment;
        if (needsDelivery is { } f && request.Fulfilment != f)
        {
            return (NotAppliedReason.WrongFulfilment, request.Fulfilment is null
                ? $"\"{p.Name}\" is for {Words(f)} orders; it applies at checkout if you choose {Words(f)}."
                : $"\"{p.Name}\" is for {Words(f)} orders only.");
        }
        if (p.FirstOrderOnly && !request.Customer.IsFirstOrder)
        {
            return request.Customer.Id is null
                ? (NotAppliedReason.SignInRequired, $"\"{p.Name}\" is for a first order; sign in so we can check.")
                : (NotAppliedReason.NotFirstOrder, $"\"{p.Name}\" is for a customer's first order only.");
        }
        if (p.UsageLimit is { } limit && p.UsedCount >= limit)
        {
            return (NotAppliedReason.UsageLimitReached, $"\"{p.Name}\" has been used the most times it may be ({limit}).");
        }
        if (p.PerCustomerLimit is { } perCustomer)
        {
            if (request.Customer.Id is null)
            {
                return (NotAppliedReason.SignInRequired, $"\"{p.Name}\" is limited per customer; sign in to use it.");
            }
            if (request.Customer.UsedOf(p.Id) >= perCustomer)
            {
                return (NotAppliedReason.CustomerLimitReached, perCustomer == 1
                    ? $"You have already used \"{p.Name}\"; it is once per customer."
                    : $"You have already used \"{p.Name}\" {perCustomer} times, the most per customer.");
            }
        }
        return null;
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
    private static (NotAppliedReason Reason, string Message)? Propose(Promotion p, IReadOnlyList<PricingLine> lines, List<int> eligible, long[] current,
        long[] proposal, ref bool spread, ref long spreadAmount, long feeLeft, ref long feeProposal)
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
                return total > 0 ? null : (NotAppliedReason.NoSaving, $"\"{p.Name}\" takes nothing off these items.");
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
                    return total > 0 ? null : (NotAppliedReason.NoSaving, $"\"{p.Name}\" takes nothing off these items.");
                }
                long value = 0;
                foreach (var i in eligible)
                {
                    proposal[i] = current[i];
                    value += current[i];
                }
                spread = true;
                spreadAmount = Math.Min(amount, value);
                return spreadAmount > 0 ? null : (NotAppliedReason.NoSaving, $"\"{p.Name}\" takes nothing off these items.");
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
                    : (NotAppliedReason.NoSaving, $"The eligible items already cost {OrderMath.Money(p.Price ?? 0)} or less, so \"{p.Name}\" saves nothing.");
            }
            case PromotionType.BuyXGetY:
            {
                int x = p.BuyQuantity ?? 0, y = p.GetQuantity ?? 0, group = x + y;
                var units = Units(lines, eligible, current);
                var groups = group <= 0 ? 0 : p.BuyXGetYMode == BuyXGetYMode.EveryX ? units.Count / group : units.Count >= group ? 1 : 0;
                if (groups == 0)
                {
                    var more = Math.Max(1, group - units.Count);
                    return (NotAppliedReason.MinimumNotMet, $"\"{p.Name}\" needs {group} eligible items; add {more} more.");
                }
                decimal discount = 0;
                for (var g = 0; g < groups; g++)
                {
                    for (var k = 0; k < group; k++)
                    {
                        var (line, price) = units[g * group + k];
                        proposal[line] += RoundCents(price); // weight: the value of the units the deal covers
                        if (k >= x)
                        {
                            discount += price * (p.Percent ?? 0) / 100m;
                        }
                    }
                }
                spread = true;
                spreadAmount = RoundCents(discount);
                return spreadAmount > 0 ? null : (NotAppliedReason.NoSaving, $"\"{p.Name}\" takes nothing off these items.");
            }
            case PromotionType.Bundle:
            {
                var size = p.BundleQuantity ?? 0;
                var units = Units(lines, eligible, current);
                var bundles = size <= 0 ? 0 : units.Count / size;
                if (bundles == 0)
                {
                    return (NotAppliedReason.MinimumNotMet, $"\"{p.Name}\" needs {size} eligible items; add {Math.Max(1, size - units.Count)} more.");
                }
                var price = Cents(p.Price ?? 0);
                long discount = 0;
                for (var b = 0; b < bundles; b++)
                {
                    decimal value = 0;
                    for (var k = 0; k < size; k++)
                    {
                        var (line, unit) = units[b * size + k];
                        proposal[line] += RoundCents(unit);
                        value += unit;
                    }
                    discount += Math.Max(0, RoundCents(value) - price);
                }
                spread = true;
                spreadAmount = discount;
                return discount > 0 ? null : (NotAppliedReason.NoSaving, $"These items already cost less than the bundle price, so \"{p.Name}\" saves nothing.");
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
                    return (NotAppliedReason.MinimumNotMet,
                        $"\"{p.Name}\" starts at {OrderMath.Money(lowest)} of eligible items; add {OrderMath.Money(lowest - spend / 100m)} more.");
                }
                spread = true;
                spreadAmount = tier.Percent is { } pct ? RoundCents(spend * pct / 100m) : Math.Min(spend, Cents(tier.Amount ?? 0));
                return spreadAmount > 0 ? null : (NotAppliedReason.NoSaving, $"\"{p.Name}\" takes nothing off these items.");
            }
            case PromotionType.DeliveryFee:
            {
                if (feeLeft <= 0)
                {
                    return (NotAppliedReason.NoSaving, $"There is no delivery fee for \"{p.Name}\" to take off.");
                }
                feeProposal = p.Percent is { } pct ? Math.Min(feeLeft, RoundCents(feeLeft * pct / 100m)) : Math.Min(feeLeft, Cents(p.Amount ?? 0));
                return feeProposal > 0 ? null : (NotAppliedReason.NoSaving, $"\"{p.Name}\" takes nothing off the delivery fee.");
            }
            default:
                return (NotAppliedReason.NoSaving, $"\"{p.Name}\" is of an unknown kind.");
        }
    }

    /// <summary>Every eligible unit (line index, current unit price in cents), most expensive first; the deal's cheapest
    /// units are the ones discounted.</summary>
    private static List<(int Line, decimal Price)> Units(IReadOnlyList<PricingLine> lines, List<int> eligible, long[] current)
    {
        var units = new List<(int Line, decimal Price)>();
        foreach (var i in eligible)
        {
            var q = lines[i].Quantity;
            if (q <= 0)
            {
                continue;
            }
            var unit = (decimal)current[i] / q;
            for (var k = 0; k < q; k++)
            {
                units.Add((i, unit));
            }
        }
        units.Sort(static (a, b) => a.Price != b.Price ? b.Price.CompareTo(a.Price) : a.Line.CompareTo(b.Line));
        return units;
    }

    /// <summary>Splits <paramref name="amount"/> cents over the lines in proportion to <paramref name="weights"/> (largest
    /// remainder, so the cents add up), never taking a line below its floor; what one line cannot take goes to the others.</summary>
    internal static void SpreadWithCaps(long amount, List<int> lines, long[] weights, long[] current, long[] floor, long[] given)
    {
        var active = new List<int>(lines.Count);
        foreach (var i in lines)
        {
            if (weights[i] > 0 && current[i] - floor[i] > 0)
            {
                active.Add(i);
            }
        }
        var remaining = amount;
        var alloc = new long[weights.Length];
        var fractions = new List<(int Line, decimal Fraction)>(active.Count);
        while (remaining > 0 && active.Count > 0)
        {
            decimal totalWeight = 0;
            foreach (var i in active)
            {
                totalWeight += weights[i];
            }
            long handed = 0;
            fractions.Clear();
            foreach (var i in active)
            {
                var exact = remaining * (decimal)weights[i] / totalWeight;
                var whole = (long)Math.Floor(exact);
                alloc[i] = whole;
                handed += whole;
                fractions.Add((i, exact - whole));
            }
            fractions.Sort(static (a, b) => a.Fraction != b.Fraction ? b.Fraction.CompareTo(a.Fraction) : a.Line.CompareTo(b.Line));
            for (var k = 0; handed < remaining && k < fractions.Count; k++, handed++)
            {
                alloc[fractions[k].Line]++;
            }
            var capped = false;
            for (var a = active.Count - 1; a >= 0; a--)
            {
                var i = active[a];
                var room = current[i] - floor[i] - given[i];
                var take = Math.Min(alloc[i], room);
                given[i] += take;
                remaining -= take;
                if (take < alloc[i] || take == room)
                {
                    capped |= take < alloc[i];
                    active.RemoveAt(a);
                }
            }
            if (!capped)
            {
                break;
            }
        }
    }

    private static long Cents(decimal amount) => (long)(OrderMath.Round(amount) * 100m);

    private static long RoundCents(decimal cents) => (long)Math.Round(cents, 0, MidpointRounding.AwayFromZero);

    private static PromotionRejection Reject(Promotion p, NotAppliedReason reason, string message) => new(p.Id, p.Name, p.Code, reason, message);
}
