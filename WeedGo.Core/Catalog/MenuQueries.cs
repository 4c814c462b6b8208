using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using WeedGo.Core.Common;
using WeedGo.Core.Compliance;
using WeedGo.Core.Data;
using WeedGo.Core.Inventory;

namespace WeedGo.Core.Catalog;

public enum MenuSort
{
    Popular,
    PriceLow,
    PriceHigh,
    Potency,
    Newest,
    Name,
}

/// <summary>What a shopper asks of one store's menu. Ranges are inclusive; THC/CBD compare the label's own unit (% for flower,
/// mg/g for extracts, mg per unit or per mL for edibles, capsules and oils), so they are most useful within a category.</summary>
public sealed record MenuFilter(
    string? Text = null, string? Category = null, IReadOnlyList<string>? StrainTypes = null, IReadOnlyList<string>? Brands = null,
    string? Terpene = null, string? Size = null, decimal? ThcMin = null, decimal? ThcMax = null, decimal? CbdMin = null, decimal? CbdMax = null,
    decimal? PriceMin = null, decimal? PriceMax = null, bool InStockOnly = true, MenuSort Sort = MenuSort.Popular, int Page = 0, int PageSize = 24);

/// <summary>A product card: what it is, potency as its label gives it, the store's price and what it has available now.</summary>
public sealed record MenuItem(
    Guid Id, string Sku, string ProductName, string? Brand, string Category, string? SubCategory, string? Size, string? Thc, string? Cbd,
    string? StrainType, string? Terpenes, string? ImageUrl, decimal Price, int Available, decimal GramsPerUnit, bool IsCannabis);

/// <summary>A page of the menu. <paramref name="Corrected"/> is set when the words matched nothing as typed and a typo-tolerant
/// match was used instead. <paramref name="Refused"/>: a rate limit refused the search (the sentence to show; no items).</summary>
public sealed record MenuPage(int Total, IReadOnlyList<MenuItem> Items, int Page, int PageSize, bool Corrected = false, string? Refused = null)
{
    public int PageCount => Total == 0 ? 0 : (Total + PageSize - 1) / PageSize;
}

public sealed record MenuCount(string Value, int Count);

/// <summary>The values a store's menu can be filtered by, with how many listed products carry each.</summary>
public sealed record MenuFacets(
    IReadOnlyList<MenuCount> Categories, IReadOnlyList<MenuCount> Brands, IReadOnlyList<MenuCount> StrainTypes,
    IReadOnlyList<MenuCount> Terpenes, IReadOnlyList<MenuCount> Sizes, decimal MaxPrice);

/// <summary>One product at one store: everything the catalogue knows, the store's price and stock, and related products.</summary>
public sealed record MenuProduct(CatalogProductDetail Product, decimal? Price, int Available, IReadOnlyList<MenuItem> Related);

/// <summary>
/// The storefront's reads of one store's menu: products the store lists (an inventory row exists) with a price, filtered,
/// sorted and paged on the server. Open to anonymous visitors: the tenant filter scopes every read to the tenant the request
/// resolved to. Search matches an exact SKU or GTIN, word prefixes (full text), and when that finds nothing, words that are
/// close (trigram word similarity ≥ 0.4 over the store's own few hundred products).
/// </summary>
public sealed class MenuQueries(
    IDbContextFactory<WeedGoDbContext> contexts, CatalogQueries catalog, TimeProvider clock, IMemoryCache cache, ITenantContext tenant,
    RateLimiting.IOperationLimiter? limiter = null)
{
    public const int MaxPageSize = 96;
    public const double TypoThreshold = 0.4;

    /// <summary>Popular = units sold at the store in this many days.</summary>
    public static readonly TimeSpan PopularWindow = TimeSpan.FromDays(30);

    public async Task<MenuPage> PageAsync(Guid storeId, MenuFilter filter, CancellationToken ct = default)
    {
        var pageSize = Math.Clamp(filter.PageSize, 1, MaxPageSize);
        var page = Math.Max(0, filter.Page);
        // A text search counts toward the search rate limit; browsing categories and filters does not.
        if (!string.IsNullOrWhiteSpace(filter.Text) && limiter is not null
            && await limiter.TryAcquireAsync(RateLimiting.RateOperations.Search, ct) is { Allowed: false } refused)
        {
            return new MenuPage(0, [], page, pageSize, Refused: refused.Message);
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var listed = Filtered(db, storeId, filter);

        var text = filter.Text?.Trim() ?? "";
        var corrected = false;
        if (text.Length > 0)
        {
            var key = text.ToUpperInvariant();
            var gtin = CatalogQueries.GtinOf(text) ?? "";
            var prefix = CatalogQueries.PrefixQuery(text);
            var exact = listed.Where(r => r.Product.SkuKey == key || r.Product.Gtin == gtin);
            var matched = prefix is null ? exact
                : listed.Where(r => r.Product.SkuKey == key || r.Product.Gtin == gtin
                                    || r.Product.SearchVector.Matches(EF.Functions.ToTsQuery("simple", prefix)));
            if (!await matched.AnyAsync(ct))
            {
                matched = listed.Where(r => EF.Functions.TrigramsWordSimilarity(text, r.Product.ProductName) >= TypoThreshold
                                            || EF.Functions.TrigramsWordSimilarity(text, r.Product.Brand ?? "") >= TypoThreshold);
                corrected = true;
                // Typo matches are best shown closest first, whatever the chosen sort.
                var fuzzyTotal = await matched.CountAsync(ct);
                var fuzzy = await matched
                    .OrderByDescending(r => EF.Functions.TrigramsWordSimilarity(text, r.Product.ProductName))
                    .ThenBy(r => r.Product.ProductName).ThenBy(r => r.Product.Id)
                    .Skip(page * pageSize).Take(pageSize).Select(Shape).ToListAsync(ct);
                return new MenuPage(fuzzyTotal, fuzzy.Select(r => r.ToItem()).ToList(), page, pageSize, fuzzyTotal > 0);
            }
            listed = matched;
        }

        var total = await listed.CountAsync(ct);
        var since = clock.GetUtcNow() - PopularWindow;
        var rows = await Sorted(db, storeId, listed, filter.Sort, since)
            .Skip(page * pageSize).Take(pageSize).Select(Shape).ToListAsync(ct);
        return new MenuPage(total, rows.Select(r => r.ToItem()).ToList(), page, pageSize, corrected);
    }

    /// <summary>The store's listed products with a price, narrowed by every filter except the text.</summary>
    private static IQueryable<Listed> Filtered(WeedGoDbContext db, Guid storeId, MenuFilter f)
    {
        var q = db.Inventory.AsNoTracking().Where(i => i.StoreId == storeId)
            .Join(db.Products, i => i.ProductId, p => p.Id, (i, p) => new Listed
            {
                Product = p, Available = i.Available, Price = i.RetailPriceOverride ?? p.UnitPrice, ListedAt = i.CreatedAt,
            })
            .Where(r => r.Price != null);
        if (f.InStockOnly)
        {
            q = q.Where(r => r.Available > 0);
        }
        if (!string.IsNullOrWhiteSpace(f.Category))
        {
            q = q.Where(r => r.Product.Category == f.Category);
        }
        if (f.StrainTypes is { Count: > 0 } strains)
        {
            q = q.Where(r => r.Product.StrainType != null && strains.Contains(r.Product.StrainType));
        }
        if (f.Brands is { Count: > 0 } brands)
        {
            q = q.Where(r => r.Product.Brand != null && brands.Contains(r.Product.Brand));
        }
        if (!string.IsNullOrWhiteSpace(f.Terpene))
        {
            var pattern = "%" + f.Terpene.Trim().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            q = q.Where(r => r.Product.Terpenes != null && EF.Functions.ILike(r.Product.Terpenes, pattern));
        }
        if (!string.IsNullOrWhiteSpace(f.Size))
        {
            q = q.Where(r => r.Product.Size == f.Size);
        }
        if (f.ThcMin is { } thcMin)
        {
            q = q.Where(r => (r.Product.ThcMax ?? r.Product.ThcMin ?? r.Product.ThcPerUnit ?? r.Product.ThcPerVolume) >= thcMin);
        }
        if (f.ThcMax is { } thcMax)
        {
            q = q.Where(r => (r.Product.ThcMin ?? r.Product.ThcMax ?? r.Product.ThcPerUnit ?? r.Product.ThcPerVolume) <= thcMax);
        }
        if (f.CbdMin is { } cbdMin)
        {
            q = q.Where(r => (r.Product.CbdMax ?? r.Product.CbdMin ?? r.Product.CbdPerUnit ?? r.Product.CbdPerVolume) >= cbdMin);
        }
        if (f.CbdMax is { } cbdMax)
        {
            q = q.Where(r => (r.Product.CbdMin ?? r.Product.CbdMax ?? r.Product.CbdPerUnit ?? r.Product.CbdPerVolume ?? 0) <= cbdMax);
        }
        if (f.PriceMin is { } priceMin)
        {
            q = q.Where(r => r.Price >= priceMin);
        }
        if (f.PriceMax is { } priceMax)
        {
            q = q.Where(r => r.Price <= priceMax);
        }
        return q;
    }

    private static IQueryable<Listed> Sorted(WeedGoDbContext db, Guid storeId, IQueryable<Listed> q, MenuSort sort, DateTimeOffset since) => sort switch
    {
        MenuSort.PriceLow => q.OrderBy(r => r.Price).ThenBy(r => r.Product.ProductName).ThenBy(r => r.Product.Id),
        MenuSort.PriceHigh => q.OrderByDescending(r => r.Price).ThenBy(r => r.Product.ProductName).ThenBy(r => r.Product.Id),
        MenuSort.Potency => q.OrderByDescending(r => r.Product.ThcMax ?? r.Product.ThcMin ?? r.Product.ThcPerUnit ?? r.Product.ThcPerVolume ?? 0)
            .ThenBy(r => r.Product.ProductName).ThenBy(r => r.Product.Id),
        MenuSort.Newest => q.OrderByDescending(r => r.ListedAt).ThenBy(r => r.Product.ProductName).ThenBy(r => r.Product.Id),
        MenuSort.Name => q.OrderBy(r => r.Product.ProductName).ThenBy(r => r.Product.Id),
        // Popular: units sold at this store recently (sales in the stock ledger are negative on-hand movements).
        _ => q.OrderByDescending(r => -db.StockLedger
                .Where(m => m.StoreId == storeId && m.ProductId == r.Product.Id && m.Kind == MovementKind.Sale && m.OccurredAt >= since)
                .Sum(m => m.OnHandDelta))
            .ThenByDescending(r => r.Product.IsCannabis).ThenBy(r => r.Product.ProductName).ThenBy(r => r.Product.Id),
    };

    /// <summary>Filter values over the store's listed, priced products (in stock only when asked).</summary>
    public async Task<MenuFacets> FacetsAsync(Guid storeId, bool inStockOnly = true, string? category = null, CancellationToken ct = default)
    {
        // Every menu view needs them and they change slowly (counts of what is listed): kept for a few seconds per tenant and store.
        if (tenant.TenantId is not { } tenantId)
        {
            return new MenuFacets([], [], [], [], [], 0);
        }
        return (await cache.GetOrCreateAsync(("menu-facets", tenantId, storeId, inStockOnly, category), entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = FacetsFor;
            return LoadFacetsAsync(storeId, inStockOnly, category, ct);
        }))!;
    }

    /// <summary>How long menu facets are reused.</summary>
    public static readonly TimeSpan FacetsFor = TimeSpan.FromSeconds(10);

    private async Task<MenuFacets> LoadFacetsAsync(Guid storeId, bool inStockOnly, string? category, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await Filtered(db, storeId, new MenuFilter(InStockOnly: inStockOnly))
            .Select(r => new { r.Product.Category, r.Product.Brand, r.Product.StrainType, r.Product.Terpenes, r.Product.Size, r.Price })
            .ToListAsync(ct);
        static IReadOnlyList<MenuCount> Count(IEnumerable<string?> values, bool byCount = false)
        {
            var counted = values.Where(v => !string.IsNullOrWhiteSpace(v)).GroupBy(v => v!.Trim(), StringComparer.OrdinalIgnoreCase)
                .Select(g => new MenuCount(g.Key, g.Count()));
            return (byCount ? counted.OrderByDescending(c => c.Count).ThenBy(c => c.Value) : counted.OrderBy(c => c.Value, StringComparer.OrdinalIgnoreCase)).ToList();
        }
        // Categories are counted over the whole menu; the other values within the chosen category.
        var shown = category is null ? rows : rows.Where(r => r.Category == category).ToList();
        return new MenuFacets(
            Count(rows.Select(r => r.Category)), Count(shown.Select(r => r.Brand)), Count(shown.Select(r => r.StrainType)),
            Count(shown.SelectMany(r => (r.Terpenes ?? "").Split([',', ';', '|'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)), byCount: true),
            Count(shown.Select(r => r.Size)), shown.Count == 0 ? 0 : shown.Max(r => r.Price ?? 0));
    }

    /// <summary>A product of the store's menu by its SKU (case-insensitive), or null when the store does not list it.</summary>
    public async Task<MenuProduct?> ProductAsync(Guid storeId, string sku, CancellationToken ct = default)
    {
        var key = sku.Trim().ToUpperInvariant();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.Inventory.AsNoTracking().Where(i => i.StoreId == storeId)
            .Join(db.Products.Where(p => p.SkuKey == key), i => i.ProductId, p => p.Id,
                (i, p) => new { p.Id, p.Category, p.StrainType, Price = i.RetailPriceOverride ?? p.UnitPrice, i.Available })
            .FirstOrDefaultAsync(ct);
        if (row is null || await catalog.GetAsync(row.Id, ct) is not { } detail)
        {
            return null;
        }
        // Related: the same category in stock here, the same strain type first.
        var related = await Filtered(db, storeId, new MenuFilter(Category: row.Category))
            .Where(r => r.Product.Id != row.Id)
            .OrderByDescending(r => r.Product.StrainType == row.StrainType).ThenBy(r => r.Product.ProductName).ThenBy(r => r.Product.Id)
            .Take(6).Select(Shape).ToListAsync(ct);
        return new MenuProduct(detail, row.Price, row.Available, related.Select(r => r.ToItem()).ToList());
    }

    /// <summary>What the store has available of one product now (0 when it does not list it).</summary>
    public async Task<int> AvailableAsync(Guid storeId, Guid productId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Inventory.AsNoTracking().Where(i => i.StoreId == storeId && i.ProductId == productId)
            .Select(i => i.Available).FirstOrDefaultAsync(ct);
    }

    private sealed class Listed
    {
        public CatalogProduct Product { get; init; } = default!;
        public int Available { get; init; }
        public decimal? Price { get; init; }
        public DateTimeOffset ListedAt { get; init; }
    }

    private static readonly System.Linq.Expressions.Expression<Func<Listed, Row>> Shape = r => new Row(
        r.Product.Id, r.Product.Sku, r.Product.ProductName, r.Product.Brand, r.Product.Category, r.Product.SubCategory, r.Product.Size,
        r.Product.ThcMin, r.Product.ThcMax, r.Product.ThcPerUnit, r.Product.ThcPerVolume, r.Product.CbdMin, r.Product.CbdMax,
        r.Product.CbdPerUnit, r.Product.CbdPerVolume, r.Product.StrainType, r.Product.Terpenes, r.Product.ImageUrl, r.Price ?? 0,
        r.Available, r.Product.DriedFlowerEquivalency, r.Product.IsCannabis);

    private sealed record Row(
        Guid Id, string Sku, string ProductName, string? Brand, string Category, string? SubCategory, string? Size,
        decimal? ThcMin, decimal? ThcMax, decimal? ThcPerUnit, decimal? ThcPerVolume, decimal? CbdMin, decimal? CbdMax,
        decimal? CbdPerUnit, decimal? CbdPerVolume, string? StrainType, string? Terpenes, string? ImageUrl, decimal Price, int Available,
        decimal GramsEquivalent, bool IsCannabis)
    {
        public MenuItem ToItem()
        {
            var dried = Equivalency.Classify(Category, SubCategory) == CannabisClass.Dried;
            return new MenuItem(Id, Sku, ProductName, Brand, Category, SubCategory, Size,
                Potency.Label(ThcMin, ThcMax, ThcPerUnit, ThcPerVolume, dried), Potency.Label(CbdMin, CbdMax, CbdPerUnit, CbdPerVolume, dried),
                StrainType, Terpenes, ImageUrl, Price, Available, IsCannabis ? GramsEquivalent : 0m, IsCannabis);
        }
    }
}
