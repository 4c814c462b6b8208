using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Data;
using WeedGo.Core.Ordering;

namespace WeedGo.Core.Pricing;

/// <summary>A product and quantity for a preview's sample cart.</summary>
public sealed record PreviewItem(Guid ProductId, int Quantity);

/// <summary>
/// What to preview at <paramref name="StoreId"/>: a <paramref name="Draft"/> (unsaved form; replaces the saved promotion with
/// the same id) or a saved <paramref name="PromotionId"/>, priced over the sample <paramref name="Items"/> or, when those are
/// null, the live cart of <paramref name="CustomerId"/> at the store. Without a customer the sample customer is
/// <paramref name="SampleCustomerType"/>, on a first order, with no earlier use. <paramref name="Codes"/> are the codes
/// "entered" (a code promotion is not applied unless its code is listed). <paramref name="At"/> defaults to now.
/// </summary>
public sealed record PreviewRequest(
    Guid StoreId, Promotion? Draft = null, Guid? PromotionId = null, IReadOnlyList<PreviewItem>? Items = null, Guid? CustomerId = null,
    Fulfilment? Fulfilment = null, IReadOnlyList<string>? Codes = null, DateTimeOffset? At = null, CustomerType SampleCustomerType = CustomerType.Recreational);

/// <summary>A line of the previewed cart, with names for the page.</summary>
public sealed record PreviewLine(Guid ProductId, string Sku, string Name, string Category, string? Brand, int Quantity, decimal UnitPrice);

/// <summary>The priced sample cart, and for the promotion in focus (draft or id) whether it applied and why (not).</summary>
public sealed record PricingPreview(
    IReadOnlyList<PreviewLine> Lines, PricingResult Result, Guid? FocusId, AppliedPromotion? FocusApplied, PromotionRejection? FocusRejected,
    string Explanation, PromotionValidation? Validation);

/// <summary>
/// Prices carts with the <see cref="PricingEngine"/>: loads the store (time zone, below-cost guardrail), the candidate
/// promotions with their counters and the customer (type, first order, per-promotion use), then calls the pure engine.
/// The cart, checkout (at start and again at submit) and the staff preview all go through here.
/// </summary>
public sealed class PricingService(IDbContextFactory<WeedGoDbContext> contexts, ICurrentUser user, TimeProvider clock, IOptions<OrderingOptions> options)
{
    /// <summary>Prices <paramref name="lines"/> for the signed-in shopper (or a guest) at the store, now.</summary>
    public async Task<PricingResult> PriceCartAsync(Guid storeId, IReadOnlyList<PricingLine> lines, Fulfilment? fulfilment, decimal deliveryFee,
        IReadOnlyCollection<string> codes, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await PriceAsync(db, storeId, lines, user.UserId, fulfilment, deliveryFee, codes, clock.GetUtcNow(), ct);
    }

    internal DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>Prices in the caller's context (and transaction). Candidates: the automatic promotions that may still run at
    /// the store, and every promotion whose code was entered (so an entered code always gets its reason).</summary>
    internal static async Task<PricingResult> PriceAsync(WeedGoDbContext db, Guid storeId, IReadOnlyList<PricingLine> lines, Guid? customerId,
        Fulfilment? fulfilment, decimal deliveryFee, IReadOnlyCollection<string> codes, DateTimeOffset at, CancellationToken ct)
    {
        var store = await StoreAsync(db, storeId, ct);
        if (store is null)
        {
            return PricingResult.Empty;
        }
        var keys = codes.Select(Promotion.NormalizeCode).OfType<string>().Distinct().ToList();
        var candidates = await db.Promotions.AsNoTracking()
            .Where(p => (p.Code == null && p.Enabled && (p.EndsAt == null || p.EndsAt > at) && (p.StoreIds.Count == 0 || p.StoreIds.Contains(storeId)))
                        || (p.Code != null && keys.Contains(p.Code)))
            .ToListAsync(ct);
        var customer = await CustomerAsync(db, customerId, ct);
        return PricingEngine.Price(new PricingRequest(lines, customer, store, fulfilment, deliveryFee, at, keys, candidates));
    }

    internal static async Task<PricingStore?> StoreAsync(WeedGoDbContext db, Guid storeId, CancellationToken ct) =>
        await db.Stores.AsNoTracking().Where(s => s.Id == storeId)
            .Select(s => new PricingStore(s.Id, s.TimeZoneId, s.ForbidBelowCost)).FirstOrDefaultAsync(ct);

    internal static async Task<PricingCustomer> CustomerAsync(WeedGoDbContext db, Guid? customerId, CancellationToken ct)
    {
        if (customerId is not { } id)
        {
            return PricingCustomer.Guest;
        }
        var type = await db.Profiles.AsNoTracking().Where(p => p.UserId == id).Select(p => (CustomerType?)p.CustomerType).FirstOrDefaultAsync(ct)
                   ?? CustomerType.Recreational;
        var ordered = await db.Orders.AsNoTracking().AnyAsync(o => o.CustomerId == id && o.Status != OrderStatus.Cancelled, ct);
        var counts = await db.PromotionCustomerCounts.AsNoTracking().Where(c => c.CustomerId == id)
            .ToDictionaryAsync(c => c.PromotionId, c => c.Used, ct);
        return new PricingCustomer(id, type, !ordered, counts);
    }

    /// <summary>Engine lines for products at a store: category, brand, cannabis or not, shelf price and unit cost. Products
    /// without a price are left out (they cannot be sold).</summary>
    internal static async Task<List<PricingLine>> LinesAsync(WeedGoDbContext db, Guid storeId, IReadOnlyList<PreviewItem> items, CancellationToken ct)
    {
        var ids = items.Select(i => i.ProductId).Distinct().ToList();
        var rows = await db.Products.AsNoTracking().Where(p => ids.Contains(p.Id))
            .Select(p => new
            {
                p.Id, p.Category, p.Brand, p.IsCannabis, p.UnitPrice,
                Stock = db.Inventory.Where(i => i.StoreId == storeId && i.ProductId == p.Id).Select(i => new { i.RetailPriceOverride, i.UnitCost }).FirstOrDefault(),
            })
            .ToDictionaryAsync(p => p.Id, ct);
        var lines = new List<PricingLine>();
        foreach (var item in items.Where(i => i.Quantity > 0))
        {
            if (rows.TryGetValue(item.ProductId, out var r) && OrderMath.ShelfPrice(r.Stock?.RetailPriceOverride, r.UnitPrice) is { } price)
            {
                lines.Add(new PricingLine(r.Id, r.Category, r.Brand, r.IsCannabis, item.Quantity, price, r.Stock?.UnitCost));
            }
        }
        return lines;
    }

    /// <summary>Staff preview ("why did this not apply?"): prices a sample cart or a customer's live cart with the draft or
    /// saved promotion among the store's promotions, and explains the outcome. Store staff of that store (budtenders too).</summary>
    public async Task<Result<PricingPreview>> PreviewAsync(PreviewRequest request, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await PromotionAccess.CheckStoreAsync(db, user, Policies.StoreOperations, request.StoreId, ct) is { } denied)
        {
            return denied;
        }
        var store = (await StoreAsync(db, request.StoreId, ct))!;
        var at = request.At ?? clock.GetUtcNow();

        IReadOnlyList<PreviewItem> items;
        if (request.Items is { } sample)
        {
            items = sample;
        }
        else if (request.CustomerId is { } customerId)
        {
            items = await db.Carts.AsNoTracking().Where(c => c.StoreId == request.StoreId && c.UserId == customerId)
                .SelectMany(c => c.Lines).OrderBy(l => l.CreatedAt).Select(l => new PreviewItem(l.ProductId, l.Quantity)).ToListAsync(ct);
        }
        else
        {
            return Error.Validation("Choose products for the sample cart, or a customer whose cart to use.");
        }
        if (items.Count == 0)
        {
            return Error.Validation(request.Items is null ? "That customer's cart at this store is empty." : "Add at least one product to the sample cart.");
        }
        if (items.Any(i => i.Quantity is < 1 or > 100))
        {
            return Error.Validation("Quantities in the sample cart must be between 1 and 100.");
        }

        var lines = await LinesAsync(db, request.StoreId, items, ct);
        var names = await db.Products.AsNoTracking().Where(p => lines.Select(l => l.ProductId).Contains(p.Id))
            .Select(p => new { p.Id, p.Sku, p.ProductName }).ToDictionaryAsync(p => p.Id, ct);
        var candidates = await db.Promotions.AsNoTracking()
            .Where(p => p.StoreIds.Count == 0 || p.StoreIds.Contains(request.StoreId))
            .ToListAsync(ct);
        PromotionValidation? validation = null;
        var focusId = request.Draft?.Id ?? request.PromotionId;
        if (request.Draft is { } draft)
        {
            var copy = new Promotion { Id = draft.Id, TenantId = draft.TenantId, UsedCount = draft.UsedCount };
            copy.CopyEditableFrom(draft);
            candidates.RemoveAll(p => p.Id == draft.Id);
            candidates.Add(copy);
            validation = PromotionRules.Validate(copy);
        }
        else if (request.PromotionId is { } id && candidates.All(p => p.Id != id))
        {
            // A saved promotion for other stores only: include it so the preview says "not offered at this store".
            if (await db.Promotions.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct) is { } other)
            {
                candidates.Add(other);
            }
            else
            {
                return Error.NotFound("That promotion");
            }
        }
        var customer = request.CustomerId is { } who
            ? await CustomerAsync(db, who, ct)
            : new PricingCustomer(Guid.Empty, request.SampleCustomerType, IsFirstOrder: true);
        var fee = request.Fulfilment == Fulfilment.Delivery ? options.Value.DeliveryFee : 0m;
        var result = PricingEngine.Price(new PricingRequest(lines, customer, store, request.Fulfilment, fee, at, request.Codes ?? [], candidates));

        var applied = focusId is { } f ? result.Applied.FirstOrDefault(a => a.PromotionId == f) : null;
        var rejected = focusId is { } g ? result.WhyNot(g) : null;
        var explanation = applied is not null
            ? $"\"{applied.Name}\" applies: it takes {OrderMath.Money(applied.Total)} off this cart.{(applied.GuardrailNote is { } note ? " " + note : "")}"
            : rejected is not null ? rejected.Message
            : result.Applied.Count == 0 ? "No promotion applies to this cart."
            : $"{string.Join(", ", result.Applied.Select(a => $"\"{a.Name}\""))} appl{(result.Applied.Count == 1 ? "ies" : "y")}: {OrderMath.Money(result.Savings)} off in all.";
        var previewLines = lines.Select(l => new PreviewLine(l.ProductId, names.GetValueOrDefault(l.ProductId)?.Sku ?? "",
            names.GetValueOrDefault(l.ProductId)?.ProductName ?? "", l.Category, l.Brand, l.Quantity, l.UnitPrice)).ToList();
        return new PricingPreview(previewLines, result, focusId, applied, rejected, explanation, validation);
    }
}
