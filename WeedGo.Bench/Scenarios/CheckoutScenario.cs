using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WeedGo.Core.Accounts;
using WeedGo.Core.Catalog;
using WeedGo.Core.Common;
using WeedGo.Core.Data;
using WeedGo.Core.Data.DemoData;
using WeedGo.Core.Inventory;
using WeedGo.Core.Ordering;
using WeedGo.Web.Identity;

namespace WeedGo.Bench.Scenarios;

/// <summary>
/// The oversell test under load: 2,000 buyers, each with one unit of the same product in their cart, race 64 at a time
/// through the real checkout (<see cref="CheckoutService.StartAsync"/> + <see cref="CheckoutService.PlaceOrderAsync"/>) for
/// 500 units. Exactly 500 orders must be placed, every other attempt must be a clean out-of-stock refusal, and the stock row
/// must end at 500 reserved, 0 available. The baseline is pgbench (-c 64) running the same conditional reservation
/// <c>UPDATE</c> and ledger insert, in a transaction, against a second product's 500-unit row at the same store.
/// </summary>
public sealed class CheckoutScenario : IThroughputScenario
{
    private const int Units = 500;
    private const int Buyers = 2_000;
    private const int Concurrency = 64;
    private const int PgbenchTransactionsPerClient = 32; // 64 × 32 = 2,048: pgbench counts transactions per client
    private static readonly Guid TenantId = DemoDataSeeder.IdFor(DemoDataSeeder.NorthernLights.Slug);
    private static readonly Guid StoreId = DemoDataSeeder.IdFor("northern-lights-queen-west");

    private const int SoloBuyers = 40;
    private Guid _product;
    private Guid _pgbenchProduct;
    private Guid _soloProduct;
    private readonly List<Guid> _buyers = [];
    private readonly List<Guid> _soloBuyers = [];

    public string Name => "checkout";

    public string Description =>
        $"{Buyers:N0} buyers (one unit each in their cart) check out {Concurrency} at a time for {Units} units of one product at one store " +
        "through the real Core services (`CheckoutService.StartAsync` holds the stock with a conditional `UPDATE ocs_inventory … WHERE " +
        "on_hand - reserved >= n` and a ledger row, then `PlaceOrderAsync` turns the hold into an order): 0 oversell required. Baseline: " +
        $"pgbench -c {Concurrency} running the same conditional UPDATE + ledger insert in a transaction against another {Units}-unit row.";

    public async Task SetUpAsync(BenchContext context, CancellationToken ct)
    {
        var sp = context.Services;
        var pool = sp.GetRequiredService<PooledDbContextFactory<WeedGoDbContext>>();
        var run = Guid.NewGuid().ToString("N")[..8];
        await using (var db = await pool.CreateDbContextAsync(ct))
        {
            db.UseTenant(FixedTenantContext.For(TenantId));
            CatalogProduct Product(string name) => new()
            {
                TenantId = TenantId, Sku = $"BENCH-{run}-{name}".ToUpperInvariant(), SkuKey = $"BENCH-{run}-{name}".ToUpperInvariant(),
                ProductName = $"Bench {name} 3.5 g", Category = "Flower", Brand = "Bench Farms", UnitPrice = 25m, ContentHash = "bench",
                DriedFlowerEquivalency = 3.5m, IsCannabis = true,
            };
            var subject = Product("checkout");
            var baseline = Product("pgbench");
            var solo = Product("solo");
            db.Products.AddRange(subject, baseline, solo);
            await db.SaveChangesAsync(ct);
            (_product, _pgbenchProduct, _soloProduct) = (subject.Id, baseline.Id, solo.Id);
        }
        await using (var scope = As(sp, DemoDataSeeder.IdFor("manager@northernlights.demo"), Roles.StoreManager, StoreId))
        {
            var ledger = scope.ServiceProvider.GetRequiredService<StockLedger>();
            foreach (var p in new[] { _product, _pgbenchProduct, _soloProduct })
            {
                var r = await ledger.ReceiveAsync(StoreId, p, Units, new BatchReceipt($"LOT-{run}", null, 10m), "bench receipt", ct: ct);
                if (!r.Succeeded)
                {
                    throw new InvalidOperationException("Receiving the bench stock failed: " + r.Error!.Message);
                }
            }
        }

        // 2,000 customer accounts (19+), in one insert.
        var seed = Stopwatch.StartNew();
        await using (var db = await pool.CreateDbContextAsync(ct))
        {
            db.UseTenant(FixedTenantContext.For(TenantId));
            for (var i = 0; i < Buyers + SoloBuyers; i++)
            {
                var id = Guid.CreateVersion7();
                var email = $"buyer{i:D4}-{run}@bench.example";
                db.Users.Add(new AppUser
                {
                    Id = id, TenantId = TenantId, UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email,
                    NormalizedEmail = email.ToUpperInvariant(), DisplayName = $"Buyer {i}", SecurityStamp = Guid.NewGuid().ToString(),
                    Profile = new Profile { UserId = id, FirstName = "Buyer", LastName = i.ToString(CultureInfo.InvariantCulture), BirthDate = new DateOnly(1990, 1, 1) },
                });
                (i < Buyers ? _buyers : _soloBuyers).Add(id);
            }
            await db.SaveChangesAsync(ct);
        }
        // Each buyer's cart, through CartService (stock and the purchase limit are checked; nothing is held yet).
        var next = -1;
        var failures = new ConcurrentBag<string>();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < Buyers + SoloBuyers)
            {
                var (buyer, product) = i < Buyers ? (_buyers[i], _product) : (_soloBuyers[i - Buyers], _soloProduct);
                await using var scope = As(sp, buyer, Roles.Customer);
                var added = await scope.ServiceProvider.GetRequiredService<CartService>().AddAsync(StoreId, product, 1, ct);
                if (!added.Succeeded)
                {
                    failures.Add(added.Error!.Message);
                }
            }
        }, ct)));
        if (!failures.IsEmpty)
        {
            throw new InvalidOperationException($"{failures.Count} carts could not be filled, e.g. {failures.First()}");
        }
        Console.Error.WriteLine($"bench: checkout: {Buyers:N0} buyers and carts seeded in {seed.Elapsed.TotalSeconds:0.0} s");
    }

    public async Task<string> RunAsync(BenchContext context, CancellationToken ct)
    {
        var sp = context.Services;
        // One buyer at a time first (warms the app up, and gives the cost of a checkout with nobody waiting for the row).
        var solo = new List<double>();
        for (var i = 0; i < SoloBuyers; i++)
        {
            var start = Stopwatch.GetTimestamp();
            if (await CheckoutAsync(sp, _soloBuyers[i], i, ct) is { } failure)
            {
                throw new InvalidOperationException("A solo checkout failed: " + failure.Message);
            }
            solo.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        solo = solo.Skip(10).Order().ToList();

        var placed = new ConcurrentBag<double>();
        var refused = new ConcurrentBag<double>();
        var errors = new ConcurrentQueue<string>();
        long soldOutTicks = 0;
        var next = -1;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < Buyers)
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    var failure = await CheckoutAsync(sp, _buyers[i], i, ct);
                    if (failure is null)
                    {
                        placed.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                        Interlocked.Exchange(ref soldOutTicks, wall.ElapsedTicks);
                    }
                    else if (failure.Kind == ErrorKind.OutOfStock)
                    {
                        refused.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    }
                    else
                    {
                        errors.Enqueue(failure.Message);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    errors.Enqueue($"{e.GetType().Name}: {e.Message}");
                }
            }
        }, ct)));
        wall.Stop();
        var cpuMsPerAttempt = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / Buyers;

        var figures = await FiguresAsync(sp, _product, ct);
        await using var db = await sp.GetRequiredService<PooledDbContextFactory<WeedGoDbContext>>().CreateDbContextAsync(ct);
        db.UseTenant(FixedTenantContext.For(TenantId));
        var orders = await db.Orders.AsNoTracking().CountAsync(o => o.Lines.Any(l => l.ProductId == _product), ct);
        var unitsOrdered = await db.Set<OrderLine>().AsNoTracking().Where(l => l.ProductId == _product).SumAsync(l => l.Quantity, ct);
        var ledgerReserved = await db.StockLedger.AsNoTracking().Where(m => m.ProductId == _product).SumAsync(m => m.ReservedDelta, ct);

        var pg = await PgbenchAsync(sp, ct);

        var problems = new List<string>();
        if (placed.Count != Units || orders != Units || unitsOrdered != Units)
        {
            problems.Add($"expected exactly {Units} orders, got {placed.Count} placed calls, {orders} orders, {unitsOrdered} units ordered");
        }
        if (!errors.IsEmpty)
        {
            problems.Add($"{errors.Count} errors, e.g. {string.Join(" | ", errors.Take(3))}");
        }
        if (figures.Available < 0 || figures.Reserved != Units || figures.OnHand != Units || ledgerReserved != figures.Reserved)
        {
            problems.Add($"stock ended at on hand {figures.OnHand}, reserved {figures.Reserved}, available {figures.Available}, ledger reserved {ledgerReserved}");
        }
        if (pg is { Figures: var pf } && (pf.Reserved != Units || pf.Available != 0))
        {
            problems.Add($"the pgbench row ended at reserved {pf.Reserved}, available {pf.Available}");
        }

        var seconds = wall.Elapsed.TotalSeconds;
        var soldOutSeconds = (double)soldOutTicks / Stopwatch.Frequency;
        var placedMs = placed.Order().ToList();
        var refusedMs = refused.Order().ToList();
        var lines = new List<string>
        {
            "| run | attempts | orders placed | out-of-stock refusals | errors | final on hand / reserved / available | seconds | attempts/s | orders/s |",
            "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
            $"| subject: CheckoutService.StartAsync + PlaceOrderAsync, {Concurrency} workers | {Buyers:N0} | **{placed.Count}** | {refused.Count:N0} | {errors.Count} | " +
            $"{figures.OnHand} / {figures.Reserved} / {figures.Available} | {F(seconds)} | {F(Buyers / seconds, 0)} | {F(placed.Count / seconds, 0)} |",
            pg is null
                ? "| baseline: pgbench | – | – | – | – | – | – | – | – |"
                : $"| baseline: pgbench -c {Concurrency} -j 2 -t {PgbenchTransactionsPerClient}, same UPDATE + ledger insert | {pg.Transactions:N0} | **{pg.Reserved}** | {pg.Transactions - pg.Reserved:N0} | {pg.Failed} | " +
                  $"{pg.Figures.OnHand} / {pg.Figures.Reserved} / {pg.Figures.Available} | {F(pg.Seconds)} | {F(pg.Tps, 0)} | – |",
            pg is null ? "" : $"| **subject / baseline (attempts/s)** | | | | | | | **{F(Buyers / seconds / pg.Tps)}×** | |",
            "",
            "Latency per attempt (ms):",
            "",
            "| what | count | p50 | p95 | p99 |",
            "|---|--:|--:|--:|--:|",
            Row("subject: checkout that placed an order (start + place)", placedMs),
            Row("subject: attempt refused as sold out (start only)", refusedMs),
            Row($"subject alone: one buyer at a time (another product, {SoloBuyers - 10} after 10 warm-up)", solo),
        };
        if (pg is not null)
        {
            lines.Add(Row("baseline: pgbench transaction (UPDATE + ledger insert, commit)", pg.LatenciesMs));
        }
        lines.AddRange(
        [
            "",
            $"The {Units}th order was placed {F(soldOutSeconds)} s into the run ({F(Units / soldOutSeconds, 0)} orders/s while stock lasted). " +
            $"Ledger: the reservation rows of the product sum to {ledgerReserved} reserved units; orders hold {unitsOrdered} units in {orders} orders. " +
            $"App process CPU during the 64-worker run: {F(cpuMsPerAttempt)} ms per attempt (load generator included; PostgreSQL's own CPU is not in it). " +
            $"Machine load average at the end: {LoadAverage()}.",
            "",
            "Each subject attempt is what a shopper's submit costs on the server: the cart read with live prices and stock, the purchase-limit " +
            "and age checks, the order number, the checkout row and its conditional reservation with a ledger row (one transaction), then " +
            "the order itself (row lock on the checkout, repricing, store hours, payment row, order + lines + history, cart emptied; another " +
            "transaction) and the live events. pgbench runs only the reservation statement, so the ratio is the cost of everything else; " +
            "both contend on one `ocs_inventory` row, which serialises the reservations either way.",
        ]);
        if (pg is null)
        {
            lines.Add("");
            lines.Add("pgbench was not found (set WEEDGO_PGBENCH or install postgresql-client): no baseline in this run.");
        }
        if (problems.Count > 0)
        {
            lines.Add("");
            lines.Add("**FAILED:** " + string.Join("; ", problems));
        }
        var markdown = string.Join("\n", lines) + "\n";
        if (problems.Count > 0)
        {
            Console.WriteLine(markdown);
            throw new InvalidOperationException("checkout: " + string.Join("; ", problems));
        }
        return markdown;
    }

    /// <summary>One buyer's checkout as the checkout page does it: start (hold), then place for the first pickup slot, paid at
    /// pickup. Null when the order was placed, else the refusal.</summary>
    private static async Task<Error?> CheckoutAsync(IServiceProvider sp, Guid buyer, int i, CancellationToken ct)
    {
        await using var scope = As(sp, buyer, Roles.Customer);
        var checkout = scope.ServiceProvider.GetRequiredService<CheckoutService>();
        var session = await checkout.StartAsync(StoreId, ct);
        if (!session.Succeeded)
        {
            return session.Error;
        }
        var s = session.Value;
        var order = await checkout.PlaceOrderAsync(new PlaceOrderRequest(s.CheckoutId, Fulfilment.Pickup, s.PickupSlots[0], null,
            $"Buyer {i}", $"buyer{i}@bench.example", null, null, PaymentMethod.PayAtPickup, null, null, Guid.NewGuid().ToString("N")), ct);
        return order.Succeeded ? null : order.Error;
    }

    private static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) + " (1 / 5 / 15 min)" : "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private sealed record Figures(int OnHand, int Reserved, int Available);

    private sealed record PgbenchRun(int Transactions, int Failed, double Seconds, double Tps, List<double> LatenciesMs, Figures Figures, int Reserved);

    private static async Task<Figures> FiguresAsync(IServiceProvider sp, Guid productId, CancellationToken ct)
    {
        await using var cmd = sp.GetRequiredKeyedService<NpgsqlDataSource>(WeedGo.Web.Endpoints.BenchEndpoints.RawSource).CreateCommand(
            "SELECT on_hand, reserved, available FROM ocs_inventory WHERE store_id = $1 AND product_id = $2");
        cmd.Parameters.AddWithValue(StoreId);
        cmd.Parameters.AddWithValue(productId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return new Figures(r.GetInt32(0), r.GetInt32(1), r.GetInt32(2));
    }

    /// <summary>pgbench against the bench database: the reservation statement of <c>Reservations.ReserveAsync</c> (the
    /// conditional UPDATE and, only when it took a unit, the ledger row, in one data-modifying CTE) in a transaction, 64 clients.</summary>
    private async Task<PgbenchRun?> PgbenchAsync(IServiceProvider sp, CancellationToken ct)
    {
        var exe = new[] { Environment.GetEnvironmentVariable("WEEDGO_PGBENCH"), "/usr/lib/postgresql/15/bin/pgbench", "/usr/bin/pgbench" }
            .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));
        if (exe is null)
        {
            return null;
        }
        var cs = new NpgsqlConnectionStringBuilder(sp.GetRequiredService<IConfiguration>()["ConnectionStrings:WeedGo"]);
        var dir = Directory.CreateTempSubdirectory("weedgo-pgbench-");
        try
        {
            var script = Path.Combine(dir.FullName, "reserve.sql");
            await File.WriteAllTextAsync(script, $"""
                BEGIN;
                WITH r AS (
                    UPDATE ocs_inventory SET reserved = reserved + 1, updated_at = now()
                    WHERE tenant_id = '{TenantId}' AND store_id = '{StoreId}' AND product_id = '{_pgbenchProduct}' AND on_hand - reserved >= 1
                    RETURNING on_hand, reserved),
                ledger AS (
                    INSERT INTO stock_ledger (id, tenant_id, store_id, product_id, kind, on_hand_delta, reserved_delta, user_id, reference, occurred_at, created_at, updated_at)
                    SELECT gen_random_uuid(), '{TenantId}', '{StoreId}', '{_pgbenchProduct}', 'Reservation', 0, 1, NULL, 'pgbench-' || :client_id, now(), now(), now() FROM r)
                SELECT on_hand, reserved FROM r;
                END;

                """, ct);
            var info = new ProcessStartInfo(exe)
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = dir.FullName,
            };
            foreach (var a in new[]
                     {
                         "-n", "-c", Concurrency.ToString(CultureInfo.InvariantCulture), "-j", "2", "-t", PgbenchTransactionsPerClient.ToString(CultureInfo.InvariantCulture),
                         "-f", script, "-l", "--log-prefix", Path.Combine(dir.FullName, "tx"), "-h", cs.Host!, "-p", cs.Port.ToString(CultureInfo.InvariantCulture),
                         "-U", cs.Username!, cs.Database!,
                     })
            {
                info.ArgumentList.Add(a);
            }
            info.Environment["PGPASSWORD"] = cs.Password ?? "";
            // Row-level security is forced on the owner too: pgbench works in the platform scope, like the other raw baselines.
            info.Environment["PGOPTIONS"] = "-c app.all_tenants=on";
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            var output = await stdout + await stderr;
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"pgbench exited with {process.ExitCode}: {output}");
            }
            double Number(string label)
            {
                var line = output.Split('\n').First(l => l.TrimStart().StartsWith(label, StringComparison.Ordinal));
                var value = line[(line.IndexOfAny([':', '=']) + 1)..].Trim().Split(' ', '/')[0];
                return double.Parse(value, CultureInfo.InvariantCulture);
            }
            var done = (int)Number("number of transactions actually processed");
            var failed = output.Contains("number of failed transactions", StringComparison.Ordinal) ? (int)Number("number of failed transactions") : 0;
            var tps = Number("tps");
            // Per-transaction log: client_id transaction_no time_us script_no epoch epoch_us
            var latencies = dir.GetFiles("tx*").SelectMany(f => File.ReadLines(f.FullName))
                .Select(l => l.Split(' ')).Where(p => p.Length >= 3).Select(p => double.Parse(p[2], CultureInfo.InvariantCulture) / 1000.0).Order().ToList();
            var figures = await FiguresAsync(sp, _pgbenchProduct, ct);
            return new PgbenchRun(done, failed, done / tps, tps, latencies, figures, figures.Reserved);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>A scope whose services see <paramref name="userId"/> signed in (as the circuit's UserContext would).</summary>
    private static AsyncServiceScope As(IServiceProvider sp, Guid userId, string role, params Guid[] stores)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, userId.ToString()), new(WeedGoClaims.Tenant, TenantId.ToString()), new(ClaimTypes.Role, role),
        };
        claims.AddRange(stores.Select(s => new Claim(WeedGoClaims.Store, s.ToString())));
        var scope = sp.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<UserContext>().Set(new ClaimsPrincipal(new ClaimsIdentity(claims, "bench")), null);
        return scope;
    }

    private static string Row(string label, List<double> sorted) =>
        sorted.Count == 0 ? $"| {label} | 0 | – | – | – |" : $"| {label} | {sorted.Count:N0} | {F(At(sorted, 0.50))} | {F(At(sorted, 0.95))} | {F(At(sorted, 0.99))} |";

    private static double At(List<double> sorted, double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];

    private static string F(double v, int decimals = 2) => v.ToString(decimals == 0 ? "N0" : "0.00", CultureInfo.InvariantCulture);
}
