using Microsoft.EntityFrameworkCore;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Data;
using WeedGo.Core.Ordering;

namespace WeedGo.Core.Pricing;

/// <summary>A row of the staff list. <see cref="Status"/> is evaluated now, in the time zone of the promotion's first store
/// (or the tenant's first store for an every-store promotion).</summary>
public sealed record PromotionSummary(
    Guid Id, string Name, PromotionType Type, string Label, string? Code, PromotionStatus Status, bool Enabled, int Priority, bool Exclusive,
    DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, IReadOnlyList<Guid> StoreIds, int UsedCount, int? UsageLimit)
{
    /// <summary>The recurring windows (store-local), so lists can describe the schedule without loading each promotion.</summary>
    public IReadOnlyList<PromotionWindow> Windows { get; init; } = [];

    /// <summary>The IANA zone <see cref="Status"/> was evaluated in (the promotion's first store, or the tenant's first).</summary>
    public string TimeZoneId { get; init; } = "America/Toronto";

    /// <summary>The categories it targets (empty: any), so lists can say "20% off Pre-Rolls".</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];
}

/// <summary>Usage so far: orders that used it, what it took off them (goods and delivery), the revenue (totals) of those
/// orders except cancelled ones, and distinct customers.</summary>
public sealed record PromotionStats(int TimesUsed, decimal DiscountGiven, decimal Revenue, int Customers);

/// <summary>A promotion for the edit form (a detached copy: edit it and pass it to <see cref="PromotionService.UpdateAsync"/>),
/// with its status, label, statistics and the save-time check's current warnings.</summary>
public sealed record PromotionDetail(Promotion Promotion, PromotionStatus Status, string Label, PromotionStats Stats, PromotionValidation Validation);

/// <summary>Reads for the promotions area (staff) and for storefront badges (anyone).</summary>
public sealed class PromotionQueries(IDbContextFactory<WeedGoDbContext> contexts, ICurrentUser user, TimeProvider clock)
{
    /// <summary>The tenant's promotions the user may see (store managers: every-store ones and those touching their stores),
    /// optionally only those for <paramref name="storeId"/> and/or with <paramref name="status"/>; by priority, then name.</summary>
    public async Task<Result<IReadOnlyList<PromotionSummary>>> ListAsync(Guid? storeId = null, PromotionStatus? status = null, CancellationToken ct = default)
    {
        if (user.Demand(Policies.StoreManagement) is { } denied)
        {
            return denied;
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.Promotions.AsNoTracking();
        if (storeId is { } sid)
        {
            query = query.Where(p => p.StoreIds.Count == 0 || p.StoreIds.Contains(sid));
        }
        var rows = await query.OrderByDescending(p => p.Priority).ThenBy(p => p.Name).ToListAsync(ct);
        var zones = await ZonesAsync(db, ct);
        var now = clock.GetUtcNow();
        var list = rows.Where(p => PromotionAccess.CanSee(user, p.StoreIds))
            .Select(p => new PromotionSummary(p.Id, p.Name, p.Type, PromotionLabels.Short(p), p.Code, PromotionSchedule.Status(p, zones.For(p), now),
                p.Enabled, p.Priority, p.Exclusive, p.StartsAt, p.EndsAt, p.StoreIds, p.UsedCount, p.UsageLimit) { Windows = p.Windows, TimeZoneId = zones.For(p), Categories = p.Categories })
            .Where(s => status is null || s.Status == status)
            .ToList();
        return list;
    }

    /// <summary>Whether the store forbids prices below cost (see <see cref="PromotionService.SetForbidBelowCostAsync"/>).</summary>
    public async Task<Result<bool>> ForbidBelowCostAsync(Guid storeId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await PromotionAccess.CheckStoreAsync(db, user, Policies.StoreManagement, storeId, ct) is { } denied)
        {
            return denied;
        }
        return await db.Stores.AsNoTracking().Where(s => s.Id == storeId).Select(s => s.ForbidBelowCost).FirstAsync(ct);
    }

    public async Task<Result<PromotionDetail>> DetailAsync(Guid id, CancellationToken ct = default)
    {
        if (user.Demand(Policies.StoreManagement) is { } denied)
        {
            return denied;
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var p = await db.Promotions.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (p is null || !PromotionAccess.CanSee(user, p.StoreIds))
        {
            return Error.NotFound("That promotion");
        }
        var zones = await ZonesAsync(db, ct);
        return new PromotionDetail(p, PromotionSchedule.Status(p, zones.For(p), clock.GetUtcNow()), PromotionLabels.Short(p),
            await StatsAsync(db, id, ct), PromotionRules.Validate(p));
    }

    public async Task<Result<PromotionStats>> StatsAsync(Guid id, CancellationToken ct = default)
    {
        if (user.Demand(Policies.StoreManagement) is { } denied)
        {
            return denied;
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var storeIds = await db.Promotions.AsNoTracking().Where(p => p.Id == id).Select(p => p.StoreIds).FirstOrDefaultAsync(ct);
        if (storeIds is null || !PromotionAccess.CanSee(user, storeIds))
        {
            return Error.NotFound("That promotion");
        }
        return await StatsAsync(db, id, ct);
    }

    private static async Task<PromotionStats> StatsAsync(WeedGoDbContext db, Guid id, CancellationToken ct)
    {
        var usages = db.PromotionUsages.AsNoTracking().Where(u => u.PromotionId == id);
        var times = await usages.CountAsync(ct);
        var discount = await usages.SumAsync(u => (decimal?)u.DiscountAmount, ct) ?? 0m;
        var revenue = await usages.Join(db.Orders, u => u.OrderId, o => o.Id, (u, o) => o)
            .Where(o => o.Status != OrderStatus.Cancelled).SumAsync(o => (decimal?)o.Total, ct) ?? 0m;
        var customers = await usages.Where(u => u.CustomerId != null).Select(u => u.CustomerId).Distinct().CountAsync(ct);
        return new PromotionStats(times, discount, revenue, customers);
    }

    /// <summary>
    /// What a product card shows of the promotions running now: the badge (as <see cref="BadgesAsync"/> chooses it) and, where
    /// one unit bought alone is cheaper (percent, amount, fixed price), the price a guest pays for it, from the same engine the
    /// cart uses. <paramref name="items"/> carry the menu's own category, brand and shelf price.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, MenuDeal>> DealsAsync(Guid storeId, IReadOnlyCollection<PricingLine> items, CancellationToken ct = default)
    {
        if (items.Count == 0)
        {
            return new Dictionary<Guid, MenuDeal>();
        }
        // Two reads (the store's zone, its automatic promotions); the lines come from the menu the caller already has.
        await using var db = await contexts.CreateDbContextAsync(ct);
        var store = await PricingService.StoreAsync(db, storeId, ct);
        if (store is null)
        {
            return new Dictionary<Guid, MenuDeal>();
        }
        var now = clock.GetUtcNow();
        var promotions = (await ActiveAutomaticAsync(db, storeId, now, ct))
            .Where(p => PromotionSchedule.IsActiveNow(p, store.TimeZoneId, now)).OrderByDescending(p => p.Priority).ThenBy(p => p.Id).ToList();
        var deals = new Dictionary<Guid, MenuDeal>();
        if (promotions.Count == 0)
        {
            return deals;
        }
        foreach (var item in items)
        {
            if (promotions.FirstOrDefault(p => PricingEngine.Matches(p, item)) is not { } best)
            {
                continue;
            }
            var line = item with { Quantity = 1 };
            var priced = PricingEngine.Price(new PricingRequest([line], PricingCustomer.Guest, store, null, 0m, now, [], promotions));
            var final = priced.Line(item.ProductId)?.Total;
            deals[item.ProductId] = new MenuDeal(PromotionLabels.Short(best), final is { } f && f < item.UnitPrice ? f : null);
        }
        return deals;
    }

    /// <summary>
    /// Storefront badges: for each of <paramref name="productIds"/>, the short label of the highest-priority automatic item
    /// promotion active now at the store that the product is eligible for (percent, amount, fixed price, buy X get Y,
    /// bundle). Promotions limited to a customer type, fulfilment or first order still show (the cart explains the rest);
    /// spend thresholds and delivery discounts are cart-level and make no badge. Open to anyone (the menu is public).
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, string>> BadgesAsync(Guid storeId, IReadOnlyCollection<Guid> productIds, CancellationToken ct = default)
    {
        if (productIds.Count == 0)
        {
            return new Dictionary<Guid, string>();
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var store = await PricingService.StoreAsync(db, storeId, ct);
        if (store is null)
        {
            return new Dictionary<Guid, string>();
        }
        var now = clock.GetUtcNow();
        var promotions = await ActiveAutomaticAsync(db, storeId, now, ct);
        promotions = promotions.Where(p => PromotionSchedule.IsActiveNow(p, store.TimeZoneId, now))
            .OrderByDescending(p => p.Priority).ThenBy(p => p.Id).ToList();
        if (promotions.Count == 0)
        {
            return new Dictionary<Guid, string>();
        }
        var ids = productIds.Distinct().ToList();
        var products = await db.Products.AsNoTracking().Where(p => ids.Contains(p.Id))
            .Select(p => new PricingLine(p.Id, p.Category, p.Brand, p.IsCannabis, 1, 0m, null)).ToListAsync(ct);
        var badges = new Dictionary<Guid, string>();
        foreach (var product in products)
        {
            if (promotions.FirstOrDefault(p => PricingEngine.Matches(p, product)) is { } best)
            {
                badges[product.ProductId] = PromotionLabels.Short(best);
            }
        }
        return badges;
    }

    /// <summary>Automatic item promotions of the store within their dates and limits (the time window is checked by the caller).</summary>
    private static Task<List<Promotion>> ActiveAutomaticAsync(WeedGoDbContext db, Guid storeId, DateTimeOffset now, CancellationToken ct) =>
        db.Promotions.AsNoTracking()
            .Where(p => p.Code == null && p.Enabled && (p.EndsAt == null || p.EndsAt > now) && (p.StartsAt == null || p.StartsAt <= now)
                        && (p.StoreIds.Count == 0 || p.StoreIds.Contains(storeId))
                        && p.Type != PromotionType.SpendThreshold && p.Type != PromotionType.DeliveryFee
                        && (p.UsageLimit == null || p.UsedCount < p.UsageLimit))
            .ToListAsync(ct);

    private sealed record Zones(Dictionary<Guid, string> ByStore, string Default)
    {
        public string For(Promotion p) => p.StoreIds.Select(id => ByStore.GetValueOrDefault(id)).FirstOrDefault(z => z is not null) ?? Default;
    }

    private static async Task<Zones> ZonesAsync(WeedGoDbContext db, CancellationToken ct)
    {
        var stores = await db.Stores.AsNoTracking().OrderBy(s => s.Name).Select(s => new { s.Id, s.TimeZoneId }).ToListAsync(ct);
        return new Zones(stores.ToDictionary(s => s.Id, s => s.TimeZoneId), stores.FirstOrDefault()?.TimeZoneId ?? "America/Toronto");
    }
}
