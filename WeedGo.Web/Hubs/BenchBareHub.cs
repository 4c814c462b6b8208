using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace WeedGo.Web.Hubs;

/// <summary>
/// The bench's baseline for hub fan-out: a bare hub that relays a payload to a group and does nothing else (no database, no
/// live-event bus, no authorization). Mapped at <see cref="Path"/> only when <c>WeedGo:Bench:Enabled</c> is true.
/// </summary>
[AllowAnonymous]
public sealed class BenchBareHub : Hub
{
    public const string Path = "/bench/hubs/bare";

    public Task Join(string group) => Groups.AddToGroupAsync(Context.ConnectionId, group);

    public Task Broadcast(string group, string payload) => Clients.Group(group).SendAsync("message", payload);
}
