using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WeedGo.Core.Accounts;
using WeedGo.Core.Catalog;
using WeedGo.Core.Common;
using WeedGo.Core.Data.DemoData;
using WeedGo.Tests.Support;
using Xunit.Abstractions;

namespace WeedGo.Tests.Catalog;

public sealed class CatalogImportServiceTests(DemoDatabaseFixture db, ITestOutputHelper output) : IClassFixture<DemoDatabaseFixture>, IAsyncLifetime
{
    private const string Header = "OCS Variant Number,Product Name,Category,Sub-Category,Brand,Size,Unit Price,GTIN,Terpenes";

    private static TestUser Manager => TestUser.Staff(DemoWorld.User("manager@northernlights.demo"), DemoWorld.NorthernLights,
        Roles.StoreManager, DemoWorld.QueenWest, DemoWorld.Yorkville);

    private static TestUser MapleAdmin => TestUser.Staff(DemoWorld.User("admin@mapleleaf.demo"), DemoWorld.MapleLeaf, Roles.TenantAdmin);

    public Task InitializeAsync() => DemoWorld.LoadAsync(db);
    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<Result<CatalogImportReport>> ImportAs(TestUser user, string csv, int batchSize = 1000, IProgress<CatalogImportProgress>? progress = null)
    {
        await using var scope = db.As(user);
        var service = scope.ServiceProvider.GetRequiredService<CatalogImportService>();
        service.BatchSize = batchSize;
        return await service.ImportAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)), "catalogue.csv", progress);
    }

    private async Task<Result<CatalogImportPreview>> PreviewAs(TestUser user, string csv)
    {
        await using var scope = db.As(user);
        return await scope.ServiceProvider.GetRequiredService<CatalogImportService>()
            .PreviewAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)), "catalogue.csv");
    }

    private static string File(params string[] rows) => string.Join("\n", [Header, .. rows]);

    private async Task<List<CatalogProduct>> ProductsAsync(Guid tenant, string prefix)
    {
        await using var ctx = db.Context(FixedTenantContext.For(tenant));
        return await ctx.Products.AsNoTracking().Where(p => p.SkuKey.StartsWith(prefix)).OrderBy(p => p.SkuKey).ToListAsync();
    }

    [Fact]
    public async Task Valid_rows_are_imported_and_invalid_rows_are_reported_with_their_line_and_skipped()
    {
        var result = await ImportAs(Manager, File(
            "V-1,Valid One,Flower,Dried Flower,Northern Bloom,3.5 g,24.99,,Myrcene",
            ",Nameless Sku,Flower,Dried Flower,Northern Bloom,3.5 g,24.99,,",
            "V-2,Valid Two,Edibles,Gummies,Sugar Bush,10 g,5.99,,",
            "V-3,Bad Gtin,Flower,Dried Flower,Northern Bloom,3.5 g,24.99,00628123456781,"));

        var report = result.Value;
        Assert.True(report.Completed);
        Assert.Equal((2, 0, 0, 2, 1), (report.Inserted, report.Updated, report.Unchanged, report.Invalid, report.BatchesCommitted));
        Assert.Equal([3, 5], report.InvalidRows.Select(r => r.Line));
        Assert.Contains("check digit", report.InvalidRows[1].Reason);

        var saved = await ProductsAsync(DemoWorld.NorthernLights, "V-");
        Assert.Equal(["V-1", "V-2"], saved.Select(p => p.Sku));
        Assert.All(saved, p => Assert.Equal(DemoWorld.NorthernLights, p.TenantId));
        Assert.All(saved, p => Assert.Equal(db.Clock.GetUtcNow(), p.CreatedAt));
        Assert.Equal(0.6667m, saved[1].DriedFlowerEquivalency);
        Assert.True(saved[1].EquivalencyDerived);
    }

    [Fact]
    public async Task A_reimport_updates_changed_rows_in_place_and_counts_unchanged_ones()
    {
        var first = File("R-1,Re One,Flower,Dried Flower,Granite Peak,3.5 g,20.00,,", "R-2,Re Two,Flower,Dried Flower,Granite Peak,7 g,40.00,,",
            "R-3,Re Three,Flower,Dried Flower,Granite Peak,28 g,120.00,,");
        Assert.Equal(3, (await ImportAs(Manager, first)).Value.Inserted);
        var before = await ProductsAsync(DemoWorld.NorthernLights, "R-");

        db.Clock.Advance(TimeSpan.FromHours(1));
        var second = File("r-1,Re One,Flower,Dried Flower,Granite Peak,3.5 g,20.00,,", "R-2,Re Two,Flower,Dried Flower,Granite Peak,7 g,42.50,,",
            "R-3,Re Three,Flower,Dried Flower,Granite Peak,28 g,120.00,,");
        // "r-1" differs only in case: the same product (SkuKey), but the SKU as written changed, so it is an update.
        var preview = (await PreviewAs(Manager, second)).Value;
        Assert.Equal((0, 2, 1, 0), (preview.New, preview.Changed, preview.Unchanged, preview.Invalid));
        Assert.Equal(CatalogRowStatus.Unchanged, preview.FirstRows.Single(r => r.Sku == "R-3").Status);

        var report = (await ImportAs(Manager, second)).Value;
        Assert.Equal((0, 2, 1), (report.Inserted, report.Updated, report.Unchanged));

        var after = await ProductsAsync(DemoWorld.NorthernLights, "R-");
        Assert.Equal(before.Select(p => p.Id), after.Select(p => p.Id));
        Assert.Equal(42.50m, after[1].UnitPrice);
        Assert.Equal(before[1].CreatedAt, after[1].CreatedAt);
        Assert.Equal(db.Clock.GetUtcNow(), after[1].UpdatedAt);
        Assert.Equal(before[2].UpdatedAt, after[2].UpdatedAt);

        var again = (await ImportAs(Manager, second)).Value;
        Assert.Equal((0, 0, 3), (again.Inserted, again.Updated, again.Unchanged));
    }

    [Fact]
    public async Task A_batch_the_database_refuses_writes_nothing_and_stops_the_import_with_earlier_batches_kept()
    {
        // A rule only this test's rows can break: the database refuses the SKU "B-POISON".
        await using (var connection = new NpgsqlConnection(db.ConnectionString))
        {
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand("ALTER TABLE ocs_product_catalog ADD CONSTRAINT ck_test_no_poison CHECK (sku <> 'B-POISON')", connection);
            await cmd.ExecuteNonQueryAsync();
        }
        var progress = new List<CatalogImportProgress>();
        var result = await ImportAs(Manager, File(
            "B-1,Batch One,Flower,Dried Flower,Ironwood,3.5 g,20,,",
            "B-2,Batch Two,Flower,Dried Flower,Ironwood,3.5 g,20,,",
            "B-3,Batch Three,Flower,Dried Flower,Ironwood,3.5 g,20,,",
            "B-POISON,Batch Poison,Flower,Dried Flower,Ironwood,3.5 g,20,,",
            "B-5,Batch Five,Flower,Dried Flower,Ironwood,3.5 g,20,,"), batchSize: 2, progress: new SyncProgress(progress));

        var report = result.Value;
        Assert.False(report.Completed);
        Assert.Equal((2, 1), (report.Inserted, report.BatchesCommitted));
        Assert.Equal((2, 4, 5, 2), (report.Failure!.Batch, report.Failure.FirstLine, report.Failure.LastLine, report.Failure.Rows));
        Assert.Contains("ck_test_no_poison", report.Failure.Message);
        Assert.Contains("lines 4–5", report.Failure.Message);
        Assert.Equal(["B-1", "B-2"], (await ProductsAsync(DemoWorld.NorthernLights, "B-")).Select(p => p.Sku));
        Assert.Equal(2, Assert.Single(progress).RowsWritten);
    }

    [Fact]
    public async Task One_tenants_import_never_touches_another_tenants_catalogue()
    {
        await ImportAs(Manager, File("T-1,Northern Row,Flower,Dried Flower,Northern Bloom,3.5 g,20,,"));
        var maple = (await ImportAs(MapleAdmin, File("T-1,Maple Row,Flower,Dried Flower,Maple Ridge Farms,3.5 g,25,,"))).Value;

        Assert.Equal(1, maple.Inserted); // Northern Lights' T-1 is invisible to Maple Leaf: a new row of its own
        Assert.Equal("Northern Row", Assert.Single(await ProductsAsync(DemoWorld.NorthernLights, "T-")).ProductName);
        Assert.Equal("Maple Row", Assert.Single(await ProductsAsync(DemoWorld.MapleLeaf, "T-")).ProductName);
    }

    [Theory]
    [InlineData(Roles.Budtender)]
    [InlineData(Roles.Driver)]
    [InlineData(Roles.Customer)]
    public async Task Roles_without_store_management_are_refused(string role)
    {
        var user = TestUser.Staff(Guid.NewGuid(), DemoWorld.NorthernLights, role, DemoWorld.QueenWest);
        var result = await ImportAs(user, File("X-1,Refused,Flower,Dried Flower,Ironwood,3.5 g,20,,"));
        Assert.Equal(ErrorKind.Forbidden, result.Error!.Kind);
        Assert.Equal(ErrorKind.Forbidden, (await PreviewAs(user, File())).Error!.Kind);
        Assert.Empty(await ProductsAsync(DemoWorld.NorthernLights, "X-"));
    }

    [Fact]
    public async Task A_file_without_the_variant_number_column_is_refused_as_a_whole()
    {
        var result = await ImportAs(Manager, "Product Name,Category\nSomething,Flower");
        Assert.Contains("OCS Variant Number", result.Error!.Message);
    }

    [Fact]
    public async Task The_demo_catalogue_is_loaded_for_each_tenant()
    {
        await using var ctx = db.Context();
        var counts = await ctx.Products.GroupBy(p => p.TenantId).Select(g => new { g.Key, Count = g.Count(p => p.SkuKey.StartsWith("1")) }).ToListAsync();
        // (Maple Leaf may hold more: another test here imports 20,000 generated rows for it.)
        Assert.Equal(DemoCatalogGenerator.DemoRows, counts.Single(c => c.Key == DemoWorld.NorthernLights).Count);
        Assert.True(counts.Single(c => c.Key == DemoWorld.MapleLeaf).Count >= DemoCatalogGenerator.DemoRows);
        Assert.True(await ctx.Inventory.AnyAsync(), "the demo stores carry stock from the catalogue");
    }

    [Fact]
    public async Task Twenty_thousand_rows_import_in_batches_and_reimport_as_unchanged()
    {
        var csv = new MemoryStream();
        DemoCatalogGenerator.WriteCsv(csv, 20_000);
        var text = System.Text.Encoding.UTF8.GetString(csv.ToArray());
        // Maple Leaf already holds the first 1,500 demo rows; the rest are new.
        var report = (await ImportAs(MapleAdmin, text)).Value;
        output.WriteLine($"20,000 rows: {report.Duration.TotalSeconds:0.00} s, {report.RowsPerSecond:0} rows/s, {report.BatchesCommitted} batches");
        Assert.True(report.Completed, report.Failure?.Message);
        Assert.Equal((18_500, 0, 1_500, 0), (report.Inserted, report.Updated, report.Unchanged, report.Invalid));
        Assert.Equal(19, report.BatchesCommitted);

        var again = (await ImportAs(MapleAdmin, text)).Value;
        output.WriteLine($"re-import: {again.Duration.TotalSeconds:0.00} s");
        Assert.Equal(20_000, again.Unchanged);
    }

    private sealed class SyncProgress(List<CatalogImportProgress> into) : IProgress<CatalogImportProgress>
    {
        public void Report(CatalogImportProgress value) => into.Add(value);
    }
}
