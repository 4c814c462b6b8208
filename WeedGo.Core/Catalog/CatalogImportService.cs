using System.Diagnostics;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using NpgsqlTypes;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Data;

namespace WeedGo.Core.Catalog;

public enum CatalogRowStatus
{
    New,
    Changed,
    Unchanged,
}

/// <summary>A row that was not (or will not be) imported, and why.</summary>
public sealed record CatalogInvalidRow(int Line, string? Sku, string Reason);

/// <summary>A valid row as the preview table shows it.</summary>
public sealed record CatalogPreviewRow(
    int Line, string Sku, string ProductName, string? Brand, string Category, string? Size, decimal Equivalency, bool EquivalencyDerived,
    string? Gtin, decimal? UnitPrice, CatalogRowStatus Status);

/// <summary>What an import of the file would do, without writing anything.</summary>
public sealed record CatalogImportPreview(
    string FileName, int Rows, int New, int Changed, int Unchanged, int Invalid,
    IReadOnlyList<CatalogPreviewRow> FirstRows, IReadOnlyList<CatalogInvalidRow> InvalidRows);

/// <summary>Progress of a running import: data rows read so far and rows written in committed batches.</summary>
public sealed record CatalogImportProgress(int RowsRead, int RowsWritten, int BatchesCommitted);

/// <summary>A batch that failed: nothing of it was written, and the import stopped there.</summary>
public sealed record CatalogBatchFailure(int Batch, int FirstLine, int LastLine, int Rows, string Reason)
{
    public string Message =>
        $"Batch {Batch} (lines {FirstLine}–{LastLine}, {Rows} rows) could not be saved, so none of its rows were imported: {Reason} " +
        $"The import stopped there: rows from line {FirstLine} on were not imported; the batches before it are saved.";
}

/// <summary>What an import did.</summary>
public sealed record CatalogImportReport(
    string FileName, int Inserted, int Updated, int Unchanged, int Invalid, IReadOnlyList<CatalogInvalidRow> InvalidRows,
    int BatchesCommitted, TimeSpan Duration, CatalogBatchFailure? Failure)
{
    public bool Completed => Failure is null;
    public double RowsPerSecond => Duration.TotalSeconds > 0 ? (Inserted + Updated + Unchanged) / Duration.TotalSeconds : 0;
}

/// <summary>
/// Imports the OCS catalogue file into the current tenant's <c>ocs_product_catalog</c>: valid rows are inserted or updated in place
/// (keyed by upper-cased SKU, same id), unchanged rows (same content hash) are skipped, invalid rows are reported with their line.
/// Each batch is one transaction written with binary COPY into a staging table and one INSERT … ON CONFLICT; a batch that fails
/// writes nothing and stops the import, with the earlier batches kept. Store managers and tenant admins only.
/// </summary>
public sealed class CatalogImportService(IDbContextFactory<WeedGoDbContext> contexts, ICurrentUser user, ITenantContext tenant, TimeProvider clock)
{
    /// <summary>Largest file the staff page accepts.</summary>
    public const long MaxFileBytes = 50L * 1024 * 1024;

    public const int DefaultBatchSize = 1000;

    /// <summary>Rows per transaction; tests make it small.</summary>
    public int BatchSize { get; set; } = DefaultBatchSize;

    public async Task<Result<CatalogImportPreview>> PreviewAsync(Stream file, string fileName, CancellationToken ct = default)
    {
        if (Refusal() is { } refused)
        {
            return refused;
        }
        var opened = await OpenAsync(file, fileName, ct);
        if (!opened.Succeeded)
        {
            return opened.Error!;
        }
        using var reader = opened.Value;
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await new CatalogImportEngine(clock, BatchSize).PreviewAsync(db, tenant.TenantId!.Value, reader, fileName, ct);
    }

    public async Task<Result<CatalogImportReport>> ImportAsync(
        Stream file, string fileName, IProgress<CatalogImportProgress>? progress = null, CancellationToken ct = default)
    {
        if (Refusal() is { } refused)
        {
            return refused;
        }
        var opened = await OpenAsync(file, fileName, ct);
        if (!opened.Succeeded)
        {
            return opened.Error!;
        }
        using var reader = opened.Value;
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await new CatalogImportEngine(clock, BatchSize).ImportAsync(db, tenant.TenantId!.Value, reader, fileName, progress, ct);
    }

    /// <summary>
    /// System use only (demo data, bench set-up): imports for <paramref name="tenantId"/> without a signed-in user.
    /// Not reachable from components or endpoints, which go through <see cref="ImportAsync"/> and its authorization.
    /// </summary>
    internal static async Task<Result<CatalogImportReport>> ImportForTenantAsync(
        PooledDbContextFactory<WeedGoDbContext> pool, TimeProvider clock, Guid tenantId, Stream file, string fileName,
        int batchSize = DefaultBatchSize, CancellationToken ct = default)
    {
        var opened = await OpenAsync(file, fileName, ct);
        if (!opened.Succeeded)
        {
            return opened.Error!;
        }
        using var reader = opened.Value;
        await using var db = await pool.CreateDbContextAsync(ct);
        db.UseTenant(FixedTenantContext.For(tenantId));
        return await new CatalogImportEngine(clock, batchSize).ImportAsync(db, tenantId, reader, fileName, null, ct);
    }

    private Error? Refusal() =>
        user.Demand(Policies.StoreManagement)
        ?? (tenant.TenantId is null ? Error.Validation("Choose a tenant first: the catalogue belongs to one retail company.") : null);

    private static async Task<Result<OcsCatalogReader>> OpenAsync(Stream file, string fileName, CancellationToken ct)
    {
        // Excel workbooks are zip files and need a seekable stream (browser uploads are not).
        if (!file.CanSeek && !fileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            var copy = new MemoryStream();
            await file.CopyToAsync(copy, ct);
            copy.Position = 0;
            file = copy;
        }
        return OcsCatalogReader.Open(file, fileName);
    }
}

/// <summary>The import itself, for one tenant on one context (whose tenant scope the caller has set).</summary>
internal sealed class CatalogImportEngine(TimeProvider clock, int batchSize)
{
    private const int PreviewRows = 20;
    private const int MaxListedInvalid = 1000;
    private const int AnalyzeAfterRows = 5000;

    public async Task<Result<CatalogImportPreview>> PreviewAsync(
        WeedGoDbContext db, Guid tenantId, OcsCatalogReader reader, string fileName, CancellationToken ct)
    {
        var existing = await ExistingAsync(db, tenantId, ct);
        int rows = 0, created = 0, changed = 0, unchanged = 0, invalid = 0;
        var first = new List<CatalogPreviewRow>();
        var invalidRows = new List<CatalogInvalidRow>();
        try
        {
            foreach (var row in reader.Rows())
            {
                ct.ThrowIfCancellationRequested();
                rows++;
                if (!row.IsValid)
                {
                    invalid++;
                    if (invalidRows.Count < MaxListedInvalid)
                    {
                        invalidRows.Add(new CatalogInvalidRow(row.Line, row.Sku, row.Reason));
                    }
                    continue;
                }
                var p = row.Product!;
                var status = !existing.TryGetValue(p.SkuKey, out var known) ? CatalogRowStatus.New
                    : known.Hash == p.ContentHash ? CatalogRowStatus.Unchanged : CatalogRowStatus.Changed;
                _ = status switch
                {
                    CatalogRowStatus.New => created++,
                    CatalogRowStatus.Changed => changed++,
                    _ => unchanged++,
                };
                if (first.Count < PreviewRows)
                {
                    first.Add(new CatalogPreviewRow(row.Line, p.Sku, p.ProductName, p.Brand, p.Category, p.Size, p.DriedFlowerEquivalency,
                        p.EquivalencyDerived, p.Gtin, p.UnitPrice, status));
                }
            }
        }
        catch (Exception e) when (e is CsvHelper.CsvFormatException or FormatException or InvalidDataException)
        {
            return Error.Validation($"{fileName} could not be read past row {rows + 1}: {e.Message}");
        }
        return new CatalogImportPreview(fileName, rows, created, changed, unchanged, invalid, first, invalidRows);
    }

    public async Task<Result<CatalogImportReport>> ImportAsync(
        WeedGoDbContext db, Guid tenantId, OcsCatalogReader reader, string fileName, IProgress<CatalogImportProgress>? progress,
        CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var existing = await ExistingAsync(db, tenantId, ct);
        await db.Database.OpenConnectionAsync(ct);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var columns = CatalogColumns.For(db.Model);

        int read = 0, inserted = 0, updated = 0, unchanged = 0, invalid = 0, batches = 0;
        var invalidRows = new List<CatalogInvalidRow>();
        var batch = new List<(int Line, CatalogProduct Product, bool IsNew)>(batchSize);
        CatalogBatchFailure? failure = null;

        async Task<bool> FlushAsync()
        {
            if (batch.Count == 0)
            {
                return true;
            }
            var error = await WriteBatchAsync(connection, columns, batch.Select(b => b.Product).ToList(), ct);
            if (error is not null)
            {
                failure = new CatalogBatchFailure(batches + 1, batch[0].Line, batch[^1].Line, batch.Count, error);
                return false;
            }
            batches++;
            var added = batch.Count(b => b.IsNew);
            inserted += added;
            updated += batch.Count - added;
            foreach (var (_, p, _) in batch)
            {
                existing[p.SkuKey] = (p.Id, p.ContentHash);
            }
            batch.Clear();
            progress?.Report(new CatalogImportProgress(read, inserted + updated, batches));
            return true;
        }

        try
        {
            var now = clock.GetUtcNow();
            foreach (var row in reader.Rows())
            {
                ct.ThrowIfCancellationRequested();
                read++;
                if (!row.IsValid)
                {
                    invalid++;
                    if (invalidRows.Count < MaxListedInvalid)
                    {
                        invalidRows.Add(new CatalogInvalidRow(row.Line, row.Sku, row.Reason));
                    }
                    continue;
                }
                var p = row.Product!;
                var isNew = !existing.TryGetValue(p.SkuKey, out var known);
                if (!isNew && known.Hash == p.ContentHash)
                {
                    unchanged++;
                    continue;
                }
                p.Id = isNew ? p.Id : known.Id;
                p.TenantId = tenantId;
                p.CreatedAt = now;
                p.UpdatedAt = now;
                batch.Add((row.Line, p, isNew));
                if (batch.Count >= batchSize && !await FlushAsync())
                {
                    break;
                }
            }
            if (failure is null)
            {
                await FlushAsync();
            }
        }
        catch (Exception e) when (e is CsvHelper.CsvFormatException or FormatException or InvalidDataException)
        {
            failure = new CatalogBatchFailure(batches + 1, batch.Count > 0 ? batch[0].Line : read + 1, read + 1, batch.Count,
                $"the file could not be read past row {read + 1} ({e.Message}).");
        }
        finally
        {
            // The words typo correction looks up ("did you mean") follow the catalogue.
            if (inserted + updated > 0)
            {
                await using var tx = await connection.BeginTransactionAsync(CancellationToken.None);
                foreach (var sql in new[] { CatalogSearchTermConfiguration.ClearSql, CatalogSearchTermConfiguration.FillSql })
                {
                    await using var terms = new NpgsqlCommand(sql, connection, tx);
                    terms.Parameters.AddWithValue(tenantId);
                    await terms.ExecuteNonQueryAsync(CancellationToken.None);
                }
                await tx.CommitAsync(CancellationToken.None);
            }
            // After a large load: fresh statistics keep lookups and searches on their indexes, and the vacuum sets the visibility
            // map and hint bits now instead of on the first searches.
            if (inserted + updated >= AnalyzeAfterRows)
            {
                await using var analyze = new NpgsqlCommand("VACUUM (ANALYZE) ocs_product_catalog", connection);
                await analyze.ExecuteNonQueryAsync(CancellationToken.None);
            }
            await db.Database.CloseConnectionAsync();
        }
        return new CatalogImportReport(fileName, inserted, updated, unchanged, invalid, invalidRows, batches, watch.Elapsed, failure);
    }

    private static async Task<Dictionary<string, (Guid Id, string Hash)>> ExistingAsync(WeedGoDbContext db, Guid tenantId, CancellationToken ct) =>
        await db.Products.AsNoTracking().Where(p => p.TenantId == tenantId)
            .Select(p => new { p.SkuKey, p.Id, p.ContentHash })
            .ToDictionaryAsync(p => p.SkuKey, p => (p.Id, p.ContentHash), StringComparer.Ordinal, ct);

    /// <summary>One transaction: COPY the rows into a temporary table, then insert or update them in place. Null on success.</summary>
    private static async Task<string?> WriteBatchAsync(
        NpgsqlConnection connection, CatalogColumns columns, List<CatalogProduct> rows, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        try
        {
            await using (var create = new NpgsqlCommand(columns.CreateStageSql, connection, tx))
            {
                await create.ExecuteNonQueryAsync(ct);
            }
            await using (var copy = await connection.BeginBinaryImportAsync(columns.CopySql, ct))
            {
                foreach (var row in rows)
                {
                    await copy.StartRowAsync(ct);
                    foreach (var column in columns.All)
                    {
                        var value = column.Get(row);
                        if (value is null)
                        {
                            await copy.WriteNullAsync(ct);
                        }
                        else
                        {
                            await copy.WriteAsync(value, column.Type, ct);
                        }
                    }
                }
                await copy.CompleteAsync(ct);
            }
            await using (var merge = new NpgsqlCommand(columns.MergeSql, connection, tx))
            {
                await merge.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
            return null;
        }
        catch (PostgresException e)
        {
            await tx.RollbackAsync(CancellationToken.None);
            return Describe(e);
        }
    }

    private static string Describe(PostgresException e) => e.SqlState switch
    {
        PostgresErrorCodes.CheckViolation => $"a row breaks the rule \"{e.ConstraintName}\" ({e.MessageText}).",
        PostgresErrorCodes.UniqueViolation => $"a row repeats a value that must be unique ({e.ConstraintName}).",
        PostgresErrorCodes.StringDataRightTruncation => $"a value is too long for its column ({e.MessageText}).",
        PostgresErrorCodes.NotNullViolation => $"a required value is missing ({e.ColumnName}).",
        _ => $"the database refused it ({e.MessageText}).",
    };
}

/// <summary>The columns of <c>ocs_product_catalog</c> the import writes, read from the EF model (so a new property is imported too).</summary>
internal sealed class CatalogColumns
{
    private static CatalogColumns? _cached;

    public required IReadOnlyList<Column> All { get; init; }
    public required string CreateStageSql { get; init; }
    public required string CopySql { get; init; }
    public required string MergeSql { get; init; }

    public sealed record Column(string Name, NpgsqlDbType Type, Func<CatalogProduct, object?> Get);

    public static CatalogColumns For(IModel model) => _cached ??= Build(model);

    private static CatalogColumns Build(IModel model)
    {
        var entity = model.FindEntityType(typeof(CatalogProduct))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = entity.GetProperties()
            .Where(p => p.Name != nameof(CatalogProduct.SearchVector) && p.PropertyInfo is not null)
            .Select(p => new Column(p.GetColumnName(table)!, DbType(p.ClrType), Getter(p.PropertyInfo!)))
            .ToList();
        var names = string.Join(", ", columns.Select(c => c.Name));
        string[] keep = ["id", "tenant_id", "sku_key", "created_at"];
        var updates = string.Join(", ", columns.Where(c => !keep.Contains(c.Name)).Select(c => $"{c.Name} = EXCLUDED.{c.Name}"));
        return new CatalogColumns
        {
            All = columns,
            CreateStageSql = $"CREATE TEMP TABLE catalog_import_stage ON COMMIT DROP AS SELECT {names} FROM ocs_product_catalog WITH NO DATA",
            CopySql = $"COPY catalog_import_stage ({names}) FROM STDIN (FORMAT BINARY)",
            MergeSql = $"INSERT INTO ocs_product_catalog ({names}) SELECT {names} FROM catalog_import_stage " +
                       $"ON CONFLICT (tenant_id, sku_key) DO UPDATE SET {updates}",
        };
    }

    private static NpgsqlDbType DbType(Type clr) => (Nullable.GetUnderlyingType(clr) ?? clr) switch
    {
        var t when t == typeof(string) => NpgsqlDbType.Text,
        var t when t == typeof(decimal) => NpgsqlDbType.Numeric,
        var t when t == typeof(int) => NpgsqlDbType.Integer,
        var t when t == typeof(bool) => NpgsqlDbType.Boolean,
        var t when t == typeof(Guid) => NpgsqlDbType.Uuid,
        var t when t == typeof(DateTimeOffset) => NpgsqlDbType.TimestampTz,
        var t => throw new NotSupportedException($"The catalogue import cannot write a {t.Name} column yet."),
    };

    private static Func<CatalogProduct, object?> Getter(System.Reflection.PropertyInfo property)
    {
        var p = Expression.Parameter(typeof(CatalogProduct));
        return Expression.Lambda<Func<CatalogProduct, object?>>(Expression.Convert(Expression.Property(p, property), typeof(object)), p).Compile();
    }
}
