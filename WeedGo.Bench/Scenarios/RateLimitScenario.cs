using System.Diagnostics;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeedGo.Core.Audit;
using WeedGo.Core.Common;
using WeedGo.Core.Data;
using WeedGo.Core.RateLimiting;

namespace WeedGo.Bench.Scenarios;

/// <summary>
/// Rate-limit decision overhead (issue 8: under 50 µs on the in-memory path), in-process, next to a bare
/// <see cref="TokenBucketRateLimiter"/> in the same run: the limiter's in-memory path (tokens leased 50 at a time from the
/// persisted bucket, so one decision in 50 also makes the database round trip), the persisted path (a lease of one token:
/// every decision is the atomic upsert), and a refusal from memory (an empty bucket during a flood); then over HTTP, a
/// trivial API request through the rate-limiting middleware against the same request outside it.
/// </summary>
public sealed class RateLimitScenario : IThroughputScenario
{
    private const int InMemoryCalls = 200_000;
    private const int PersistedCalls = 2_000;
    private const int HttpRequests = 2_000;

    public string Name => "rate-limit";

    public string Description =>
        "Decision overhead of the rate limiter, one decision at a time in-process: a bare `TokenBucketRateLimiter.AttemptAcquire` " +
        "(baseline), `RateLimitEngine` on its in-memory path (leases of 50 tokens from `agi_rate_limit_buckets`), on the persisted " +
        "path (lease of 1: every decision is the atomic upsert), and refusing a flood from memory; then `GET /api/bench/ping` " +
        "(through the rate-limiting middleware and a generous rule) against `GET /bench/ping` (outside it), sequential requests.";

    private Guid _memoryRule;
    private Guid _persistedRule;
    private Guid _floodRule;
    private Guid _httpRule;

    public async Task SetUpAsync(BenchContext context, CancellationToken ct)
    {
        var pool = context.Services.GetRequiredService<PooledDbContextFactory<WeedGoDbContext>>();
        await using var db = await pool.CreateDbContextAsync(ct);
        db.UseTenant(FixedTenantContext.System);
        // Only the bench's rules apply in this database (a fresh clone): the seeded defaults are switched off.
        await db.RateLimitRules.ExecuteUpdateAsync(s => s.SetProperty(r => r.Enabled, false).SetProperty(r => r.Version, r => r.Version + 1), ct);
        RateLimitRule Rule(string name, string target, int size, int perSecond) => new()
        {
            Name = name, Scope = RateLimitScope.User, TargetKind = RateLimitTargetKind.Endpoint, Target = target, Capacity = size,
            TokensPerPeriod = perSecond, PeriodSeconds = 1, Priority = 100,
        };
        var memory = Rule("bench in-memory", "/api/bench/memory", 1_000_000, 1_000_000);
        var persisted = Rule("bench persisted", "/api/bench/persisted", 1_000_000, 1_000_000);
        var flood = Rule("bench flood", "/api/bench/flood", 1, 1);
        flood.PeriodSeconds = 86_400;
        var http = Rule("bench http", "/api/bench/ping", 1_000_000, 1_000_000);
        http.Scope = RateLimitScope.Ip;
        db.RateLimitRules.AddRange(memory, persisted, flood, http);
        await db.SaveChangesAsync(ct);
        (_memoryRule, _persistedRule, _floodRule, _httpRule) = (memory.Id, persisted.Id, flood.Id, http.Id);
    }

    private static RateLimitEngine Engine(IServiceProvider services, int maxLease)
    {
        var pool = services.GetRequiredService<PooledDbContextFactory<WeedGoDbContext>>();
        var clock = services.GetRequiredService<TimeProvider>();
        var options = Options.Create(new RateLimitOptions { Enabled = true, MaxLease = maxLease });
        var logs = services.GetRequiredService<ILoggerFactory>();
        var recorder = new RateLimitViolationRecorder(pool, clock, options, Options.Create(new AuditOptions()), logs.CreateLogger<RateLimitViolationRecorder>());
        return new RateLimitEngine(new RateLimitRuleCache(pool, clock, options), new RateLimitBucketStore(pool), recorder, clock, options,
            logs.CreateLogger<RateLimitEngine>());
    }

    public async Task<string> RunAsync(BenchContext context, CancellationToken ct)
    {
        var memory = Engine(context.Services, maxLease: 50);
        var persisted = Engine(context.Services, maxLease: 1);
        var subject = new RateSubject(Guid.NewGuid(), Guid.NewGuid(), "127.0.0.1");
        using var bare = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = 1_000_000, TokensPerPeriod = 1_000_000, ReplenishmentPeriod = TimeSpan.FromSeconds(1), QueueLimit = 0, AutoReplenishment = true,
        });

        // Warm-up (JIT, rule caches, first leases).
        for (var i = 0; i < 5_000; i++)
        {
            bare.AttemptAcquire().Dispose();
            await memory.DecideEndpointAsync("/api/bench/memory", subject, ct);
        }
        for (var i = 0; i < 100; i++)
        {
            await persisted.DecideEndpointAsync("/api/bench/persisted", subject, ct);
        }
        await memory.DecideEndpointAsync("/api/bench/flood", subject, ct);

        var rows = new List<string>
        {
            "| path | decisions | p50 µs | p95 µs | p99 µs | mean µs | allowed |",
            "|---|--:|--:|--:|--:|--:|--:|",
        };
        var baseline = await Time(InMemoryCalls, () => { using var l = bare.AttemptAcquire(); return ValueTask.FromResult(l.IsAcquired); });
        rows.Add(Row("baseline: bare `TokenBucketRateLimiter.AttemptAcquire`", baseline));
        // Each decision is timed and sorted by whether it took a lease from the database (one in 50) or not (the in-memory path).
        var fromMemory = new List<double>(InMemoryCalls);
        var withLease = new List<double>(InMemoryCalls / 40);
        var all = Stopwatch.StartNew();
        for (var i = 0; i < InMemoryCalls; i++)
        {
            var leases = memory.Leases;
            var start = Stopwatch.GetTimestamp();
            var outcome = await memory.DecideEndpointAsync("/api/bench/memory", subject, ct);
            var us = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            (memory.Leases == leases ? fromMemory : withLease).Add(us);
            if (!outcome.Allowed)
            {
                throw new BenchVerificationException("The in-memory bucket refused a decision.");
            }
        }
        var amortised = all.Elapsed.TotalMicroseconds / InMemoryCalls;
        var inMemory = Summarise(fromMemory, fromMemory.Count);
        rows.Add(Row("limiter, in-memory path (decisions served from a lease)", inMemory));
        rows.Add(Row("limiter, decisions that took a lease of 50 from the database", Summarise(withLease, withLease.Count)));
        var flood = await Time(InMemoryCalls, async () => (await memory.DecideEndpointAsync("/api/bench/flood", subject, ct)).Allowed);
        rows.Add(Row("limiter, refusing a flood from memory", flood));
        var onDb = await Time(PersistedCalls, async () => (await persisted.DecideEndpointAsync("/api/bench/persisted", subject, ct)).Allowed);
        rows.Add(Row("limiter, persisted path (lease of 1: upsert per decision)", onDb));
        await memory.Violations.FlushAsync(ct);
        await memory.Violations.DisposeAsync();
        await persisted.Violations.DisposeAsync();

        // HTTP: the host's own limiter, switched on for this part only (the bench host runs with limits off).
        var options = context.Services.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        options.Enabled = true;
        (Stats Outside, Stats Through) http;
        try
        {
            await context.Services.GetRequiredService<RateLimitEngine>().Rules.InvalidateAsync(ct);
            for (var i = 0; i < 300; i++)
            {
                await GetAsync(context.Client, "/bench/ping", ct);
                await GetAsync(context.Client, "/api/bench/ping", ct);
            }
            var outside = new List<double>();
            var through = new List<double>();
            for (var round = 0; round < 4; round++)
            {
                // ABBA rounds, so neither always runs second.
                foreach (var limited in round % 2 == 0 ? new[] { false, true } : [true, false])
                {
                    var samples = limited ? through : outside;
                    for (var i = 0; i < HttpRequests / 4; i++)
                    {
                        var start = Stopwatch.GetTimestamp();
                        await GetAsync(context.Client, limited ? "/api/bench/ping" : "/bench/ping", ct);
                        samples.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
                    }
                }
            }
            http = (Summarise(outside, outside.Count), Summarise(through, through.Count));
        }
        finally
        {
            options.Enabled = false;
        }
        rows.Add(Row("HTTP `GET /bench/ping`, outside the limiter", http.Outside));
        rows.Add(Row("HTTP `GET /api/bench/ping`, through the rate-limiting middleware", http.Through));

        var pool = context.Services.GetRequiredService<PooledDbContextFactory<WeedGoDbContext>>();
        await using var db = await pool.CreateDbContextAsync(ct);
        db.UseTenant(FixedTenantContext.System);
        var violations = await db.RateLimitViolations.CountAsync(v => v.RuleId == _floodRule, ct);
        var buckets = await db.RateLimitBuckets.CountAsync(b => b.RuleId == _memoryRule || b.RuleId == _persistedRule || b.RuleId == _httpRule, ct);
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
        string F(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);
        return string.Join("\n", rows) + "\n\n" +
               $"In-memory path: mean **{F(inMemory.Mean)} µs** per decision (goal < 50 µs; {(inMemory.Mean < 50 ? "met" : "NOT met")}), " +
               $"p99 {F(inMemory.P99)} µs, against the bare limiter's {F(baseline.Mean)} µs mean. Counting the lease round trip every 50th " +
               $"decision, {F(amortised)} µs per decision on average. Persisted path: {F(onDb.Mean)} µs per decision (one upsert each). " +
               $"A flood is refused from memory at {F(flood.Mean)} µs per request and wrote {violations} violation row(s) for " +
               $"{flood.Count - flood.Allowed:N0} refusals. HTTP: the middleware and limiter add {F(http.Through.P50 - http.Outside.P50)} µs at p50 " +
               $"({F(http.Through.Mean - http.Outside.Mean)} µs mean) to a trivial request. Persisted buckets touched: {buckets}. " +
               $"Load average at the end: {load} on {Environment.ProcessorCount} cores.\n";
    }

    private static async Task GetAsync(HttpClient client, string path, CancellationToken ct)
    {
        using var response = await client.GetAsync(path, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new BenchVerificationException($"{path} answered {(int)response.StatusCode}");
        }
        await response.Content.ReadAsStringAsync(ct);
    }

    private sealed record Stats(int Count, double P50, double P95, double P99, double Mean, int Allowed);

    private static async Task<Stats> Time(int calls, Func<ValueTask<bool>> decide)
    {
        var samples = new double[calls];
        var allowed = 0;
        for (var i = 0; i < calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            allowed += await decide() ? 1 : 0;
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }
        return Summarise([.. samples], calls) with { Allowed = allowed };
    }

    private static Stats Summarise(List<double> samples, int count)
    {
        var sorted = samples.Order().ToArray();
        double P(double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100 * sorted.Length) - 1)];
        return new Stats(count, P(50), P(95), P(99), sorted.Average(), count);
    }

    private static string Row(string label, Stats s)
    {
        string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
        return $"| {label} | {s.Count:N0} | {F(s.P50)} | {F(s.P95)} | {F(s.P99)} | {F(s.Mean)} | {s.Allowed:N0} |";
    }
}
