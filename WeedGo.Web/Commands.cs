using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using WeedGo.Core;
using WeedGo.Core.Accounts;
using WeedGo.Core.Data;
using WeedGo.Core.Data.DemoData;

namespace WeedGo.Web;

/// <summary>Small command-line tools that share the app's configuration, with errors that say what to fix.</summary>
internal static class Commands
{
    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            return args[0] switch
            {
                "migrate" => await MigrateAsync(args.Contains("--demo")),
                "healthcheck" => await HealthCheckAsync(args.Length > 1 ? args[1] : "http://localhost:8080/health/ready"),
                _ => 2,
            };
        }
        catch (InvalidOperationException e)
        {
            await Console.Error.WriteLineAsync("weedgo: " + e.Message);
            return 1;
        }
    }

    private static async Task<int> MigrateAsync(bool demo)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .Build();
        var connection = ConnectionStrings.Resolve(configuration);
        var where = new NpgsqlConnectionStringBuilder(connection);
        try
        {
            await using var probe = new NpgsqlConnection(connection);
            await probe.OpenAsync();
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw new InvalidOperationException(
                $"Cannot reach PostgreSQL at {where.Host}:{where.Port} (database '{where.Database}', user '{where.Username}'): " +
                $"{e.GetBaseException().Message}. Start the local one with './weedgo db up', or fix WEEDGO_CONNECTION.");
        }

        var services = new ServiceCollection();
        services.AddLogging();
        var runtime = ConnectionStrings.ResolveApp(configuration, connection);
        services.AddWeedGoCore(runtime, new MigrationTarget(connection, ConnectionStrings.RoleOf(runtime)));
        services.TryAddSingleton<IPasswordHasher<AppUser>>(_ => new PasswordHasher<AppUser>(
            Microsoft.Extensions.Options.Options.Create(new PasswordHasherOptions { IterationCount = 210_000 })));
        services.AddScoped<WeedGo.Core.Common.ITenantContext>(_ => WeedGo.Core.Common.FixedTenantContext.System);
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var migrator = scope.ServiceProvider.GetRequiredService<DatabaseMigrator>();
        var pending = await migrator.PendingAsync();
        var report = await migrator.MigrateAsync();
        Console.WriteLine(pending.Count == 0 ? "Database is up to date." : $"Applied {pending.Count} migration(s): {string.Join(", ", pending)}.");
        Console.WriteLine($"Row-level security on {report.Covered.Count} tenant-owned tables; the app connects as '{report.AppRole}'.");
        if (report.Warning is not null)
        {
            await Console.Error.WriteLineAsync("weedgo: " + report.Warning);
        }
        if (report.Uncovered.Count > 0)
        {
            await Console.Error.WriteLineAsync("weedgo: tables with a tenant_id but no row-level security: " + string.Join(", ", report.Uncovered));
        }
        if (demo)
        {
            var seeder = scope.ServiceProvider.GetRequiredService<DemoDataSeeder>();
            await seeder.SeedAsync();
            Console.WriteLine("Demo data is loaded (tenants, stores, people, catalogue, stock).");
        }
        return 0;
    }

    private static async Task<int> HealthCheckAsync(string url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(4) };
        try
        {
            var response = await http.GetAsync(url);
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (HttpRequestException)
        {
            return 1;
        }
    }
}
