using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using WeedGo.Core.Data.DemoData;
using WeedGo.Web.Hubs;

namespace WeedGo.Tests.Support;

/// <summary>External clients of an in-memory app: bearer tokens and SignalR connections to <c>/hubs/alerts</c>.</summary>
public static class HubClients
{
    public static async Task<string> TokenAsync(WebApplicationFactory<Program> app, string email, string password = DemoDataSeeder.DemoPassword)
    {
        // Demo admins have 2FA on: the code from the demo key (ignored for accounts without 2FA).
        var response = await app.CreateClient().PostAsJsonAsync("/api/auth/token", new { email, password, twoFactorCode = Totp.DemoCode() });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    /// <summary>Signs in as <paramref name="email"/> and connects to the alerts hub, or the hub at <paramref name="path"/>
    /// (long polling over the test server).</summary>
    public static async Task<HubConnection> ConnectAsync(WebApplicationFactory<Program> app, string email, string path = AlertsHub.Path)
    {
        var token = await TokenAsync(app, email);
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(app.Server.BaseAddress, path), o =>
            {
                o.HttpMessageHandlerFactory = _ => app.Server.CreateHandler();
                o.Transports = HttpTransportType.LongPolling;
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            })
            .Build();
        await connection.StartAsync();
        return connection;
    }
}
