using Microsoft.EntityFrameworkCore;
using WeedGo.Core.Data;

namespace WeedGo.Core.Inventory;

/// <summary>What the storefront may say about stock: only what is available (on hand minus reserved), never more.</summary>
public sealed class StorefrontStockQueries(IDbContextFactory<WeedGoDbContext> contexts)
{
    /// <summary>How many products the store has available right now (within the visitor's tenant).</summary>
    public async Task<int> ProductsInStockAsync(Guid storeId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Inventory.AsNoTracking().CountAsync(i => i.StoreId == storeId && i.Available > 0, ct);
    }
}
