using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace WeedGo.Bench;

/// <summary>
/// The app under test, in this process: WeedGo.Web on Kestrel at a free loopback port, against its own fresh database
/// (demo data seeded on start, bench baseline endpoints mapped). Development environment, so the demo-password guard lets it
/// start, but without Development's DI scope validation; logging at Warning so it does not distort timings.
/// </summary>
public sealed class BenchHost : IAsyncDisposable
{
    private readonly AppFactory _factory;

    private BenchHost(AppFactory factory, Uri baseAddress)
    {
        _factory = factory;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public IServiceProvider Services => _factory.Services;

    public static BenchHost Start(string connectionString)
    {
        var factory = new AppFactory(connectionString);
        try
        {
            factory.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            factory.StartServer();
            var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
                .FirstOrDefault() ?? throw new InvalidOperationException("Kestrel reported no listening address.");
            // The app must be using the bench's database, not whatever an environment variable names.
            var used = new NpgsqlConnectionStringBuilder(factory.Services.GetRequiredService<NpgsqlDataSource>().ConnectionString).Database;
            var wanted = new NpgsqlConnectionStringBuilder(connectionString).Database;
            if (used != wanted)
            {
                throw new InvalidOperationException($"The app connected to database '{used}' instead of the bench database '{wanted}'.");
            }
            // A clone of a freshly built template may have no planner statistics yet; without them the same query can take a
            // bad plan in one run and a good one in the next (seen: the menu's raw query at 30 req/s, then 1,200). Measure with
            // statistics, as a running store would have them.
            using (var analyze = factory.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("ANALYZE"))
            {
                analyze.ExecuteNonQuery();
            }
            return new BenchHost(factory, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
        }
        catch
        {
            factory.Dispose();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    private sealed class AppFactory(string connectionString) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            // Development turns on DI scope validation, a per-resolution cost production does not pay.
            builder.UseDefaultServiceProvider(o =>
            {
                o.ValidateScopes = false;
                o.ValidateOnBuild = false;
            });
            builder.UseSetting("ConnectionStrings:WeedGo", connectionString);
            builder.UseSetting("WeedGo:DemoData", "true");
            // Suites sign in and check out hundreds of times from one address: no rate limits here (their own tests turn them on).
            builder.UseSetting("WeedGo:RateLimits:Enabled", "false");
            builder.UseSetting("WeedGo:Security:RejectReusedAuthenticatorCodes", "false");
            builder.UseSetting("WeedGo:MigrateOnStartup", "false");
            builder.UseSetting("WeedGo:Bench:Enabled", "true");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.UseSetting("Logging:LogLevel:Microsoft", "Warning");
            builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Warning");
            builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore", "Warning");
            builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        }
    }
}
