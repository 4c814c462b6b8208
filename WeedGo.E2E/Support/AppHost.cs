using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Tests.Support;

namespace WeedGo.E2E.Support;

/// <summary>
/// The real WeedGo app on a free loopback port (Kestrel, in-process) over a fresh database with the demo data loaded.
/// One per test collection; disposing it stops the server and drops the database.
/// </summary>
public sealed class AppHost : IAsyncLifetime
{
    private Factory? _factory;
    private string? _connectionString;

    /// <summary>e.g. <c>http://127.0.0.1:41234</c> (no trailing slash).</summary>
    public string BaseUrl { get; private set; } = "";

    public string Url(string path) => BaseUrl + (path.StartsWith('/') ? path : "/" + path);

    public IServiceProvider Services => _factory?.Services ?? throw new InvalidOperationException("The app host has not started.");

    public async Task InitializeAsync()
    {
        _connectionString = await TestDatabase.CreateAsync("e2e", demoData: true);
        _factory = new Factory(_connectionString);
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

    private sealed class Factory(string connectionString) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("ConnectionStrings:WeedGo", connectionString);
            builder.UseSetting("WeedGo:DemoData", "true");
            builder.UseSetting("WeedGo:MigrateOnStartup", "false");
            // Keep the test output readable: the app's own information logs are noise here.
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Warning");
            builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore", "Warning");
        }
    }
}
