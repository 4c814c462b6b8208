using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeedGo.Core.Accounts;
using WeedGo.Core.Audit;
using WeedGo.Core.Common;
using WeedGo.Core.Data;
using WeedGo.Core.Data.DemoData;
using WeedGo.Core.Inventory;
using WeedGo.Core.Live;

namespace WeedGo.Bench.Scenarios;

/// <summary>
/// Audit overhead (issue 8: at most 15 % slower): bulk stock adjustments through <see cref="InventoryService.AdjustAsync"/>
/// in-process, with the audit log on (each adjustment also writes a <c>stock.adjusted</c> row in the movement's own batch;
/// the web app's sealing worker seals it into the tenant's hash chain within a second, off the writer's path) and off (the same services built with
/// auditing disabled), in alternating rounds of the same run, one at a time and 8 in parallel.
/// </summary>
public sealed class AuditOverheadScenario : IThroughputScenario
{
    private const int PerRound = 480; // a multiple of 40 and of 8 × 4: every worker ends each round where stock started
    private const int Rounds = 4;
    private const int Parallel = 8;

    public string Name => "audit-overhead";

    public string Description =>
        "`InventoryService.AdjustAsync` (count corrections of ±1 on 20 Queen West products, as the tenant admin) in-process with " +
        $"the audit log on vs off, alternating rounds of {PerRound} adjustments ({Rounds} rounds each), sequential and {Parallel} " +
        "parallel workers; with audit on every adjustment also writes one `stock.adjusted` row in the same transaction, " +
        "sealed into the tenant's chain by the app's sealing worker (running during the rounds, on the same 2 cores).";

    private List<Guid> _products = [];
    private static Guid Store => DemoDataSeeder.IdFor("northern-lights-queen-west");
    private static Guid Tenant => DemoDataSeeder.IdFor(DemoDataSeeder.NorthernLights.Slug);

    public async Task SetUpAsync(BenchContext context, CancellationToken ct)
    {
        var pool = context.Services.GetRequiredService<PooledDbContextFactory<WeedGoDbContext>>();
        await using var db = await pool.CreateDbContextAsync(ct);
        db.UseTenant(FixedTenantContext.For(Tenant));
        _products = await db.Inventory.AsNoTracking().Where(i => i.StoreId == Store && i.OnHand - i.Reserved > 20)
            .OrderBy(i => i.ProductId).Select(i => i.ProductId).Take(20).ToListAsync(ct);
        if (_products.Count < 20)
        {
            throw new BenchVerificationException("Queen West has fewer than 20 products with stock to adjust.");
        }
    }

    private InventoryService Build(IServiceProvider services, bool audit, bool events = true)
    {
        var pool = services.GetRequiredService<PooledDbContextFactory<WeedGoDbContext>>();
        var user = new BenchAdmin();
        var tenant = FixedTenantContext.For(Tenant);
        var request = new AuditRequestContext { Ip = "127.0.0.1", UserAgent = "WeedGo.Bench", CorrelationId = "bench" };
        var clock = services.GetRequiredService<TimeProvider>();
        var factory = new TenantDbContextFactory(pool, tenant, user, request, audit);
        var ledger = new StockLedger(factory, user, clock, services.GetRequiredService<ILiveEvents>(),
            services.GetRequiredService<ILogger<StockLedger>>());
        var log = new AuditLog(pool, tenant, user, request, clock, Options.Create(new AuditOptions { Enabled = audit && events }));
        return new InventoryService(factory, user, ledger, clock, log);
    }

    public async Task<string> RunAsync(BenchContext context, CancellationToken ct)
    {
        var on = Build(context.Services, audit: true);
        var off = Build(context.Services, audit: false);
        var pool = context.Services.GetRequiredService<PooledDbContextFactory<WeedGoDbContext>>();
        var before = await CountAsync(pool, ct);

        // Warm-up of both paths.
        await RoundAsync(off, 40, 1, ct);
        await RoundAsync(on, 40, 1, ct);
        var afterWarmup = await CountAsync(pool, ct);
        if (afterWarmup - before != 40)
        {
            throw new BenchVerificationException($"Audit on wrote {afterWarmup - before} rows for 40 adjustments (expected 40).");
        }

        // Diagnostic: the interceptor on but no event row (count corrections change no audited field).
        var interceptorOnly = Build(context.Services, audit: true, events: false);
        var (io, ioWall) = await RoundAsync(interceptorOnly, PerRound, 1, ct);
        var (io2, io2Wall) = await RoundAsync(off, PerRound, 1, ct);
        var diag = $"Diagnostic (one round each, one worker, cold): the interceptor on but no event row (count corrections touch no audited field) mean {Ms(io.Average())} ms vs audit off {Ms(io2.Average())} ms.";
        var results = new List<string>
        {
            "| run | adjustments | p50 ms | p95 ms | p99 ms | mean ms | adjustments/s |",
            "|---|--:|--:|--:|--:|--:|--:|",
        };
        var summary = new List<string>();
        foreach (var workers in new[] { 1, Parallel })
        {
            var offSamples = new List<double>();
            var onSamples = new List<double>();
            double offWall = 0, onWall = 0;
            for (var r = 0; r < Rounds; r++)
            {
                // ABBA: off first in even rounds, on first in odd ones, so neither always runs on a warmer or fuller table.
                foreach (var audit in r % 2 == 0 ? new[] { false, true } : [true, false])
                {
                    var (samples, wall) = await RoundAsync(audit ? on : off, PerRound, workers, ct);
                    (audit ? onSamples : offSamples).AddRange(samples);
                    if (audit)
                    {
                        onWall += wall;
                    }
                    else
                    {
                        offWall += wall;
                    }
                }
            }
            var offT = Summarise(offSamples, offWall);
            var onT = Summarise(onSamples, onWall);
            results.Add(Row($"audit off, {workers} worker(s)", offT));
            results.Add(Row($"audit on, {workers} worker(s)", onT));
            var meanRatio = onT.Mean / offT.Mean;
            var throughputRatio = offT.PerSecond / onT.PerSecond;
            summary.Add($"{workers} worker(s): mean latency on/off **{meanRatio.ToString("0.00", CultureInfo.InvariantCulture)}×** " +
                        $"(p50 {(onT.P50 / offT.P50).ToString("0.00", CultureInfo.InvariantCulture)}×), throughput off/on " +
                        $"{throughputRatio.ToString("0.00", CultureInfo.InvariantCulture)}× — " +
                        $"{((meanRatio - 1) * 100).ToString("0.0", CultureInfo.InvariantCulture)} % slower " +
                        $"({(meanRatio <= 1.15 ? "within" : "OVER")} the 15 % goal).");
        }
        // Sealing happens off the writers' path: how far behind was it when the rounds ended, and how fast does it seal?
        var sealer = new AuditSealer(pool);
        var pendingAtEnd = await sealer.PendingAsync(Tenant, ct);
        var lagClock = Stopwatch.StartNew();
        while (await sealer.PendingAsync(Tenant, ct) > 0)
        {
            await Task.Delay(10, ct);
        }
        var lag = lagClock.Elapsed.TotalMilliseconds;
        var (burst, sealMs) = await SealBurstAsync(context, on, sealer, ct);
        var sealing = $"Sealing (the web app's worker, every {new AuditOptions().SealEvery.TotalSeconds:0.#} s): when the timed rounds ended " +
                      $"{pendingAtEnd:N0} row(s) were waiting, all sealed {Ms(lag)} ms later. With the chain's lock held by another " +
                      $"sealer, {burst:N0} adjustments still committed (writers never wait for the chain); once the lock was released " +
                      $"they were sealed in {Ms(sealMs)} ms ({(burst / (sealMs / 1000)).ToString("N0", CultureInfo.InvariantCulture)} rows/s).";
        var written = await CountAsync(pool, ct) - afterWarmup - burst;
        var verify = await new AuditVerifier(pool, TimeProvider.System).VerifyAsync(Tenant, ct);
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
        return string.Join("\n", results) + "\n\n" + string.Join("\n\n", summary) + "\n\n" + sealing + "\n\n" + diag + "\n\n" +
               $"Audit rows written by the timed \"on\" rounds: {written:N0} (one per adjustment, {2 * Rounds * PerRound:N0} expected). " +
               $"The tenant's chain afterwards: {(verify.Intact ? "intact" : "BROKEN: " + verify.Problem)}, {verify.Rows:N0} rows. " +
               $"Load average at the end: {load} on {Environment.ProcessorCount} cores.\n";
    }

    private async Task<(List<double> Samples, double WallSeconds)> RoundAsync(InventoryService service, int count, int workers, CancellationToken ct)
    {
        var samples = new double[count];
        var share = count / workers;
        var perWorker = 20 / workers;
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async w =>
        {
            for (var k = 0; k < share; k++)
            {
                // Each worker keeps to its own products (no queueing on one inventory row lock), taking one off each of
                // them, then putting one back on each, so stock ends where it started.
                var product = _products[(w + workers * (k % perWorker)) % 20];
                var delta = k / perWorker % 2 == 0 ? -1 : 1;
                var start = Stopwatch.GetTimestamp();
                var result = await service.AdjustAsync(Store, product, delta, AdjustmentReason.CountCorrection, "bench", ct: ct);
                samples[w * share + k] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (!result.Succeeded)
                {
                    throw new BenchVerificationException("An adjustment failed: " + result.Error!.Message);
                }
            }
        }));
        return ([.. samples], wall.Elapsed.TotalSeconds);
    }

    /// <summary>Holds the tenant chain's sealing lock (as a sealer busy elsewhere would), writes a burst of adjustments with
    /// audit on, releases the lock and times the sealing of the burst.</summary>
    private async Task<(int Rows, double Ms)> SealBurstAsync(BenchContext context, InventoryService on, AuditSealer sealer, CancellationToken ct)
    {
        const int burst = 960; // a multiple of 8 × 4: stock ends where it started
        var pool = context.Services.GetRequiredService<PooledDbContextFactory<WeedGoDbContext>>();
        await using var holder = await pool.CreateDbContextAsync(ct);
        holder.UseTenant(FixedTenantContext.System);
        await holder.Database.OpenConnectionAsync(ct);
        var key = Tenant.ToString();
        await holder.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock(1097, hashtext({key}))", ct);
        try
        {
            await RoundAsync(on, burst, Parallel, ct);
            var waiting = await sealer.PendingAsync(Tenant, ct);
            if (waiting < burst)
            {
                throw new BenchVerificationException($"Only {waiting} of {burst} rows were waiting while the chain was locked.");
            }
        }
        finally
        {
            await holder.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock(1097, hashtext({key}))", ct);
        }
        var clock = Stopwatch.StartNew();
        await sealer.SealAsync(Tenant, ct);
        return (burst, clock.Elapsed.TotalMilliseconds);
    }

    private static async Task<int> CountAsync(PooledDbContextFactory<WeedGoDbContext> pool, CancellationToken ct)
    {
        await using var db = await pool.CreateDbContextAsync(ct);
        db.UseTenant(FixedTenantContext.System);
        return await db.AuditLogs.CountAsync(a => a.EventType == AuditEvents.StockAdjusted, ct);
    }

    private sealed record Stats(int Count, double P50, double P95, double P99, double Mean, double PerSecond);

    private static Stats Summarise(List<double> samples, double wallSeconds)
    {
        var sorted = samples.Order().ToArray();
        double P(double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100 * sorted.Length) - 1)];
        return new Stats(sorted.Length, P(50), P(95), P(99), sorted.Average(), sorted.Length / wallSeconds);
    }

    private static string Row(string label, Stats s) =>
        $"| {label} | {s.Count:N0} | {Ms(s.P50)} | {Ms(s.P95)} | {Ms(s.P99)} | {Ms(s.Mean)} | {s.PerSecond.ToString("N0", CultureInfo.InvariantCulture)} |";

    private static string Ms(double ms) => ms.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>The Northern Lights tenant admin, as services see them.</summary>
    private sealed class BenchAdmin : ICurrentUser
    {
        public Guid? UserId => DemoDataSeeder.IdFor("admin@northernlights.demo");
        public bool IsAuthenticated => true;
        public string? Email => "admin@northernlights.demo";
        public bool IsInRole(string role) => role == Roles.TenantAdmin;
        public IReadOnlyCollection<Guid> StoreIds => [];
    }
}
