using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using WeedGo.Core.Catalog;
using WeedGo.Core.Common;
using WeedGo.Core.Data;
using WeedGo.Core.Ordering;
using WeedGo.Core.Tenancy;

namespace WeedGo.Core.Chat;

/// <summary>A product as the tools return it to the model (and as product cards are made from).</summary>
public sealed record ToolProduct(
    Guid ProductId, string Sku, string Name, string? Brand, string Category, string? Size, string? StrainType, decimal? Price,
    string? ThcLabel, string? CbdLabel, int Available, string? ImageUrl)
{
    public bool InStock => Available > 0;

    public AssistantProductRef ToRef() => new(ProductId, Sku, Name, Brand, Category, Price, ThcLabel, CbdLabel, InStock, ImageUrl);

    public static ToolProduct From(MenuItem m) =>
        new(m.Id, m.Sku, m.ProductName, m.Brand, m.Category, m.Size, m.StrainType, m.Price, m.Thc, m.Cbd, m.Available, m.ImageUrl);
}

/// <summary>A tool: name, description, argument schema (validated before it runs) and whether its answer may be cached.</summary>
public sealed class AssistantTool(string name, string description, ToolSchema schema, bool changesState,
    Func<Dictionary<string, JsonElement>, CancellationToken, Task<object>> run) : AIFunction
{
    private readonly JsonElement _schema = schema.ToJson();

    public override string Name => name;
    public override string Description => description;
    public override JsonElement JsonSchema => _schema;
    public override JsonSerializerOptions JsonSerializerOptions => AssistantTools.Json;

    /// <summary>True for tools whose answer depends on or changes the customer's own state (cart, orders, hand-off, memory):
    /// a reply that called one is never cached.</summary>
    public bool ChangesState => changesState;

    public ToolSchema Schema => schema;

    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        var (problems, values) = schema.Validate(arguments);
        if (problems.Count > 0)
        {
            // Refused: the reason goes back to the model as the tool's result, so it can correct the call or tell the customer.
            return JsonSerializer.SerializeToElement(new { refused = true, error = "Invalid arguments: " + string.Join(" ", problems) }, AssistantTools.Json);
        }
        var result = await run(values, cancellationToken);
        return JsonSerializer.SerializeToElement(result, result.GetType(), AssistantTools.Json);
    }
}

/// <summary>
/// The assistant's tools for one store and one reply, run as the ambient user of the scope: search the store's menu, product
/// details, stock, add to cart (the cart's own rules: 30 g, stock, 20 per product), the customer's own orders, store hours,
/// hand-off to a person, and remembering a stated preference. Every client (models and the built-in assistant) gets the same set.
/// </summary>
public sealed class AssistantTools(
    IDbContextFactory<WeedGoDbContext> contexts, MenuQueries menu, CartService cart, OrderQueries orders, CustomerMemoryService memory,
    ICurrentUser user, TimeProvider clock)
{
    public const string SearchProducts = "search_products";
    public const string ProductDetails = "product_details";
    public const string StockAtStore = "stock_at_store";
    public const string AddToCart = "add_to_cart";
    public const string OrderStatus = "order_status";
    public const string StoreHours = "store_hours";
    public const string RequestPerson = "request_person";
    public const string RememberPreference = "remember_preference";

    public static readonly IReadOnlyList<string> Sorts = ["popular", "price_low", "price_high", "potency", "newest"];
    public static readonly IReadOnlyList<string> StrainTypes = ["Indica", "Sativa", "Hybrid", "Blend"];

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The tools for one reply at <paramref name="storeId"/>; categories are the store's own (the schema's enum).</summary>
    public async Task<IReadOnlyList<AssistantTool>> ForStoreAsync(Guid storeId, Guid? conversationId, int searchLimit, CancellationToken ct = default)
    {
        var facets = await menu.FacetsAsync(storeId, inStockOnly: false, ct: ct);
        var categories = facets.Categories.Select(c => c.Value).ToList();
        return
        [
            new(SearchProducts, "Search this store's menu. Filters are optional; results are real products with price, potency labels and stock.",
                new ToolSchema()
                    .String("query", "Words to match in product name, brand or SKU (e.g. 'blue dream').", maxLength: 100)
                    .String("category", "Product category.", oneOf: categories.Count > 0 ? categories : null, maxLength: 60)
                    .String("strain_type", "Strain type.", oneOf: StrainTypes, maxLength: 20)
                    .String("terpene", "A terpene the product lists (e.g. Limonene).", maxLength: 40)
                    .String("size", "Package size as the menu writes it (e.g. '3.5 g', '28 g', '355 mL').", maxLength: 30)
                    .Number("min_thc", "Lowest THC in the label's own unit (% for flower, mg/g extracts, mg per unit edibles).", min: 0, max: 1000)
                    .Number("max_thc", "Highest THC in the label's own unit.", min: 0, max: 1000)
                    .Number("min_cbd", "Lowest CBD in the label's own unit.", min: 0, max: 1000)
                    .Number("min_price", "Lowest price in CAD.", min: 0, max: 10000)
                    .Number("max_price", "Highest price in CAD.", min: 0, max: 10000)
                    .String("sort", "Order of results.", oneOf: Sorts, maxLength: 20)
                    .Boolean("include_sold_out", "Also list products sold out at this store.")
                    .Integer("limit", "How many products (1-10).", min: 1, max: 10),
                changesState: false, (a, c) => SearchAsync(storeId, a, searchLimit, c)),
            new(ProductDetails, "Everything the label and catalogue say about one product of this store, by SKU.",
                new ToolSchema().String("sku", "The product's SKU.", required: true, maxLength: 60),
                changesState: false, (a, c) => DetailsAsync(storeId, a, c)),
            new(StockAtStore, "How many units of a product this store has available now, by SKU.",
                new ToolSchema().String("sku", "The product's SKU.", required: true, maxLength: 60),
                changesState: false, (a, c) => StockAsync(storeId, a, c)),
            new(AddToCart, "Adds a product to the customer's cart at this store. The cart refuses additions over the 30 g limit or the stock.",
                new ToolSchema()
                    .String("product_id", "The product's id (from search results).", required: true, maxLength: 36, format: "uuid")
                    .Integer("quantity", "Units to add (1-20).", min: 1, max: 20),
                changesState: true, (a, c) => AddToCartAsync(storeId, a, c)),
            new(OrderStatus, "The signed-in customer's own recent orders and their status (optionally one order by number).",
                new ToolSchema().String("order_number", "An order number the customer gave.", maxLength: 20),
                changesState: true, (a, c) => OrdersAsync(a, c)),
            new(StoreHours, "This store's opening hours, whether it is open now, address and phone.",
                new ToolSchema(), changesState: false, (_, c) => HoursAsync(storeId, c)),
            new(RequestPerson, "Hands the conversation to a staff member (the customer asked for a person, or you cannot help).",
                new ToolSchema().String("reason", "Why, in a few words.", required: true, maxLength: 200),
                changesState: true, (a, _) => Task.FromResult<object>(new { handoff = true, reason = Text(a, "reason") ?? "The customer asked for a person." })),
            new(RememberPreference, "Remembers a preference the customer stated about themselves (signed-in customers only; they can delete it).",
                new ToolSchema().String("preference", "The preference in the customer's words, e.g. 'prefers indica'.", required: true, maxLength: 200),
                changesState: true, (a, c) => RememberAsync(storeId, conversationId, a, c)),
        ];
    }

    private static string? Text(Dictionary<string, JsonElement> a, string name) =>
        a.TryGetValue(name, out var v) && v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString()) ? v.GetString()!.Trim() : null;

    private static decimal? Number(Dictionary<string, JsonElement> a, string name) => a.TryGetValue(name, out var v) ? v.GetDecimal() : null;

    private async Task<object> SearchAsync(Guid storeId, Dictionary<string, JsonElement> a, int searchLimit, CancellationToken ct)
    {
        var sort = Text(a, "sort") switch
        {
            "price_low" => MenuSort.PriceLow,
            "price_high" => MenuSort.PriceHigh,
            "potency" => MenuSort.Potency,
            "newest" => MenuSort.Newest,
            _ => MenuSort.Popular,
        };
        var limit = a.TryGetValue("limit", out var l) ? Math.Min(l.GetInt32(), 10) : searchLimit;
        var includeSoldOut = a.TryGetValue("include_sold_out", out var s) && s.ValueKind == JsonValueKind.True;
        var filter = new MenuFilter(
            Text: Text(a, "query"), Category: Text(a, "category"), StrainTypes: Text(a, "strain_type") is { } st ? [st] : null,
            Terpene: Text(a, "terpene"), Size: Text(a, "size"), ThcMin: Number(a, "min_thc"), ThcMax: Number(a, "max_thc"), CbdMin: Number(a, "min_cbd"),
            PriceMin: Number(a, "min_price"), PriceMax: Number(a, "max_price"), InStockOnly: !includeSoldOut, Sort: sort, PageSize: limit);
        var page = await menu.PageAsync(storeId, filter, ct);
        return new
        {
            total = page.Total,
            corrected = page.Corrected,
            products = page.Items.Select(ToolProduct.From).ToList(),
        };
    }

    private async Task<object> DetailsAsync(Guid storeId, Dictionary<string, JsonElement> a, CancellationToken ct)
    {
        var sku = Text(a, "sku")!;
        if (await menu.ProductAsync(storeId, sku, ct) is not { } p)
        {
            return new { found = false, message = $"This store does not list a product with SKU {sku}." };
        }
        var d = p.Product;
        var product = new ToolProduct(d.Id, d.Sku, d.ProductName, d.Brand, d.Category, d.Size, d.StrainType, p.Price, d.Thc, d.Cbd, p.Available, d.ImageUrl);
        return new
        {
            found = true,
            products = new[] { product },
            description = d.ShortDescription ?? d.LongDescription,
            terpenes = d.Terpenes,
            plant_type = d.PlantType,
            equivalency_grams_per_unit = d.IsCannabis ? d.DriedFlowerEquivalency : 0m,
            ontario_grown = d.OntarioGrown,
            craft = d.Craft,
            related = p.Related.Take(3).Select(ToolProduct.From).ToList(),
        };
    }

    private async Task<object> StockAsync(Guid storeId, Dictionary<string, JsonElement> a, CancellationToken ct)
    {
        var sku = Text(a, "sku")!;
        if (await menu.ProductAsync(storeId, sku, ct) is not { } p)
        {
            return new { found = false, message = $"This store does not list a product with SKU {sku}." };
        }
        var d = p.Product;
        var product = new ToolProduct(d.Id, d.Sku, d.ProductName, d.Brand, d.Category, d.Size, d.StrainType, p.Price, d.Thc, d.Cbd, p.Available, d.ImageUrl);
        return new { found = true, sku = d.Sku, name = d.ProductName, available = p.Available, in_stock = p.Available > 0, products = new[] { product } };
    }

    private async Task<object> AddToCartAsync(Guid storeId, Dictionary<string, JsonElement> a, CancellationToken ct)
    {
        var productId = Guid.Parse(Text(a, "product_id")!);
        var quantity = a.TryGetValue("quantity", out var q) ? q.GetInt32() : 1;
        var result = await cart.AddAsync(storeId, productId, quantity, ct);
        if (!result.Succeeded)
        {
            return new { added = false, reason = result.Error!.Message };
        }
        var view = result.Value;
        var line = view.Lines.FirstOrDefault(l => l.ProductId == productId);
        return new
        {
            added = true,
            product = line?.ProductName,
            quantity,
            in_cart = line?.Quantity ?? quantity,
            cart_items = view.ItemCount,
            cart_subtotal = view.Subtotal,
            limit_meter = view.Meter.Describe(),
        };
    }

    private async Task<object> OrdersAsync(Dictionary<string, JsonElement> a, CancellationToken ct)
    {
        if (!user.IsAuthenticated)
        {
            return new { signed_in = false, message = "The customer is not signed in; they must sign in to see their orders." };
        }
        var mine = await orders.MineAsync(10, ct);
        var number = Text(a, "order_number")?.TrimStart('#');
        static string Digits(string s) => new(s.Where(char.IsDigit).ToArray());
        var shown = number is null ? mine.Take(3).ToList()
            : mine.Where(o => string.Equals(o.Number, number, StringComparison.OrdinalIgnoreCase) || (Digits(number).Length > 0 && Digits(o.Number) == Digits(number))).ToList();
        if (number is not null && shown.Count == 0)
        {
            return new { signed_in = true, found = false, message = $"There is no order {number} on this customer's account." };
        }
        return new
        {
            signed_in = true,
            found = shown.Count > 0,
            orders = shown.Select(o => new
            {
                number = o.Number, status = Describe(o.Status), store = o.StoreName, total = o.Total, items = o.Items,
                fulfilment = o.Fulfilment.ToString(), placed = Tenancy.StoreHours.AtStore(o.TimeZoneId, o.PlacedAt).ToString("ddd MMM d, HH:mm", CultureInfo.InvariantCulture),
            }).ToList(),
        };
    }

    public static string Describe(Ordering.OrderStatus status) => status switch
    {
        Ordering.OrderStatus.Placed => "placed (waiting for the store to confirm)",
        Ordering.OrderStatus.Confirmed => "confirmed",
        Ordering.OrderStatus.Packed => "packed",
        Ordering.OrderStatus.ReadyForPickup => "ready for pickup",
        Ordering.OrderStatus.OutForDelivery => "out for delivery",
        Ordering.OrderStatus.Completed => "completed",
        Ordering.OrderStatus.Cancelled => "cancelled",
        Ordering.OrderStatus.Returned => "returned",
        _ => status.ToString(),
    };

    private async Task<object> HoursAsync(Guid storeId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var s = await db.Stores.AsNoTracking().Where(x => x.Id == storeId)
            .Select(x => new { x.Name, x.Hours, x.TimeZoneId, x.Address, x.Phone }).FirstOrDefaultAsync(ct);
        if (s is null)
        {
            return new { found = false };
        }
        var now = clock.GetUtcNow();
        var week = Enumerable.Range(0, 7).Select(i => (DayOfWeek)((i + 1) % 7))
            .Select(d => new { day = d.ToString(), hours = Tenancy.StoreHours.Describe(s.Hours.FirstOrDefault(h => h.Day == d)).Replace("Closed today", "Closed") })
            .ToList();
        return new
        {
            found = true,
            store = s.Name,
            open_now = Tenancy.StoreHours.IsOpenAt(s.Hours, s.TimeZoneId, now),
            today = Tenancy.StoreHours.Describe(Tenancy.StoreHours.Today(s.Hours, s.TimeZoneId, now)),
            week,
            address = s.Address.ToString(),
            phone = s.Phone,
        };
    }

    private async Task<object> RememberAsync(Guid storeId, Guid? conversationId, Dictionary<string, JsonElement> a, CancellationToken ct)
    {
        var saved = await memory.RememberAsync(Text(a, "preference")!, storeId, conversationId, ct);
        return saved.Succeeded
            ? new { remembered = true, preference = saved.Value }
            : new { remembered = false, reason = saved.Error!.Message };
    }
}
