using System.Reflection;
using Microsoft.EntityFrameworkCore.Infrastructure;
using WeedGo.Core.Common;
using WeedGo.Core.Data;

namespace WeedGo.Web.Endpoints;

public static class HealthEndpoints
{
    /// <summary>Capabilities that have landed; later features switch theirs on here.</summary>
    public static readonly IReadOnlyDictionary<string, bool> Features = new Dictionary<string, bool>
    {
        ["tenancy"] = true,
        ["accounts"] = true,
        ["liveEvents"] = true,
        ["catalog"] = true,
        ["inventory"] = true,
        ["ordering"] = true,
        ["promotions"] = true,
        ["deliveries"] = true,
        ["chat"] = true,
        ["audit"] = true,
        ["rateLimits"] = true,
    };

    public static string Version { get; } =
        typeof(HealthEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", () => Results.Ok(new { status = "ok", version = Version, features = Features }))
            .AllowAnonymous().ExcludeFromDescription();

        app.MapGet("/health/ready", async (PooledDbContextFactory<WeedGoDbContext> pool, CancellationToken ct) =>
        {
            try
            {
                await using var db = await pool.CreateDbContextAsync(ct);
                db.UseTenant(FixedTenantContext.System);
                var ok = await db.Database.CanConnectAsync(ct);
                return ok
                    ? Results.Ok(new { status = "ready", database = "ok" })
                    : Results.Json(new { status = "unavailable", database = "cannot connect" }, statusCode: 503);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return Results.Json(new { status = "unavailable", database = e.GetBaseException().Message }, statusCode: 503);
            }
        }).AllowAnonymous();
    }
}
