using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Chat;
using WeedGo.Core.Ordering;
using WeedGo.Tests.Support;
using static WeedGo.Tests.Chat.AssistantKit;

namespace WeedGo.Tests.Chat;

/// <summary>The built-in offline assistant against the demo catalogue at Queen West: a table of customer questions, each checked for
/// the right tools and products, and that every product it names is a real product of the store's menu.</summary>
public sealed class BuiltInAssistantTests(AssistantFixture db) : IClassFixture<AssistantFixture>
{
    private sealed record MenuRow(Guid Id, string Name, string Category, string? Strain, decimal Price, int Available, decimal Grams);

    private async Task<List<MenuRow>> MenuAsync()
    {
        await using var ctx = db.Context();
        return await ctx.Inventory.Where(i => i.StoreId == Store)
            .Join(ctx.Products, i => i.ProductId, p => p.Id, (i, p) => new MenuRow(p.Id, p.ProductName, p.Category, p.StrainType,
                (i.RetailPriceOverride ?? p.UnitPrice) ?? 0m, i.Available, p.DriedFlowerEquivalency))
            .ToListAsync();
    }

    /// <summary>Every product card is on the store's menu, and every bullet line of the text names one of the cards.</summary>
    private static void OnlyRealProducts(Reply reply, List<MenuRow> menu)
    {
        var ids = menu.Select(m => m.Id).ToHashSet();
        Assert.All(reply.Products, p => Assert.Contains(p.ProductId, ids));
        foreach (var line in reply.Text.Split('\n').Where(l => l.StartsWith("• ", StringComparison.Ordinal) && l.Contains(" · ")))
        {
            Assert.Contains(reply.Products, p => line.StartsWith("• " + p.Name, StringComparison.Ordinal));
        }
    }

    public static TheoryData<string, string, string?, string?> Recommendations => new()
    {
        // question, expected first tool, category, strain type
        { "Can you recommend something relaxing?", AssistantTools.SearchProducts, null, "Indica" },
        { "I want an energetic sativa pre-roll", AssistantTools.SearchProducts, "Pre-Rolls", "Sativa" },
        { "Show me hybrid flower", AssistantTools.SearchProducts, "Flower", "Hybrid" },
        { "what's your strongest flower??", AssistantTools.SearchProducts, "Flower", null },
        { "Any gummies for a chill evening?", AssistantTools.SearchProducts, "Edibles", "Indica" },
        { "looking for vapes", AssistantTools.SearchProducts, "Vapes", null },
    };

    [Theory]
    [MemberData(nameof(Recommendations))]
    public async Task Recommendations_search_the_store_menu_and_show_only_real_products(string question, string tool, string? category, string? strain)
    {
        var menu = await MenuAsync();
        var reply = await AskAsync(db, Guest(), question);

        Assert.Equal(tool, reply.Tools[0].Name);
        Assert.NotEmpty(reply.Products);
        OnlyRealProducts(reply, menu);
        Assert.All(reply.Products, p =>
        {
            var row = menu.Single(m => m.Id == p.ProductId);
            Assert.True(row.Available > 0, $"{row.Name} is in stock");
            if (category is not null)
            {
                Assert.Equal(category, row.Category);
            }
            if (strain is not null)
            {
                Assert.Equal(strain, row.Strain);
            }
        });
        Assert.Equal("builtin", reply.Usage.Provider);
        Assert.Equal(0m, reply.Usage.Cost);
    }

    [Fact]
    public async Task A_price_ceiling_and_the_cheapest_sort_are_honoured()
    {
        var menu = await MenuAsync();
        var under = await AskAsync(db, Guest(), "Flower under $25 please");
        Assert.NotEmpty(under.Products);
        Assert.All(under.Products, p => Assert.True(p.Price <= 25m && p.Category == "Flower"));
        OnlyRealProducts(under, menu);

        var cheapest = await AskAsync(db, Guest(), "What are your cheapest edibles?");
        var prices = cheapest.Products.Select(p => p.Price!.Value).ToList();
        Assert.Equal(prices.Order(), prices);
        var cheapestInStock = menu.Where(m => m.Category == "Edibles" && m.Available > 0).Min(m => m.Price);
        Assert.Equal(cheapestInStock, prices[0]);
    }

    [Fact]
    public async Task Stock_details_and_compare_use_their_tools_for_named_products()
    {
        var menu = await MenuAsync();
        var flower = menu.Where(m => m.Category == "Flower" && m.Available > 0).OrderBy(m => m.Name).First();
        var stock = await AskAsync(db, Guest(), $"Do you have {flower.Name} in stock?");
        Assert.Equal([AssistantTools.SearchProducts, AssistantTools.StockAtStore], stock.Tools.Select(t => t.Name).ToArray());
        Assert.Contains(flower.Name, stock.Text);
        Assert.Contains("available", stock.Text);
        OnlyRealProducts(stock, menu);

        var details = await AskAsync(db, Guest(), $"Tell me about {flower.Name}");
        Assert.Equal([AssistantTools.SearchProducts, AssistantTools.ProductDetails], details.Tools.Select(t => t.Name).ToArray());
        Assert.Contains("The label says THC", details.Text);

        var other = menu.Where(m => m.Category == "Pre-Rolls" && m.Available > 0).OrderBy(m => m.Name).First();
        var compare = await AskAsync(db, Guest(), $"compare {flower.Name} and {other.Name}");
        Assert.Equal(2, compare.Tools.Count(t => t.Name == AssistantTools.SearchProducts));
        Assert.Equal(2, compare.Products.Count);
        OnlyRealProducts(compare, menu);
        Assert.Contains("as the labels give them", compare.Text);
    }

    [Fact]
    public async Task A_product_the_store_does_not_carry_is_never_invented()
    {
        var reply = await AskAsync(db, Guest(), "Do you have Zyxwvut Qqqq in stock?");
        Assert.Empty(reply.Products);
        Assert.Contains("doesn't carry", reply.Text);
    }

    [Theory]
    [InlineData("Can I talk to a person?")]
    [InlineData("I'd like to speak with a budtender please")]
    [InlineData("human")]
    public async Task Asking_for_a_person_hands_the_conversation_to_staff(string question)
    {
        var reply = await AskAsync(db, Guest(), question);
        Assert.Equal(AssistantTools.RequestPerson, Assert.Single(reply.Tools).Name);
        Assert.NotNull(reply.HandOff);
        Assert.Contains("budtender", reply.Text);
    }

    [Fact]
    public async Task The_30_gram_rule_and_store_hours_are_answered()
    {
        var limit = await AskAsync(db, Guest(), "How much can I buy? Is there a 30g limit?");
        Assert.Contains("30 g", limit.Text);
        Assert.Empty(limit.Tools);

        var hours = await AskAsync(db, Guest(), "What time do you close today?");
        Assert.Equal(AssistantTools.StoreHours, Assert.Single(hours.Tools).Name);
        Assert.Contains("Queen West", hours.Text);
        Assert.Contains("Monday", hours.Text);
        Assert.Contains("672 Queen St W", hours.Text);
    }

    [Fact]
    public async Task Adding_to_the_cart_respects_the_30_gram_meter_and_says_why_it_refuses()
    {
        var menu = await MenuAsync();
        var me = await Ordering.OrderingKit.NewCustomerAsync(db);
        var preRoll = menu.Where(m => m.Category == "Pre-Rolls" && m.Available >= 2 && m.Grams > 0).OrderBy(m => m.Name).First();
        var added = await AskAsync(db, me, $"Please add 2 {preRoll.Name} to my cart");
        Assert.Contains(added.Tools, t => t.Name == AssistantTools.AddToCart && !t.Refused);
        await using (var scope = db.As(me))
        {
            var cart = await scope.ServiceProvider.GetRequiredService<CartService>().GetAsync(Store);
            var line = Assert.Single(cart.Lines);
            Assert.Equal(2, line.Quantity);
            Assert.Contains(line.ProductName, added.Text);
            Assert.Contains(cart.Meter.Describe(), added.Text);
        }

        var ounce = menu.Where(m => m.Category == "Flower" && m.Grams == 28m && m.Available >= 2).OrderBy(m => m.Name).First();
        var refused = await AskAsync(db, me, $"add 2 {ounce.Name} flower 28 g to cart");
        var call = refused.Tools.Single(t => t.Name == AssistantTools.AddToCart);
        Assert.Contains("\"added\":false", call.ResultJson);
        Assert.Contains("30 g", refused.Text);
        Assert.Contains("couldn't add", refused.Text);
    }

    [Fact]
    public async Task Order_status_shows_only_the_customers_own_orders()
    {
        var menu = await MenuAsync();
        var product = menu.Where(m => m.Category == "Pre-Rolls" && m.Available >= 3).OrderByDescending(m => m.Name).First();
        var alice = await Ordering.OrderingKit.NewCustomerAsync(db);
        var bob = await Ordering.OrderingKit.NewCustomerAsync(db);
        var aliceOrder = await Ordering.OrderingKit.OrderAsync(db, alice, product.Id, 1);
        var bobOrder = await Ordering.OrderingKit.OrderAsync(db, bob, product.Id, 1);

        var mine = await AskAsync(db, alice, "Where is my order?");
        Assert.Equal(AssistantTools.OrderStatus, Assert.Single(mine.Tools).Name);
        Assert.Contains(aliceOrder.Number, mine.Text);
        Assert.DoesNotContain(bobOrder.Number, mine.Text);

        var snooping = await AskAsync(db, alice, $"What is the status of order #{bobOrder.Number}?");
        Assert.Contains($"no order {bobOrder.Number}", snooping.Text);
        Assert.DoesNotContain(bobOrder.Number, snooping.Tools.Single().ResultJson.Replace($"no order {bobOrder.Number}", ""));

        var guest = await AskAsync(db, Guest(), "track my order");
        Assert.Contains("sign in", guest.Text);
    }

    [Theory]
    [InlineData("I'm 17, what should I try?")]
    [InlineData("What's a good edible for my teenager?")]
    public async Task Questions_for_minors_are_refused_without_looking_anything_up(string question)
    {
        var reply = await AskAsync(db, Guest(), question);
        Assert.Empty(reply.Tools);
        Assert.Contains("19", reply.Text);
    }

    [Fact]
    public async Task Medical_questions_get_no_medical_claims()
    {
        var reply = await AskAsync(db, Guest(), "Which strain cures anxiety?");
        Assert.Empty(reply.Tools);
        Assert.Contains("healthcare practitioner", reply.Text);
        Assert.True(AssistantCompliance.Check(reply.Text, []).Passed);
    }

    [Fact]
    public async Task A_stated_preference_is_remembered_shown_to_the_customer_and_used()
    {
        var me = await Ordering.OrderingKit.NewCustomerAsync(db);
        var said = await AskAsync(db, me, "I really prefer indica strains.");
        Assert.Equal(AssistantTools.RememberPreference, Assert.Single(said.Tools).Name);
        await using (var scope = db.As(me))
        {
            var memories = await scope.ServiceProvider.GetRequiredService<CustomerMemoryService>().MineAsync();
            Assert.Equal("I really prefer indica strains", Assert.Single(memories).Text);
        }
        var menu = await MenuAsync();
        var reply = await AskAsync(db, me, "recommend some flower");
        Assert.Contains("\"strain_type\":\"Indica\"", reply.Tools[0].ArgumentsJson);
        Assert.All(reply.Products, p => Assert.Equal("Indica", menu.Single(m => m.Id == p.ProductId).Strain));
        Assert.Contains("you told me you prefer it", reply.Text);

        var guest = await AskAsync(db, Guest(), "I love sativa");
        Assert.Contains("sign", guest.Text);
    }

    [Fact]
    public async Task Three_unhelpful_answers_in_a_row_hand_the_conversation_to_staff()
    {
        var conversation = Guid.CreateVersion7();
        var first = await AskAsync(db, Guest(), "zzqx", conversation);
        var second = await AskAsync(db, Guest(), "qqwj", conversation);
        Assert.Null(first.HandOff);
        Assert.Null(second.HandOff);
        var third = await AskAsync(db, Guest(), "xxkv", conversation);
        Assert.NotNull(third.HandOff);
        Assert.All(await UsageAsync(db, conversation), u => Assert.False(u.Answered));
    }

    [Fact]
    public async Task The_same_question_hits_the_cache_the_second_time_and_a_new_one_misses()
    {
        var first = await AskAsync(db, Guest(), "Show me some indica vapes (cache test)");
        var again = await AskAsync(db, Guest(), "show me some INDICA vapes (cache test)");
        var other = await AskAsync(db, Guest(), "Show me some sativa vapes (cache test)");
        Assert.False(first.Usage.Cached);
        Assert.True(again.Usage.Cached);
        Assert.False(other.Usage.Cached);
        Assert.Equal(first.Text, again.Text);
        Assert.Equal(first.Products, again.Products);
    }

    [Fact]
    public async Task The_profile_gives_the_store_personality_greeting_and_quick_replies()
    {
        await using var scope = db.As(Guest());
        var profile = await scope.ServiceProvider.GetRequiredService<IAssistant>().ProfileAsync(DemoWorld.Yorkville);
        Assert.True(profile.Enabled);
        Assert.Equal("Sage", profile.PersonalityName);
        Assert.NotEmpty(profile.QuickReplies);
        Assert.StartsWith("Welcome", profile.Greeting);
    }

    [Fact]
    public void Tool_arguments_are_validated_against_their_schema()
    {
        var schema = new ToolSchema().String("sku", "sku", required: true, maxLength: 5).Integer("n", "n", min: 1, max: 3).String("kind", "k", oneOf: ["a", "b"]);
        var (ok, values) = schema.Validate(new Dictionary<string, object?> { ["sku"] = JsonSerializer.SerializeToElement("AB1"), ["n"] = 2 });
        Assert.Empty(ok);
        Assert.Equal("AB1", values["sku"].GetString());
        var (bad, _) = schema.Validate(new Dictionary<string, object?> { ["n"] = 2.5, ["kind"] = "c", ["x"] = 1 });
        Assert.Contains("'sku' is required.", bad);
        Assert.Contains("'n' must be a whole number.", bad);
        Assert.Contains(bad, p => p.StartsWith("'kind' must be one of: a, b"));
        Assert.Contains(bad, p => p.StartsWith("'x' is not an argument"));
        Assert.Equal("object", schema.ToJson().GetProperty("type").GetString());
        Assert.False(schema.ToJson().GetProperty("additionalProperties").GetBoolean());
    }
}
