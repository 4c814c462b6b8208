using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using WeedGo.Core.Compliance;
using WeedGo.Core.Data;

namespace WeedGo.Core.Catalog;

/// <summary>A catalogue search: free text (name, brand, terpenes, SKU or GTIN, typos tolerated), filters and a page.</summary>
public sealed record CatalogSearch(string? Text = null, string? Category = null, string? Brand = null, int Page = 0, int PageSize = 25);

/// <summary>A catalogue row as lists show it, with potency the way labels give it.</summary>
public sealed record CatalogItem(
    Guid Id, string Sku, string? Gtin, string ProductName, string? Brand, string Category, string? SubCategory, string? Size,
    string? Thc, string? Cbd, decimal DriedFlowerEquivalency, decimal? UnitPrice, string? StrainType, string? ImageUrl, bool IsCannabis);

/// <summary>A page of results. When <paramref name="MoreAvailable"/> is true the search matched more than
/// <see cref="CatalogQueries.CandidateLimit"/> products and <paramref name="Total"/> is that limit ("200+"): refine the words.
/// <paramref name="DidYouMean"/> is set when the words were corrected before searching (typos).</summary>
public sealed record CatalogPage(int Total, IReadOnlyList<CatalogItem> Items, bool MoreAvailable = false, string? DidYouMean = null);

/// <summary>Everything the catalogue knows of one product.</summary>
public sealed record CatalogProductDetail(
    Guid Id, string Sku, string? OcsItemNumber, string? Gtin, string ProductName, string? Brand, string? SupplierName,
    string Category, string? SubCategory, string? SubSubCategory, string? ShortDescription, string? LongDescription, string? ImageUrl,
    string? Size, string? PackSize, int? ItemsPerRetailPack, decimal? NetWeight, decimal? UnitPrice, string? Thc, string? Cbd,
    decimal DriedFlowerEquivalency, bool EquivalencyDerived, string? PlantType, string? StrainType, string? Terpenes,
    string? GrowMethod, string? GrowRegion, string? ExtractionProcess, string? CarrierOil, string? Ingredients, string? FoodAllergens,
    string? StorageCriteria, bool OntarioGrown, bool Craft, bool IsCannabis, string? StockStatus, DateTimeOffset UpdatedAt);

/// <summary>
/// Reads of the current tenant's catalogue: lookup by SKU or GTIN, search, detail, filter lists. Open to staff and to the
/// storefront (anonymous visitors within the tenant the request resolved to): the tenant filter scopes every read, and a caller
/// without a tenant sees nothing.
/// </summary>
public sealed class CatalogQueries(IDbContextFactory<WeedGoDbContext> contexts)
{
    /// <summary>Minimum pg_trgm word similarity for a typo to count as a match ("blu dreem" → "Blue Dream" is 0.5).</summary>
    public const double FuzzyThreshold = 0.4;

    private const string SetThresholdSql = "SET LOCAL pg_trgm.word_similarity_threshold = 0.4";

    /// <summary>Case-insensitive SKU, or a GTIN in any of its 8/12/13/14-digit forms (or a GS1 scan carrying one).</summary>
    public async Task<CatalogItem?> FindBySkuOrGtinAsync(string code, CancellationToken ct = default)
    {
        var text = code?.Trim() ?? "";
        if (text.Length == 0)
        {
            return null;
        }
        var key = text.ToUpperInvariant();
        var gtin = GtinOf(text);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.Products.AsNoTracking();
        query = gtin is null ? query.Where(p => p.SkuKey == key) : query.Where(p => p.SkuKey == key || p.Gtin == gtin);
        var row = await query.OrderBy(p => p.SkuKey == key ? 0 : 1).Select(ItemShape).FirstOrDefaultAsync(ct);
        return row?.ToItem();
    }

    /// <summary>How many full-text matches a search ranks at most.</summary>
    public const int CandidateLimit = 200;

    public async Task<CatalogPage> SearchAsync(CatalogSearch search, CancellationToken ct = default)
    {
        var pageSize = Math.Clamp(search.PageSize, 1, 200);
        var page = Math.Max(0, search.Page);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.Products.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search.Category))
        {
            query = query.Where(p => p.Category == search.Category);
        }
        if (!string.IsNullOrWhiteSpace(search.Brand))
        {
            query = query.Where(p => p.Brand == search.Brand);
        }

        var text = search.Text?.Trim() ?? "";
        if (text.Length == 0)
        {
            var total = await query.CountAsync(ct);
            var rows = await query.OrderBy(p => p.ProductName).ThenBy(p => p.SkuKey).Skip(page * pageSize).Take(pageSize)
                .Select(ItemShape).ToListAsync(ct);
            return new CatalogPage(total, rows.Select(r => r.ToItem()).ToList());
        }

        var key = text.ToUpperInvariant();
        var gtin = GtinOf(text) ?? "";

        // 1. Exact SKU/GTIN and full-text prefix matches, exact codes first.
        if (await FullTextAsync(query, PrefixQuery(text), key, gtin, page, pageSize, ct) is { } found)
        {
            return found;
        }

        // 2. Nothing matched as typed: correct each unknown word to the nearest word of this tenant's catalogue
        //    (trigram similarity over catalog_search_terms, a few thousand words) and search again ("blu dreem" → "blue dream").
        var corrected = await CorrectAsync(db, text, ct);
        if (corrected is not null && await FullTextAsync(query, PrefixQuery(corrected), key, gtin, page, pageSize, ct) is { } fixedUp)
        {
            return fixedUp with { DidYouMean = corrected };
        }

        // 3. Still nothing: trigram word similarity on name and brand, at most CandidateLimit counted.
        // The threshold is set for this transaction only (pg_trgm's default of 0.6 misses "blu dreem").
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlRawAsync(SetThresholdSql, ct);
        var fuzzy = query.Where(p => EF.Functions.TrigramsAreWordSimilar(text, p.ProductName) || EF.Functions.TrigramsAreWordSimilar(text, p.Brand!));
        var count = await fuzzy.Select(p => p.Id).Take(CandidateLimit).CountAsync(ct);
        var similar = await fuzzy
            .OrderByDescending(p => EF.Functions.TrigramsWordSimilarity(text, p.ProductName))
            .ThenBy(p => p.ProductName).ThenBy(p => p.SkuKey).Skip(page * pageSize).Take(pageSize)
            .Select(ItemShape).ToListAsync(ct);
        await tx.CommitAsync(ct);
        return new CatalogPage(count, similar.Select(r => r.ToItem()).ToList(), MoreAvailable: count >= CandidateLimit);
    }

    /// <summary>
    /// Full-text prefix search plus exact SKU/GTIN, or null when nothing matches. Ranking and counting every match of a broad word
    /// ("limonene" in a third of 100,000 rows) would cost hundreds of milliseconds, so only the first CandidateLimit full-text
    /// matches are ranked and counted; the page then says "200+" and people refine the words. Each part of the candidate union
    /// uses its own index (GIN full-text, SKU key, GTIN) and the union is joined back on the primary key.
    /// </summary>
    private static async Task<CatalogPage?> FullTextAsync(
        IQueryable<CatalogProduct> query, string? prefix, string key, string gtin, int page, int pageSize, CancellationToken ct)
    {
        if (prefix is null)
        {
            return null;
        }
        var candidates = query.Where(p => p.SearchVector.Matches(EF.Functions.ToTsQuery("simple", prefix))).Select(p => p.Id).Take(CandidateLimit)
            .Union(query.Where(p => p.SkuKey == key).Select(p => p.Id))
            .Union(query.Where(p => p.Gtin == gtin).Select(p => p.Id));
        // One pass over the (at most ~500) candidates for their sort keys, then the page's rows by primary key.
        var ranked = await query.Where(p => candidates.Contains(p.Id))
            .Select(p => new { p.Id, Exact = p.SkuKey == key || p.Gtin == gtin, Rank = p.SearchVector.Rank(EF.Functions.ToTsQuery("simple", prefix)), p.ProductName, p.SkuKey })
            .ToListAsync(ct);
        if (ranked.Count == 0)
        {
            return null;
        }
        var pageIds = ranked.OrderByDescending(r => r.Exact).ThenByDescending(r => r.Rank)
            .ThenBy(r => r.ProductName, StringComparer.Ordinal).ThenBy(r => r.SkuKey, StringComparer.Ordinal)
            .Skip(page * pageSize).Take(pageSize).Select(r => r.Id).ToList();
        var rows = await query.Where(p => pageIds.Contains(p.Id)).Select(ItemShape).ToListAsync(ct);
        var items = rows.OrderBy(r => pageIds.IndexOf(r.Id)).Select(r => r.ToItem()).ToList();
        return new CatalogPage(ranked.Count, items, MoreAvailable: ranked.Count >= CandidateLimit);
    }

    /// <summary>The text with each word that is not a catalogue word replaced by the most similar one, or null when nothing changed.
    /// One round trip: every word is looked up at once against the tenant's words (trigram index).</summary>
    private static async Task<string?> CorrectAsync(WeedGoDbContext db, string text, CancellationToken ct)
    {
        var words = Words(text).Take(6).ToArray();
        if (db.CurrentTenantId is not { } tenant || words.Length == 0)
        {
            return null;
        }
        var fixes = await db.Database.SqlQueryRaw<WordFix>(
            "SELECT w.word AS \"Word\", w.n AS \"Position\", (SELECT t.term FROM catalog_search_terms t WHERE t.tenant_id = {0} AND t.term % w.word " +
            "ORDER BY t.term = w.word DESC, similarity(t.term, w.word) DESC, t.term LIMIT 1) AS \"Nearest\" " +
            "FROM unnest({1}::text[]) WITH ORDINALITY AS w(word, n) WHERE length(w.word) >= 3", tenant, words).ToListAsync(ct);
        var changed = false;
        foreach (var fix in fixes.Where(f => f.Nearest is not null && f.Nearest != f.Word))
        {
            words[fix.Position - 1] = fix.Nearest!;
            changed = true;
        }
        return changed ? string.Join(' ', words) : null;
    }

    private sealed record WordFix(string Word, long Position, string? Nearest);

    private static List<string> Words(string text) =>
        System.Text.RegularExpressions.Regex.Split(text.ToLowerInvariant(), "[^\\p{L}\\p{N}]+").Where(w => w.Length > 0).ToList();

    public async Task<CatalogProductDetail?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var p = await db.Products.AsNoTracking().Where(p => p.Id == id).Select(p => new
        {
            p.Id, p.Sku, p.OcsItemNumber, p.Gtin, p.ProductName, p.Brand, p.SupplierName, p.Category, p.SubCategory, p.SubSubCategory,
            p.ShortDescription, p.LongDescription, p.ImageUrl, p.Size, p.PackSize, p.ItemsPerRetailPack, p.NetWeight, p.UnitPrice,
            p.ThcMin, p.ThcMax, p.ThcPerUnit, p.ThcPerVolume, p.CbdMin, p.CbdMax, p.CbdPerUnit, p.CbdPerVolume,
            p.DriedFlowerEquivalency, p.EquivalencyDerived, p.PlantType, p.StrainType, p.Terpenes, p.GrowMethod, p.GrowRegion,
            p.ExtractionProcess, p.CarrierOil, p.Ingredients, p.FoodAllergens, p.StorageCriteria, p.OntarioGrown, p.Craft, p.IsCannabis,
            p.StockStatus, p.UpdatedAt,
        }).FirstOrDefaultAsync(ct);
        if (p is null)
        {
            return null;
        }
        var dried = Equivalency.Classify(p.Category, p.SubCategory) == CannabisClass.Dried;
        return new CatalogProductDetail(
            p.Id, p.Sku, p.OcsItemNumber, p.Gtin, p.ProductName, p.Brand, p.SupplierName, p.Category, p.SubCategory, p.SubSubCategory,
            p.ShortDescription, p.LongDescription, p.ImageUrl, p.Size, p.PackSize, p.ItemsPerRetailPack, p.NetWeight, p.UnitPrice,
            Potency.Label(p.ThcMin, p.ThcMax, p.ThcPerUnit, p.ThcPerVolume, dried),
            Potency.Label(p.CbdMin, p.CbdMax, p.CbdPerUnit, p.CbdPerVolume, dried),
            p.DriedFlowerEquivalency, p.EquivalencyDerived, p.PlantType, p.StrainType, p.Terpenes, p.GrowMethod, p.GrowRegion,
            p.ExtractionProcess, p.CarrierOil, p.Ingredients, p.FoodAllergens, p.StorageCriteria, p.OntarioGrown, p.Craft, p.IsCannabis,
            p.StockStatus, p.UpdatedAt);
    }

    public async Task<IReadOnlyList<string>> CategoriesAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Products.AsNoTracking().Select(p => p.Category).Distinct().OrderBy(c => c).ToListAsync(ct);
    }

    public async Task<IReadOnlyList<string>> BrandsAsync(string? category = null, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.Products.AsNoTracking().Where(p => p.Brand != null);
        if (!string.IsNullOrWhiteSpace(category))
        {
            query = query.Where(p => p.Category == category);
        }
        return await query.Select(p => p.Brand!).Distinct().OrderBy(b => b).ToListAsync(ct);
    }

    /// <summary>The 14-digit GTIN a code stands for (plain GTIN-8/12/13/14 or a GS1 scan), or null.</summary>
    public static string? GtinOf(string code) =>
        Gtin.TryNormalize(code, out var plain) ? plain
        : code.Length > 14 && Gs1.TryParse(code, out var scan, out _) ? scan.Gtin14
        : null;

    /// <summary>"blue dr" → "blue:* &amp; dr:*" (letters and digits only, so the user cannot write tsquery syntax).</summary>
    public static string? PrefixQuery(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var c in text.ToLowerInvariant().Append(' '))
        {
            if (char.IsLetterOrDigit(c))
            {
                current.Append(c);
            }
            else if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }
        return words.Count == 0 ? null : string.Join(" & ", words.Take(8).Select(w => w + ":*"));
    }

    private static readonly System.Linq.Expressions.Expression<Func<CatalogProduct, ItemRow>> ItemShape = p => new ItemRow(
        p.Id, p.Sku, p.Gtin, p.ProductName, p.Brand, p.Category, p.SubCategory, p.Size, p.ThcMin, p.ThcMax, p.ThcPerUnit,
        p.ThcPerVolume, p.CbdMin, p.CbdMax, p.CbdPerUnit, p.CbdPerVolume, p.DriedFlowerEquivalency, p.UnitPrice, p.StrainType,
        p.ImageUrl, p.IsCannabis);

    private sealed record ItemRow(
        Guid Id, string Sku, string? Gtin, string ProductName, string? Brand, string Category, string? SubCategory, string? Size,
        decimal? ThcMin, decimal? ThcMax, decimal? ThcPerUnit, decimal? ThcPerVolume, decimal? CbdMin, decimal? CbdMax,
        decimal? CbdPerUnit, decimal? CbdPerVolume, decimal DriedFlowerEquivalency, decimal? UnitPrice, string? StrainType,
        string? ImageUrl, bool IsCannabis)
    {
        public CatalogItem ToItem()
        {
            var dried = Equivalency.Classify(Category, SubCategory) == CannabisClass.Dried;
            return new CatalogItem(Id, Sku, Gtin, ProductName, Brand, Category, SubCategory, Size,
                Potency.Label(ThcMin, ThcMax, ThcPerUnit, ThcPerVolume, dried), Potency.Label(CbdMin, CbdMax, CbdPerUnit, CbdPerVolume, dried),
                DriedFlowerEquivalency, UnitPrice, StrainType, ImageUrl, IsCannabis);
        }
    }
}

/// <summary>Potency as labels give it: % for dried flower, mg/g for extracts, mg/mL for oils and drinks, mg per unit for discrete units.</summary>
public static class Potency
{
    public static string? Label(decimal? min, decimal? max, decimal? perUnit, decimal? perVolume, bool driedFlower)
    {
        if (perUnit is { } unit)
        {
            return $"{Format(unit)} mg/unit";
        }
        if (perVolume is { } volume)
        {
            return $"{Format(volume)} mg/mL";
        }
        var suffix = driedFlower ? " %" : " mg/g";
        return (min, max) switch
        {
            ({ } a, { } b) when a != b => $"{Format(a)}–{Format(b)}{suffix}",
            ({ } a, _) => Format(a) + suffix,
            (null, { } b) => Format(b) + suffix,
            _ => null,
        };
    }

    private static string Format(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
