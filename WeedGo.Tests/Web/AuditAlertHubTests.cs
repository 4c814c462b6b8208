using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Audit;
using WeedGo.Core.Live;
using WeedGo.Tests.Support;
using WeedGo.Web.Hubs;

namespace WeedGo.Tests.Web;

/// <summary>Audit alerts on <c>/hubs/alerts</c> are admin-only: the tenant's admin and platform admins receive them, store
/// staff of the same tenant and other tenants' admins never do.</summary>
public sealed class AuditAlertHubTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private Task<HubConnection> ConnectAsync(string email) => HubClients.ConnectAsync(app.Factory, email);

    [Fact]
    public async Task An_alert_reaches_the_tenants_admin_and_platform_admins_but_not_store_staff_or_another_tenant()
    {
        await using var admin = await ConnectAsync("admin@northernlights.demo");
        await using var platform = await ConnectAsync("platform@weedgo.demo");
        await using var budtender = await ConnectAsync("budtender@northernlights.demo");
        await using var maple = await ConnectAsync("admin@mapleleaf.demo");
        var adminGot = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var platformGot = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var leaked = new List<string>();
        admin.On<string, JsonElement>(AlertsHub.AlertMethod, (type, p) => adminGot.TrySetResult(type + ":" + p.GetProperty("message").GetString()));
        platform.On<string, JsonElement>(AlertsHub.AlertMethod, (type, p) => platformGot.TrySetResult(type + ":" + p.GetProperty("message").GetString()));
        foreach (var (who, connection) in new[] { ("budtender", budtender), ("maple", maple) })
        {
            connection.On<string, JsonElement>(AlertsHub.AlertMethod, (t, _) => { lock (leaked) { leaked.Add(who + ":" + t); } });
            connection.On<string, JsonElement>(AlertsHub.EventMethod, (t, _) => { if (t == nameof(AuditAlertChanged)) { lock (leaked) { leaked.Add(who + ":event"); } } });
        }
        // The admin's own general events still arrive (they are staff too): proves the alert is filtered, not the connection.
        admin.On<string, JsonElement>(AlertsHub.EventMethod, (t, _) => { if (t == nameof(AuditAlertChanged)) { lock (leaked) { leaked.Add("admin:event"); } } });

        var events = app.Factory.Services.GetRequiredService<ILiveEvents>();
        await events.PublishAsync(new AuditAlertChanged(DemoWorld.NorthernLights, Guid.CreateVersion7(), "Failed sign-ins", AuditSeverity.Warning,
            AlertStatus.Open, 5, "Failed sign-ins: 5 in 5 min (x@example.test)", true, DateTimeOffset.UtcNow));
        Assert.Equal("AuditAlertChanged:Failed sign-ins: 5 in 5 min (x@example.test)", await adminGot.Task.WaitAsync(TimeSpan.FromSeconds(15)));
        await platformGot.Task.WaitAsync(TimeSpan.FromSeconds(15));

        // The budtender's connection is live (a staff notice arrives), yet it saw no alert.
        var budtenderLive = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        budtender.On<string, JsonElement>(AlertsHub.EventMethod, (t, _) => { if (t == nameof(StaffNotice)) { budtenderLive.TrySetResult(); } });
        await events.PublishAsync(new StaffNotice(DemoWorld.NorthernLights, null, "ping"));
        await budtenderLive.Task.WaitAsync(TimeSpan.FromSeconds(15));
        lock (leaked)
        {
            Assert.Empty(leaked);
        }
    }
}
