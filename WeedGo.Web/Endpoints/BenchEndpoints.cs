using Npgsql;

namespace WeedGo.Web.Endpoints;

/// <summary>
/// The raw baseline the bench compares pages against: the same data fetched with plain Npgsql and no framework work.
/// Mapped only when <c>WeedGo:Bench:Enabled</c> is true (the bench host sets it); never in a normal run.
/// </summary>
public static class BenchEndpoints
{
    public static void MapBenchBaselines(this IEndpointRouteBuilder app)
    {
        app.MapGet("/bench/baseline/stores", async (NpgsqlDataSource data, string tenant, CancellationToken ct) =>
        {
            await using var cmd = data.CreateCommand(
                "SELECT s.id, s.name, s.slug, s.address_line1, s.address_city, ST_Y(s.location), ST_X(s.location), s.hours::text, " +
                "s.pickup_enabled, s.delivery_enabled FROM stores s JOIN tenants t ON t.id = s.tenant_id " +
                "WHERE t.slug = $1 AND s.is_active ORDER BY s.name");
            cmd.Parameters.AddWithValue(tenant);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            var rows = new List<object>();
            while (await reader.ReadAsync(ct))
            {
                rows.Add(new
                {
                    id = reader.GetGuid(0), name = reader.GetString(1), slug = reader.GetString(2), line1 = reader.GetString(3),
                    city = reader.GetString(4), lat = reader.GetDouble(5), lng = reader.GetDouble(6), hours = reader.GetString(7),
                    pickup = reader.GetBoolean(8), delivery = reader.GetBoolean(9),
                });
            }
            return Results.Ok(rows);
        }).AllowAnonymous();
    }
}
