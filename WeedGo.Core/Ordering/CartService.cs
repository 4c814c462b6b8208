using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeedGo.Core.Common;
using WeedGo.Core.Compliance;
using WeedGo.Core.Data;
using WeedGo.Core.Live;

namespace WeedGo.Core.Ordering;

/// <summary>A cart line with what it costs now and what the store has now.</summary>
public sealed record CartLineView(
    Guid ProductId, string Sku, string ProductName, string? Brand, string? Size, string? ImageUrl, string Category,
    int Quantity, decimal? UnitPrice, decimal LineTotal, int Available, decimal GramsPerUnit, bool IsCannabis, string? Problem);

/// <summary>The cart as the shopper sees it: live prices and stock, the purchase-limit meter, totals before tax, and any
/// problems that would stop checkout (sold out, over the limit, no price).</summary>
public sealed record CartView(Guid? CartId, Guid StoreId, IReadOnlyList<CartLineView> Lines, LimitMeter Meter, decimal Subtotal, int ItemCount)
{
    public bool IsEmpty => Lines.Count == 0;
    public IEnumerable<string> Problems => Lines.Where(l => l.Problem is not null).Select(l => l.Problem!)
        .Concat(Meter.IsOver ? [$"This cart holds {Meter.Describe()} of dried-cannabis equivalent; remove some to check out."] : []);
    public bool CanCheckout => !IsEmpty && !Problems.Any();
}

/// <summary>
/// Carts kept on the server, one per shopper and store: a signed-in customer's, or a guest browser's (by its cookie key)
/// until they sign in, when the guest cart is merged into theirs. Every change checks the store's available stock and the
/// purchase limit, and refuses with the reason.
/// </summary>
public sealed class CartService(
    IDbContextFactory<WeedGoDbContext> contexts, ICurrentUser user, IShopper shopper, ITenantContext tenant, IOptions<OrderingOptions> options,
    ILiveEvents live, ILogger<CartService> logger)
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

    internal async Task<CartView> ViewAsync(WeedGoDbContext db, Guid storeId, Cart? cart, CancellationToken ct)
    {
        if (cart is null)
        {
            return new CartView(null, storeId, [], new LimitMeter(0, _rules.PurchaseLimitGrams), 0, 0);
        }
        var rows = await db.CartLines.AsNoTracking().Where(l => l.CartId == cart.Id)
            .Join(db.Products, l => l.ProductId, p => p.Id, (l, p) => new
            {
                l.ProductId, l.Quantity, l.CreatedAt, p.Sku, p.ProductName, p.Brand, p.Size, p.ImageUrl, p.Category, p.UnitPrice, p.IsCannabis,
                p.DriedFlowerEquivalency,
                Stock = db.Inventory.Where(i => i.StoreId == storeId && i.ProductId == p.Id).Select(i => new { i.Available, i.RetailPriceOverride }).FirstOrDefault(),
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
        return new CartView(cart.Id, storeId, lines, meter, lines.Sum(l => l.LineTotal), lines.Sum(l => l.Quantity));
    }

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
