using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using WeedGo.Core.Accounts;
using WeedGo.Core.Deliveries;
using WeedGo.Web.Identity;

namespace WeedGo.Web.Hubs;

/// <summary>What a hub method answers: done, or the sentence saying why not.</summary>
public sealed record TrackingAnswer(bool Ok, string? Error = null);

/// <summary>
/// Live delivery tracking for clients outside Blazor (driver apps, dispatch screens, the customer's phone). Sign in with the
/// cookie or a bearer token from <c>POST /api/auth/token</c> (query <c>access_token</c> for WebSockets).
/// <list type="bullet">
/// <item>Drivers call <c>ReportPosition(lat, lng, accuracy)</c> (their own position, on shift only).</item>
/// <item>Staff join their stores' groups (tenant admins their tenant's) and receive <c>driverMoved(payload)</c> and
/// <c>deliveryChanged(payload)</c>, and <c>deliveryOutAtClosing(payload)</c> when a delivery is still out after closing.</item>
/// <item>A customer (or staff) calls <c>WatchOrder(orderId)</c> and then receives the same two messages for that order:
/// the delivery's changes, and the driver's position while the order is picked up and not yet handed over.</item>
/// </list>
/// </summary>
[Authorize]
public sealed class TrackingHub(UserContext user, DriverService drivers, DeliveryService deliveries) : Hub
{
    public const string Path = "/hubs/tracking";
    public const string DriverMovedMethod = "driverMoved";
    public const string DeliveryChangedMethod = "deliveryChanged";
    public const string DeliveryOutAtClosingMethod = "deliveryOutAtClosing";

    public static string TenantGroup(Guid tenantId) => $"tenant:{tenantId}";
    public static string StoreGroup(Guid storeId) => $"store:{storeId}";
    public static string OrderGroup(Guid orderId) => $"order:{orderId}";

    public override async Task OnConnectedAsync()
    {
        var principal = Context.User!;
        if (Policies.Allows(Policies.StoreOperations, principal.IsInRole))
        {
            if (principal.IsInRole(Roles.TenantAdmin) && Guid.TryParse(principal.FindFirstValue(WeedGoClaims.Tenant), out var tenant))
            {
                await Groups.AddToGroupAsync(Context.ConnectionId, TenantGroup(tenant));
            }
            foreach (var store in principal.FindAll(WeedGoClaims.Store))
            {
                if (Guid.TryParse(store.Value, out var storeId))
                {
                    await Groups.AddToGroupAsync(Context.ConnectionId, StoreGroup(storeId));
                }
            }
        }
        await base.OnConnectedAsync();
    }

    /// <summary>The signed-in driver's position (degrees, accuracy in metres).</summary>
    public async Task<TrackingAnswer> ReportPosition(double lat, double lng, double? accuracy)
    {
        user.Set(Context.User!, null);
        var r = await drivers.ReportPositionAsync(lat, lng, accuracy, Context.ConnectionAborted);
        return r.Succeeded ? new TrackingAnswer(true) : new TrackingAnswer(false, r.Error!.Message);
    }

    /// <summary>Follows one order's delivery: its customer, or staff of its store.</summary>
    public async Task<TrackingAnswer> WatchOrder(Guid orderId)
    {
        user.Set(Context.User!, null);
        var r = await deliveries.TrackAsync(orderId, Context.ConnectionAborted);
        if (!r.Succeeded)
        {
            return new TrackingAnswer(false, r.Error!.Message);
        }
        await Groups.AddToGroupAsync(Context.ConnectionId, OrderGroup(orderId));
        return new TrackingAnswer(true);
    }

    public Task StopWatchingOrder(Guid orderId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, OrderGroup(orderId));
}
