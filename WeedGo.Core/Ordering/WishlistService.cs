using Microsoft.EntityFrameworkCore;
using WeedGo.Core.Common;
using WeedGo.Core.Data;

namespace WeedGo.Core.Ordering;

public sealed record WishlistEntry(Guid ProductId, string Sku, string ProductName, string? Brand, string? Size, string? ImageUrl, decimal? Price,
    int Available, DateTimeOffset AddedAt);

/// <summary>A signed-in customer's saved products per store (<c>wishlist</c>): add, remove, list, move to the cart.</summary>
public sealed class WishlistService(IDbContextFactory<WeedGoDbContext> contexts, ICurrentUser user, ITenantContext tenant, CartService carts)
{
    private static Error SignIn() => new("sign_in_required", "Sign in to keep a wishlist.", ErrorKind.Forbidden);

    /// <summary>Adds the product when absent, removes it when present; returns whether it is now on the list.</summary>
    public async Task<Result<bool>> ToggleAsync(Guid storeId, Guid productId, CancellationToken ct = default)
    {
        if (user.UserId is not { } me || tenant.TenantId is not { } tenantId)
        {
            return SignIn();
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await db.Stores.AnyAsync(s => s.Id == storeId, ct) || !await db.Products.AnyAsync(p => p.Id == productId, ct))
        {
            return Error.NotFound("That product");
        }
        var removed = await db.Wishlist.Where(w => w.UserId == me && w.StoreId == storeId && w.ProductId == productId).ExecuteDeleteAsync(ct);
        if (removed > 0)
        {
            return false;
        }
        var now = DateTimeOffset.UtcNow;
        // Unique per customer, store and product: a double click cannot make two rows.
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO wishlist (id, tenant_id, user_id, store_id, product_id, created_at, updated_at)
            VALUES ({Guid.CreateVersion7()}, {tenantId}, {me}, {storeId}, {productId}, {now}, {now})
            ON CONFLICT (tenant_id, user_id, store_id, product_id) DO NOTHING
            """, ct);
        return true;
    }

    /// <summary>Takes the product off the list (nothing happens when it is not on it, e.g. removed in another tab).</summary>
    public async Task<Result> RemoveAsync(Guid storeId, Guid productId, CancellationToken ct = default)
    {
        if (user.UserId is not { } me)
        {
            return SignIn();
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.Wishlist.Where(w => w.UserId == me && w.StoreId == storeId && w.ProductId == productId).ExecuteDeleteAsync(ct);
        return Result.Ok();
    }

    public async Task<IReadOnlySet<Guid>> ProductIdsAsync(Guid storeId, CancellationToken ct = default)
    {
        if (user.UserId is not { } me)
        {
            return new HashSet<Guid>();
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        return (await db.Wishlist.AsNoTracking().Where(w => w.UserId == me && w.StoreId == storeId).Select(w => w.ProductId).ToListAsync(ct)).ToHashSet();
    }

    public async Task<IReadOnlyList<WishlistEntry>> ListAsync(Guid storeId, CancellationToken ct = default)
    {
        if (user.UserId is not { } me)
        {
            return [];
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.Wishlist.AsNoTracking().Where(w => w.UserId == me && w.StoreId == storeId)
            .Join(db.Products, w => w.ProductId, p => p.Id, (w, p) => new
            {
                p.Id, p.Sku, p.ProductName, p.Brand, p.Size, p.ImageUrl, p.UnitPrice, w.CreatedAt,
                Stock = db.Inventory.Where(i => i.StoreId == storeId && i.ProductId == p.Id).Select(i => new { i.Available, i.RetailPriceOverride }).FirstOrDefault(),
            })
            .OrderByDescending(r => r.CreatedAt).ToListAsync(ct);
        return rows.Select(r => new WishlistEntry(r.Id, r.Sku, r.ProductName, r.Brand, r.Size, r.ImageUrl,
            OrderMath.ShelfPrice(r.Stock?.RetailPriceOverride, r.UnitPrice), r.Stock?.Available ?? 0, r.CreatedAt)).ToList();
    }

    /// <summary>Puts one unit in the cart and takes the product off the list (it stays listed if the cart refuses it).</summary>
    public async Task<Result<CartView>> MoveToCartAsync(Guid storeId, Guid productId, CancellationToken ct = default)
    {
        if (user.UserId is not { } me)
        {
            return SignIn();
        }
        var added = await carts.AddAsync(storeId, productId, 1, ct);
        if (added.Succeeded)
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            await db.Wishlist.Where(w => w.UserId == me && w.StoreId == storeId && w.ProductId == productId).ExecuteDeleteAsync(ct);
        }
        return added;
    }
}
