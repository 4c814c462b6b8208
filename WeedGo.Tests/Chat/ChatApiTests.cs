using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Chat;
using WeedGo.Core.Data;
using WeedGo.Tests.Support;
using WeedGo.Web.Endpoints;

namespace WeedGo.Tests.Chat;

/// <summary><c>POST /api/v5/chat</c> through the real pipeline (WebApplicationFactory), reading the server-sent event stream.</summary>
public sealed class ChatApiTests(ChatWebFixture app) : IClassFixture<ChatWebFixture>
{
    private sealed record Sse(string Event, JsonElement Data);

    private async Task<HttpResponseMessage> PostAsync(object body, string? token = null)
    {
        var client = app.Factory.CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return await client.PostAsJsonAsync(ChatEndpoints.Path, body);
    }

    private static async Task<List<Sse>> EventsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = new List<Sse>();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        string? name = null;
        var data = new List<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Count > 0)
                {
                    events.Add(new Sse(name ?? "message", JsonDocument.Parse(string.Join('\n', data)).RootElement.Clone()));
                }
                (name, data) = (null, []);
            }
            else if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                name = line[6..].Trim();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                data.Add(line[5..].TrimStart());
            }
        }
        return events;
    }

    private async Task<IReadOnlyList<AssistantProductRef>> ProductsAsync()
    {
        await using var db = app.Factory.Services.GetRequiredService<Microsoft.EntityFrameworkCore.Infrastructure.PooledDbContextFactory<WeedGoDbContext>>().CreateDbContext();
        db.UseTenant(Core.Common.FixedTenantContext.System);
        return await db.Inventory.AsNoTracking().Where(i => i.StoreId == DemoWorld.QueenWest && i.Available > 0)
            .Join(db.Products, i => i.ProductId, p => p.Id, (i, p) => p).OrderBy(p => p.Sku).Take(2)
            .Select(p => new AssistantProductRef(p.Id, p.Sku, p.ProductName, p.Brand, p.Category, p.UnitPrice, "18–22%", null, true, p.ImageUrl))
            .ToListAsync();
    }

    [Fact]
    public async Task A_guest_gets_a_session_the_reply_streams_as_events_and_the_session_keeps_the_conversation()
    {
        app.Assistant.Products = await ProductsAsync();
        var events = await EventsAsync(await PostAsync(new { store = "northern-lights-queen-west", message = "Recommend something relaxing" }));

        Assert.Equal("session", events[0].Event);
        var session = events[0].Data.GetProperty("sessionId").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", session);
        var conversation = events[0].Data.GetProperty("conversationId").GetGuid();
        Assert.Equal("Recommend something relaxing", events[1].Data.GetProperty("text").GetString());
        Assert.Equal("Customer", events[1].Data.GetProperty("author").GetString());
        var text = string.Concat(events.Where(e => e.Event == "text").Select(e => e.Data.GetProperty("text").GetString()));
        Assert.Equal("Here are two relaxing picks.", text);
        var products = events.Last(e => e.Event == "products").Data.GetProperty("products");
        Assert.Equal(app.Assistant.Products.Select(p => p.Sku), products.EnumerateArray().Select(p => p.GetProperty("sku").GetString()));
        var usage = Assert.Single(events, e => e.Event == "usage").Data;
        Assert.Equal("scripted", usage.GetProperty("provider").GetString());
        Assert.Equal(12, usage.GetProperty("inputTokens").GetInt32());
        Assert.Equal(7, usage.GetProperty("outputTokens").GetInt32());
        var done = events[^1];
        Assert.Equal("done", done.Event);
        Assert.Equal("WithAssistant", done.Data.GetProperty("status").GetString());
        Assert.Equal(events.First(e => e.Event == "text").Data.GetProperty("messageId").GetGuid(), done.Data.GetProperty("messageId").GetGuid());

        // The same session continues the conversation (the assistant sees the two earlier messages).
        var next = await EventsAsync(await PostAsync(new { store = DemoWorld.QueenWest.ToString(), sessionId = session, message = "thanks" }));
        Assert.Equal(conversation, next[0].Data.GetProperty("conversationId").GetGuid());
        Assert.Contains("(2 earlier)", string.Concat(next.Where(e => e.Event == "text").Select(e => e.Data.GetProperty("text").GetString())));
    }

    [Fact]
    public async Task A_signed_in_customer_chats_with_a_bearer_token_and_a_hand_off_silences_the_assistant()
    {
        var token = await HubClients.TokenAsync(app.Factory, "customer@northernlights.demo");
        var first = await EventsAsync(await PostAsync(new { store = "northern-lights-queen-west", message = "Can I talk to a person?" }, token));
        Assert.Equal(JsonValueKind.Null, first[0].Data.GetProperty("sessionId").ValueKind);
        Assert.Equal("The customer asked for a person.", Assert.Single(first, e => e.Event == "handoff").Data.GetProperty("reason").GetString());
        Assert.Equal("WaitingForStaff", first[^1].Data.GetProperty("status").GetString());

        var calls = app.Assistant.Calls;
        var second = await EventsAsync(await PostAsync(new { store = "northern-lights-queen-west", message = "Still there?" }, token));
        Assert.DoesNotContain(second, e => e.Event is "text" or "usage");
        Assert.Equal(["session", "message", "done"], second.Select(e => e.Event));
        Assert.Equal(calls, app.Assistant.Calls);
        Assert.Equal(first[0].Data.GetProperty("conversationId").GetGuid(), second[0].Data.GetProperty("conversationId").GetGuid());
    }

    [Fact]
    public async Task Refusals_come_before_the_stream_as_4xx_with_the_reason()
    {
        var tooLong = await PostAsync(new { store = "northern-lights-queen-west", message = new string('x', 1001) });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLong.StatusCode);
        Assert.Contains("at most 1,000 characters", (await tooLong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());

        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(new { store = "northern-lights-queen-west", message = " " })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(new { store = "northern-lights-queen-west", sessionId = "not-a-session", message = "hi" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(new { store = "no-such-store", message = "hi" })).StatusCode);

        app.Limiter.RefuseFor = TimeSpan.FromSeconds(20);
        try
        {
            var limited = await PostAsync(new { store = "northern-lights-queen-west", message = "hi" });
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(20), limited.Headers.RetryAfter?.Delta);
            var problem = await limited.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("Too many attempts. Please wait 20 s and try again.", problem.GetProperty("title").GetString());
            Assert.Equal(ChatErrors.RateLimited, problem.GetProperty("code").GetString());
        }
        finally
        {
            app.Limiter.RefuseFor = null;
        }
    }
}
