using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace WeedGo.Tests.Support;

/// <summary>The whole app on the in-memory test server over a fresh database with the demo data loaded.</summary>
public sealed class WebAppFixture : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";
    public WebApplicationFactory<Program> Factory { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        ConnectionString = await TestDatabase.CreateAsync("web", demoData: true);
        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Development");
            b.UseSetting("ConnectionStrings:WeedGo", ConnectionString);
            b.UseSetting("WeedGo:DemoData", "true");
            // Suites sign in and check out hundreds of times from one address: no rate limits here (their own tests turn them on).
            b.UseSetting("WeedGo:RateLimits:Enabled", "false");
            // The demo admins sign in many times a minute with the same code (its own tests turn replay protection on).
            b.UseSetting("WeedGo:Security:RejectReusedAuthenticatorCodes", "false");
            b.UseSetting("Logging:LogLevel:Default", "Warning");
        });
        _ = Factory.Server; // start now: seeds the demo data
    }

    public HttpClient Client() => Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>A bearer token from <c>POST /api/auth/token</c>.</summary>
    public Task<string> TokenAsync(string email, string password = Core.Data.DemoData.DemoDataSeeder.DemoPassword) =>
        HubClients.TokenAsync(Factory, email, password);

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await TestDatabase.DropAsync(ConnectionString);
    }
}
