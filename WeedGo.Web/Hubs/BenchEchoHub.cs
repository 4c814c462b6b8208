using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace WeedGo.Web.Hubs;

/// <summary>
/// The bench's bare-hub baseline for live maps (mapped only with <c>WeedGo:Bench:Enabled</c>): a "driver" calls
/// <c>Report(key, lat, lng)</c> and every connection that called <c>Watch()</c> receives <c>moved(key, lat, lng)</c> at once,
/// with no authentication, database or live-event fan-out in between.
/// </summary>
[AllowAnonymous]
public sealed class BenchEchoHub : Hub
{
    public const string Path = "/bench/hubs/echo";

    public Task Watch() => Groups.AddToGroupAsync(Context.ConnectionId, "dispatch");

    public Task Report(string key, double lat, double lng) => Clients.Group("dispatch").SendAsync("moved", key, lat, lng);
}
