using Microsoft.EntityFrameworkCore.Infrastructure;
using WeedGo.Core.Common;
using WeedGo.Core.Deliveries;

namespace WeedGo.Core.Data.DemoData;

/// <summary>
/// Delivery zones for the demo stores that deliver (Queen West, Yorkville, Scarborough Town), so checkout asks for a pin and
/// quotes by zone out of the box: a cheaper zone near the store (Queen West's has no minimum order) and, for Queen West, a
/// wider one with a $50 minimum that overlaps it (where zones overlap the cheapest applies). Polygons follow the streets roughly and stay off the lake.
/// </summary>
public static class DemoZones
{
    private sealed record DemoZone(string StoreSlug, string Name, decimal Fee, decimal Minimum, decimal? FreeFrom, int EtaMin, int EtaMax, double[][] Ring);

    private static readonly DemoZone[] Zones =
    [
        new("northern-lights-queen-west", "Downtown West", 5m, 0m, 100m, 30, 45,
            [[-79.455, 43.638], [-79.430, 43.632], [-79.380, 43.637], [-79.370, 43.655], [-79.385, 43.672], [-79.440, 43.668], [-79.458, 43.655]]),
        new("northern-lights-queen-west", "West End and Midtown", 9m, 50m, 150m, 45, 75,
            [[-79.530, 43.625], [-79.440, 43.615], [-79.340, 43.630], [-79.320, 43.680], [-79.380, 43.710], [-79.500, 43.700], [-79.540, 43.660]]),
        new("northern-lights-yorkville", "Midtown", 6m, 35m, 120m, 30, 45,
            [[-79.430, 43.655], [-79.360, 43.655], [-79.350, 43.685], [-79.370, 43.705], [-79.420, 43.700], [-79.435, 43.680]]),
        new("maple-leaf-scarborough", "Scarborough Centre", 6m, 35m, 120m, 30, 50,
            [[-79.310, 43.750], [-79.220, 43.745], [-79.190, 43.780], [-79.210, 43.810], [-79.290, 43.810], [-79.320, 43.785]]),
    ];

    public static async Task SeedAsync(PooledDbContextFactory<WeedGoDbContext> pool, CancellationToken ct = default)
    {
        await using var db = await pool.CreateDbContextAsync(ct);
        db.UseTenant(FixedTenantContext.System);
        foreach (var tenant in DemoDataSeeder.Tenants)
        {
            foreach (var z in Zones.Where(z => tenant.Stores.Any(s => s.Slug == z.StoreSlug)))
            {
                var ring = z.Ring.Append(z.Ring[0]).Select(p => $"[{p[0].ToString(System.Globalization.CultureInfo.InvariantCulture)},{p[1].ToString(System.Globalization.CultureInfo.InvariantCulture)}]");
                var area = ZoneGeometry.Parse($"{{\"type\":\"Polygon\",\"coordinates\":[[{string.Join(',', ring)}]]}}");
                if (!area.Succeeded)
                {
                    throw new InvalidOperationException($"Demo zone {z.Name} is invalid: {area.Error!.Message}");
                }
                db.DeliveryZones.Add(new DeliveryZone
                {
                    Id = DemoDataSeeder.IdFor($"zone:{z.StoreSlug}:{z.Name}"), TenantId = DemoDataSeeder.IdFor(tenant.Slug),
                    StoreId = DemoDataSeeder.IdFor(z.StoreSlug), Name = z.Name, Area = area.Value, Fee = z.Fee, MinimumOrder = z.Minimum,
                    FreeDeliveryThreshold = z.FreeFrom, EtaMinMinutes = z.EtaMin, EtaMaxMinutes = z.EtaMax,
                });
            }
        }
        await db.SaveChangesAsync(ct);
    }
}
