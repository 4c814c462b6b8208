using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WeedGo.Core.Accounts;
using WeedGo.Core.Chat;
using WeedGo.Core.Common;
using WeedGo.Core.Data;
using WeedGo.Core.Live;
using WeedGo.Core.Ordering;
using WeedGo.Tests.Ordering;
using WeedGo.Tests.Support;
using static WeedGo.Tests.Chat.ChatKit;

namespace WeedGo.Tests.Chat;

/// <summary>Conversations on real PostgreSQL with a scripted assistant: the lifecycle, the claim race, who may see what, the
/// size and rate limits, and the assistant's silence while staff answer.</summary>
public sealed class ChatServiceTests(ChatDatabaseFixture db) : IClassFixture<ChatDatabaseFixture>
{
    private ScriptedAssistant Assistant => db.Assistant;

    private async Task<IReadOnlyList<AssistantProductRef>> TwoProductsAsync()
    {
        await using var ctx = db.Context();
        return await ctx.Inventory.AsNoTracking().Where(i => i.StoreId == Store && i.Available > 0)
            .Join(ctx.Products, i => i.ProductId, p => p.Id, (i, p) => p).OrderBy(p => p.Sku).Take(2)
            .Select(p => new AssistantProductRef(p.Id, p.Sku, p.ProductName, p.Brand, p.Category, p.UnitPrice, "20%", null, true, p.ImageUrl))
            .ToListAsync();
    }

    private List<LiveEvent> Record(Guid conversation, out IDisposable subscription)
    {
        var seen = new List<LiveEvent>();
        subscription = db.Services.GetRequiredService<ILiveEvents>().Subscribe<LiveEvent>(DemoWorld.NorthernLights, e =>
        {
            if (e is IChatEvent c && c.ConversationId == conversation)
            {
                lock (seen) { seen.Add(e); }
            }
            return Task.CompletedTask;
        });
        return seen;
    }

    [Fact]
    public async Task A_conversation_goes_from_the_assistant_to_a_person_and_back_and_closes()
    {
        Assistant.Products = await TwoProductsAsync();
        var customer = Customer();
        var id = await StartAsync(db, customer);
        Assert.Equal(id, await StartAsync(db, customer)); // resumed, not a second one
        var events = Record(id, out var subscription);
        using var _ = subscription;

        // The assistant answers a recommendation: chunks stream to the caller and to listeners, cards and tool call are stored.
        var (posted, updates) = await SayAsync(db, customer, id, "Can you recommend something relaxing?");
        Assert.True(posted.Succeeded, posted.Error?.Message);
        Assert.Equal("Here are two relaxing picks.", string.Concat(updates.OfType<ChatReplyText>().Select(u => u.Chunk)));
        Assert.Equal(Assistant.Products.Select(p => p.Sku), updates.OfType<ChatReplyProductsFound>().Last().Products.Select(p => p.Sku));
        var done = Assert.IsType<ChatReplyDone>(updates[^1]);
        Assert.Equal("scripted", done.Usage!.Provider);
        Assert.Equal("Here are two relaxing picks.", done.Message!.Text);
        Assert.Equal(5, events.OfType<ChatReplyChunk>().Count());
        Assert.All(events.OfType<ChatReplyChunk>(), c => Assert.Equal(done.Message.Id, c.MessageId));
        Assert.Contains(events.OfType<ChatConversationChanged>(), e => e.Status == ChatStatus.WithAssistant); // it appears in the staff list

        var mine = (await Query(db, customer, q => q.ViewAsync(id))).Value;
        Assert.Equal([ChatAuthorKind.Customer, ChatAuthorKind.Assistant], mine.Messages.Select(m => m.Author));
        Assert.Equal(2, mine.Messages[1].Products.Count);
        Assert.Empty(mine.Messages[1].ToolCalls); // tool calls are for staff
        var staffView = (await Query(db, Budtender, q => q.StaffViewAsync(id))).Value;
        Assert.Equal("search_products", Assert.Single(staffView.Messages[1].ToolCalls).Name);
        await using (var ctx = db.Context())
        {
            var stored = await ctx.ChatMessages.AsNoTracking().SingleAsync(m => m.Id == done.Message.Id);
            Assert.Equal(12, stored.InputTokens);
            Assert.Equal(7, stored.OutputTokens);
        }

        // The customer asks for a person through the assistant: the conversation waits for staff.
        var (_, handOff) = await SayAsync(db, customer, id, "I'd like to talk to a person please");
        Assert.Contains(handOff, u => u is ChatHandedOff);
        var waiting = (await Query(db, Budtender, q => q.ListAsync(Store, ChatListFilter.Waiting))).Value;
        var row = Assert.Single(waiting, r => r.Id == id);
        Assert.Equal("The customer asked for a person.", row.HandOffReason);
        Assert.Contains(events.OfType<ChatConversationChanged>(), e => e.Status == ChatStatus.WaitingForStaff);

        // While waiting, and once a budtender claims it, the assistant is silent.
        var calls = Assistant.Calls;
        var (quiet, none) = await SayAsync(db, customer, id, "Hello? Anyone?");
        Assert.True(quiet.Succeeded);
        Assert.Null(quiet.Posted!.Reply);
        Assert.True((await As(db, Budtender, s => s.ClaimAsync(id))).Succeeded);
        var (quiet2, _) = await SayAsync(db, customer, id, "Can you recommend a vape?");
        Assert.Null(quiet2.Posted!.Reply);
        Assert.Equal(calls, Assistant.Calls);
        var answer = await As(db, Budtender, s => s.StaffPostAsync(id, "Hi! I'm here. Looking for a 510 cartridge?"));
        Assert.True(answer.Succeeded, answer.Error?.Message);
        mine = (await Query(db, customer, q => q.ViewAsync(id))).Value;
        Assert.Equal(ChatStatus.WithStaff, mine.Status);
        Assert.NotNull(mine.StaffName);
        Assert.Equal(ChatAuthorKind.Staff, mine.Messages[^1].Author);
        Assert.Equal(mine.StaffName, mine.Messages[^1].AuthorName); // first name only
        Assert.Contains(mine.Messages, m => m.Author == ChatAuthorKind.System && m.Text.Contains("joined the chat"));

        // Handed back: the assistant answers again.
        Assert.True((await As(db, Budtender, s => s.HandBackAsync(id))).Succeeded);
        var (back, backUpdates) = await SayAsync(db, customer, id, "thanks");
        Assert.NotNull(back.Posted!.Reply);
        Assert.Equal(calls + 1, Assistant.Calls);
        Assert.Contains("earlier", ((ChatReplyDone)backUpdates[^1]).Message!.Text); // it got the conversation so far

        // Closed: no more messages; the next start is a new conversation.
        Assert.True((await As(db, customer, s => s.CloseAsync(id))).Succeeded);
        var (closed, _) = await SayAsync(db, customer, id, "one more thing");
        Assert.Equal(ChatErrors.Closed, closed.Error!.Code);
        Assert.NotEqual(id, await StartAsync(db, customer));
    }

    [Fact]
    public async Task Of_ten_staff_claiming_at_once_exactly_one_wins_and_the_others_are_told_who()
    {
        var customer = Customer();
        var id = await StartAsync(db, customer);
        Assert.True((await SayAsync(db, customer, id, "hello")).Result.Succeeded);
        Assert.True((await As(db, customer, s => s.RequestPersonAsync(id))).Succeeded);
        var staff = Enumerable.Range(0, 10).Select(_ => TestUser.Staff(Guid.CreateVersion7(), DemoWorld.NorthernLights, Roles.Budtender, Store)).ToList();

        using var start = new Barrier(staff.Count);
        var results = await Task.WhenAll(staff.Select(s => Task.Run(async () =>
        {
            await using var scope = db.As(s);
            var chat = scope.ServiceProvider.GetRequiredService<ChatService>();
            start.SignalAndWait();
            return await chat.ClaimAsync(id);
        })));

        var winner = Assert.Single(results.Select((r, i) => (r, i)), x => x.r.Succeeded).i;
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Contains("already helping", r.Error!.Message));
        await using var ctx = db.Context();
        var row = await ctx.ChatConversations.AsNoTracking().SingleAsync(c => c.Id == id);
        Assert.Equal(staff[winner].UserId, row.ClaimedById);
        Assert.Equal(ChatStatus.WithStaff, row.Status);
        Assert.Equal(1, await ctx.ChatMessages.CountAsync(m => m.ConversationId == id && m.Text.Contains("joined the chat")));
        // Only the claimer answers.
        var loser = staff[(winner + 1) % staff.Count];
        Assert.Equal(ErrorKind.Conflict, (await As(db, loser, s => s.StaffPostAsync(id, "me too"))).Error!.Kind);
    }

    [Fact]
    public async Task Customers_see_only_their_own_conversations_and_staff_only_their_stores()
    {
        var alice = Customer();
        var id = await StartAsync(db, alice);
        Assert.True((await SayAsync(db, alice, id, "private question")).Result.Succeeded);

        // Another customer, and a guest browser: "not found" for everything.
        foreach (var stranger in new[] { Customer(), OrderingKitGuest() })
        {
            Assert.Equal(ErrorKind.NotFound, (await Query(db, stranger, q => q.ViewAsync(id))).Error!.Kind);
            Assert.Equal(ErrorKind.NotFound, (await SayAsync(db, stranger, id, "hi")).Result.Error!.Kind);
            Assert.Equal(ErrorKind.NotFound, (await As(db, stranger, s => s.CloseAsync(id))).Error!.Kind);
            Assert.Equal(ErrorKind.NotFound, (await As(db, stranger, s => s.RequestPersonAsync(id))).Error!.Kind);
            Assert.Equal(ErrorKind.NotFound, (await As(db, stranger, s => s.TypingAsync(id, true))).Error!.Kind);
            Assert.Equal(ErrorKind.Forbidden, (await As(db, stranger, s => s.ClaimAsync(id))).Error!.Kind);
            Assert.Equal(ErrorKind.Forbidden, (await Query(db, stranger, q => q.StaffViewAsync(id))).Error!.Kind);
        }

        // A conversation at Yorkville: the Queen West budtender may not list, read, claim or see the customer's cart.
        var bob = Customer();
        var yorkville = await StartAsync(db, bob, DemoWorld.Yorkville);
        Assert.True((await SayAsync(db, bob, yorkville, "hi Yorkville")).Result.Succeeded);
        Assert.Equal(ErrorKind.Forbidden, (await Query(db, Budtender, q => q.ListAsync(DemoWorld.Yorkville))).Error!.Kind);
        Assert.Equal(ErrorKind.Forbidden, (await Query(db, Budtender, q => q.StaffViewAsync(yorkville))).Error!.Kind);
        Assert.Equal(ErrorKind.Forbidden, (await Query(db, Budtender, q => q.CustomerAsync(yorkville))).Error!.Kind);
        Assert.Equal(ErrorKind.Forbidden, (await As(db, Budtender, s => s.ClaimAsync(yorkville))).Error!.Kind);
        Assert.DoesNotContain((await Query(db, Budtender, q => q.ListAsync(Store))).Value, r => r.Id == yorkville);
        // The manager of both stores may.
        Assert.True((await Query(db, Manager, q => q.StaffViewAsync(yorkville))).Succeeded);

        // Another tenant's staff do not even find it; a platform admin sees no customer's chat.
        var maple = TestUser.Staff(DemoWorld.User("manager@mapleleaf.demo"), DemoWorld.MapleLeaf, Roles.StoreManager, DemoWorld.Scarborough);
        Assert.Equal(ErrorKind.NotFound, (await Query(db, maple, q => q.StaffViewAsync(id))).Error!.Kind);
        Assert.Equal(ErrorKind.NotFound, (await As(db, maple, s => s.ClaimAsync(id))).Error!.Kind);
        var platform = TestUser.Platform(DemoWorld.User("platform@weedgo.demo"));
        Assert.Equal(ErrorKind.Forbidden, (await Query(db, platform, q => q.StaffViewAsync(id))).Error!.Kind);
        Assert.Equal(ErrorKind.Forbidden, (await As(db, platform, s => s.ClaimAsync(id))).Error!.Kind);
    }

    private static TestUser OrderingKitGuest() => new() { TenantId = DemoWorld.NorthernLights, ShopperKey = Guid.NewGuid().ToString("N") };

    [Fact]
    public async Task A_message_over_1000_characters_is_refused_with_a_sentence_and_1000_pass()
    {
        var customer = Customer();
        var id = await StartAsync(db, customer);
        var (tooLong, _) = await SayAsync(db, customer, id, new string('a', 1001));
        Assert.Equal(ChatErrors.TooLong, tooLong.Error!.Code);
        Assert.Equal("Messages can be at most 1,000 characters; this one has 1,001. Shorten it or send it in parts.", tooLong.Error.Message);
        Assert.True((await SayAsync(db, customer, id, new string('b', 1000))).Result.Succeeded);
        Assert.Equal("Type a message first.", (await SayAsync(db, customer, id, "   ")).Result.Error!.Message);
        Assert.Equal(ChatErrors.TooLong, (await As(db, Budtender, s => s.StaffPostAsync(id, new string('c', 1001)))).Error!.Code);
    }

    [Fact]
    public async Task A_session_may_send_ten_messages_a_minute_and_the_operation_limiter_is_asked_for_each()
    {
        var customer = Customer();
        var id = await StartAsync(db, customer);
        for (var i = 0; i < 10; i++)
        {
            db.Clock.Advance(TimeSpan.FromSeconds(1));
            Assert.True((await SayAsync(db, customer, id, $"message {i}")).Result.Succeeded);
        }
        var (refused, _) = await SayAsync(db, customer, id, "one too many");
        Assert.Equal(ChatErrors.RateLimited, refused.Error!.Code);
        Assert.InRange(refused.RetryAfter!.Value.TotalSeconds, 50, 60); // the first of the ten leaves the window in ~51 s
        Assert.Contains("Please wait", refused.Error.Message);
        db.Clock.Advance(refused.RetryAfter.Value);
        Assert.True((await SayAsync(db, customer, id, "now it fits")).Result.Succeeded);

        // The per-user limit (IOperationLimiter, operation "chat") refuses with its own wait.
        Assert.Contains(RateOperationsChat, db.Limiter.Operations);
        db.Limiter.RefuseFor = TimeSpan.FromSeconds(42);
        try
        {
            var other = Customer();
            var (limited, _) = await SayAsync(db, other, await StartAsync(db, other), "hello");
            Assert.Equal(ChatErrors.RateLimited, limited.Error!.Code);
            Assert.Equal(TimeSpan.FromSeconds(42), limited.RetryAfter);
            Assert.Equal("Too many attempts. Please wait 42 s and try again.", limited.Error.Message);
        }
        finally
        {
            db.Limiter.RefuseFor = null;
        }
    }

    private const string RateOperationsChat = Core.RateLimiting.RateOperations.Chat;

    [Fact]
    public async Task Staff_notes_are_stored_for_staff_only_and_a_failing_assistant_leaves_an_apology()
    {
        var customer = Customer();
        var id = await StartAsync(db, customer);
        await SayAsync(db, customer, id, "over budget?");
        var (_, failed) = await SayAsync(db, customer, id, "explode please");
        var apology = ((ChatReplyDone)failed[^1]).Message!;
        Assert.Equal("Let me ", apology.Text); // what had streamed is kept as said

        var customerView = (await Query(db, customer, q => q.ViewAsync(id))).Value;
        Assert.DoesNotContain(customerView.Messages, m => m.Text.Contains("budget reached"));
        var staffView = (await Query(db, Budtender, q => q.StaffViewAsync(id))).Value;
        var note = Assert.Single(staffView.Messages, m => m.Text.Contains("budget reached"));
        Assert.True(note.StaffOnly);
        Assert.Equal(ChatAuthorKind.System, note.Author);
    }

    [Fact]
    public async Task A_guests_conversation_becomes_the_customers_when_they_sign_in_on_that_browser()
    {
        var key = Guid.NewGuid().ToString("N");
        var guest = new TestUser { TenantId = DemoWorld.NorthernLights, ShopperKey = key };
        var id = await StartAsync(db, guest);
        Assert.True((await SayAsync(db, guest, id, "as a guest")).Result.Succeeded);

        var customer = Customer();
        customer.ShopperKey = key; // signed in on the same browser
        var resumed = (await As(db, customer, s => s.ResumeAsync(Store))).Value;
        Assert.Equal(id, Assert.Single(resumed).Id);
        Assert.Equal("as a guest", resumed[0].Messages[0].Text);
        // The browser's key alone no longer reaches it; the account does.
        Assert.Equal(ErrorKind.NotFound, (await Query(db, guest, q => q.ViewAsync(id))).Error!.Kind);
        customer.ShopperKey = null;
        Assert.True((await Query(db, customer, q => q.ViewAsync(id))).Succeeded);
        Assert.Equal(id, await StartAsync(db, customer));
    }

    [Fact]
    public async Task Two_tabs_starting_at_once_share_one_conversation()
    {
        var customer = Customer();
        var ids = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => StartAsync(db, customer))));
        Assert.Single(ids.Distinct());
    }

    [Fact]
    public async Task Without_an_assistant_the_first_message_goes_straight_to_staff()
    {
        var customer = Customer();
        await using var scope = db.As(customer);
        var sp = scope.ServiceProvider;
        var chat = new ChatService(sp.GetRequiredService<IDbContextFactory<WeedGoDbContext>>(), sp.GetRequiredService<ICurrentUser>(),
            sp.GetRequiredService<IShopper>(), db.Clock, sp.GetRequiredService<ILiveEvents>(), Options.Create(new ConversationOptions()),
            NullLogger<ChatService>.Instance);
        var id = (await chat.StartAsync(Store)).Value.Id;
        var posted = await chat.PostAsync(id, "is anyone there?");
        Assert.Null(posted.Posted!.Reply);
        var row = (await Query(db, Budtender, q => q.ListAsync(Store, ChatListFilter.Waiting))).Value.Single(r => r.Id == id);
        Assert.Equal(ChatStatus.WaitingForStaff, row.Status);
        Assert.Equal("is anyone there?", row.LastMessage);
    }

    [Fact]
    public async Task Staff_see_the_customers_cart_and_recent_orders_beside_the_chat()
    {
        var customer = await OrderingKit.NewCustomerAsync(db);
        var p = await OrderingKit.StockedAsync(db, 10, grams: 3.5m, price: 25m);
        var order = await OrderingKit.OrderAsync(db, customer, p.Id, 1);
        Assert.True((await OrderingKit.AddAsync(db, customer, p.Id, 2)).Succeeded);
        var id = await StartAsync(db, customer);
        Assert.True((await SayAsync(db, customer, id, "what's in my cart?")).Result.Succeeded);

        var context = (await Query(db, Budtender, q => q.CustomerAsync(id))).Value;
        Assert.Equal("Test Customer", context.CustomerName);
        var line = Assert.Single(context.Cart);
        Assert.Equal(2, line.Quantity);
        Assert.Equal(50m, context.CartSubtotal);
        Assert.Equal(7m, context.CartGrams);
        Assert.Equal(order.Number, Assert.Single(context.RecentOrders).Number);
    }
}
