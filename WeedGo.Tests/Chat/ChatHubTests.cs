using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using WeedGo.Core.Chat;
using WeedGo.Tests.Support;
using WeedGo.Web.Hubs;

namespace WeedGo.Tests.Chat;

/// <summary><c>/hubs/chat</c> end to end over the test server: a customer's conversation streams live to its own connection
/// and to the store's staff (not another tenant's), hand-off, claim, typing both ways, and who may join what.</summary>
public sealed class ChatHubTests(ChatWebFixture app) : IClassFixture<ChatWebFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private Task<HubConnection> ConnectAsync(string email) => HubClients.ConnectAsync(app.Factory, email, ChatHub.Path);

    private async Task<HubConnection> GuestAsync(string session)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(app.Factory.Server.BaseAddress, ChatHub.Path + "?session=" + session), o =>
            {
                o.HttpMessageHandlerFactory = _ => app.Factory.Server.CreateHandler();
                o.Transports = HttpTransportType.LongPolling;
            })
            .Build();
        await connection.StartAsync();
        return connection;
    }

    /// <summary>Every payload a connection receives, by method.</summary>
    private static ConcurrentQueue<(string Method, JsonElement Payload)> Record(HubConnection connection)
    {
        var seen = new ConcurrentQueue<(string, JsonElement)>();
        foreach (var method in new[] { ChatHub.MessageMethod, ChatHub.ChunkMethod, ChatHub.ProductsMethod, ChatHub.ConversationMethod, ChatHub.TypingMethod })
        {
            connection.On<JsonElement>(method, p => seen.Enqueue((method, p)));
        }
        return seen;
    }

    private static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for " + what);
            await Task.Delay(25);
        }
    }

    private static IEnumerable<JsonElement> Of(ConcurrentQueue<(string Method, JsonElement Payload)> seen, string method, Guid conversation) =>
        seen.Where(x => x.Method == method && x.Payload.GetProperty("conversationId").GetGuid() == conversation).Select(x => x.Payload);

    [Fact]
    public async Task A_customers_conversation_streams_to_them_and_their_stores_staff_with_hand_off_claim_and_typing_both_ways()
    {
        await using var customer = await ConnectAsync("customer@northernlights.demo");
        await using var budtender = await ConnectAsync("budtender@northernlights.demo");
        await using var maple = await ConnectAsync("manager@mapleleaf.demo");
        var mine = Record(customer);
        var staff = Record(budtender);
        var other = Record(maple);

        var started = await customer.InvokeAsync<ChatAnswer>(nameof(ChatHub.Start), DemoWorld.QueenWest);
        Assert.True(started.Ok, started.Error);
        var id = started.ConversationId!.Value;

        // The assistant's reply streams as chunks to the customer and to the store's staff, then arrives whole.
        var sent = await customer.InvokeAsync<ChatAnswer>(nameof(ChatHub.Send), id, "hello there");
        Assert.True(sent.Ok, sent.Error);
        await Until(() => Of(mine, ChatHub.MessageMethod, id).Any(p => p.GetProperty("message").GetProperty("author").GetString() == "Assistant"), "the reply");
        Assert.NotEmpty(Of(mine, ChatHub.ChunkMethod, id));
        await Until(() => Of(staff, ChatHub.MessageMethod, id).Count() >= 2, "staff to see both messages");
        Assert.Equal("hello there", Of(staff, ChatHub.MessageMethod, id).First().GetProperty("message").GetProperty("text").GetString());

        // Hand-off: staff see it waiting; a budtender claims it; the customer sees who.
        Assert.True((await customer.InvokeAsync<ChatAnswer>(nameof(ChatHub.RequestPerson), id)).Ok);
        await Until(() => Of(staff, ChatHub.ConversationMethod, id).Any(p => p.GetProperty("status").GetString() == "WaitingForStaff"), "waiting");
        var claim = await budtender.InvokeAsync<ChatAnswer>(nameof(ChatHub.Claim), id);
        Assert.True(claim.Ok, claim.Error);
        await Until(() => Of(mine, ChatHub.ConversationMethod, id).Any(p => p.GetProperty("status").GetString() == "WithStaff"), "claimed");

        // Typing, both ways.
        Assert.True((await budtender.InvokeAsync<ChatAnswer>(nameof(ChatHub.Typing), id, true)).Ok);
        await Until(() => Of(mine, ChatHub.TypingMethod, id).Any(p => p.GetProperty("author").GetString() == "Staff" && p.GetProperty("isTyping").GetBoolean()), "staff typing");
        Assert.True((await customer.InvokeAsync<ChatAnswer>(nameof(ChatHub.Typing), id, true)).Ok);
        await Until(() => Of(staff, ChatHub.TypingMethod, id).Any(p => p.GetProperty("author").GetString() == "Customer"), "customer typing");

        // Messages both ways; the assistant stays silent while staff answer.
        var calls = app.Assistant.Calls;
        Assert.True((await budtender.InvokeAsync<ChatAnswer>(nameof(ChatHub.StaffSend), id, "Hi, I'm at the counter. How can I help?")).Ok);
        await Until(() => Of(mine, ChatHub.MessageMethod, id).Any(p => p.GetProperty("message").GetProperty("author").GetString() == "Staff"), "the staff message");
        Assert.True((await customer.InvokeAsync<ChatAnswer>(nameof(ChatHub.Send), id, "Do you have pre-rolls?")).Ok);
        await Until(() => Of(staff, ChatHub.MessageMethod, id).Any(p => p.GetProperty("message").GetProperty("text").GetString() == "Do you have pre-rolls?"), "the customer's answer");
        Assert.Equal(calls, app.Assistant.Calls);

        // The other tenant's manager never saw any of it.
        Assert.DoesNotContain(other, x => x.Payload.GetProperty("conversationId").GetGuid() == id);
    }

    [Fact]
    public async Task Customers_and_guests_join_only_their_own_conversation_and_staff_notes_never_reach_them()
    {
        var session = Guid.NewGuid().ToString("N");
        await using var guest = await GuestAsync(session);
        var seen = Record(guest);
        var started = await guest.InvokeAsync<ChatAnswer>(nameof(ChatHub.Start), DemoWorld.QueenWest);
        Assert.True(started.Ok, started.Error);
        var id = started.ConversationId!.Value;

        await using var stranger = await GuestAsync(Guid.NewGuid().ToString("N"));
        Assert.False((await stranger.InvokeAsync<ChatAnswer>(nameof(ChatHub.Join), id)).Ok);
        Assert.False((await stranger.InvokeAsync<ChatAnswer>(nameof(ChatHub.Send), id, "hi")).Ok);
        await using var customer = await ConnectAsync("customer@northernlights.demo");
        Assert.False((await customer.InvokeAsync<ChatAnswer>(nameof(ChatHub.Join), id)).Ok);
        await using var queenWestStaff = await ConnectAsync("budtender@northernlights.demo"); // staff of the store may follow it
        Assert.True((await queenWestStaff.InvokeAsync<ChatAnswer>(nameof(ChatHub.Join), id)).Ok);
        await using var maple = await ConnectAsync("manager@mapleleaf.demo");
        Assert.False((await maple.InvokeAsync<ChatAnswer>(nameof(ChatHub.Join), id)).Ok);

        // The same session id on a second connection (another tab, another device) reaches the same conversation.
        await using var secondTab = await GuestAsync(session);
        Assert.True((await secondTab.InvokeAsync<ChatAnswer>(nameof(ChatHub.Join), id)).Ok);

        var staff = Record(queenWestStaff);
        Assert.True((await guest.InvokeAsync<ChatAnswer>(nameof(ChatHub.Send), id, "what about my budget")).Ok);
        await Until(() => Of(staff, ChatHub.MessageMethod, id).Any(p => p.GetProperty("message").GetProperty("staffOnly").GetBoolean()), "the staff note");
        await Until(() => Of(seen, ChatHub.MessageMethod, id).Any(p => p.GetProperty("message").GetProperty("author").GetString() == "Assistant"), "the reply");
        Assert.DoesNotContain(Of(seen, ChatHub.MessageMethod, id), p => p.GetProperty("message").GetProperty("staffOnly").GetBoolean());
    }

    [Fact]
    public async Task A_message_over_the_limit_or_too_fast_is_refused_with_the_reason_and_the_wait()
    {
        await using var guest = await GuestAsync(Guid.NewGuid().ToString("N"));
        var id = (await guest.InvokeAsync<ChatAnswer>(nameof(ChatHub.Start), DemoWorld.QueenWest)).ConversationId!.Value;
        var tooLong = await guest.InvokeAsync<ChatAnswer>(nameof(ChatHub.Send), id, new string('x', 1001));
        Assert.False(tooLong.Ok);
        Assert.Contains("at most 1,000 characters", tooLong.Error);

        app.Limiter.RefuseFor = TimeSpan.FromSeconds(30);
        try
        {
            var limited = await guest.InvokeAsync<ChatAnswer>(nameof(ChatHub.Send), id, "hello");
            Assert.False(limited.Ok);
            Assert.Equal(30, limited.RetryAfterSeconds);
        }
        finally
        {
            app.Limiter.RefuseFor = null;
        }
    }
}
