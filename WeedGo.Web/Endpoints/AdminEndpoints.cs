using WeedGo.Core.Accounts;
using WeedGo.Core.Tenancy;

namespace WeedGo.Web.Endpoints;

public static class AdminEndpoints
{
    public static void MapAdminApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/admin/stats", async (PlatformStatsQueries stats, CancellationToken ct) =>
        {
            var result = await stats.GetAsync(ct);
            return result.Succeeded
                ? Results.Ok(new
                {
                    tenants = result.Value.Tenants,
                    stores = result.Value.Stores,
                    users = result.Value.Users,
                    orders = result.Value.Orders,
                    databaseBytes = result.Value.DatabaseBytes,
                })
                : result.Error!.ToHttp();
        }).RequireAuthorization(Policies.PlatformAdministration);
    }
}
