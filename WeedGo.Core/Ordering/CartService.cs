using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeedGo.Core.Common;
using WeedGo.Core.Compliance;
using WeedGo.Core.Data;
using WeedGo.Core.Live;
using WeedGo.Core.Pricing;

namespace WeedGo.Core.Ordering;

/// <summary>A cart line with what it costs now and what the store has now. <see cref="LineTotal"/> is before promotions;
/// <see cref="Discount"/> is what promotions take off it (<see cref="Promotions"/> says which), <see cref="FinalTotal"/> what it
/// comes to.</summary>
public sealed record CartLineView(
    Guid ProductId, string Sku, string ProductName, string? Brand, string? Size, string? ImageUrl, string Category,
    int Quantity, decimal? UnitPrice, decimal LineTotal, int Available, decimal GramsPerUnit, bool IsCannabis, string? Problem,
    decimal Discount = 0m, IReadOnlyList<PromotionShare>? Promotions = null)
{
    public decimal FinalTotal => LineTotal - Discount;
}

/// <summary>The cart as the shopper sees it: live prices and stock, the purchase-limit meter, totals before tax, and any
/// problems that would stop checkout (sold out, over the limit, no price). <see cref="Pricing"/> is the promotion engine's
/// answer for this cart (fulfilment not chosen yet, so delivery-only promotions wait for checkout); <see cref="PromotionCode"/>
/// the code the shopper entered and <see cref="CodeMessage"/> what became of it.</summary>
public sealed record CartView(Guid? CartId, Guid StoreId, IReadOnlyList<CartLineView> Lines, LimitMeter Meter, decimal Subtotal, int ItemCount,
    PricingResult? Pricing = null, string? PromotionCode = null)
{
    public bool IsEmpty => Lines.Count == 0;
    public IEnumerable<string> Problems => Lines.Where(l => l.Problem is not null).Select(l => l.Problem!)
        .Concat(Meter.IsOver ? [$"This cart holds {Meter.Describe()} of dried-cannabis equivalent; remove some to check out."] : []);
    public bool CanCheckout => !IsEmpty && !Problems.Any();
    /// <summary>What promotions take off the goods.</summary>
    public decimal Discount => Pricing?.Discount ?? 0m;
    /// <summary>Goods after promotions, before delivery and tax.</summary>
    public decimal Total => Subtotal - Discount;
    public decimal Savings => Pricing?.Savings ?? 0m;
    public IReadOnlyList<AppliedPromotion> AppliedPromotions => Pricing?.Applied ?? [];
    /// <summary>Why the entered code does not apply (null when it applies or none was entered).</summary>
    public PromotionRejection? CodeRejection => PromotionCode is { } code && Pricing is { } p ? p.ForCode(code).Rejected : null;
    /// <summary>A sentence about the entered code: applied and what it saves, or why not.</summary>
    public string? CodeMessage => PromotionCode is not { } code || Pricing is not { } p ? null
        : p.ForCode(code) switch
        {
            ({ } a, _) => $"Code {code} applied: {OrderMath.Money(a.Total)} off.",
            (_, { } r) => r.Message,
            _ => $"The code {code} is not known.",
        };
}

/// <summary>
/// Carts kept on the server, one per shopper and store: a signed-in customer's, or a guest browser's (by its cookie key)
/// until they sign in, when the guest cart is merged into theirs. Every change checks the store's available stock and the
/// purchase limit, and refuses with the reason.
/// </summary>
public sealed class CartService(
    IDbContextFactory<WeedGoDbContext> contexts, ICurrentUser user, IShopper shopper, ITenantContext tenant, IOptions<OrderingOptions> options,
    ILiveEvents live, PricingService pricing, ILogger<CartService> logger)
{
    private readonly OrderingOptions _rules = options.Value;

    public async Task<CartView> GetAsync(Guid storeId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var cart = await FindCartAsync(db, storeId, ct);
        return await ViewAsync(db, storeId, cart, ct);
    }

    /// <summary>Adds <paramref name="quantity"/> units (to what the cart already holds).</summary>
    public Task<Result<CartView>> AddAsync(Guid storeId, Guid productId, int quantity = 1, CancellationToken ct = default) =>
        ChangeAsync(storeId, productId, current => current + quantity, ct);

    /// <summary>Sets the line to <paramref name="quantity"/> units; 0 removes it.</summary>
    public Task<Result<CartView>> SetQuantityAsync(Guid storeId, Guid productId, int quantity, CancellationToken ct = default) =>
        ChangeAsync(storeId, productId, _ => quantity, ct);

    public Task<Result<CartView>> RemoveAsync(Guid storeId, Guid productId, CancellationToken ct = default) =>
        ChangeAsync(storeId, productId, _ => 0, ct);

    public async Task<Result> ClearAsync(Guid storeId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var cart = await FindCartAsync(db, storeId, ct);
        if (cart is not null)
        {
            await db.CartLines.Where(l => l.CartId == cart.Id).ExecuteDeleteAsync(ct);
            await PublishAsync(cart, ct);
        }
        return Result.Ok();
    }

    private async Task<Result<CartView>> ChangeAsync(Guid storeId, Guid productId, Func<int, int> next, CancellationToken ct)
    {
        if (user.UserId is null && shopper.ShopperKey is null)
        {
            return Error.Validation("Your browser is not keeping our cookie, so we cannot keep a cart for you. Allow cookies for this site and try again.");
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var store = await db.Stores.AsNoTracking().Where(s => s.Id == storeId).Select(s => new { s.Name, s.IsActive }).FirstOrDefaultAsync(ct);
        if (store is null || !store.IsActive)
        {
            return Error.NotFound("That store");
        }
        var cart = await FindCartAsync(db, storeId, ct) ?? await CreateCartAsync(db, storeId, ct);
        var lines = await db.CartLines.Where(l => l.CartId == cart.Id).ToListAsync(ct);
        var line = lines.FirstOrDefault(l => l.ProductId == productId);
        var quantity = next(line?.Quantity ?? 0);
        if (quantity < 0)
        {
            return Error.Validation("A quantity cannot be negative.");
        }
        if (quantity > 0)
        {
            var refusal = await CheckLineAsync(db, storeId, store.Name, productId, quantity, lines.Where(l => l.ProductId != productId).ToList(), ct);
            if (refusal is not null)
            {
                return refusal;
            }
        }
        if (line is null && quantity > 0)
        {
            db.CartLines.Add(new CartLine { TenantId = cart.TenantId, CartId = cart.Id, ProductId = productId, Quantity = quantity });
        }
        else if (line is not null && quantity == 0)
        {
            db.CartLines.Remove(line);
        }
        else if (line is not null)
        {
            line.Quantity = quantity;
        }
        cart.UpdatedAt = DateTimeOffset.UtcNow; // stamped properly by the interceptor; marks the cart modified
        db.Carts.Update(cart);
        await db.SaveChangesAsync(ct);
        await PublishAsync(cart, ct);
        return await ViewAsync(db, storeId, cart, ct);
    }

    /// <summary>Null when <paramref name="quantity"/> of the product may sit in the cart beside <paramref name="others"/>.</summary>
    private async Task<Error?> CheckLineAsync(WeedGoDbContext db, Guid storeId, string storeName, Guid productId, int quantity,
        IReadOnlyList<CartLine> others, CancellationToken ct)
    {
        var product = await db.Products.AsNoTracking().Where(p => p.Id == productId)
            .Select(p => new
            {
                p.ProductName, p.DriedFlowerEquivalency, p.IsCannabis, p.UnitPrice,
                Stock = db.Inventory.Where(i => i.StoreId == storeId && i.ProductId == p.Id).Select(i => new { i.Available, i.RetailPriceOverride }).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct);
        if (product is null)
        {
            return Error.NotFound("That product");
        }
        if (OrderMath.ShelfPrice(product.Stock?.RetailPriceOverride, product.UnitPrice) is null)
        {
            return Error.Validation($"{product.ProductName} has no price at {storeName} yet, so it cannot be ordered.");
        }
        if (quantity > _rules.MaxUnitsPerLine)
        {
            return Error.Validation($"You can order at most {_rules.MaxUnitsPerLine} of one product at a time.");
        }
        var available = product.Stock?.Available ?? 0;
        if (available < quantity)
        {
            return OrderingErrors.OutOfStock(available == 0
                ? $"{product.ProductName} is sold out at {storeName}."
                : $"Only {available} of {product.ProductName} {(available == 1 ? "is" : "are")} left at {storeName}.");
        }
        var grams = await GramsAsync(db, others.Select(o => o.ProductId).ToList(), ct);
        var limitLines = others.Select(o => new LimitLine(o.ProductId, o.Quantity, grams.GetValueOrDefault(o.ProductId))).ToList();
        var perUnit = product.IsCannabis ? product.DriedFlowerEquivalency : 0m;
        return PurchaseLimit.RefuseAddition(limitLines, perUnit, quantity, _rules.PurchaseLimitGrams, product.ProductName) is { } reason
            ? OrderingErrors.OverLimit(reason)
            : null;
    }

    private static async Task<Dictionary<Guid, decimal>> GramsAsync(WeedGoDbContext db, List<Guid> productIds, CancellationToken ct) =>
        await db.Products.AsNoTracking().Where(p => productIds.Contains(p.Id))
            .Select(p => new { p.Id, Grams = p.IsCannabis ? p.DriedFlowerEquivalency : 0m })
            .ToDictionaryAsync(p => p.Id, p => p.Grams, ct);

    /// <summary>The shopper's cart at the store, after merging a guest cart from this browser into a signed-in customer's.</summary>
    internal async Task<Cart?> FindCartAsync(WeedGoDbContext db, Guid storeId, CancellationToken ct)
    {
        var key = shopper.ShopperKey;
        if (user.UserId is { } userId)
        {
            var mine = await db.Carts.FirstOrDefaultAsync(c => c.StoreId == storeId && c.UserId == userId, ct);
            if (key is not null)
            {
                var guest = await db.Carts.FirstOrDefaultAsync(c => c.StoreId == storeId && c.UserId == null && c.ShopperKey == key, ct);
                if (guest is not null)
                {
                    mine = await MergeAsync(db, storeId, guest, mine, ct);
                }
            }
            return mine;
        }
        return key is null ? null : await db.Carts.FirstOrDefaultAsync(c => c.StoreId == storeId && c.UserId == null && c.ShopperKey == key, ct);
    }

    /// <summary>Moves the guest cart's lines into the customer's cart. Where both hold a product the larger quantity wins;
    /// lines that would break the limit or exceed stock are left out (the guest cart is gone either way).</summary>
    private async Task<Cart> MergeAsync(WeedGoDbContext db, Guid storeId, Cart guest, Cart? mine, CancellationToken ct)
    {
        if (mine is null)
        {
            // Simply adopt the guest cart.
            guest.UserId = user.UserId;
            guest.ShopperKey = null;
            await db.SaveChangesAsync(ct);
            return guest;
        }
        var guestLines = await db.CartLines.Where(l => l.CartId == guest.Id).ToListAsync(ct);
        var myLines = await db.CartLines.Where(l => l.CartId == mine.Id).ToListAsync(ct);
        var storeName = await db.Stores.Where(s => s.Id == storeId).Select(s => s.Name).FirstAsync(ct);
        foreach (var g in guestLines)
        {
            var existing = myLines.FirstOrDefault(l => l.ProductId == g.ProductId);
            var quantity = Math.Max(existing?.Quantity ?? 0, g.Quantity);
            if (existing is not null && existing.Quantity >= quantity)
            {
                continue;
            }
            var refusal = await CheckLineAsync(db, storeId, storeName, g.ProductId, quantity, myLines.Where(l => l.ProductId != g.ProductId).ToList(), ct);
            if (refusal is not null)
            {
                logger.LogInformation("Guest cart line {Product} not merged: {Reason}", g.ProductId, refusal.Message);
                continue;
            }
            if (existing is null)
            {
                var added = new CartLine { TenantId = mine.TenantId, CartId = mine.Id, ProductId = g.ProductId, Quantity = quantity };
                db.CartLines.Add(added);
                myLines.Add(added);
            }
            else
            {
                existing.Quantity = quantity;
            }
        }
        mine.PromotionCode ??= guest.PromotionCode;
        db.Carts.Remove(guest);
        await db.SaveChangesAsync(ct);
        return mine;
    }

    private async Task<Cart> CreateCartAsync(WeedGoDbContext db, Guid storeId, CancellationToken ct)
    {
        var tenantId = tenant.TenantId ?? throw new InvalidOperationException("A cart needs a tenant.");
        var id = Guid.CreateVersion7();
        var now = DateTimeOffset.UtcNow;
        // Two tabs adding at once must end with one cart: insert-if-absent, then read whichever row won.
        if (user.UserId is { } userId)
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO carts (id, tenant_id, store_id, user_id, created_at, updated_at) VALUES ({id}, {tenantId}, {storeId}, {userId}, {now}, {now})
                ON CONFLICT (tenant_id, store_id, user_id) WHERE user_id IS NOT NULL DO NOTHING
                """, ct);
            return await db.Carts.FirstAsync(c => c.StoreId == storeId && c.UserId == userId, ct);
        }
        var key = shopper.ShopperKey!;
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO carts (id, tenant_id, store_id, shopper_key, created_at, updated_at) VALUES ({id}, {tenantId}, {storeId}, {key}, {now}, {now})
            ON CONFLICT (tenant_id, store_id, shopper_key) WHERE shopper_key IS NOT NULL DO NOTHING
            """, ct);
        return await db.Carts.FirstAsync(c => c.StoreId == storeId && c.UserId == null && c.ShopperKey == key, ct);
    }

    /// <summary>The cart priced for <paramref name="fulfilment"/> (null: not chosen yet) with <paramref name="deliveryFee"/>.</summary>
    internal async Task<CartView> ViewAsync(WeedGoDbContext db, Guid storeId, Cart? cart, Fulfilment? fulfilment, decimal deliveryFee, CancellationToken ct)
    {
        if (cart is null)
        {
            return new CartView(null, storeId, [], new LimitMeter(0, _rules.PurchaseLimitGrams), 0, 0, PricingResult.Empty);
        }
        var rows = await db.CartLines.AsNoTracking().Where(l => l.CartId == cart.Id)
            .Join(db.Products, l => l.ProductId, p => p.Id, (l, p) => new
            {
                l.ProductId, l.Quantity, l.CreatedAt, p.Sku, p.ProductName, p.Brand, p.Size, p.ImageUrl, p.Category, p.UnitPrice, p.IsCannabis,
                p.DriedFlowerEquivalency,
                Stock = db.Inventory.Where(i => i.StoreId == storeId && i.ProductId == p.Id).Select(i => new { i.Available, i.RetailPriceOverride, i.UnitCost }).FirstOrDefault(),
            })
            .OrderBy(r => r.CreatedAt)
            .ToListAsync(ct);
        var lines = rows.Select(r =>
        {
            var price = OrderMath.ShelfPrice(r.Stock?.RetailPriceOverride, r.UnitPrice);
            var available = r.Stock?.Available ?? 0;
            var problem = price is null ? $"{r.ProductName} has no price at this store; remove it to check out."
                : available == 0 ? $"{r.ProductName} is sold out; remove it to check out."
                : available < r.Quantity ? $"Only {available} of {r.ProductName} {(available == 1 ? "is" : "are")} left; lower the quantity to check out."
                : null;
            return new CartLineView(r.ProductId, r.Sku, r.ProductName, r.Brand, r.Size, r.ImageUrl, r.Category, r.Quantity, price,
                OrderMath.Round((price ?? 0) * r.Quantity), available, r.IsCannabis ? r.DriedFlowerEquivalency : 0m, r.IsCannabis, problem);
        }).ToList();
        var meter = PurchaseLimit.Measure(lines.Select(l => new LimitLine(l.ProductId, l.Quantity, l.GramsPerUnit)), _rules.PurchaseLimitGrams);
        var pricingLines = rows.Where(r => OrderMath.ShelfPrice(r.Stock?.RetailPriceOverride, r.UnitPrice) is not null)
            .Select(r => new PricingLine(r.ProductId, r.Category, r.Brand, r.IsCannabis, r.Quantity, OrderMath.ShelfPrice(r.Stock?.RetailPriceOverride, r.UnitPrice)!.Value, r.Stock?.UnitCost))
            .ToList();
        var priced = await PriceAsync(db, storeId, cart, pricingLines, fulfilment, deliveryFee, ct);
        lines = lines.Select(l => priced.Line(l.ProductId) is { } p ? l with { Discount = p.Discount, Promotions = p.Discounts } : l).ToList();
        return new CartView(cart.Id, storeId, lines, meter, lines.Sum(l => l.LineTotal), lines.Sum(l => l.Quantity), priced, cart.PromotionCode);
    }

    /// <summary>The engine's answer for the cart's lines: the shopper (signed in or guest), the entered code, now.</summary>
    internal Task<PricingResult> PriceAsync(WeedGoDbContext db, Guid storeId, Cart cart, IReadOnlyList<PricingLine> lines, Fulfilment? fulfilment,
        decimal deliveryFee, CancellationToken ct) =>
        PricingService.PriceAsync(db, storeId, lines, cart.UserId ?? user.UserId, fulfilment, deliveryFee,
            cart.PromotionCode is { } code ? [code] : [], pricing.Now, ct);

    /// <summary>
    /// Enters a promotion code on the shopper's cart (one code per cart; a new one replaces the old). Refused, with the reason,
    /// when no promotion has that code, when it is over, paused or not started, not offered at this store, not for this
    /// customer (type, first order), used up, or already used by this customer. A code that fails only because of what is in
    /// the cart (minimum, eligible items, time window, fulfilment, a better exclusive promotion) is kept: the cart says why
    /// it does not apply yet (<see cref="CartView.CodeMessage"/>).
    /// </summary>
    public async Task<Result<CartView>> ApplyCodeAsync(Guid storeId, string code, CancellationToken ct = default)
    {
        var key = Promotion.NormalizeCode(code);
        if (key is null)
        {
            return Error.Validation("Enter a promotion code.");
        }
        if (key.Length > PromotionRules.MaxCodeLength)
        {
            return new Error("promotion_code_unknown", $"We don't know the code {key[..PromotionRules.MaxCodeLength]}…; check it and try again.");
        }
        if (user.UserId is null && shopper.ShopperKey is null)
        {
            return Error.Validation("Your browser is not keeping our cookie, so we cannot keep a cart for you. Allow cookies for this site and try again.");
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await db.Stores.AsNoTracking().AnyAsync(s => s.Id == storeId && s.IsActive, ct))
        {
            return Error.NotFound("That store");
        }
        if (!await db.Promotions.AsNoTracking().AnyAsync(p => p.Code == key, ct))
        {
            return new Error("promotion_code_unknown", $"We don't know the code {key}; check the spelling and try again.");
        }
        var cart = await FindCartAsync(db, storeId, ct) ?? await CreateCartAsync(db, storeId, ct);
        var previous = cart.PromotionCode;
        cart.PromotionCode = key;
        var view = await ViewAsync(db, storeId, cart, ct);
        if (view.CodeRejection is { } rejected && RefusedCode(rejected) is { } refusal)
        {
            return refusal;
        }
        cart.PromotionCode = key;
        if (previous != key)
        {
            await db.SaveChangesAsync(ct);
            await PublishAsync(cart, ct);
        }
        return view;
    }

    /// <summary>Takes the entered code off the cart.</summary>
    public async Task<Result<CartView>> RemoveCodeAsync(Guid storeId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var cart = await FindCartAsync(db, storeId, ct);
        if (cart is not null && cart.PromotionCode is not null)
        {
            cart.PromotionCode = null;
            await db.SaveChangesAsync(ct);
            await PublishAsync(cart, ct);
        }
        return await ViewAsync(db, storeId, cart, ct);
    }

    /// <summary>The refusal for a code whose promotion cannot apply to this shopper at this store, whatever the cart holds.</summary>
    private static Error? RefusedCode(PromotionRejection r) => r.Reason switch
    {
        NotAppliedReason.Ended => new Error("promotion_code_expired", $"The code {r.Code} has expired.", ErrorKind.Conflict),
        NotAppliedReason.Paused => new Error("promotion_code_expired", $"The code {r.Code} is not active right now.", ErrorKind.Conflict),
        NotAppliedReason.NotStarted => new Error("promotion_code_not_started", $"The code {r.Code} is not active yet: {r.Message}", ErrorKind.Conflict),
        NotAppliedReason.WrongStore => new Error("promotion_code_not_for_cart", $"The code {r.Code} is not valid at this store.", ErrorKind.Validation),
        NotAppliedReason.WrongCustomerType or NotAppliedReason.NotFirstOrder =>
            new Error("promotion_code_not_for_cart", $"The code {r.Code} is not for this cart: {r.Message}", ErrorKind.Validation),
        NotAppliedReason.CustomerLimitReached => new Error("promotion_code_used", $"You have already used the code {r.Code}.", ErrorKind.Conflict),
        NotAppliedReason.UsageLimitReached => new Error("promotion_code_used", $"The code {r.Code} has been used up.", ErrorKind.Conflict),
        _ => null,
    };

    internal async Task<CartView> ViewAsync(WeedGoDbContext db, Guid storeId, Cart? cart, CancellationToken ct) =>
        await ViewAsync(db, storeId, cart, null, 0m, ct);

    private async Task PublishAsync(Cart cart, CancellationToken ct)
    {
        try
        {
            await live.PublishAsync(new CartChanged(cart.TenantId, cart.StoreId, cart.Id, cart.UserId, cart.ShopperKey), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Publishing CartChanged failed");
        }
    }
}
