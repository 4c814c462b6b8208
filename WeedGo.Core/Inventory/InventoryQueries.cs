using Microsoft.EntityFrameworkCore;
using WeedGo.Core.Accounts;
using WeedGo.Core.Catalog;
using WeedGo.Core.Common;
using WeedGo.Core.Data;

namespace WeedGo.Core.Inventory;

public sealed record InventoryStore(Guid Id, string Name);

/// <summary>The stores a staff member may work in, and the one a page opens on (the one asked for if allowed, else the first).</summary>
public sealed record StoreChoice(IReadOnlyList<InventoryStore> Stores, Guid Chosen);

public enum InventorySort { Name, Brand, Category, Sku, OnHand, Reserved, Available, ReorderPoint, Price }

/// <summary>One page of the inventory grid. Without <see cref="IncludeUnstocked"/> only products the store has carried (that
/// have an inventory row) are listed; with it, the whole catalogue with zeros where the store holds nothing.</summary>
public sealed record InventoryGridQuery(
    Guid StoreId, string? Search = null, string? Category = null, string? Brand = null, bool LowStock = false, bool OutOfStock = false,
    bool IncludeUnstocked = false, InventorySort SortBy = InventorySort.Name, bool Descending = false, int Page = 0, int PageSize = 25);

public sealed record InventoryRow(
    Guid ProductId, string ProductName, string? Brand, string Category, string Sku, string? Gtin, int OnHand, int Reserved, int Available,
    int ReorderPoint, decimal? Price, bool PriceOverridden, decimal? UnitCost)
{
    public bool IsLow => Available <= ReorderPoint;
}

public sealed record InventoryGridPage(int Total, IReadOnlyList<InventoryRow> Rows);

public sealed record InventoryFilters(IReadOnlyList<string> Categories, IReadOnlyList<string> Brands);

public sealed record BatchRow(
    Guid Id, string BatchLot, DateTime? PackagedOn, DateTimeOffset ReceivedAt, int Received, int Remaining, decimal? UnitCost,
    string? EachGtin, string? CaseGtin);

public sealed record MovementRow(
    Guid Id, DateTimeOffset OccurredAt, MovementKind Kind, AdjustmentReason? Reason, int OnHandDelta, int ReservedDelta, string? BatchLot,
    string? By, string? Reference, string? Note);

public sealed record ProductStock(
    Guid StoreId, string StoreName, Guid ProductId, string ProductName, string? Brand, string Category, string Sku, string? Gtin,
    int OnHand, int Reserved, int Available, int ReorderPoint, decimal? CataloguePrice, decimal? PriceOverride, decimal? UnitCost,
    IReadOnlyList<BatchRow> Batches, IReadOnlyList<MovementRow> History, int HistoryTotal)
{
    public decimal? Price => PriceOverride ?? CataloguePrice;
}

public sealed record LowStockRow(Guid StoreId, string StoreName, Guid ProductId, string ProductName, string Sku, int Available, int ReorderPoint);

/// <summary>Sums of the ledger for one product at one store: what the figures must equal.</summary>
public sealed record LedgerTotals(int OnHand, int Reserved, int Movements);

/// <summary>Stock reads for staff at stores they work at (tenant admins: every store of the tenant).</summary>
public sealed class InventoryQueries(IDbContextFactory<WeedGoDbContext> contexts, ICurrentUser user)
{
    /// <summary>Stores whose stock the signed-in person may see.</summary>
    public async Task<Result<StoreChoice>> ChooseStoreAsync(Guid? requested, CancellationToken ct = default)
    {
        var stores = await StoresAsync(ct);
        if (!stores.Succeeded)
        {
            return stores.Error!;
        }
        var list = stores.Value;
        return new StoreChoice(list, list.FirstOrDefault(s => s.Id == requested)?.Id ?? list.FirstOrDefault()?.Id ?? Guid.Empty);
    }

    public async Task<Result<IReadOnlyList<InventoryStore>>> StoresAsync(CancellationToken ct = default)
    {
        if (user.Demand(Policies.StoreOperations) is { } denied)
        {
            return denied;
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var stores = db.Stores.AsNoTracking().Where(s => s.IsActive);
        if (!user.SeesAllStores())
        {
            var mine = user.StoreIds.ToList();
            stores = stores.Where(s => mine.Contains(s.Id));
        }
        return await stores.OrderBy(s => s.Name).Select(s => new InventoryStore(s.Id, s.Name)).ToListAsync(ct);
    }

    /// <summary>Categories and brands of the tenant's catalogue, for the grid's filters.</summary>
    public async Task<Result<InventoryFilters>> FiltersAsync(CancellationToken ct = default)
    {
        if (user.Demand(Policies.StoreOperations) is { } denied)
        {
            return denied;
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var categories = await db.Products.AsNoTracking().Select(p => p.Category).Distinct().OrderBy(c => c).ToListAsync(ct);
        var brands = await db.Products.AsNoTracking().Where(p => p.Brand != null).Select(p => p.Brand!).Distinct().OrderBy(b => b).ToListAsync(ct);
        return new InventoryFilters(categories, brands);
    }

    /// <summary>A page of the inventory grid, filtered and sorted in the database.</summary>
    public async Task<Result<InventoryGridPage>> PageAsync(InventoryGridQuery query, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await InventoryAccess.CheckAsync(db, user, Policies.StoreOperations, query.StoreId, ct) is { } denied)
        {
            return denied;
        }
        var storeId = query.StoreId;
        var items = db.Inventory.AsNoTracking().Where(i => i.StoreId == storeId);
        IQueryable<Flat> rows = query.IncludeUnstocked
            ? from p in db.Products.AsNoTracking()
              join i in items on p.Id equals i.ProductId into stocked
              from i in stocked.DefaultIfEmpty()
              select new Flat
              {
                  ProductId = p.Id, ProductName = p.ProductName, Brand = p.Brand, Category = p.Category, Sku = p.Sku, SkuKey = p.SkuKey,
                  Gtin = p.Gtin, OnHand = i == null ? 0 : i.OnHand, Reserved = i == null ? 0 : i.Reserved, Available = i == null ? 0 : i.Available,
                  ReorderPoint = i == null ? 0 : i.ReorderPoint, PriceOverride = i == null ? null : i.RetailPriceOverride,
                  CataloguePrice = p.UnitPrice, UnitCost = i == null ? null : i.UnitCost,
              }
            : from i in items
              join p in db.Products.AsNoTracking() on i.ProductId equals p.Id
              select new Flat
              {
                  ProductId = p.Id, ProductName = p.ProductName, Brand = p.Brand, Category = p.Category, Sku = p.Sku, SkuKey = p.SkuKey,
                  Gtin = p.Gtin, OnHand = i.OnHand, Reserved = i.Reserved, Available = i.Available, ReorderPoint = i.ReorderPoint,
                  PriceOverride = i.RetailPriceOverride, CataloguePrice = p.UnitPrice, UnitCost = i.UnitCost,
              };

        if (!string.IsNullOrWhiteSpace(query.Category))
        {
            rows = rows.Where(r => r.Category == query.Category);
        }
        if (!string.IsNullOrWhiteSpace(query.Brand))
        {
            rows = rows.Where(r => r.Brand == query.Brand);
        }
        if (query.LowStock)
        {
            rows = rows.Where(r => r.Available <= r.ReorderPoint);
        }
        if (query.OutOfStock)
        {
            rows = rows.Where(r => r.Available == 0);
        }
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var term = query.Search.Trim();
            if (Gs1.TryParse(term, out var scan, out _))
            {
                var gtin = scan.Gtin14;
                rows = rows.Where(r => r.Gtin == gtin
                    || db.Batches.Any(b => b.StoreId == storeId && b.ProductId == r.ProductId && (b.EachGtin == gtin || b.CaseGtin == gtin)));
            }
            else
            {
                var key = term.ToUpperInvariant();
                var like = "%" + term.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_") + "%";
                rows = rows.Where(r => r.SkuKey == key || r.SkuKey.StartsWith(key)
                    || EF.Functions.ILike(r.ProductName, like, @"\") || EF.Functions.ILike(r.Brand ?? "", like, @"\"));
            }
        }

        var total = await rows.CountAsync(ct);
        var sorted = (query.SortBy, query.Descending) switch
        {
            (InventorySort.Brand, false) => rows.OrderBy(r => r.Brand).ThenBy(r => r.ProductName),
            (InventorySort.Brand, true) => rows.OrderByDescending(r => r.Brand).ThenBy(r => r.ProductName),
            (InventorySort.Category, false) => rows.OrderBy(r => r.Category).ThenBy(r => r.ProductName),
            (InventorySort.Category, true) => rows.OrderByDescending(r => r.Category).ThenBy(r => r.ProductName),
            (InventorySort.Sku, false) => rows.OrderBy(r => r.SkuKey),
            (InventorySort.Sku, true) => rows.OrderByDescending(r => r.SkuKey),
            (InventorySort.OnHand, false) => rows.OrderBy(r => r.OnHand).ThenBy(r => r.ProductName),
            (InventorySort.OnHand, true) => rows.OrderByDescending(r => r.OnHand).ThenBy(r => r.ProductName),
            (InventorySort.Reserved, false) => rows.OrderBy(r => r.Reserved).ThenBy(r => r.ProductName),
            (InventorySort.Reserved, true) => rows.OrderByDescending(r => r.Reserved).ThenBy(r => r.ProductName),
            (InventorySort.Available, false) => rows.OrderBy(r => r.Available).ThenBy(r => r.ProductName),
            (InventorySort.Available, true) => rows.OrderByDescending(r => r.Available).ThenBy(r => r.ProductName),
            (InventorySort.ReorderPoint, false) => rows.OrderBy(r => r.ReorderPoint).ThenBy(r => r.ProductName),
            (InventorySort.ReorderPoint, true) => rows.OrderByDescending(r => r.ReorderPoint).ThenBy(r => r.ProductName),
            (InventorySort.Price, false) => rows.OrderBy(r => r.PriceOverride ?? r.CataloguePrice).ThenBy(r => r.ProductName),
            (InventorySort.Price, true) => rows.OrderByDescending(r => r.PriceOverride ?? r.CataloguePrice).ThenBy(r => r.ProductName),
            (_, false) => rows.OrderBy(r => r.ProductName),
            (_, true) => rows.OrderByDescending(r => r.ProductName),
        };
        var size = Math.Clamp(query.PageSize, 1, 200);
        var page = await sorted.ThenBy(r => r.ProductId)
            .Skip(Math.Max(0, query.Page) * size).Take(size)
            .Select(r => new InventoryRow(r.ProductId, r.ProductName, r.Brand, r.Category, r.Sku, r.Gtin, r.OnHand, r.Reserved, r.Available,
                r.ReorderPoint, r.PriceOverride ?? r.CataloguePrice, r.PriceOverride != null, r.UnitCost))
            .ToListAsync(ct);
        return new InventoryGridPage(total, page);
    }

    /// <summary>One product at one store: figures, batches (oldest packaged first) and a page of ledger history (latest first).</summary>
    public async Task<Result<ProductStock>> ProductStockAsync(Guid storeId, Guid productId, int historyPage = 0, int historyPageSize = 20,
        CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await InventoryAccess.CheckAsync(db, user, Policies.StoreOperations, storeId, ct) is { } denied)
        {
            return denied;
        }
        var product = await db.Products.AsNoTracking().Where(p => p.Id == productId)
            .Select(p => new { p.ProductName, p.Brand, p.Category, p.Sku, p.Gtin, p.UnitPrice })
            .FirstOrDefaultAsync(ct);
        if (product is null)
        {
            return Error.NotFound("That product");
        }
        var store = await db.Stores.AsNoTracking().Where(s => s.Id == storeId).Select(s => new { s.Name, s.TimeZoneId }).FirstAsync(ct);
        var storeName = store.Name;
        var item = await db.Inventory.AsNoTracking().Where(i => i.StoreId == storeId && i.ProductId == productId)
            .Select(i => new { i.OnHand, i.Reserved, i.Available, i.ReorderPoint, i.RetailPriceOverride, i.UnitCost })
            .FirstOrDefaultAsync(ct);
        var batches = await db.Batches.AsNoTracking().Where(b => b.StoreId == storeId && b.ProductId == productId)
            .OrderBy(b => b.PackagedOn == null).ThenBy(b => b.PackagedOn).ThenBy(b => b.ReceivedAt)
            .Select(b => new BatchRow(b.Id, b.BatchLot, b.PackagedOn, b.ReceivedAt, b.ReceivedQuantity, b.RemainingQuantity, b.UnitCost, b.EachGtin, b.CaseGtin))
            .ToListAsync(ct);
        var ledger = db.StockLedger.AsNoTracking().Where(m => m.StoreId == storeId && m.ProductId == productId);
        var historyTotal = await ledger.CountAsync(ct);
        var size = Math.Clamp(historyPageSize, 1, 200);
        var history = await ledger.OrderByDescending(m => m.OccurredAt).ThenByDescending(m => m.Id)
            .Skip(Math.Max(0, historyPage) * size).Take(size)
            .Select(m => new MovementRow(m.Id, m.OccurredAt, m.Kind, m.Reason, m.OnHandDelta, m.ReservedDelta,
                db.Batches.Where(b => b.Id == m.BatchId).Select(b => b.BatchLot).FirstOrDefault(),
                db.Users.Where(u => u.Id == m.UserId).Select(u => u.DisplayName).FirstOrDefault(),
                m.Reference, m.Note))
            .ToListAsync(ct);
        // Times are shown as the store's clock reads them.
        batches = batches.Select(b => b with { ReceivedAt = Tenancy.StoreHours.AtStore(store.TimeZoneId, b.ReceivedAt) }).ToList();
        history = history.Select(m => m with { OccurredAt = Tenancy.StoreHours.AtStore(store.TimeZoneId, m.OccurredAt) }).ToList();
        return new ProductStock(storeId, storeName, productId, product.ProductName, product.Brand, product.Category, product.Sku, product.Gtin,
            item?.OnHand ?? 0, item?.Reserved ?? 0, item?.Available ?? 0, item?.ReorderPoint ?? 0, product.UnitPrice, item?.RetailPriceOverride,
            item?.UnitCost, batches, history, historyTotal);
    }

    /// <summary>Products at or below their reorder point (available ≤ reorder point), lowest first, at one store or at every
    /// store the person may see.</summary>
    public async Task<Result<IReadOnlyList<LowStockRow>>> LowStockAsync(Guid? storeId = null, int take = 10, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (user.Demand(Policies.StoreOperations) is { } denied)
        {
            return denied;
        }
        var items = db.Inventory.AsNoTracking().Where(i => i.Available <= i.ReorderPoint);
        if (storeId is { } one)
        {
            if (await InventoryAccess.CheckAsync(db, user, Policies.StoreOperations, one, ct) is { } refused)
            {
                return refused;
            }
            items = items.Where(i => i.StoreId == one);
        }
        else if (!user.SeesAllStores())
        {
            var mine = user.StoreIds.ToList();
            items = items.Where(i => mine.Contains(i.StoreId));
        }
        return await items
            .Join(db.Stores, i => i.StoreId, s => s.Id, (i, s) => new { i, StoreName = s.Name })
            .OrderBy(x => x.i.Available).ThenBy(x => x.i.Product!.ProductName)
            .Take(Math.Clamp(take, 1, 100))
            .Select(x => new LowStockRow(x.i.StoreId, x.StoreName, x.i.ProductId, x.i.Product!.ProductName, x.i.Product.Sku, x.i.Available, x.i.ReorderPoint))
            .ToListAsync(ct);
    }

    /// <summary>On hand and reserved recomputed from the ledger alone (sum of deltas), to prove the figures match it.</summary>
    public async Task<Result<LedgerTotals>> RecomputeFromLedgerAsync(Guid storeId, Guid productId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await InventoryAccess.CheckAsync(db, user, Policies.StoreOperations, storeId, ct) is { } denied)
        {
            return denied;
        }
        var sums = await db.StockLedger.AsNoTracking().Where(m => m.StoreId == storeId && m.ProductId == productId)
            .GroupBy(m => 1)
            .Select(g => new LedgerTotals(g.Sum(m => m.OnHandDelta), g.Sum(m => m.ReservedDelta), g.Count()))
            .FirstOrDefaultAsync(ct);
        return sums ?? new LedgerTotals(0, 0, 0);
    }

    private sealed class Flat
    {
        public Guid ProductId { get; init; }
        public string ProductName { get; init; } = "";
        public string? Brand { get; init; }
        public string Category { get; init; } = "";
        public string Sku { get; init; } = "";
        public string SkuKey { get; init; } = "";
        public string? Gtin { get; init; }
        public int OnHand { get; init; }
        public int Reserved { get; init; }
        public int Available { get; init; }
        public int ReorderPoint { get; init; }
        public decimal? PriceOverride { get; init; }
        public decimal? CataloguePrice { get; init; }
        public decimal? UnitCost { get; init; }
    }
}
