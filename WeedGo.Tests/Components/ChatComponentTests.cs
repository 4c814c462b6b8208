using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using WeedGo.Core;
using WeedGo.Core.Chat;
using WeedGo.Core.Common;
using WeedGo.Core.Live;
using WeedGo.Core.Ordering;
using WeedGo.Core.RateLimiting;
using WeedGo.Core.Tenancy;
using WeedGo.Tests.Chat;
using WeedGo.Tests.Ordering;
using WeedGo.Tests.Support;
using WeedGo.Web.Components.Admin.Chats;
using WeedGo.Web.Components.Shop;
using WeedGo.Web.Components.Shop.Chat;

namespace WeedGo.Tests.Components;

/// <summary>The storefront chat widget and the staff chat console over real services, a real database and the scripted
/// assistant; the other side of each conversation acts through the services, as another person's browser would.</summary>
public sealed class ChatComponentTests : BunitTestBase, IClassFixture<ChatDatabaseFixture>, IAsyncLifetime
{
    private readonly ChatDatabaseFixture _db;
    private readonly TestUser _user = new();
    private readonly ShopState _shop = new() { ConfirmedAge = 19 };

    public ChatComponentTests(ChatDatabaseFixture db)
    {
        _db = db;
        var services = Context.Services;
        services.AddLogging();
        services.AddSingleton<TimeProvider>(db.Clock);
        services.AddWeedGoCore(db.ConnectionString);
        services.AddSingleton(_user);
        services.AddSingleton<ITenantContext>(_user);
        services.AddSingleton<ICurrentUser>(_user);
        services.AddSingleton<IShopper>(_user);
        services.AddSingleton(db.Services.GetRequiredService<ILiveEvents>());
        services.AddSingleton<IAssistant>(db.Assistant);
        services.AddSingleton<IOperationLimiter>(db.Limiter);
        services.AddSingleton(_shop);
    }

    public new async Task InitializeAsync()
    {
        await using var scope = _db.As(TestUser.Anonymous(DemoWorld.NorthernLights));
        var store = (await scope.ServiceProvider.GetRequiredService<StoreQueries>().ListForStorefrontAsync()).Single(s => s.Id == DemoWorld.QueenWest);
        _shop.SetStore(store);
    }

    private async Task<IReadOnlyList<AssistantProductRef>> CardsAsync()
    {
        var heavy = await OrderingKit.StockedAsync(_db, 5, grams: 31m, price: 40m); // one unit is over the 30 g limit
        var light = await OrderingKit.StockedAsync(_db, 5, grams: 1m, price: 12m);
        await using var ctx = _db.Context();
        return await ctx.Products.AsNoTracking().Where(p => p.Id == light.Id || p.Id == heavy.Id).OrderBy(p => p.UnitPrice)
            .Select(p => new AssistantProductRef(p.Id, p.Sku, p.ProductName, p.Brand, p.Category, p.UnitPrice, "20%", null, true, p.ImageUrl))
            .ToListAsync();
    }

    private async Task<Guid> ConversationOfAsync(TestUser who)
    {
        await using var ctx = _db.Context();
        return who.UserId is { } id
            ? await ctx.ChatConversations.Where(c => c.CustomerId == id && c.Status != ChatStatus.Closed).Select(c => c.Id).SingleAsync()
            : await ctx.ChatConversations.Where(c => c.ShopperKey == who.ShopperKey && c.Status != ChatStatus.Closed).Select(c => c.Id).SingleAsync();
    }

    [Fact]
    public async Task The_widget_greets_streams_a_reply_with_cards_adds_to_the_cart_shows_the_30_g_refusal_and_hands_over_to_a_person()
    {
        _user.CopyFrom(OrderingKit.Guest());
        _db.Assistant.Products = await CardsAsync();
        var cut = Context.Render<ChatLauncher>();
        Assert.Empty(cut.FindAll("[data-testid=chat-panel]")); // nothing loads until opened

        await cut.InvokeAsync(() => cut.Find("[data-testid=chat-launcher]").Click());
        cut.WaitForAssertion(() => Assert.Contains("Hi, I'm Budd", cut.Find("[data-testid=chat-greeting]").TextContent));
        Assert.Equal("Budd", cut.Find("[data-testid=chat-name]").TextContent);
        await cut.InvokeAsync(() => cut.FindAll("[data-testid=chat-quick]").Single(b => b.TextContent.Contains("relaxing")).Click());

        cut.WaitForAssertion(() => Assert.Contains("Here are two relaxing picks.", cut.FindAll("[data-testid=chat-message][data-author=Assistant]").Single().TextContent));
        Assert.Equal("Recommend something relaxing", cut.Find("[data-testid=chat-message][data-author=Customer]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=chat-quick]")); // quick replies give way once the customer has spoken
        var cards = cut.FindAll("[data-testid=chat-product]");
        Assert.Equal(2, cards.Count);

        // Add the light one: in the cart. Add the 31 g one: refused with the limit's reason.
        await cut.InvokeAsync(() => cut.Find($"[data-testid=chat-product][data-sku='{_db.Assistant.Products[0].Sku}'] [data-testid=chat-add]").Click());
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find($"[data-testid=chat-product][data-sku='{_db.Assistant.Products[0].Sku}'] [data-testid=chat-added]")));
        await cut.InvokeAsync(() => cut.Find($"[data-testid=chat-product][data-sku='{_db.Assistant.Products[1].Sku}'] [data-testid=chat-add]").Click());
        cut.WaitForAssertion(() => Assert.Contains("30 g", cut.Find("[data-testid=chat-add-error]").TextContent));
        await using (var scope = _db.As(_user))
        {
            var cart = await scope.ServiceProvider.GetRequiredService<CartService>().GetAsync(DemoWorld.QueenWest);
            Assert.Equal([_db.Assistant.Products[0].ProductId], cart.Lines.Select(l => l.ProductId));
        }

        // Talk to a person: the widget waits; a budtender claims, types and answers, all live.
        await cut.InvokeAsync(() => cut.Find("[data-testid=chat-person]").Click());
        cut.WaitForAssertion(() => Assert.Equal("Waiting for a team member…", cut.Find("[data-testid=chat-status]").TextContent));
        var id = await ConversationOfAsync(_user);
        Assert.True((await ChatKit.As(_db, ChatKit.Budtender, s => s.ClaimAsync(id))).Succeeded);
        cut.WaitForAssertion(() => Assert.Contains("joined the chat", cut.FindAll("[data-testid=chat-message][data-author=System]").Last().TextContent));
        Assert.DoesNotContain("Talk to a person", cut.Markup);
        Assert.True((await ChatKit.As(_db, ChatKit.Budtender, s => s.TypingAsync(id, true))).Succeeded);
        cut.WaitForAssertion(() => Assert.EndsWith("is typing…", cut.Find("[data-testid=chat-typing]").TextContent));
        Assert.True((await ChatKit.As(_db, ChatKit.Budtender, s => s.StaffPostAsync(id, "Hi! Want something lighter than 31 g?"))).Succeeded);
        cut.WaitForAssertion(() => Assert.Contains("lighter than 31 g", cut.Find("[data-testid=chat-message][data-author=Staff]").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=chat-typing]"));

        // The customer answers from the widget; the assistant stays silent.
        var calls = _db.Assistant.Calls;
        await cut.InvokeAsync(() => cut.Find("[data-testid=chat-input]").Input("Yes please"));
        await cut.InvokeAsync(() => cut.Find("form").Submit());
        cut.WaitForAssertion(() => Assert.Equal(["Recommend something relaxing", "Yes please"],
            cut.FindAll("[data-testid=chat-message][data-author=Customer]").Select(m => m.TextContent.Trim())));
        Assert.Equal(calls, _db.Assistant.Calls);
    }

    [Fact]
    public async Task A_signed_in_customer_sees_earlier_chats_and_an_over_long_message_is_refused_with_the_reason()
    {
        var customer = ChatKit.Customer();
        _user.CopyFrom(customer);
        var earlier = await ChatKit.StartAsync(_db, customer);
        Assert.True((await ChatKit.SayAsync(_db, customer, earlier, "last week's question")).Result.Succeeded);
        Assert.True((await ChatKit.As(_db, customer, s => s.CloseAsync(earlier))).Succeeded);

        var cut = Context.Render<ChatLauncher>();
        await cut.InvokeAsync(() => cut.Find("[data-testid=chat-launcher]").Click());
        cut.WaitForAssertion(() => Assert.Contains("last week's question", cut.Find("[data-testid=chat-messages]").TextContent));
        Assert.Contains("Earlier chat", cut.Find("[data-testid=chat-messages]").TextContent);

        await cut.InvokeAsync(() => cut.Find("[data-testid=chat-input]").Input(new string('z', 1001)));
        await cut.InvokeAsync(() => cut.Find("form").Submit());
        cut.WaitForAssertion(() => Assert.Contains("at most 1,000 characters", cut.Find("[data-testid=chat-error]").TextContent));
    }

    [Fact]
    public async Task The_console_shows_a_waiting_chat_live_with_a_chime_claims_it_and_exchanges_messages_and_typing_both_ways()
    {
        _user.CopyFrom(ChatKit.Budtender);
        Context.Render<MudPopoverProvider>();
        Context.Render<MudSnackbarProvider>();
        var cut = Context.Render<ChatsPage>();
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=chat-list]")), TimeSpan.FromSeconds(10));

        // A customer with a cart asks for a person: the row arrives live, highlighted, NEW, with a chime.
        var customer = await OrderingKit.NewCustomerAsync(_db);
        var p = await OrderingKit.StockedAsync(_db, 10, grams: 3.5m, price: 30m);
        Assert.True((await OrderingKit.AddAsync(_db, customer, p.Id, 2)).Succeeded);
        var id = await ChatKit.StartAsync(_db, customer);
        Assert.True((await ChatKit.SayAsync(_db, customer, id, "Is the Blue Dream in stock?")).Result.Succeeded);
        Assert.True((await ChatKit.As(_db, customer, s => s.RequestPersonAsync(id))).Succeeded);
        var row = $"[data-testid=chat-row][data-conversation='{id}']";
        cut.WaitForAssertion(() => Assert.Contains("chat-row-waiting", cut.Find(row).ClassName));
        Assert.NotNull(cut.Find($"{row} [data-testid=chat-new-badge]"));
        Assert.Contains(Context.JSInterop.Invocations, i => i.Identifier == "weedgo.beep");
        Assert.NotEqual("0", cut.Find("[data-testid=waiting-count]").TextContent);

        // Open it: messages, and the customer's cart beside them.
        await cut.InvokeAsync(() => cut.Find(row).Click());
        cut.WaitForAssertion(() => Assert.Contains("Is the Blue Dream in stock?", cut.Find("[data-testid=chat-thread-messages]").TextContent));
        cut.WaitForAssertion(() => Assert.Contains("2 ×", cut.Find("[data-testid=chat-cart-line]").TextContent));
        Assert.Contains("7 g of 30 g", cut.Find("[data-testid=chat-cart-meter]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=chat-staff-input]")); // claim first

        await cut.InvokeAsync(() => cut.Find("[data-testid=chat-claim]").Click());
        cut.WaitForAssertion(() => Assert.Equal("You are answering", cut.Find("[data-testid=chat-thread-status]").TextContent));
        await cut.InvokeAsync(() => cut.Find("[data-testid=chat-staff-input]").Input("Yes, we have 12 left."));
        await cut.InvokeAsync(() => cut.Find("[data-testid=chat-thread] form").Submit());
        cut.WaitForAssertion(() => Assert.Contains("Yes, we have 12 left.", cut.FindAll("[data-testid=chat-thread-message][data-author=Staff]").Single().TextContent));
        var seen = (await ChatKit.Query(_db, customer, q => q.ViewAsync(id))).Value;
        Assert.Equal("Yes, we have 12 left.", seen.Messages[^1].Text);

        // The customer types and answers: live in the console.
        Assert.True((await ChatKit.As(_db, customer, s => s.TypingAsync(id, true))).Succeeded);
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=chat-customer-typing]")));
        Assert.True((await ChatKit.SayAsync(_db, customer, id, "Great, I'll pick it up")).Result.Succeeded);
        cut.WaitForAssertion(() => Assert.Contains("Great, I'll pick it up", cut.Find("[data-testid=chat-thread-messages]").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=chat-customer-typing]"));

        // Hand back to the assistant, then close.
        cut.WaitForAssertion(() => Assert.False(cut.Find("[data-testid=chat-handback]").HasAttribute("disabled")));
        await cut.InvokeAsync(() => cut.Find("[data-testid=chat-handback]").Click());
        cut.WaitForAssertion(() => Assert.Equal("The assistant is answering", cut.Find("[data-testid=chat-thread-status]").TextContent));
        cut.WaitForAssertion(() => Assert.False(cut.Find("[data-testid=chat-close-conversation]").HasAttribute("disabled")));
        await cut.InvokeAsync(() => cut.Find("[data-testid=chat-close-conversation]").Click());
        cut.WaitForAssertion(() => Assert.Equal("Closed", cut.Find("[data-testid=chat-thread-status]").TextContent));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll(row))); // gone from the open list
    }
}
