using Npgsql;
using WeedGo.Core.Catalog;

namespace WeedGo.Web.Endpoints;

/// <summary>
/// The raw baseline the bench compares pages against: the same data fetched with plain Npgsql and no framework work.
/// Mapped only when <c>WeedGo:Bench:Enabled</c> is true (the bench host sets it); never in a normal run.
/// </summary>
public static class BenchEndpoints
{
    /// <summary>The key of the baselines' own data source: the app role in the platform scope (row-level security still
    /// applies and is evaluated; see <c>RowLevelSecurity.PlatformScope</c>).</summary>
    public const string RawSource = "bench-raw";

    public static void MapBenchBaselines(this IEndpointRouteBuilder app)
    {
        app.MapGet("/bench/baseline/stores", async ([FromKeyedServices(RawSource)] NpgsqlDataSource data, string tenant, CancellationToken ct) =>
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
    
        // The rate-limit scenario: the same trivial answer outside (/bench) and inside (/api) the rate-limiting middleware.
        app.MapGet("/bench/ping", () => Results.Text("ok"));
        app.MapGet("/api/bench/ping", () => Results.Text("ok"));
        MapCatalogBench(app);
        MapMenuBench(app);
        app.MapHub<WeedGo.Web.Hubs.BenchBareHub>(WeedGo.Web.Hubs.BenchBareHub.Path);
        app.MapHub<Hubs.BenchEchoHub>(Hubs.BenchEchoHub.Path);
    }

    /// <summary>
    /// The storefront menu's query in raw SQL (<c>MenuQueries.PageAsync</c> for a category and strain filter, cheapest first):
    /// the store's listed, priced, in-stock products, how many match, and the first page of 24.
    /// </summary>
    private static void MapMenuBench(IEndpointRouteBuilder app) =>
        app.MapGet("/bench/baseline/menu", async ([FromKeyedServices(RawSource)] NpgsqlDataSource data, string tenant, string store, string category, string strain, CancellationToken ct) =>
        {
            await using var cmd = data.CreateCommand(
                $"SELECT {CatalogColumns}, coalesce(i.retail_price_override, c.unit_price) AS price, i.on_hand - i.reserved, c.terpenes, count(*) OVER () " +
                "FROM ocs_inventory i JOIN ocs_product_catalog c ON c.id = i.product_id AND c.tenant_id = i.tenant_id " +
                "WHERE i.tenant_id = (SELECT id FROM tenants WHERE slug = $1) AND i.store_id = (SELECT id FROM stores WHERE slug = $2) " +
                "AND coalesce(i.retail_price_override, c.unit_price) IS NOT NULL AND i.on_hand - i.reserved > 0 AND c.category = $3 AND c.strain_type = $4 " +
                "ORDER BY price, c.product_name, c.id LIMIT 24");
            cmd.Parameters.AddWithValue(tenant);
            cmd.Parameters.AddWithValue(store);
            cmd.Parameters.AddWithValue(category);
            cmd.Parameters.AddWithValue(strain);
            var items = new List<object>();
            long total = 0;
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                items.Add(new { item = CatalogRow(reader), price = reader.GetDecimal(21), available = reader.GetInt32(22), terpenes = reader.IsDBNull(23) ? null : reader.GetString(23) });
                total = reader.GetInt64(24);
            }
            return Results.Ok(new { total, items });
        }).AllowAnonymous();

    private const string CatalogColumns =
        "c.id, c.sku, c.gtin, c.product_name, c.brand, c.category, c.sub_category, c.size, c.thc_min, c.thc_max, c.thc_per_unit, " +
        "c.thc_per_volume, c.cbd_min, c.cbd_max, c.cbd_per_unit, c.cbd_per_volume, c.dried_flower_equivalency, c.unit_price, " +
        "c.strain_type, c.image_url, c.is_cannabis";

    /// <summary>
    /// Catalogue lookup and search: raw baselines (one SQL statement each) and subjects that go through <see cref="CatalogQueries"/>
    /// as an anonymous storefront request of the default tenant (the tenant filter scopes it).
    /// </summary>
    private static void MapCatalogBench(IEndpointRouteBuilder app)
    {
        app.MapGet("/bench/baseline/catalog/lookup", async ([FromKeyedServices(RawSource)] NpgsqlDataSource data, string tenant, string code, CancellationToken ct) =>
        {
            await using var cmd = data.CreateCommand(
                $"SELECT {CatalogColumns} FROM ocs_product_catalog c WHERE c.tenant_id = (SELECT id FROM tenants WHERE slug = $1) " +
                "AND (c.sku_key = $2 OR c.gtin = $3) ORDER BY (c.sku_key = $2) DESC LIMIT 1");
            cmd.Parameters.AddWithValue(tenant);
            cmd.Parameters.AddWithValue(code.Trim().ToUpperInvariant());
            cmd.Parameters.AddWithValue(CatalogQueries.GtinOf(code.Trim()) ?? "");
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? Results.Ok(CatalogRow(reader)) : Results.NotFound();
        }).AllowAnonymous();

        app.MapGet("/bench/subject/catalog/lookup", async (CatalogQueries catalog, string code, CancellationToken ct) =>
            await catalog.FindBySkuOrGtinAsync(code, ct) is { } item ? Results.Ok(item) : Results.NotFound()).AllowAnonymous();

        app.MapGet("/bench/baseline/catalog/search", async ([FromKeyedServices(RawSource)] NpgsqlDataSource data, string tenant, string q, CancellationToken ct) =>
        {
            var (items, total) = await RawSearchAsync(data, tenant, q, ct);
            return Results.Ok(new { total, items });
        }).AllowAnonymous();

        app.MapGet("/bench/subject/catalog/search", async (CatalogQueries catalog, string q, CancellationToken ct) =>
        {
            var page = await catalog.SearchAsync(new CatalogSearch(q), ct);
            return Results.Ok(new { total = page.Total, items = page.Items });
        }).AllowAnonymous();
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Guid> TenantIds = new();

    /// <summary>The raw-SQL search (same statements as <c>CatalogQueries.SearchAsync</c>, sent on a plain Npgsql connection without
    /// a DbContext): used by the baseline endpoint and timed in-process by the bench. The tenant's id is looked up once per slug
    /// (the service knows it from the request). The total is capped like the service's.</summary>
    public static async Task<(List<object> Items, long Total)> RawSearchAsync(NpgsqlDataSource data, string tenant, string q, CancellationToken ct)
    {
        await using var connection = await data.OpenConnectionAsync(ct);
        if (!TenantIds.TryGetValue(tenant, out var tenantId))
        {
            await using var find = new NpgsqlCommand("SELECT id FROM tenants WHERE slug = $1", connection);
            find.Parameters.AddWithValue(tenant);
            tenantId = TenantIds.GetOrAdd(tenant, (Guid)(await find.ExecuteScalarAsync(ct))!);
        }
        // Exact codes + full-text prefix; when nothing matches, the words corrected and full text again (CatalogQueries' statements).
        if (await CatalogQueries.FullTextAsync(connection, tenantId, tenantId, new CatalogSearch(q), ct) is { } page)
        {
            return (page.Items.Cast<object>().ToList(), page.Total);
        }
        // Then trigram typo matching over the rows.
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var set = new NpgsqlCommand("SET LOCAL pg_trgm.word_similarity_threshold = 0.4", connection, tx))
        {
            await set.ExecuteNonQueryAsync(ct);
        }
        var (items, total) = await CatalogSearchSql(connection, tx,
            $"SELECT {CatalogColumns}, count(*) OVER () FROM ocs_product_catalog c WHERE c.tenant_id = (SELECT id FROM tenants WHERE slug = $1) " +
            "AND ($5 <% c.product_name OR $5 <% c.brand) AND $2 <> '' AND $3 = $3 AND $4 = $4 " +
            "ORDER BY word_similarity($5, c.product_name) DESC, c.product_name, c.sku_key LIMIT 25", tenant, q, ct);
        await tx.CommitAsync(ct);
        return (items, Math.Min(total, CatalogQueries.CandidateLimit));
    }

    private static async Task<(List<object> Items, long Total)> CatalogSearchSql(
        NpgsqlConnection connection, NpgsqlTransaction tx, string sql, string tenant, string q, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, connection, tx);
        cmd.Parameters.AddWithValue(tenant);
        cmd.Parameters.AddWithValue(q.Trim().ToUpperInvariant());
        cmd.Parameters.AddWithValue(CatalogQueries.GtinOf(q.Trim()) ?? "");
        cmd.Parameters.AddWithValue(CatalogQueries.PrefixQuery(q) ?? "");
        cmd.Parameters.AddWithValue(q.Trim());
        var items = new List<object>();
        long total = 0;
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            items.Add(CatalogRow(reader));
            total = reader.GetInt64(21);
        }
        return (items, total);
    }

    private static object CatalogRow(NpgsqlDataReader r)
    {
        decimal? Dec(int i) => r.IsDBNull(i) ? null : r.GetDecimal(i);
        string? Str(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        return new
        {
            id = r.GetGuid(0), sku = r.GetString(1), gtin = Str(2), productName = r.GetString(3), brand = Str(4), category = r.GetString(5),
            subCategory = Str(6), size = Str(7), thcMin = Dec(8), thcMax = Dec(9), thcPerUnit = Dec(10), thcPerVolume = Dec(11),
            cbdMin = Dec(12), cbdMax = Dec(13), cbdPerUnit = Dec(14), cbdPerVolume = Dec(15), driedFlowerEquivalency = r.GetDecimal(16),
            unitPrice = Dec(17), strainType = Str(18), imageUrl = Str(19), isCannabis = r.GetBoolean(20),
        };
    }
}
