using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using WeedGo.Core.Common;
using WeedGo.Core.Inventory;

namespace WeedGo.Core.Data.DemoData;

/// <summary>
/// Demo stock: every demo store carries about a third of its tenant's catalogue, each product received as one batch lot
/// (a ledger receipt), a few sold out (a ledger sale of the whole batch) and a few below their reorder point. Deterministic
/// per store. Written in bulk but exactly as the ledger would: on hand = receipts − sales, batch remaining likewise.
/// </summary>
internal static class DemoStock
{
    public static async Task SeedAsync(PooledDbContextFactory<WeedGoDbContext> pool, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        foreach (var tenant in DemoDataSeeder.Tenants)
        {
            var tenantId = DemoDataSeeder.IdFor(tenant.Slug);
            await using var db = await pool.CreateDbContextAsync(ct);
            db.UseTenant(FixedTenantContext.For(tenantId));
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            var products = await db.Products.AsNoTracking().OrderBy(p => p.SkuKey)
                .Select(p => new { p.Id, p.Gtin, p.UnitPrice }).ToListAsync(ct);
            foreach (var (store, storeIndex) in tenant.Stores.Select((s, i) => (s, i)))
            {
                var storeId = DemoDataSeeder.IdFor(store.Slug);
                var random = new Random(2026 + storeIndex * 97 + tenant.Slug.Length);
                var lot = 0;
                foreach (var product in products)
                {
                    if (random.NextDouble() > 0.34)
                    {
                        continue;
                    }
                    lot++;
                    var received = random.Next(6, 49);
                    var soldOut = random.NextDouble() < 0.06;
                    var cost = product.UnitPrice is { } price ? Math.Round(price * 0.58m, 4) : (decimal?)null;
                    var packaged = DateTime.SpecifyKind(now.UtcDateTime.Date.AddDays(-random.Next(10, 120)).AddHours(9), DateTimeKind.Unspecified);
                    var batch = new InventoryBatch
                    {
                        TenantId = tenantId, StoreId = storeId, ProductId = product.Id, BatchLot = $"DEMO-{store.Licence[^2..]}-{lot:D4}",
                        PackagedOn = packaged, ReceivedQuantity = received, RemainingQuantity = soldOut ? 0 : received, UnitCost = cost,
                        EachGtin = product.Gtin, ReceivedAt = now.AddDays(-random.Next(1, 9)),
                    };
                    db.Batches.Add(batch);
                    db.StockLedger.Add(new StockMovement
                    {
                        TenantId = tenantId, StoreId = storeId, ProductId = product.Id, BatchId = batch.Id, Kind = MovementKind.Receipt,
                        OnHandDelta = received, UnitCost = cost, Reference = "demo-opening-stock", OccurredAt = batch.ReceivedAt,
                    });
                    if (soldOut)
                    {
                        db.StockLedger.Add(new StockMovement
                        {
                            TenantId = tenantId, StoreId = storeId, ProductId = product.Id, BatchId = batch.Id, Kind = MovementKind.Sale,
                            OnHandDelta = -received, Reference = "demo-sales", OccurredAt = batch.ReceivedAt.AddDays(1),
                        });
                    }
                    var onHand = soldOut ? 0 : received;
                    db.Inventory.Add(new InventoryItem
                    {
                        TenantId = tenantId, StoreId = storeId, ProductId = product.Id, OnHand = onHand, UnitCost = cost,
                        // About one in eight is running low: its reorder point sits above what is left.
                        ReorderPoint = random.NextDouble() < 0.12 ? onHand + random.Next(1, 10) : random.Next(2, 6),
                    });
                }
            }
            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync(ct);
        }
    }
}
