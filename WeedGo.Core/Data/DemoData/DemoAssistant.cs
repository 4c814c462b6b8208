using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using WeedGo.Core.Chat;
using WeedGo.Core.Common;

namespace WeedGo.Core.Data.DemoData;

/// <summary>The built-in personalities in every demo tenant, and each demo store's AI settings: the built-in assistant on, with
/// Bud (Yorkville: Sage), a hand-off after 3 unhelpful answers, and a monthly budget that only matters if a model is chosen.</summary>
public static class DemoAssistant
{
    public static async Task SeedAsync(PooledDbContextFactory<WeedGoDbContext> pool, CancellationToken ct = default)
    {
        await using var db = await pool.CreateDbContextAsync(ct);
        db.UseTenant(FixedTenantContext.System);
        foreach (var t in DemoDataSeeder.Tenants)
        {
            var tenantId = DemoDataSeeder.IdFor(t.Slug);
            await BuiltInPersonalities.EnsureAsync(db, tenantId, ct);
            foreach (var s in t.Stores)
            {
                var storeId = DemoDataSeeder.IdFor(s.Slug);
                if (await db.StoreAiSettings.AnyAsync(x => x.StoreId == storeId, ct))
                {
                    continue;
                }
                db.StoreAiSettings.Add(new StoreAiSettings
                {
                    Id = DemoDataSeeder.IdFor("ai-settings:" + s.Slug), TenantId = tenantId, StoreId = storeId, Enabled = true,
                    Provider = AssistantProvider.BuiltIn,
                    PersonalityId = BuiltInPersonalities.IdFor(tenantId, s.Name == "Yorkville" ? BuiltInPersonalities.SageKey : BuiltInPersonalities.BudKey),
                    MonthlyBudget = 50m, HandOffAfterUnanswered = 3, HandOffKeywords = ["complaint", "refund"],
                });
            }
        }
        await db.SaveChangesAsync(ct);
    }
}
