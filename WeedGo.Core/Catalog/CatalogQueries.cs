using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Npgsql;
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
/// <paramref name="DidYouMean"/> is set when the words were corrected before searching (typos). <paramref name="Refused"/>: a
/// rate limit refused the search (the sentence to show; no items).</summary>
public sealed record CatalogPage(int Total, IReadOnlyList<CatalogItem> Items, bool MoreAvailable = false, string? DidYouMean = null, string? Refused = null);

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
public sealed class CatalogQueries(IDbContextFactory<WeedGoDbContext> contexts, RateLimiting.IOperationLimiter? limiter = null)
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

    /// <summary>Heap pages (about 1,100 catalogue rows) the single-word search reads first for a dense word; see <see cref="TypedSql"/>.</summary>
    public const int DenseScanPages = 128;

    public async Task<CatalogPage> SearchAsync(CatalogSearch search, CancellationToken ct = default)
    {
        var pageSize = Math.Clamp(search.PageSize, 1, 200);
        var page = Math.Max(0, search.Page);
        // A text search is the expensive read: it counts toward the search rate limit (browsing by filters does not).
        if (!string.IsNullOrWhiteSpace(search.Text) && limiter is not null
            && await limiter.TryAcquireAsync(RateLimiting.RateOperations.Search, ct) is { Allowed: false } refused)
        {
            return new CatalogPage(0, [], Refused: refused.Message);
        }
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
        if (db.CurrentTenantId is null && !db.AllTenants)
        {
            return new CatalogPage(0, []); // no tenant, no rows (as the tenant query filter has it)
        }

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            if (await FullTextAsync(connection, db.AllTenants ? null : db.CurrentTenantId, db.CurrentTenantId, search, ct) is { } found)
            {
                return found;
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
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
    /// Steps 1 and 2 of <see cref="SearchAsync"/> on an open connection: exact SKU/GTIN and full-text prefix matches in one
    /// statement; when nothing matches, each unknown word corrected to the nearest word of the tenant's catalogue (trigram
    /// similarity over catalog_search_terms, a few thousand words) and the corrected words searched in full text, again in one
    /// statement ("blu dreem" → "blue dream"). Null when neither found anything. <paramref name="scope"/> is the tenant whose rows
    /// are searched (null: every tenant, the platform scope); <paramref name="wordsOf"/> the tenant whose words correct typos
    /// (null: no correction). Public so that the bench's raw baseline runs the very same statements.
    /// </summary>
    public static async Task<CatalogPage?> FullTextAsync(
        NpgsqlConnection connection, Guid? scope, Guid? wordsOf, CatalogSearch search, CancellationToken ct = default)
    {
        var text = search.Text?.Trim() ?? "";
        var prefix = PrefixQuery(text);
        if (prefix is null)
        {
            return null;
        }
        var pageSize = Math.Clamp(search.PageSize, 1, 200);
        var where = new SearchScope(scope, search.Category, search.Brand, Math.Max(0, search.Page) * pageSize, pageSize);
        var words = Words(text).Take(6).ToArray();
        // A word that starts no word of the tenant's catalogue is probably a typo: then the correction rides along in the same
        // statement (it only runs when the words as typed find nothing), so a typo costs one round trip, not two.
        var correctNow = wordsOf is { } owner && words.Length > 0 && await LooksMisspeltAsync(connection, owner, words, ct);
        var typed = await RunAsync(connection, where, TypedSql(where, singleWord: !prefix.Contains('&'), correct: correctNow), p =>
        {
            p.AddWithValue("q", prefix);
            p.AddWithValue("key", text.ToUpperInvariant());
            p.AddWithValue("gtin", GtinOf(text) ?? "");
            if (correctNow)
            {
                p.AddWithValue("words", words);
                p.AddWithValue("words_of", wordsOf!.Value);
            }
        }, ct);
        if (typed.Total > 0 || correctNow)
        {
            return typed.Total > 0 ? typed : null;
        }
        if (wordsOf is not { } tenant || words.Length == 0)
        {
            return null;
        }
        // Every word is a catalogue word, yet together they found nothing: correct what is not a whole word and search again.
        var fixedUp = await RunAsync(connection, where, CorrectedSql(where), p =>
        {
            p.AddWithValue("words", words);
            p.AddWithValue("words_of", tenant);
        }, ct);
        return fixedUp.Total > 0 ? fixedUp : null;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, (long LoadedAt, string[] Terms)> TermCache = new();

    /// <summary>How long a tenant's catalogue words are kept in memory to tell typos from real words. They only choose the shape of
    /// the statement (results are the same either way), so a word added by an import since is merely searched less directly.</summary>
    private static readonly TimeSpan TermCacheLifetime = TimeSpan.FromMinutes(5);

    /// <summary>True when a word of 3+ letters begins no word of the tenant's names and brands (catalog_search_terms).</summary>
    private static async Task<bool> LooksMisspeltAsync(NpgsqlConnection connection, Guid tenant, string[] words, CancellationToken ct)
    {
        if (!TermCache.TryGetValue(tenant, out var entry) || System.Diagnostics.Stopwatch.GetElapsedTime(entry.LoadedAt) > TermCacheLifetime)
        {
            var terms = new List<string>();
            await using (var cmd = new NpgsqlCommand("SELECT term FROM catalog_search_terms WHERE tenant_id = $1", connection))
            {
                cmd.Parameters.AddWithValue(tenant);
                await using var r = await cmd.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct))
                {
                    terms.Add(r.GetString(0));
                }
            }
            terms.Sort(StringComparer.Ordinal);
            entry = (System.Diagnostics.Stopwatch.GetTimestamp(), terms.ToArray());
            TermCache[tenant] = entry;
        }
        return words.Any(w => w.Length >= 3 && !StartsAny(entry.Terms, w));

        static bool StartsAny(string[] sorted, string word)
        {
            var i = Array.BinarySearch(sorted, word, StringComparer.Ordinal);
            return i >= 0 || (~i < sorted.Length && sorted[~i].StartsWith(word, StringComparison.Ordinal));
        }
    }

    /// <summary>Who and what a full-text statement searches: the tenant (null = every tenant, the platform scope), the filters and the page.</summary>
    private sealed record SearchScope(Guid? Tenant, string? Category, string? Brand, int Offset, int Limit)
    {
        /// <summary>The conditions on catalogue rows <c>c</c> besides the text: tenant and filters.</summary>
        public string Where =>
            (Tenant is null ? "true" : "c.tenant_id = @tenant") +
            (string.IsNullOrWhiteSpace(Category) ? "" : " AND c.category = @category") +
            (string.IsNullOrWhiteSpace(Brand) ? "" : " AND c.brand = @brand");
    }

    private const string RowColumns =
        "c.id, c.sku, c.gtin, c.product_name, c.brand, c.category, c.sub_category, c.size, c.thc_min, c.thc_max, c.thc_per_unit, " +
        "c.thc_per_volume, c.cbd_min, c.cbd_max, c.cbd_per_unit, c.cbd_per_volume, c.dried_flower_equivalency, c.unit_price, " +
        "c.strain_type, c.image_url, c.is_cannabis";

    /// <summary>The columns a hit carries: the list's columns plus what ranking needs.</summary>
    private const string HitColumns = RowColumns + ", c.sku_key, c.search_vector";

    /// <summary>
    /// Exact SKU/GTIN and the first <see cref="CandidateLimit"/> full-text matches (in physical order), ranked and paged in one
    /// statement. Ranking and counting every match of a broad word ("limonene" in a third of 100,000 rows) would cost hundreds of
    /// milliseconds, so only the candidates are ranked and counted; the page then says "200+" and people refine the words.
    /// How the candidates are found matters more than anything else here (GIN bitmap scans build the whole match set first;
    /// a sequential scan stops after 200 matches but reads 200/selectivity rows):
    /// <list type="bullet">
    /// <item>several words: the planner's choice for <c>… LIMIT 200</c> (a bitmap scan when the estimated matches are few, a
    /// sequential scan that stops early when they are many). A GIN bitmap scan for several prefixes costs the sum of each word's
    /// matches ("terpinolene myrcene": two thirds of the catalogue), which its estimate does not see, so the early stop is right
    /// sooner than for one word.</item>
    /// <item>one word: the first <see cref="DenseScanPages"/> heap pages are read first; a dense word ("limonene") has its 200
    /// there, which are the same rows a full scan would return first. Otherwise the matches are planned as a full retrieval
    /// (materialized, read lazily up to 200), which makes the planner take the GIN index for a word in a few percent of rows
    /// ("gelato") where <c>LIMIT 200</c> alone made it read thousands of rows sequentially.</item>
    /// </list>
    /// With <paramref name="correct"/> the statement also corrects the words (<see cref="FixSql"/>) and searches the corrected
    /// words, both only when the words as typed found nothing.
    /// </summary>
    private static string TypedSql(SearchScope scope, bool singleWord, bool correct)
    {
        var typed = singleWord
            ? $"""
               head AS MATERIALIZED (
                 SELECT {HitColumns} FROM ocs_product_catalog c
                 WHERE c.ctid < '({DenseScanPages},0)'::tid AND {scope.Where} AND c.search_vector @@ to_tsquery('simple', @q)
                 LIMIT {CandidateLimit}),
               every AS MATERIALIZED (
                 SELECT {HitColumns} FROM ocs_product_catalog c
                 WHERE (SELECT count(*) FROM head) < {CandidateLimit} AND {scope.Where} AND c.search_vector @@ to_tsquery('simple', @q)),
               typed AS (
                 SELECT * FROM head WHERE (SELECT count(*) FROM head) = {CandidateLimit}
                 UNION ALL (SELECT * FROM every LIMIT {CandidateLimit})),
               """
            : $"""
               typed AS (
                 SELECT {HitColumns} FROM ocs_product_catalog c
                 WHERE {scope.Where} AND c.search_vector @@ to_tsquery('simple', @q) LIMIT {CandidateLimit}),
               """;
        var found = $"""
            WITH {typed}
            exact AS (
              SELECT {HitColumns} FROM ocs_product_catalog c WHERE {scope.Where} AND (c.sku_key = @key OR c.gtin = @gtin)),
            found AS MATERIALIZED (
              SELECT t.*, false AS exact FROM typed t WHERE t.id NOT IN (SELECT id FROM exact)
              UNION ALL SELECT e.*, true FROM exact e),
            """;
        return correct
            ? $"""
              {found}
              {FixSql("WHERE NOT EXISTS (SELECT 1 FROM found)")},
              hits AS MATERIALIZED (
                SELECT f.*, to_tsquery('simple', @q) AS query FROM found f
                UNION ALL ({CorrectedHits(scope)}))
              {PageSql("h.query", "(SELECT corrected FROM fix)")}
              """
            : $"""
              {found}
              hits AS (SELECT f.*, to_tsquery('simple', @q) AS query FROM found f)
              {PageSql("h.query", "NULL::text")}
              """;
    }

    /// <summary>The <c>fix</c> CTE: the words (<c>@words</c>) with each word of 3+ letters that is not a word of the tenant's
    /// (<c>@words_of</c>) catalogue replaced by the most similar one (trigram index over catalog_search_terms), and the corrected
    /// prefix query; no row when no word changed or <paramref name="gate"/> filters the words out.</summary>
    private static string FixSql(string gate) => $"""
        fix AS MATERIALIZED (
          SELECT string_agg(coalesce(n.term, w.word), ' ' ORDER BY w.n) AS corrected,
                 to_tsquery('simple', string_agg(coalesce(n.term, w.word) || ':*', ' & ' ORDER BY w.n)) AS query
          FROM unnest(@words::text[]) WITH ORDINALITY AS w(word, n)
          LEFT JOIN LATERAL (
            SELECT t.term FROM catalog_search_terms t
            WHERE length(w.word) >= 3 AND t.tenant_id = @words_of AND t.term % w.word
            ORDER BY t.term = w.word DESC, similarity(t.term, w.word) DESC, t.term LIMIT 1) n ON true
          {gate}
          HAVING bool_or(n.term <> w.word))
        """;

    /// <summary>The first <see cref="CandidateLimit"/> full-text matches of the corrected words, shaped like <c>hits</c>.</summary>
    private static string CorrectedHits(SearchScope scope) => $"""
        SELECT {HitColumns}, false AS exact, (SELECT query FROM fix) AS query FROM ocs_product_catalog c
        WHERE {scope.Where} AND c.search_vector @@ (SELECT query FROM fix) LIMIT {CandidateLimit}
        """;

    /// <summary>The words corrected (<see cref="FixSql"/>) and searched in full text like <see cref="TypedSql"/>; no rows when
    /// no word changed.</summary>
    private static string CorrectedSql(SearchScope scope) => $"""
        WITH {FixSql("")},
        hits AS MATERIALIZED ({CorrectedHits(scope)})
        {PageSql("h.query", "(SELECT corrected FROM fix)")}
        """;

    /// <summary>The count of <c>hits</c> and one page of them: always one row at least (the count, with nulls when the page is empty).</summary>
    private static string PageSql(string tsQuery, string didYouMean) => $"""
        SELECT s.total, {didYouMean} AS did_you_mean, {RowColumns.Replace("c.", "r.", StringComparison.Ordinal)}
        FROM (SELECT count(*) AS total FROM hits) s
        LEFT JOIN (
          SELECT h.*, row_number() OVER (ORDER BY h.exact DESC, ts_rank(h.search_vector, {tsQuery}) DESC,
                                                  h.product_name COLLATE "C", h.sku_key COLLATE "C") AS n
          FROM hits h) r ON r.n > @offset AND r.n <= @offset + @limit
        ORDER BY r.n
        """;

    private static async Task<CatalogPage> RunAsync(
        NpgsqlConnection connection, SearchScope scope, string sql, Action<NpgsqlParameterCollection> parameters, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        if (scope.Tenant is { } tenant)
        {
            cmd.Parameters.AddWithValue("tenant", tenant);
        }
        if (!string.IsNullOrWhiteSpace(scope.Category))
        {
            cmd.Parameters.AddWithValue("category", scope.Category);
        }
        if (!string.IsNullOrWhiteSpace(scope.Brand))
        {
            cmd.Parameters.AddWithValue("brand", scope.Brand);
        }
        cmd.Parameters.AddWithValue("offset", (long)scope.Offset);
        cmd.Parameters.AddWithValue("limit", (long)scope.Limit);
        parameters(cmd.Parameters);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var items = new List<CatalogItem>();
        long total = 0;
        string? didYouMean = null;
        while (await r.ReadAsync(ct))
        {
            total = r.GetInt64(0);
            didYouMean = r.IsDBNull(1) ? null : r.GetString(1);
            if (r.IsDBNull(2))
            {
                continue;
            }
            string? Str(int i) => r.IsDBNull(i) ? null : r.GetString(i);
            decimal? Dec(int i) => r.IsDBNull(i) ? null : r.GetDecimal(i);
            items.Add(new ItemRow(r.GetGuid(2), r.GetString(3), Str(4), r.GetString(5), Str(6), r.GetString(7), Str(8), Str(9),
                Dec(10), Dec(11), Dec(12), Dec(13), Dec(14), Dec(15), Dec(16), Dec(17), r.GetDecimal(18), Dec(19), Str(20), Str(21),
                r.GetBoolean(22)).ToItem());
        }
        return new CatalogPage((int)total, items, MoreAvailable: total >= CandidateLimit, DidYouMean: total > 0 ? didYouMean : null);
    }

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
