using WeedGo.Tests.Support;

namespace WeedGo.Bench;

/// <summary>
/// WeedGo.Bench: starts the app on a fresh database, times each scenario's subject against its baseline, writes
/// bench/results/&lt;scenario&gt;.md. See bench/README.md. (Not top-level statements: those would declare a second <c>Program</c>,
/// and <c>WebApplicationFactory&lt;Program&gt;</c> needs the web app's.)
/// </summary>
public static class BenchMain
{
    public static async Task<int> Main(string[] args)
    {
        // The app, the load generator and their awaits share one process: with the default minimum of one worker thread per
        // core, a burst of 16+ concurrent requests waits for the thread pool to grow (about one thread a second) and the first
        // scenario's figures measured that ramp, not the app (seen: the same raw query at 30 req/s cold, 1,200 req/s warm).
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(io, 64));
        BenchOptions options;
        IReadOnlyList<IScenario> scenarios;
        try
        {
            options = BenchOptions.Parse(args);
            if (options.Help)
            {
                Console.WriteLine(BenchOptions.Usage);
                return 0;
            }
            if (options.List)
            {
                foreach (var s in ScenarioRegistry.All)
                {
                    Console.WriteLine($"{s.Name,-24} {s.Description}");
                }
                return 0;
            }
            scenarios = ScenarioRegistry.Select(options.Scenarios);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            Console.Error.WriteLine("bench: stopping (Ctrl+C); the database is dropped on the way out");
            cancel.Cancel();
        };
        var ct = cancel.Token;
        var resultsDir = Path.Combine(RepositoryRoot(), "bench", "results");
        var failures = new List<string>();
        string? database = null;
        BenchHost? host = null;
        try
        {
            Log($"creating the database ({new Npgsql.NpgsqlConnectionStringBuilder(TestDatabase.AdminConnection) { Password = null }})");
            database = await TestDatabase.CreateAsync("bench", demoData: true);
            Log("starting the app (demo data, bench endpoints)");
            host = BenchHost.Start(database);
            Log($"app listening on {host.BaseAddress}");
            using var client = LoadRunner.CreateClient(host.BaseAddress);
            var context = new BenchContext(host.Services, client, host.BaseAddress);
            Directory.CreateDirectory(resultsDir);

            foreach (var scenario in scenarios)
            {
                ct.ThrowIfCancellationRequested();
                if (scenario is IThroughputScenario oneShot)
                {
                    Log($"{scenario.Name}: setting up and running once");
                    await scenario.SetUpAsync(context, ct);
                    var markdown = $"# {scenario.Name}\n\n{scenario.Description}\n\nRun {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, " +
                                   $"{Environment.ProcessorCount} cores.\n\n" + await oneShot.RunAsync(context, ct);
                    var oneShotFile = Path.Combine(resultsDir, scenario.Name + ".md");
                    await File.WriteAllTextAsync(oneShotFile, markdown, ct);
                    Console.WriteLine();
                    Console.WriteLine(markdown);
                    continue;
                }
                Log($"{scenario.Name}: verifying");
                try
                {
                    await scenario.SetUpAsync(context, ct);
                    scenario.Verify(await LoadRunner.FetchAsync(client, scenario.Baseline, ct), await LoadRunner.FetchAsync(client, scenario.Subject, ct));
                }
                catch (BenchVerificationException e)
                {
                    failures.Add($"{scenario.Name}: verification failed: {e.Message}");
                    await scenario.TearDownAsync(context);
                    Console.Error.WriteLine($"bench: {scenario.Name}: VERIFICATION FAILED, not timed: {e.Message}");
                    continue;
                }

                if (options.WarmupSeconds > 0)
                {
                    Log($"{scenario.Name}: warming up ({options.WarmupSeconds} s each)");
                    var warm = TimeSpan.FromSeconds(options.WarmupSeconds);
                    await LoadRunner.RunAsync(client, "baseline", scenario.Baseline, warm, options.Concurrency, ct);
                    await LoadRunner.RunAsync(client, "subject", scenario.Subject, warm, options.Concurrency, ct);
                }
                var ranAt = DateTimeOffset.UtcNow;
                var duration = TimeSpan.FromSeconds(options.DurationSeconds);
                Log($"{scenario.Name}: measuring the baseline ({options.DurationSeconds} s, concurrency {options.Concurrency})");
                var baseline = await LoadRunner.RunAsync(client, "baseline", scenario.Baseline, duration, options.Concurrency, ct);
                Log($"{scenario.Name}: measuring the subject ({options.DurationSeconds} s, concurrency {options.Concurrency})");
                var subject = await LoadRunner.RunAsync(client, "subject", scenario.Subject, duration, options.Concurrency, ct);
                await scenario.TearDownAsync(context);

                var report = Report.Render(scenario, options, ranAt, baseline, subject);
                var file = Path.Combine(resultsDir, scenario.Name + ".md");
                await File.WriteAllTextAsync(file, report, ct);
                Console.WriteLine();
                Console.WriteLine(report);
                Log($"{scenario.Name}: written to {Path.GetRelativePath(Directory.GetCurrentDirectory(), file)}");
                foreach (var r in new[] { baseline, subject })
                {
                    if (r.Errors > 0)
                    {
                        failures.Add($"{scenario.Name}: {r.Errors} failed {r.Role} request(s) " +
                                     $"({string.Join(", ", r.ErrorKinds.Select(kv => $"{kv.Key} × {kv.Value}"))})");
                    }
                    if (r.Requests == 0)
                    {
                        failures.Add($"{scenario.Name}: no successful {r.Role} request");
                    }
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            failures.Add("cancelled");
        }
        catch (Npgsql.NpgsqlException e) when (database is null)
        {
            failures.Add($"could not create the bench database: {e.Message}{(e.InnerException is { } inner ? $" ({inner.Message})" : "")}. " +
                         "WEEDGO_TEST_CONNECTION must name the server's 'postgres' database as a role that may create databases.");
        }
        catch (Exception e)
        {
            failures.Add(e.ToString());
        }
        finally
        {
            if (host is not null)
            {
                try
                {
                    await host.DisposeAsync();
                }
                catch (Exception e)
                {
                    Console.Error.WriteLine($"bench: stopping the app failed: {e.Message}");
                }
            }
            if (database is not null)
            {
                try
                {
                    await TestDatabase.DropAsync(database);
                    Log("database dropped");
                }
                catch (Exception e)
                {
                    failures.Add($"dropping the database failed: {e.Message}");
                }
            }
        }

        if (failures.Count > 0)
        {
            Console.Error.WriteLine($"bench: FAILED ({failures.Count}):");
            foreach (var f in failures)
            {
                Console.Error.WriteLine("  - " + f);
            }
            return 1;
        }
        Log("done");
        return 0;
    }

    private static void Log(string message) => Console.Error.WriteLine($"bench: {message}");

    // bench/results/ sits at the repository root (the folder with WeedGo.sln), found from the working directory or the dll.
    private static string RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "WeedGo.sln")))
                {
                    return dir.FullName;
                }
            }
        }
        return Directory.GetCurrentDirectory();
    }
}
