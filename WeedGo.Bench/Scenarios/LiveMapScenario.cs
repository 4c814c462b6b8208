using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Data;
using WeedGo.Core.Data.DemoData;
using WeedGo.Core.Deliveries;
using WeedGo.Core.Live;
using WeedGo.Web.Hubs;

namespace WeedGo.Bench.Scenarios;

/// <summary>
/// Issue 6's live-map target: position updates from 200 simulated drivers every 2 s reach an open dispatch map with p99 under
/// 250 ms. 200 driver connections to <c>/hubs/tracking</c> (WebSockets, bearer tokens) each call <c>ReportPosition</c> every
/// 2 s, staggered over the 2 s; the latency of each update is measured from the driver's send to its arrival at (a) an
/// in-process <see cref="ILiveEvents"/> subscription (what a Blazor dispatch page's circuit receives) and (b) a staff
/// connection to the same hub (an external dispatch screen, <c>driverMoved</c>). Baseline in the same run: the same 200
/// connections and rate on a bare hub that only forwards to a group (no auth check, database or live-event fan-out).
/// </summary>
public sealed class LiveMapScenario : IThroughputScenario
{
    private const int Drivers = 200;
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan Measure = TimeSpan.FromSeconds(30);

    private static Guid Tenant => DemoDataSeeder.IdFor(DemoDataSeeder.NorthernLights.Slug);
    private static Guid StoreId => DemoDataSeeder.IdFor("northern-lights-queen-west");

    private readonly List<Guid> _drivers = [];

    public string Name => "live-map";

    public string Description =>
        $"{Drivers} drivers report a position every {Every.TotalSeconds:0} s over `/hubs/tracking` (WebSockets); latency from each send to " +
        "an in-process ILiveEvents subscriber (the Blazor dispatch page) and to a staff hub connection (`driverMoved`), next to a bare " +
        "SignalR hub forwarding the same traffic to a group.";

    public async Task SetUpAsync(BenchContext context, CancellationToken ct)
    {
        var pool = context.Services.GetRequiredService<PooledDbContextFactory<WeedGoDbContext>>();
        await using var db = await pool.CreateDbContextAsync(ct);
        db.UseTenant(FixedTenantContext.System);
        var role = await db.Roles.Where(r => r.Name == Roles.Driver).Select(r => r.Id).FirstAsync(ct);
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < Drivers; i++)
        {
            var id = DemoDataSeeder.IdFor($"bench-driver-{i}");
            _drivers.Add(id);
            var email = $"bench-driver-{i}@northernlights.demo";
            db.Users.Add(new AppUser
            {
                Id = id, TenantId = Tenant, UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email,
                NormalizedEmail = email.ToUpperInvariant(), DisplayName = $"Bench Driver {i}", SecurityStamp = Guid.NewGuid().ToString("N"),
            });
            db.UserRoles.Add(new IdentityUserRole<Guid> { UserId = id, RoleId = role });
            db.StaffMemberships.Add(new StaffMembership { TenantId = Tenant, StoreId = StoreId, UserId = id, Role = Roles.Driver });
            db.DriverShifts.Add(new DriverShift { TenantId = Tenant, StoreId = StoreId, DriverId = id, StartedAt = now });
        }
        await db.SaveChangesAsync(ct);
    }

    public async Task<string> RunAsync(BenchContext context, CancellationToken ct)
    {
        var tokens = new List<string>();
        foreach (var id in _drivers)
        {
            tokens.Add(await TokenAsync(context.Services, id));
        }
        var staffToken = await TokenAsync(context.Services, DemoDataSeeder.IdFor("budtender@northernlights.demo"));
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

        // Baseline: a bare hub.
        var bare = new Probe();
        await using (var watcher = Connect(context.BaseAddress, BenchEchoHub.Path, null))
        {
            watcher.On<string, double, double>("moved", (key, _, _) => bare.Arrived(key));
            await watcher.StartAsync(ct);
            await watcher.InvokeAsync("Watch", ct);
            var drivers = await ConnectAllAsync(context.BaseAddress, BenchEchoHub.Path, tokens.Select(_ => (string?)null).ToList(), ct);
            try
            {
                await DriveAsync(drivers, bare, (c, key, lat, lng) => c.InvokeAsync("Report", key, lat, lng, ct), ct);
            }
            finally
            {
                await DisposeAllAsync(drivers);
            }
        }

        // Subject: the tracking hub, the database, ILiveEvents, the relay to the store's group.
        var live = new Probe();
        var hub = new Probe();
        var events = context.Services.GetRequiredService<ILiveEvents>();
        using var subscription = events.Subscribe<DriverMoved>(Tenant, e =>
        {
            live.Arrived(Key(e.DriverId, e.Latitude));
            return Task.CompletedTask;
        });
        var failures = 0;
        await using (var staff = Connect(context.BaseAddress, TrackingHub.Path, staffToken))
        {
            staff.On<JsonElement>(TrackingHub.DriverMovedMethod, e =>
                hub.Arrived(Key(e.GetProperty("driverId").GetGuid(), e.GetProperty("latitude").GetDouble())));
            await staff.StartAsync(ct);
            var drivers = await ConnectAllAsync(context.BaseAddress, TrackingHub.Path, tokens.Select(t => (string?)t).ToList(), ct);
            try
            {
                await DriveAsync(drivers, live, async (c, _, lat, lng) =>
                {
                    var answer = await c.InvokeAsync<TrackingAnswer>("ReportPosition", lat, lng, 5.0, ct);
                    if (!answer.Ok)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }, ct, hub);
            }
            finally
            {
                await DisposeAllAsync(drivers);
            }
        }
        if (failures > 0)
        {
            throw new BenchVerificationException($"{failures} position reports were refused by the tracking hub.");
        }

        var b = bare.Summary();
        var l = live.Summary();
        var h = hub.Summary();
        var met = h.P99 < 250 && l.P99 < 250;
        return string.Join("\n",
        [
            "| path | updates sent | received | p50 ms | p95 ms | p99 ms | max ms |",
            "|---|--:|--:|--:|--:|--:|--:|",
            Row("baseline: bare SignalR hub → group (no auth, DB or live events)", b),
            Row("`/hubs/tracking` ReportPosition → DB → ILiveEvents subscriber (Blazor dispatch page)", l),
            Row("`/hubs/tracking` ReportPosition → DB → ILiveEvents → relay → staff hub connection (`driverMoved`)", h),
            "",
            $"{Drivers} driver connections, one update each every {Every.TotalSeconds:0} s ({Drivers / Every.TotalSeconds:0} updates/s), staggered " +
            $"evenly; {Warmup.TotalSeconds:0} s warm-up, then {Measure.TotalSeconds:0} s measured. Latency is the time from the driver's " +
            "send to the subscriber's handler, on one clock (everything runs in this process over loopback WebSockets). Each update " +
            "writes a `driver_positions` row and the shift's latest place before it is published. The Blazor page then pushes the " +
            "marker to the browser over its circuit (one more hop not measured here).",
            $"Machine load average at the start: {load} (on {Environment.ProcessorCount} cores).",
            "",
            $"**Target (issue 6): p99 under 250 ms to an open dispatch map — {(met ? "met" : "NOT met")} " +
            $"(ILiveEvents p99 {Ms(l.P99)} ms, hub p99 {Ms(h.P99)} ms; bare hub p99 {Ms(b.P99)} ms).**",
            "",
        ]) + "\n";
    }

    private static string Key(Guid driver, double lat) => driver.ToString("N") + ":" + lat.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Every driver sends every <see cref="Every"/>, driver i offset by i/N of the period; each update's latitude is
    /// unique (driver and sequence) so arrivals can be matched to sends.</summary>
    private static async Task DriveAsync(IReadOnlyList<(Guid Id, HubConnection Connection)> drivers, Probe probe,
        Func<HubConnection, string, double, double, Task> send, CancellationToken ct, Probe? second = null)
    {
        var start = Stopwatch.GetTimestamp();
        var measureFrom = Warmup;
        var until = Warmup + Measure;
        var tasks = drivers.Select(async (d, i) =>
        {
            var offset = Every * i / drivers.Count;
            for (var seq = 0; ; seq++)
            {
                var due = offset + Every * seq;
                if (due >= until)
                {
                    return;
                }
                var wait = due - Stopwatch.GetElapsedTime(start);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, ct);
                }
                var lat = 43.60 + i % 20 * 0.01 + seq * 1e-6;
                var lng = -79.50 + i / 20 * 0.01;
                var key = Key(d.Id, lat);
                var measured = due >= measureFrom;
                probe.Sent(key, measured);
                second?.Sent(key, measured);
                await send(d.Connection, key, lat, lng);
            }
        });
        await Task.WhenAll(tasks);
        await Task.Delay(1000, ct); // the last updates' arrivals
    }

    private static HubConnection Connect(Uri baseAddress, string path, string? token) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(baseAddress, path), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                if (token is not null)
                {
                    o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                }
            })
            .Build();

    private async Task<List<(Guid, HubConnection)>> ConnectAllAsync(Uri baseAddress, string path, IReadOnlyList<string?> tokens, CancellationToken ct)
    {
        var all = new List<(Guid, HubConnection)>();
        for (var i = 0; i < tokens.Count; i++)
        {
            var c = Connect(baseAddress, path, tokens[i]);
            await c.StartAsync(ct);
            all.Add((_drivers[i], c));
        }
        return all;
    }

    private static async Task DisposeAllAsync(List<(Guid, HubConnection Connection)> all)
    {
        foreach (var (_, c) in all)
        {
            await c.DisposeAsync();
        }
    }

    /// <summary>A bearer token for a user, minted the way <c>POST /api/auth/token</c> does (same claims and protector),
    /// without paying the password hash 200 times.</summary>
    private static async Task<string> TokenAsync(IServiceProvider services, Guid userId)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByIdAsync(userId.ToString()) ?? throw new BenchVerificationException($"User {userId} was not found.");
        var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<AppUser>>().CreateAsync(user);
        var options = services.GetRequiredService<IOptionsMonitor<BearerTokenOptions>>().Get(IdentityConstants.BearerScheme);
        var ticket = new AuthenticationTicket(principal, new AuthenticationProperties { ExpiresUtc = DateTimeOffset.UtcNow.AddHours(1) },
            IdentityConstants.BearerScheme);
        return options.BearerTokenProtector.Protect(ticket);
    }

    private static string Row(string path, Timings t) =>
        $"| {path} | {t.Sent:N0} | {t.Received:N0} | {Ms(t.P50)} | {Ms(t.P95)} | {Ms(t.P99)} | {Ms(t.Max)} |";

    private static string Ms(double ms) => ms.ToString(ms < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture);

    private sealed record Timings(int Sent, int Received, double P50, double P95, double P99, double Max);

    /// <summary>Send times by key; latencies of the measured ones as they arrive.</summary>
    private sealed class Probe
    {
        private readonly ConcurrentDictionary<string, (long At, bool Measured)> _sent = new();
        private readonly ConcurrentBag<double> _latencies = [];
        private int _measuredSent;

        public void Sent(string key, bool measured)
        {
            _sent[key] = (Stopwatch.GetTimestamp(), measured);
            if (measured)
            {
                Interlocked.Increment(ref _measuredSent);
            }
        }

        public void Arrived(string key)
        {
            var now = Stopwatch.GetTimestamp();
            if (_sent.TryRemove(key, out var s) && s.Measured)
            {
                _latencies.Add(Stopwatch.GetElapsedTime(s.At, now).TotalMilliseconds);
            }
        }

        public Timings Summary()
        {
            var samples = _latencies.ToArray();
            Array.Sort(samples);
            if (samples.Length == 0)
            {
                throw new BenchVerificationException("No update arrived at the subscriber.");
            }
            double At(double q) => samples[Math.Min(samples.Length - 1, (int)Math.Ceiling(q * samples.Length) - 1)];
            return new Timings(_measuredSent, samples.Length, At(0.50), At(0.95), At(0.99), samples[^1]);
        }
    }
}
