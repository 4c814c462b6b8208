using Microsoft.AspNetCore.SignalR;
using WeedGo.Core.Audit;
using WeedGo.Core.Live;
using WeedGo.Web.Hubs;

namespace WeedGo.Web.Live;

/// <summary>
/// Sends every <see cref="AuditAlertChanged"/> to the admin groups of <c>/hubs/alerts</c> only: the tenant's audit reviewers
/// (<see cref="AlertsHub.AdminGroup"/>) and the platform admins (<see cref="AlertsHub.PlatformAdminGroup"/>), as
/// <c>alert(type, payload)</c>. Store staff connected to the same hub never receive alerts (<see cref="HubRelay"/> skips them).
/// </summary>
public sealed class AlertHubRelay(InProcessLiveEvents events, IHubContext<AlertsHub> hub) : IHostedService
{
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = events.Subscribe<AuditAlertChanged>(null, async e =>
        {
            var groups = e.TenantId == AuditAlertDefaults.PlatformTenant
                ? [AlertsHub.PlatformAdminGroup]
                : new[] { AlertsHub.PlatformAdminGroup, AlertsHub.AdminGroup(e.TenantId) };
            await hub.Clients.Groups(groups).SendAsync(AlertsHub.AlertMethod, e.Type, e);
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }
}
