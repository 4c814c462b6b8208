using Microsoft.AspNetCore.Http.HttpResults;
using WeedGo.Web.Components.Dev;

namespace WeedGo.Web.Endpoints;

/// <summary>
/// <c>GET /dev/outbox[?to=address]</c>: the messages this process has sent (or would have sent), newest first, so a developer or
/// an E2E test can read a one-time code. Mapped only in Development (see <see cref="WebSetup.MapWeedGo"/>).
/// </summary>
public static class DevOutboxEndpoints
{
    public const string Path = "/dev/outbox";

    public static IEndpointRouteBuilder MapDevOutbox(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, (string? to) => new RazorComponentResult<DevOutboxPage>(new { To = to }))
            .ExcludeFromDescription();
        return endpoints;
    }
}
