using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Chat;
using WeedGo.Core.Ordering;
using WeedGo.Tests.Support;
using static WeedGo.Tests.Chat.AssistantKit;

namespace WeedGo.Tests.Chat;

/// <summary>The OpenAI-compatible provider for real over HTTP, against a scripted server on loopback: streaming, tools run by the
/// function-invocation layer, argument validation reported back to the model, usage and cost, caching, budget, compliance.</summary>
public sealed class AssistantProviderTests(AssistantFixture db) : IClassFixture<AssistantFixture>
{
    // Each test uses its own store, so settings and caches never meet: Queen West, Yorkville and Square One.
    [Fact]
    public async Task A_model_searches_with_a_tool_then_streams_its_answer_and_tokens_and_cost_are_recorded()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        var store = DemoWorld.Yorkville;
        await UseFakeModelAsync(db, store, server);
        server.ThenTool(AssistantTools.SearchProducts, """{"category":"Flower","strain_type":"Indica","limit":2}""", promptTokens: 300, completionTokens: 20)
              .ThenText("Here are two indica flowers I found for you at this store, both in stock right now.", promptTokens: 500, completionTokens: 40);
        var conversation = Guid.CreateVersion7();

        var reply = await AskAsync(db, Customer(), "Something relaxing in flower?", conversation, store);

        var search = Assert.Single(reply.Tools);
        Assert.Equal(AssistantTools.SearchProducts, search.Name);
        Assert.False(search.Refused);
        Assert.Equal(2, reply.Products.Count);
        var menu = await MenuIdsAsync(db, store);
        Assert.All(reply.Products, p => Assert.Contains(p.ProductId, menu));
        Assert.All(reply.Products, p => Assert.Equal("Flower", p.Category));
        Assert.Equal("Here are two indica flowers I found for you at this store, both in stock right now.", reply.Text);
        Assert.True(reply.TextChunks > 1, "the answer streams in several chunks");
        // The second request carried the tool's result back to the model.
        Assert.Equal(2, server.RequestCount);
        Assert.Contains("\"role\":\"tool\"", server.MessagesOf(1));
        Assert.Contains(reply.Products[0].Sku, server.MessagesOf(1));
        Assert.Contains("search_products", server.Requests[0].GetProperty("tools").GetRawText());

        var usage = reply.Usage;
        Assert.Equal(("openai", AssistantFixture.FakeModel, 800, 60, false), (usage.Provider, usage.Model, usage.InputTokens, usage.OutputTokens, usage.Cached));
        Assert.Equal(Math.Round((800 * 2m + 60 * 8m) / 1_000_000m, 6), usage.Cost);
        var row = Assert.Single(await UsageAsync(db, conversation));
        Assert.Equal((800, 60, usage.Cost, "openai", false, true), (row.InputTokens, row.OutputTokens, row.Cost, row.Provider, row.Cached, row.Answered));
        Assert.Equal(DemoWorld.User("customer@northernlights.demo"), row.UserId);
    }

    [Fact]
    public async Task A_tool_call_with_invalid_arguments_is_refused_and_the_refusal_is_sent_back_to_the_model()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        var store = DemoWorld.SquareOne;
        await UseFakeModelAsync(db, store, server);
        server.ThenTool(AssistantTools.AddToCart, """{"product_id":"not-a-uuid","quantity":500,"colour":"green"}""")
              .ThenText("Sorry, I could not add that. Which product would you like?");
        var me = Customer();

        var reply = await AskAsync(db, me, "add the thing to my cart", store: store);

        var call = Assert.Single(reply.Tools);
        Assert.True(call.Refused);
        Assert.Contains("Invalid arguments", call.ResultJson);
        Assert.Equal(2, server.RequestCount);
        var sentBack = server.MessagesOf(1);
        Assert.Contains("Invalid arguments", sentBack);
        Assert.Contains("'quantity' must be at most 20", sentBack);
        Assert.Contains("'product_id' must be a product id", sentBack);
        Assert.Contains("'colour' is not an argument", sentBack);
        await using var scope = db.As(me);
        Assert.True((await scope.ServiceProvider.GetRequiredService<CartService>().GetAsync(store)).IsEmpty);
        Assert.Equal("Sorry, I could not add that. Which product would you like?", reply.Text);
    }

    [Fact]
    public async Task The_same_question_in_the_same_context_is_answered_from_the_cache_but_a_cart_change_never_is()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        var store = DemoWorld.QueenWest;
        await UseFakeModelAsync(db, store, server);
        server.ThenTool(AssistantTools.SearchProducts, """{"category":"Vapes","limit":3}""").ThenText("Three vapes for you.", 100, 10);

        var first = await AskAsync(db, Guest(), "Any vapes?", store: store);
        var second = await AskAsync(db, Guest(), "Any vapes?", store: store);

        Assert.Equal(2, server.RequestCount); // the second answer never reached the model
        Assert.False(first.Usage.Cached);
        Assert.True(second.Usage.Cached);
        Assert.Equal((0, 0, 0m), (second.Usage.InputTokens, second.Usage.OutputTokens, second.Usage.Cost));
        Assert.Equal(first.Text, second.Text);
        Assert.Equal(first.Products.Select(p => p.ProductId), second.Products.Select(p => p.ProductId));

        // A different question misses.
        server.ThenText("We open at 9.");
        var other = await AskAsync(db, Guest(), "When do you open?", store: store);
        Assert.False(other.Usage.Cached);
        Assert.Equal(3, server.RequestCount);

        // A reply that changed the cart is not stored: the same words go to the model again.
        var productId = first.Products[0].ProductId;
        for (var i = 0; i < 2; i++)
        {
            server.ThenTool(AssistantTools.AddToCart, $$"""{"product_id":"{{productId}}","quantity":1}""").ThenText("Added.");
            var added = await AskAsync(db, Guest(), "Add the first vape to my cart", store: store);
            Assert.False(added.Usage.Cached);
            Assert.Contains(added.Tools, t => t.Name == AssistantTools.AddToCart && t.ResultJson.Contains("\"added\":true"));
        }
        Assert.Equal(7, server.RequestCount);
    }

    [Fact]
    public async Task When_the_monthly_budget_is_spent_the_built_in_assistant_answers_and_staff_get_a_note()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        var store = DemoWorld.SquareOne;
        await UseFakeModelAsync(db, store, server, budget: 0.50m);
        await using (var ctx = db.Context())
        {
            ctx.AiUsage.Add(new AiUsage { TenantId = DemoWorld.NorthernLights, StoreId = store, Provider = "openai", Model = AssistantFixture.FakeModel, Cost = 0.75m });
            await ctx.SaveChangesAsync();
        }

        var reply = await AskAsync(db, Guest(), "What are your hours?", store: store);

        Assert.Equal(0, server.RequestCount);
        var note = Assert.Single(reply.Notes);
        Assert.Contains("budget", note.Text);
        Assert.Contains("$0.50", note.Text);
        Assert.Equal("builtin", reply.Usage.Provider);
        Assert.Contains("Square One", reply.Text);
        Assert.Null(reply.HandOff);

        // The store may choose to hand chats to staff instead.
        await ConfigureAsync(db, store, s => s.HandOffWhenBudgetExhausted = true);
        var handed = await AskAsync(db, Guest(), "What are your hours?", store: store);
        Assert.NotNull(handed.HandOff);
        Assert.Single(handed.Notes);
        Assert.Equal(0, server.RequestCount);
        await ConfigureAsync(db, store, s => s.MonthlyBudget = null);
    }

    [Fact]
    public async Task A_reply_with_a_medical_claim_is_replaced_by_a_safe_one_and_never_streamed()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        var store = DemoWorld.Yorkville;
        await UseFakeModelAsync(db, store, server);
        server.ThenText("Honestly this one is great because it cures anxiety and helps you sleep through the night every single time.");
        var conversation = Guid.CreateVersion7();

        var reply = await AskAsync(db, Guest(), "What's good for anxiety? (provider test)", conversation, store);

        Assert.Equal(AssistantCompliance.SafeReply, reply.Text);
        Assert.Contains(reply.Updates, u => u is AssistantReplaceText);
        Assert.DoesNotContain(reply.Updates.OfType<AssistantText>(), t => t.Chunk.Contains("cures", StringComparison.OrdinalIgnoreCase));
        Assert.True(Assert.Single(await UsageAsync(db, conversation)).Blocked);
    }

    [Fact]
    public async Task A_customer_over_the_model_call_limit_gets_the_built_in_assistant_and_staff_a_note()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        var store = DemoWorld.Yorkville;
        await UseFakeModelAsync(db, store, server);
        db.Limiter.Refuse = true;
        try
        {
            var reply = await AskAsync(db, Customer(), "What are your hours? (limit test)", store: store);
            Assert.Equal(0, server.RequestCount);
            Assert.Contains(reply.Notes, n => n.Text.Contains("hourly limit of AI model calls"));
            Assert.Equal("builtin", reply.Usage.Provider);
            Assert.Contains("Yorkville", reply.Text);
            Assert.Contains(Core.RateLimiting.RateOperations.AiModel, db.Limiter.Asked);
        }
        finally
        {
            db.Limiter.Refuse = false;
        }
    }

    [Fact]
    public async Task A_failing_provider_falls_back_to_the_built_in_assistant_with_a_note_for_staff()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        var store = DemoWorld.SquareOne;
        await UseFakeModelAsync(db, store, server);
        server.Then(new FakeOpenAiServer.Scripted(Status: 401));

        var reply = await AskAsync(db, Guest(), "What is the 30 g limit?", store: store);

        Assert.Equal(1, server.RequestCount);
        Assert.Contains(reply.Notes, n => n.Text.Contains("failed"));
        Assert.Equal("builtin", reply.Usage.Provider);
        Assert.Contains("30 g", reply.Text);
    }

    [Fact]
    public async Task An_ollama_store_talks_to_the_servers_openai_compatible_v1_endpoint_without_a_key()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        var store = DemoWorld.QueenWest;
        await ConfigureAsync(db, store, s => (s.Provider, s.BaseUrl, s.Model, s.ApiKeyName, s.MonthlyBudget) =
            (AssistantProvider.Ollama, server.BaseUrl[..^"/v1".Length], "llama3.1", null, null));
        server.ThenText("Hello from a local model.", 40, 6);

        var reply = await AskAsync(db, Guest(), "Say hello, local model");

        Assert.Equal(1, server.RequestCount);
        Assert.Equal("llama3.1", server.Requests[0].GetProperty("model").GetString());
        Assert.Equal("Hello from a local model.", reply.Text);
        Assert.Equal(("ollama", "llama3.1", 40, 6), (reply.Usage.Provider, reply.Usage.Model, reply.Usage.InputTokens, reply.Usage.OutputTokens));
        await ConfigureAsync(db, store, s => s.Provider = AssistantProvider.BuiltIn);
    }

    [Fact]
    public async Task A_store_naming_a_key_that_is_not_configured_is_answered_by_the_built_in_assistant()
    {
        var store = DemoWorld.Yorkville;
        await ConfigureAsync(db, store, s => (s.Provider, s.ApiKeyName, s.MonthlyBudget) = (AssistantProvider.OpenAI, "missing-key", null));

        var reply = await AskAsync(db, Guest(), "What are your hours, missing key?", store: store);

        Assert.Contains(reply.Notes, n => n.Text.Contains("missing-key"));
        Assert.Equal("builtin", reply.Usage.Provider);
        await using var ctx = db.Context();
        Assert.DoesNotContain(await ctx.StoreAiSettings.Select(s => s.ApiKeyName).ToListAsync(), k => k != null && k.StartsWith("sk-"));
    }
}
