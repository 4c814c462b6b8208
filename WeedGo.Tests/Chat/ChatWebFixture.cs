using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Chat;
using WeedGo.Core.RateLimiting;
using WeedGo.Tests.Support;

namespace WeedGo.Tests.Chat;

/// <summary>The whole app on the test server over a fresh demo database, with the scripted assistant (and a switchable
/// limiter) in place of the AI side's: for the hub and the SSE endpoint.</summary>
public sealed class ChatWebFixture : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";
    public WebApplicationFactory<Program> Factory { get; private set; } = default!;
    public ScriptedAssistant Assistant { get; } = new();
    public SwitchableLimiter Limiter { get; } = new();

    public async Task InitializeAsync()
    {
        ConnectionString = await TestDatabase.CreateAsync("chat", demoData: true);
        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Development");
            b.UseSetting("ConnectionStrings:WeedGo", ConnectionString);
            b.UseSetting("WeedGo:DemoData", "true");
            b.UseSetting("WeedGo:Security:RejectReusedAuthenticatorCodes", "false"); // the same admin signs in many times a minute
            b.UseSetting("Logging:LogLevel:Default", "Warning");
            b.ConfigureTestServices(services =>
            {
                services.AddSingleton<IAssistant>(Assistant);
                services.AddSingleton<IOperationLimiter>(Limiter);
            });
        });
        _ = Factory.Server;
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await TestDatabase.DropAsync(ConnectionString);
    }
}
