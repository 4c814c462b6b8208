using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WeedGo.Core.Catalog;

namespace WeedGo.Bench.Scenarios;

/// <summary>
/// Catalogue lookups and searches timed in-process, one at a time (no HTTP, no concurrency): the service call against the
/// same lookup as one raw Npgsql statement, over the 100,000-row bench catalogue.
/// </summary>
public sealed class CatalogInProcessScenario : IThroughputScenario
{
    private static readonly string[] Queries =
        ["blu dreem", "limonene", "pink kush", "northern bloom", "soft chews", "live resin", "gelato", "terpinolene myrcene", "maple ridge", "sour diesl"];

    public string Name => "catalog-inprocess";

    public string Description =>
        $"SKU/GTIN lookup and search over {CatalogBenchData.Rows:N0} catalogue rows timed in-process and sequentially: " +
        "`CatalogQueries` (EF Core) against the same SQL sent with raw Npgsql (one statement for the lookup; for search " +
        "`BenchEndpoints.RawSearchAsync`, which sends `CatalogQueries.FullTextAsync`'s statements on a plain connection: one " +
        "statement, with the typo correction inside it when a word begins no catalogue word).";

    public Task SetUpAsync(BenchContext context, CancellationToken ct) => CatalogBenchData.EnsureAsync(context, ct);

    public async Task<string> RunAsync(BenchContext context, CancellationToken ct)
    {
        var data = context.Services.GetRequiredKeyedService<NpgsqlDataSource>(WeedGo.Web.Endpoints.BenchEndpoints.RawSource);
        var codes = CatalogBenchData.Codes;
        await using var scope = context.Services.CreateAsyncScope(); // anonymous: the storefront's default tenant
        var catalog = scope.ServiceProvider.GetRequiredService<CatalogQueries>();

        async Task RawLookupAsync(string code)
        {
            await using var cmd = data.CreateCommand(
                "SELECT c.id, c.sku, c.product_name FROM ocs_product_catalog c WHERE c.tenant_id = (SELECT id FROM tenants WHERE slug = $1) " +
                "AND (c.sku_key = $2 OR c.gtin = $3) ORDER BY (c.sku_key = $2) DESC LIMIT 1");
            cmd.Parameters.AddWithValue(CatalogBenchData.Tenant);
            cmd.Parameters.AddWithValue(code.Trim().ToUpperInvariant());
            cmd.Parameters.AddWithValue(CatalogQueries.GtinOf(code.Trim()) ?? "");
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                throw new InvalidOperationException($"Raw lookup found nothing for {code}.");
            }
        }

        async Task ServiceLookupAsync(string code)
        {
            if (await catalog.FindBySkuOrGtinAsync(code, ct) is null)
            {
                throw new InvalidOperationException($"CatalogQueries found nothing for {code}.");
            }
        }

        var rawLookup = await TimeAsync(codes.Take(1000).ToList(), RawLookupAsync);
        var serviceLookup = await TimeAsync(codes.Take(1000).ToList(), ServiceLookupAsync);
        var searches = Enumerable.Range(0, 20).SelectMany(_ => Queries).ToList();
        var rawSearch = await TimeAsync(searches, async q => await Web.Endpoints.BenchEndpoints.RawSearchAsync(data, CatalogBenchData.Tenant, q, ct));
        var serviceSearch = await TimeAsync(searches, async q => await catalog.SearchAsync(new CatalogSearch(q), ct));
        var perQuery = new List<string>();
        foreach (var q in Queries)
        {
            var raw = await TimeAsync(Enumerable.Repeat(q, 20).ToList(), async x => await Web.Endpoints.BenchEndpoints.RawSearchAsync(data, CatalogBenchData.Tenant, x, ct));
            var t = await TimeAsync(Enumerable.Repeat(q, 20).ToList(), async x => await catalog.SearchAsync(new CatalogSearch(x), ct));
            var page = await catalog.SearchAsync(new CatalogSearch(q), ct);
            perQuery.Add($"| \"{q}\" | {page.Total}{(page.MoreAvailable ? "+" : "")}{(page.DidYouMean is { } fix ? $" (as \"{fix}\")" : "")} | {Ms(raw.P50)} | {Ms(raw.P95)} | {Ms(t.P50)} | {Ms(t.P95)} |");
        }

        return string.Join("\n",
        [
            "| run | calls | p50 ms | p95 ms | p99 ms |",
            "|---|--:|--:|--:|--:|",
            Row("baseline: raw Npgsql SKU/GTIN lookup", rawLookup),
            Row("subject: CatalogQueries.FindBySkuOrGtinAsync", serviceLookup),
            $"| **lookup subject / baseline (p50)** | | **{serviceLookup.P50 / rawLookup.P50:0.00}×** | | |",
            Row("baseline: raw Npgsql search, same statements (10 queries, rotating)", rawSearch),
            Row("subject: CatalogQueries.SearchAsync (10 queries, rotating)", serviceSearch),
            $"| **search subject / baseline (p50)** | | **{serviceSearch.P50 / rawSearch.P50:0.00}×** | | |",
            "",
            "Search per query (20 calls each; total as shown to staff, capped at the candidate limit):",
            "",
            "| query | total | raw p50 ms | raw p95 ms | service p50 ms | service p95 ms |",
            "|---|--:|--:|--:|--:|--:|",
            .. perQuery,
            "",
        ]) + "\n";
    }

    private static string Row(string label, Timings t) => $"| {label} | {t.Count:N0} | {Ms(t.P50)} | {Ms(t.P95)} | {Ms(t.P99)} |";

    private static string Ms(double ms) => ms.ToString(ms < 10 ? "0.000" : "0.0", CultureInfo.InvariantCulture);

    private static async Task<Timings> TimeAsync(IReadOnlyList<string> inputs, Func<string, Task> call)
    {
        foreach (var warm in inputs.Take(Math.Min(50, inputs.Count)))
        {
            await call(warm);
        }
        var samples = new List<double>(inputs.Count);
        foreach (var input in inputs)
        {
            var start = Stopwatch.GetTimestamp();
            await call(input);
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        samples.Sort();
        double At(double q) => samples[Math.Min(samples.Count - 1, (int)Math.Ceiling(q * samples.Count) - 1)];
        return new Timings(samples.Count, At(0.50), At(0.95), At(0.99));
    }

    private sealed record Timings(int Count, double P50, double P95, double P99);
}
