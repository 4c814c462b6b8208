using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WeedGo.Core.Common;
using WeedGo.Core.Data;
using WeedGo.Core.Data.DemoData;
using WeedGo.Core.Deliveries;

namespace WeedGo.Bench.Scenarios;

/// <summary>
/// The two spatial questions of deliveries, timed in-process one call at a time (issue 6's targets: zone lookup among 1,000
/// zones p50 under 1 ms at the database; nearest of 500 drivers p50 under 2 ms): the EF Core queries the services run next to
/// the same SQL sent with raw Npgsql, and PostgreSQL's own execution time (EXPLAIN ANALYZE).
/// </summary>
public sealed class DeliveriesScenario : IThroughputScenario
{
    private const int Calls = 3_000;
    private const int Zones = 1_000;
    private const int Drivers = 500;
    // A 40 × 25 grid of 0.01° squares over Toronto (south-west corner 43.60, -79.60).
    private const double West = -79.60, South = 43.60, Cell = 0.01;

    public string Name => "deliveries";

    public string Description =>
        $"Zone lookup (`ST_Contains`, GiST) for a random point among {Zones:N0} zones of one store, and the nearest free driver " +
        $"among {Drivers} on shift (`<->` KNN, GiST), each as the EF Core query the services run and as raw Npgsql SQL, " +
        "timed in-process one call at a time; plus PostgreSQL's execution time from EXPLAIN ANALYZE.";

    private static Guid Tenant => DemoDataSeeder.IdFor(DemoDataSeeder.NorthernLights.Slug);
    private static Guid StoreId => DemoDataSeeder.IdFor("northern-lights-queen-west");

    public async Task SetUpAsync(BenchContext context, CancellationToken ct)
    {
        await using var db = Db(context);
        // The demo store's own zones (demo data) would overlap the grid and win as the cheaper zone: only the grid is measured.
        await db.DeliveryZones.Where(z => z.StoreId == StoreId && !z.Name.StartsWith("Bench zone")).ExecuteDeleteAsync(ct);
        if (await db.DeliveryZones.CountAsync(ct) >= Zones)
        {
            return;
        }
        var random = new Random(6);
        for (var i = 0; i < Zones; i++)
        {
            var x = West + i % 40 * Cell;
            var y = South + i / 40 * Cell;
            var polygon = ZoneGeometry.Parse(
                $"{{\"type\":\"Polygon\",\"coordinates\":[[[{F(x)},{F(y)}],[{F(x + Cell)},{F(y)}],[{F(x + Cell)},{F(y + Cell)}],[{F(x)},{F(y + Cell)}],[{F(x)},{F(y)}]]]}}");
            db.DeliveryZones.Add(new DeliveryZone
            {
                TenantId = Tenant, StoreId = StoreId, Name = $"Bench zone {i:D4}", Area = polygon.Value, Fee = 3m + i % 7, MinimumOrder = 25m,
                FreeDeliveryThreshold = 150m, EtaMinMinutes = 30, EtaMaxMinutes = 45,
            });
        }
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < Drivers; i++)
        {
            db.DriverShifts.Add(new DriverShift
            {
                TenantId = Tenant, StoreId = StoreId, DriverId = Guid.CreateVersion7(), StartedAt = now,
                LastLocation = ZoneGeometry.Point(South + random.NextDouble() * 0.25, West + random.NextDouble() * 0.40), LastSeenAt = now,
            });
        }
        await db.SaveChangesAsync(ct);
        await db.Database.ExecuteSqlRawAsync("ANALYZE delivery_zones; ANALYZE driver_shifts; ANALYZE deliveries;", ct);
    }

    public async Task<string> RunAsync(BenchContext context, CancellationToken ct)
    {
        var random = new Random(42);
        var points = Enumerable.Range(0, Calls + 200)
            .Select(_ => ZoneGeometry.Point(South + 0.0005 + random.NextDouble() * 0.249, West + 0.0005 + random.NextDouble() * 0.399)).ToArray();

        // Verify before timing: the grid cell the point falls in is the zone found, and the KNN answer is the true nearest.
        await using (var db = Db(context))
        {
            var p = points[0];
            var zone = await ZoneDeliveryQuoter.FindZoneAsync(db, StoreId, p, ct);
            var expected = $"Bench zone {(int)((p.Y - South) / Cell) * 40 + (int)((p.X - West) / Cell):D4}";
            if (zone?.Name != expected)
            {
                throw new BenchVerificationException($"The zone lookup found {zone?.Name ?? "nothing"}, expected {expected}.");
            }
            var all = await db.DriverShifts.AsNoTracking().Where(s => s.StoreId == StoreId && s.EndedAt == null).Select(s => new { s.DriverId, s.LastLocation }).ToListAsync(ct);
            var truth = all.OrderBy(s => s.LastLocation!.Distance(p)).First().DriverId;
            var knn = await DriverService.FreeNearestQuery(db, StoreId, p).FirstAsync(ct);
            if (knn.DriverId != truth || all.Count < Drivers)
            {
                throw new BenchVerificationException($"The KNN query picked {knn.DriverId}, the nearest of {all.Count} is {truth}.");
            }
        }

        string zoneSql, driverSql;
        await using (var db = Db(context))
        {
            zoneSql = db.DeliveryZones.AsNoTracking().Where(z => z.StoreId == StoreId && z.IsActive && z.Area.Contains(points[0]))
                .OrderBy(z => z.Fee).ThenBy(z => z.Name).Take(1).ToQueryString();
            driverSql = DriverService.FreeNearestQuery(db, StoreId, points[0]).Take(1).ToQueryString();
        }

        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
        var pool = context.Services.GetRequiredService<PooledDbContextFactory<WeedGoDbContext>>();
        var zoneEf = await TimeAsync(points, async p =>
        {
            await using var db = pool.CreateDbContext();
            db.UseTenant(FixedTenantContext.For(Tenant));
            return await ZoneDeliveryQuoter.FindZoneAsync(db, StoreId, p, ct) is not null;
        });
        var driverEf = await TimeAsync(points, async p =>
        {
            await using var db = pool.CreateDbContext();
            db.UseTenant(FixedTenantContext.For(Tenant));
            return await DriverService.FreeNearestQuery(db, StoreId, p).FirstOrDefaultAsync(ct) is not null;
        });

        var source = context.Services.GetRequiredKeyedService<NpgsqlDataSource>(WeedGo.Web.Endpoints.BenchEndpoints.RawSource);
        await using var connection = await source.OpenConnectionAsync(ct);
        const string RawZone = "SELECT id, fee, minimum_order, eta_min_minutes, eta_max_minutes FROM delivery_zones WHERE tenant_id = $1 AND store_id = $2 AND is_active " +
            "AND ST_Contains(area, ST_SetSRID(ST_MakePoint($3, $4), 4326)) ORDER BY fee, name LIMIT 1";
        const string RawDriver = "SELECT s.driver_id FROM driver_shifts s WHERE s.tenant_id = $1 AND s.store_id = $2 AND s.ended_at IS NULL AND s.last_location IS NOT NULL " +
            "AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.driver_id = s.driver_id AND d.status IN ('Assigned','PickedUp','EnRoute','Arrived')) " +
            "ORDER BY s.last_location <-> ST_SetSRID(ST_MakePoint($3, $4), 4326) LIMIT 1";
        var zoneRaw = await TimeAsync(points, p => RawAsync(connection, RawZone, p, ct));
        var driverRaw = await TimeAsync(points, p => RawAsync(connection, RawDriver, p, ct));
        var zonePlan = await ExplainAsync(connection, RawZone, points[7], ct);
        var driverPlan = await ExplainAsync(connection, RawDriver, points[7], ct);
        var zoneExec = await ExecTimesAsync(connection, RawZone, points, ct);
        var driverExec = await ExecTimesAsync(connection, RawDriver, points, ct);

        return string.Join("\n",
        [
            "| question | how | calls | p50 ms | p95 ms | p99 ms |",
            "|---|---|--:|--:|--:|--:|",
            Row($"zone containing a point ({Zones:N0} zones)", "PostgreSQL execution (EXPLAIN ANALYZE, 200 points)", zoneExec),
            Row("", "raw Npgsql (prepared, one connection)", zoneRaw),
            Row("", "EF Core `ZoneDeliveryQuoter.FindZoneAsync` (pooled context per call)", zoneEf),
            Row($"nearest free driver ({Drivers} on shift)", "PostgreSQL execution (EXPLAIN ANALYZE, 200 points)", driverExec),
            Row("", "raw Npgsql (prepared, one connection)", driverRaw),
            Row("", "EF Core `DriverService.FreeNearestQuery` (pooled context per call)", driverEf),
            "",
            $"Machine load average at the start: {load} (on {Environment.ProcessorCount} cores). Points are uniform over the zones' " +
            "grid (every lookup finds a zone) and the drivers' area; one call at a time, after 200 warm-up calls.",
            "",
            $"**Targets (issue 6), at the database: zone lookup p50 under 1 ms — {(zoneExec.P50 < 1 ? "met" : "NOT met")} ({Ms(zoneExec.P50)} ms execution, " +
            $"{Ms(zoneRaw.P50)} ms round trip); nearest driver p50 under 2 ms — {(driverExec.P50 < 2 ? "met" : "NOT met")} ({Ms(driverExec.P50)} ms execution, {Ms(driverRaw.P50)} ms round trip).**",
            "",
            "### Zone lookup: SQL from EF Core",
            "```sql", zoneSql, "```",
            "Plan (raw SQL):",
            "```", zonePlan, "```",
            "### Nearest free driver: SQL from EF Core",
            "```sql", driverSql, "```",
            "Plan (raw SQL):",
            "```", driverPlan, "```",
            "",
        ]) + "\n";
    }

    private static WeedGoDbContext Db(BenchContext context)
    {
        var db = context.Services.GetRequiredService<PooledDbContextFactory<WeedGoDbContext>>().CreateDbContext();
        db.UseTenant(FixedTenantContext.For(Tenant));
        return db;
    }

    private static async Task<bool> RawAsync(NpgsqlConnection connection, string sql, NetTopologySuite.Geometries.Point p, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        cmd.Parameters.Add(new NpgsqlParameter { Value = Tenant });
        cmd.Parameters.Add(new NpgsqlParameter { Value = StoreId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = p.X });
        cmd.Parameters.Add(new NpgsqlParameter { Value = p.Y });
        await cmd.PrepareAsync(ct);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct);
    }

    private static async Task<string> ExplainAsync(NpgsqlConnection connection, string sql, NetTopologySuite.Geometries.Point p, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("EXPLAIN (ANALYZE, COSTS OFF, TIMING ON) " + Inline(sql, p), connection);
        var lines = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            lines.Add(reader.GetString(0));
        }
        return string.Join("\n", lines);
    }

    /// <summary>PostgreSQL's own "Execution Time" for 200 points (no network, no client).</summary>
    private static async Task<Timings> ExecTimesAsync(NpgsqlConnection connection, string sql, NetTopologySuite.Geometries.Point[] points, CancellationToken ct)
    {
        var samples = new List<double>();
        foreach (var p in points.Take(200))
        {
            var plan = await ExplainAsync(connection, sql, p, ct);
            var line = plan.Split('\n').First(l => l.StartsWith("Execution Time:", StringComparison.Ordinal));
            samples.Add(double.Parse(line["Execution Time:".Length..].Replace("ms", "").Trim(), CultureInfo.InvariantCulture));
        }
        return Summarise([.. samples]);
    }

    private static string Inline(string sql, NetTopologySuite.Geometries.Point p) => sql
        .Replace("$1", $"'{Tenant}'").Replace("$2", $"'{StoreId}'").Replace("$3", F(p.X)).Replace("$4", F(p.Y));

    private static async Task<Timings> TimeAsync(NetTopologySuite.Geometries.Point[] points, Func<NetTopologySuite.Geometries.Point, Task<bool>> call)
    {
        for (var i = 0; i < 200; i++)
        {
            await call(points[Calls + i]);
        }
        var samples = new double[Calls];
        var found = 0;
        for (var i = 0; i < Calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            found += await call(points[i]) ? 1 : 0;
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        if (found != Calls)
        {
            throw new BenchVerificationException($"Only {found} of {Calls} calls found an answer.");
        }
        return Summarise(samples);
    }

    private static Timings Summarise(double[] samples)
    {
        Array.Sort(samples);
        double At(double q) => samples[Math.Min(samples.Length - 1, (int)Math.Ceiling(q * samples.Length) - 1)];
        return new Timings(samples.Length, At(0.50), At(0.95), At(0.99));
    }

    private static string Row(string question, string how, Timings t) =>
        $"| {question} | {how} | {t.Count:N0} | {Ms(t.P50)} | {Ms(t.P95)} | {Ms(t.P99)} |";

    private static string Ms(double ms) => ms.ToString(ms < 10 ? "0.000" : "0.0", CultureInfo.InvariantCulture);

    private static string F(double d) => d.ToString("R", CultureInfo.InvariantCulture);

    private sealed record Timings(int Count, double P50, double P95, double P99);
}
