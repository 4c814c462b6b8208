using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Catalog;
using WeedGo.Core.Common;
using WeedGo.Core.Data;
using WeedGo.Core.Data.DemoData;

namespace WeedGo.Bench.Scenarios;

/// <summary>Loads a 100,000-row catalogue into the default tenant once per run (demo generator + the import path).</summary>
internal static class CatalogBenchData
{
    public const string Tenant = "northern-lights";
    public const int Rows = 100_000;
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static List<string>? _codes;

    /// <summary>Lookup codes over the whole catalogue: lower-case SKUs and GTINs in 12/13/14-digit forms.</summary>
    public static IReadOnlyList<string> Codes => _codes ?? throw new InvalidOperationException("SetUp has not run.");

    public static async Task EnsureAsync(BenchContext context, CancellationToken ct)
    {
        await Gate.WaitAsync(ct);
        try
        {
            if (_codes is not null)
            {
                return;
            }
            var pool = context.Services.GetRequiredService<PooledDbContextFactory<WeedGoDbContext>>();
            var file = new MemoryStream();
            DemoCatalogGenerator.WriteCsv(file, Rows);
            file.Position = 0;
            var tenantId = DemoDataSeeder.IdFor(Tenant);
            var report = await CatalogImportService.ImportForTenantAsync(pool, TimeProvider.System, tenantId, file, "bench.csv", ct: ct);
            if (!report.Succeeded || !report.Value.Completed)
            {
                throw new InvalidOperationException($"Seeding the catalogue failed: {report.Error?.Message ?? report.Value.Failure?.Message}");
            }
            Console.Error.WriteLine($"bench: catalogue seeded: {Rows:N0} rows in {report.Value.Duration.TotalSeconds:0.0} s");
            await using var db = await pool.CreateDbContextAsync(ct);
            db.UseTenant(FixedTenantContext.For(tenantId));
            var sample = await db.Products.AsNoTracking().OrderBy(p => p.Gtin).Select(p => new { p.Sku, p.Gtin })
                .ToListAsync(ct);
            var random = new Random(7);
            _codes = Enumerable.Range(0, 1000).Select(i =>
            {
                var p = sample[random.Next(sample.Count)];
                return (i % 4) switch
                {
                    0 => p.Sku.ToLowerInvariant(),
                    1 => p.Gtin!,
                    2 => p.Gtin!.TrimStart('0').PadLeft(13, '0'),
                    _ => p.Sku,
                };
            }).ToList();
        }
        finally
        {
            Gate.Release();
        }
    }
}

/// <summary>Rotates through values: each request takes the next one.</summary>
internal sealed class Rotation(Func<IReadOnlyList<string>> values)
{
    private int _next = -1;
    public string Next() { var v = values(); return v[(int)((uint)Interlocked.Increment(ref _next) % (uint)v.Count)]; }
}

public sealed class CatalogLookupScenario : IScenario
{
    private readonly Rotation _baseline = new(() => CatalogBenchData.Codes);
    private readonly Rotation _subject = new(() => CatalogBenchData.Codes);

    public string Name => "catalog-lookup";

    public string Description =>
        $"SKU or GTIN lookup (1,000 codes: lower-case SKUs, GTIN-13/14 forms) over {CatalogBenchData.Rows:N0} catalogue rows: " +
        "`CatalogQueries.FindBySkuOrGtinAsync` as an anonymous storefront request, against one raw Npgsql statement.";

    public BenchRequest Baseline => new("GET /bench/baseline/catalog/lookup", () =>
        new HttpRequestMessage(HttpMethod.Get, $"/bench/baseline/catalog/lookup?tenant={CatalogBenchData.Tenant}&code={Uri.EscapeDataString(_baseline.Next())}"));

    public BenchRequest Subject => new("GET /bench/subject/catalog/lookup", () =>
        new HttpRequestMessage(HttpMethod.Get, $"/bench/subject/catalog/lookup?code={Uri.EscapeDataString(_subject.Next())}"));

    public Task SetUpAsync(BenchContext context, CancellationToken ct) => CatalogBenchData.EnsureAsync(context, ct);

    public void Verify(BenchResponse baseline, BenchResponse subject)
    {
        Check.Succeeded(baseline, "The baseline lookup");
        Check.Succeeded(subject, "The subject lookup");
        using var b = JsonDocument.Parse(baseline.Body);
        using var s = JsonDocument.Parse(subject.Body);
        Check.That(b.RootElement.GetProperty("id").GetGuid() == s.RootElement.GetProperty("id").GetGuid(),
            $"Baseline and subject found different products: {Check.Excerpt(baseline.Body)} / {Check.Excerpt(subject.Body)}");
    }
}

public sealed class CatalogSearchScenario : IScenario
{
    private static readonly string[] Queries =
        ["blu dreem", "limonene", "pink kush", "northern bloom", "soft chews", "live resin", "gelato", "terpinolene myrcene", "maple ridge", "sour diesl"];

    private readonly Rotation _baseline = new(() => Queries);
    private readonly Rotation _subject = new(() => Queries);

    public string Name => "catalog-search";

    public string Description =>
        $"Catalogue search, first page of 25 with total, over {CatalogBenchData.Rows:N0} rows (full-text prefix + trigram typo match, " +
        $"{Queries.Length} rotating queries such as \"blu dreem\" and \"limonene\"): `CatalogQueries.SearchAsync` against the same " +
        "statements sent on a plain Npgsql connection (`BenchEndpoints.RawSearchAsync`).";

    public BenchRequest Baseline => new("GET /bench/baseline/catalog/search", () =>
        new HttpRequestMessage(HttpMethod.Get, $"/bench/baseline/catalog/search?tenant={CatalogBenchData.Tenant}&q={Uri.EscapeDataString(_baseline.Next())}"));

    public BenchRequest Subject => new("GET /bench/subject/catalog/search", () =>
        new HttpRequestMessage(HttpMethod.Get, $"/bench/subject/catalog/search?q={Uri.EscapeDataString(_subject.Next())}"));

    public Task SetUpAsync(BenchContext context, CancellationToken ct) => CatalogBenchData.EnsureAsync(context, ct);

    public void Verify(BenchResponse baseline, BenchResponse subject)
    {
        Check.Succeeded(baseline, "The baseline search");
        Check.Succeeded(subject, "The subject search");
        using var b = JsonDocument.Parse(baseline.Body);
        using var s = JsonDocument.Parse(subject.Body);
        var total = b.RootElement.GetProperty("total").GetInt64();
        Check.That(total > 0 && total == s.RootElement.GetProperty("total").GetInt64(),
            $"Totals differ or are zero: {Check.Excerpt(baseline.Body)} / {Check.Excerpt(subject.Body)}");
        Check.Contains(subject, "Blue Dream", "The subject search for \"blu dreem\"");
    }
}

public sealed class CatalogImportScenario : IThroughputScenario
{
    private const int Rows = 20_000;

    public string Name => "catalog-import";

    public string Description =>
        $"Import of a {Rows:N0}-row OCS catalogue CSV (demo generator) for one tenant through the import path " +
        "(parse, validate, hash, binary COPY per 1,000-row batch + INSERT … ON CONFLICT), then the same file again (all unchanged).";

    public async Task<string> RunAsync(BenchContext context, CancellationToken ct)
    {
        var pool = context.Services.GetRequiredService<PooledDbContextFactory<WeedGoDbContext>>();
        var csv = new MemoryStream();
        DemoCatalogGenerator.WriteCsv(csv, Rows);
        var bytes = csv.ToArray();
        var tenant = DemoDataSeeder.IdFor("maple-leaf");
        var lines = new List<string> { "| run | rows | inserted | updated | unchanged | batches | seconds | rows/s |", "|---|---:|---:|---:|---:|---:|---:|---:|" };
        foreach (var run in new[] { "first import", "re-import (unchanged)" })
        {
            var result = await CatalogImportService.ImportForTenantAsync(pool, TimeProvider.System, tenant, new MemoryStream(bytes), "bench.csv", ct: ct);
            var r = result.Value;
            if (!r.Completed)
            {
                throw new InvalidOperationException(r.Failure!.Message);
            }
            lines.Add($"| {run} | {Rows:N0} | {r.Inserted:N0} | {r.Updated:N0} | {r.Unchanged:N0} | {r.BatchesCommitted} | {r.Duration.TotalSeconds:0.00} | {r.RowsPerSecond:N0} |");
        }
        lines.Add("");
        lines.Add($"The tenant (maple-leaf) already holds the {DemoCatalogGenerator.DemoRows:N0} demo rows, which are the first rows of the file, " +
                  "so the first import counts them unchanged. File size: " + $"{bytes.Length / 1024d / 1024:0.0} MB.");
        return string.Join("\n", lines) + "\n";
    }
}
