using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using WeedGo.Core.Common;
using WeedGo.Core.Pricing;

namespace WeedGo.Core.Data.DemoData;

/// <summary>
/// A few promotions per demo tenant so the storefront shows badges and the cart savings out of the box: an automatic
/// "buy 2 edibles, get 1 at half price" at every store, and a first-order code. Nothing time-of-day dependent, so demo prices
/// are the same whenever the demo runs. Ids are derived from names (deterministic).
/// </summary>
public static class DemoPromotions
{
    public const string WelcomeCode = "WELCOME10";

    public static async Task SeedAsync(PooledDbContextFactory<WeedGoDbContext> pool, CancellationToken ct = default)
    {
        await using var db = await pool.CreateDbContextAsync(ct);
        db.UseTenant(FixedTenantContext.System);
        foreach (var tenant in DemoDataSeeder.Tenants)
        {
            var tenantId = DemoDataSeeder.IdFor(tenant.Slug);
            foreach (var promotion in For(tenant.Slug, tenantId))
            {
                var check = PromotionRules.Validate(promotion);
                if (!check.IsValid)
                {
                    throw new InvalidOperationException($"Demo promotion {promotion.Name} is invalid: {string.Join(" ", check.Errors)}");
                }
                db.Promotions.Add(promotion);
            }
        }
        await db.SaveChangesAsync(ct);
    }

    private static IEnumerable<Promotion> For(string slug, Guid tenantId)
    {
        yield return new Promotion
        {
            Id = DemoDataSeeder.IdFor($"promo:edibles-b2g1:{slug}"), TenantId = tenantId, Name = "Edibles: buy 2, get 1 half price",
            Description = "Every third edible at 50% off (the cheapest ones).", Type = PromotionType.BuyXGetY, BuyQuantity = 2, GetQuantity = 1,
            Percent = 50, BuyXGetYMode = BuyXGetYMode.EveryX, Categories = ["Edibles"], Priority = 10,
        };
        yield return new Promotion
        {
            Id = DemoDataSeeder.IdFor($"promo:welcome:{slug}"), TenantId = tenantId, Name = "Welcome: 10% off your first order",
            Description = $"Code {WelcomeCode}, first order only.", Type = PromotionType.PercentOff, Percent = 10, Code = WelcomeCode,
            FirstOrderOnly = true, PerCustomerLimit = 1, Priority = 5,
        };
    }
}
