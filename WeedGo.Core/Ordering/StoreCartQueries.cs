using Microsoft.EntityFrameworkCore;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Data;

namespace WeedGo.Core.Ordering;

/// <summary>A signed-in customer's non-empty cart at a store, as staff pick it for a pricing preview.</summary>
public sealed record StoreCartRow(Guid CustomerId, string CustomerName, string? Email, int Items, string? PromotionCode, DateTimeOffset ChangedAt);

/// <summary>
/// The live carts of signed-in customers at one store, newest change first, for staff of that store (the promotions
/// preview prices such a cart with <c>PricingService.PreviewAsync</c>, which has the same rule). Guests' carts have no
/// customer to name and are left out.
/// </summary>
public sealed class StoreCartQueries(IDbContextFactory<WeedGoDbContext> contexts, ICurrentUser user)
{
    public async Task<Result<IReadOnlyList<StoreCartRow>>> ListAsync(Guid storeId, string? search = null, int take = 20, CancellationToken ct = default)
    {
        if (user.Demand(Policies.StoreOperations) is { } denied)
        {
            return denied;
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await db.Stores.AsNoTracking().AnyAsync(s => s.Id == storeId, ct))
        {
            return Error.NotFound("That store");
        }
        if (!user.SeesAllStores() && !user.StoreIds.Contains(storeId))
        {
            return Error.Forbidden("You do not work at that store.");
        }
        var carts = db.Carts.AsNoTracking().Where(c => c.StoreId == storeId && c.UserId != null && c.Lines.Any());
        var rows = carts.Join(db.Users.AsNoTracking(), c => c.UserId, u => (Guid?)u.Id, (c, u) => new
        {
            CustomerId = u.Id, u.DisplayName, u.Email, Items = c.Lines.Sum(l => l.Quantity), c.PromotionCode,
            ChangedAt = c.Lines.Max(l => l.UpdatedAt) > c.UpdatedAt ? c.Lines.Max(l => l.UpdatedAt) : c.UpdatedAt,
        });
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = "%" + search.Trim().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            rows = rows.Where(r => EF.Functions.ILike(r.DisplayName, pattern) || EF.Functions.ILike(r.Email!, pattern));
        }
        var list = await rows.OrderByDescending(r => r.ChangedAt).Take(Math.Clamp(take, 1, 100)).ToListAsync(ct);
        return list.Select(r => new StoreCartRow(r.CustomerId, r.DisplayName, r.Email, r.Items, r.PromotionCode, r.ChangedAt)).ToList();
    }
}
