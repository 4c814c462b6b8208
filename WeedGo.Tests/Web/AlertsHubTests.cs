using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Live;
using WeedGo.Tests.Support;
using WeedGo.Web.Hubs;

namespace WeedGo.Tests.Web;

public sealed class AlertsHubTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private Task<HubConnection> ConnectAsync(string email) => HubClients.ConnectAsync(app.Factory, email);

    [Fact]
    public async Task A_tenant_event_reaches_that_tenants_staff_and_not_another_tenants()
    {
        await using var north = await ConnectAsync("manager@northernlights.demo");
        await using var maple = await ConnectAsync("manager@mapleleaf.demo");
        var northGot = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var mapleGot = new List<string>();
        north.On<string, System.Text.Json.JsonElement>(AlertsHub.EventMethod, (type, payload) =>
            northGot.TrySetResult(type + ":" + payload.GetProperty("message").GetString()));
        maple.On<string, System.Text.Json.JsonElement>(AlertsHub.EventMethod, (type, _) => { lock (mapleGot) { mapleGot.Add(type); } });

        var events = app.Factory.Services.GetRequiredService<ILiveEvents>();
        await events.PublishAsync(new StaffNotice(DemoWorld.NorthernLights, DemoWorld.QueenWest, "Truck arrived"));

        var received = await northGot.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal("StaffNotice:Truck arrived", received);
        // Prove the other client is live, then that it never saw the first event.
        var mapleOwn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        maple.On<string, System.Text.Json.JsonElement>(AlertsHub.EventMethod, (_, p) =>
        {
            if (p.GetProperty("message").GetString() == "Maple only") { mapleOwn.TrySetResult(); }
        });
        await events.PublishAsync(new StaffNotice(DemoWorld.MapleLeaf, null, "Maple only"));
        await mapleOwn.Task.WaitAsync(TimeSpan.FromSeconds(15));
        lock (mapleGot)
        {
            Assert.Equal(["StaffNotice"], mapleGot);
        }
    }

    [Fact]
    public async Task A_customer_cannot_connect()
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync("customer@northernlights.demo"));
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, Assert.IsType<HttpRequestException>(ex).StatusCode);
    }
}
