using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Live;
using WeedGo.Tests.Support;
using WeedGo.Web.Hubs;

namespace WeedGo.Tests.Web;

/// <summary>A real redis-server and two app instances over one database, as the compose "scale" profile runs them.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private Process? _redis;
    public string Endpoint { get; private set; } = "";
    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var binary = File.Exists("/usr/bin/redis-server") ? "/usr/bin/redis-server"
            : throw new InvalidOperationException("redis-server is not installed; ./weedgo test installs it (apt package redis-server).");
        _redis = Process.Start(new ProcessStartInfo(binary, $"--bind 127.0.0.1 --port {port} --save \"\" --appendonly no")
        {
            RedirectStandardOutput = true, UseShellExecute = false,
        })!;
        Endpoint = $"127.0.0.1:{port}";
        for (var i = 0; i < 50; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                break;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        ConnectionString = await TestDatabase.CreateAsync("scale", demoData: true);
    }

    public WebApplicationFactory<Program> Instance() => new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
    {
        b.UseEnvironment("Development");
        b.UseSetting("ConnectionStrings:WeedGo", ConnectionString);
        b.UseSetting("WeedGo:DemoData", "true");
        b.UseSetting("WeedGo:Redis", Endpoint);
        b.UseSetting("Logging:LogLevel:Default", "Warning");
    });

    public async Task DisposeAsync()
    {
        _redis?.Kill();
        _redis?.Dispose();
        await TestDatabase.DropAsync(ConnectionString);
    }
}

public sealed class ScaleOutTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task An_event_raised_on_one_instance_reaches_components_and_hub_clients_of_the_other_exactly_once()
    {
        await using var first = redis.Instance();
        _ = first.Server; // seeds the demo data before the second instance starts
        await using var second = redis.Instance();

        var componentGot = new TaskCompletionSource<StaffNotice>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = second.Services.GetRequiredService<ILiveEvents>()
            .Subscribe<StaffNotice>(DemoWorld.NorthernLights, e => { componentGot.TrySetResult(e); return Task.CompletedTask; });

        await using var hubClient = await HubClients.ConnectAsync(second, "budtender@northernlights.demo");
        var hubMessages = new List<string>();
        var hubGot = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hubClient.On<string, JsonElement>(AlertsHub.EventMethod, (_, payload) =>
        {
            lock (hubMessages) { hubMessages.Add(payload.GetProperty("message").GetString()!); }
            hubGot.TrySetResult();
        });

        await first.Services.GetRequiredService<ILiveEvents>()
            .PublishAsync(new StaffNotice(DemoWorld.NorthernLights, DemoWorld.QueenWest, "Raised on instance one"));

        var received = await componentGot.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal("Raised on instance one", received.Message);
        Assert.Equal(DemoWorld.QueenWest, received.StoreId);
        await hubGot.Task.WaitAsync(TimeSpan.FromSeconds(15));

        // A second event proves the stream is flowing; the first must not have been duplicated by it.
        var marker = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hubClient.On<string, JsonElement>(AlertsHub.EventMethod, (_, p) => { if (p.GetProperty("message").GetString() == "marker") { marker.TrySetResult(); } });
        await first.Services.GetRequiredService<ILiveEvents>().PublishAsync(new StaffNotice(DemoWorld.NorthernLights, null, "marker"));
        await marker.Task.WaitAsync(TimeSpan.FromSeconds(15));
        lock (hubMessages)
        {
            Assert.Equal(["Raised on instance one", "marker"], hubMessages);
        }
    }
}
