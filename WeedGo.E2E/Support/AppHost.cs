using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WeedGo.Tests.Support;

namespace WeedGo.E2E.Support;

/// <summary>
/// The real WeedGo app on a free loopback port (Kestrel, in-process) over a fresh database with the demo data loaded.
/// One per test collection; disposing it stops the server and drops the database.
/// </summary>
public class AppHost : IAsyncLifetime
{
    private Factory? _factory;
    private string? _connectionString;

    /// <summary>e.g. <c>http://127.0.0.1:41234</c> (no trailing slash).</summary>
    public string BaseUrl { get; private set; } = "";

    public string Url(string path) => BaseUrl + (path.StartsWith('/') ? path : "/" + path);

    public IServiceProvider Services => _factory?.Services ?? throw new InvalidOperationException("The app host has not started.");

    /// <summary>The app's clock: real time plus an offset a journey may move forward (and must set back to zero when done).</summary>
    public ShiftedClock Clock { get; } = new();

    public async Task InitializeAsync()
    {
        _connectionString = await TestDatabase.CreateAsync("e2e", demoData: true);
        _factory = new Factory(_connectionString, Clock, Configure);
        _factory.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        // Builds the host (Program.cs runs PrepareAsync, which seeds the demo data) and starts Kestrel.
        await Task.Run(_factory.StartServer);
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().TrimEnd('/');
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
        if (_connectionString is not null)
        {
            await TestDatabase.DropAsync(_connectionString);
        }
    }

    /// <summary>A host for one journey may change settings here (applied after the defaults above).</summary>
    protected virtual void Configure(IWebHostBuilder builder)
    {
    }

    private sealed class Factory(string connectionString, TimeProvider clock, Action<IWebHostBuilder> configure) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("ConnectionStrings:WeedGo", connectionString);
            builder.UseSetting("WeedGo:DemoData", "true");
            // Suites sign in and check out hundreds of times from one address: no rate limits here (their own tests turn them on).
            builder.UseSetting("WeedGo:RateLimits:Enabled", "false");
            // The demo admins sign in many times a minute with the current code (its own tests turn replay protection on).
            builder.UseSetting("WeedGo:Security:RejectReusedAuthenticatorCodes", "false");
            builder.UseSetting("WeedGo:MigrateOnStartup", "false");
            // No internet here: maps draw zones, pins and markers without background tiles.
            builder.UseSetting("WeedGo:Maps:TileUrl", "");
            // Keep the test output readable: the app's own information logs are noise here.
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Warning");
            builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore", "Warning");
            builder.ConfigureTestServices(services =>
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton(clock);
            });
            configure(builder);
        }
    }
}

/// <summary>Real time moved by <see cref="Offset"/>: journeys that depend on the time of day (happy hours) set it.</summary>
public sealed class ShiftedClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}
