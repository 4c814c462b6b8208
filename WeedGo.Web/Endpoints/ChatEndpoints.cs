using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using WeedGo.Core.Chat;
using WeedGo.Core.Tenancy;
using WeedGo.Web.Identity;

namespace WeedGo.Web.Endpoints;

/// <summary>
/// <c>POST /api/v5/chat</c>: one customer message in, the answer out as server-sent events, for clients outside Blazor.
/// Signed in (cookie or bearer token) or as a guest: a guest's <c>sessionId</c> (32 hex characters; the server makes one when
/// none is sent and returns it in the first event) keeps their conversation, and their cart, across calls.
/// Refusals come before the stream: 400 (no message), 413 (longer than the limit), 404 (store or conversation), 409 (the
/// conversation ended), 429 with <c>Retry-After</c> (rate limits), each with a problem body whose title says why.
/// Events: <c>session</c> {sessionId, conversationId, status}, <c>message</c> (the stored customer message), then while the
/// assistant answers <c>text</c> {messageId, text} chunks, <c>products</c> {messageId, products}, <c>handoff</c> {reason},
/// a final <c>usage</c> {provider, model, inputTokens, outputTokens, cost, latencyMs, cached}, and always <c>done</c>
/// {messageId, status}.
/// </summary>
public static class ChatEndpoints
{
    public const string Path = "/api/v5/chat";

    public sealed record ChatRequest(string? Store, string? SessionId, string? Message);

    public static void MapChatApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, async (ChatRequest request, HttpContext http, UserContext user, StoreQueries stores, ChatService chat, ChatQueries queries) =>
        {
            if (string.IsNullOrWhiteSpace(request.Message))
            {
                return Results.Problem(title: "Send a message.", statusCode: 400, extensions: Code("invalid"));
            }
            string? sessionId = null;
            if (!user.IsAuthenticated)
            {
                sessionId = ShopperCookie.IsValid(request.SessionId) ? request.SessionId
                    : request.SessionId is { Length: > 0 } ? null
                    : user.ShopperKey ?? Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
                if (sessionId is null)
                {
                    return Results.Problem(title: "sessionId must be the 32 hex characters this API gave you; leave it out to start a new session.",
                        statusCode: 400, extensions: Code("invalid_session"));
                }
                user.Set(http.User, null, sessionId);
            }
            var all = await stores.ListForStorefrontAsync(http.RequestAborted);
            var store = all.FirstOrDefault(s => s.Slug == request.Store || Guid.TryParse(request.Store, out var id) && s.Id == id);
            if (store is null)
            {
                return Results.Problem(title: "That store was not found.", statusCode: 404, extensions: Code("not_found"));
            }
            var started = await chat.StartAsync(store.Id, http.RequestAborted);
            if (!started.Succeeded)
            {
                return started.Error!.ToHttp();
            }
            var posted = await chat.PostAsync(started.Value.Id, request.Message, http.RequestAborted);
            if (!posted.Succeeded)
            {
                if (posted.RetryAfter is { } wait)
                {
                    http.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    return Results.Problem(title: posted.Error!.Message, statusCode: 429, extensions: Code(posted.Error.Code));
                }
                return posted.Error!.Code == ChatErrors.TooLong
                    ? Results.Problem(title: posted.Error.Message, statusCode: 413, extensions: Code(posted.Error.Code))
                    : posted.Error.ToHttp();
            }
            return TypedResults.ServerSentEvents(StreamAsync(sessionId, posted.Posted!, queries, http.RequestAborted));
        }).AllowAnonymous().DisableAntiforgery();
    }

    private static Dictionary<string, object?> Code(string code) => new() { ["code"] = code };

    private static async IAsyncEnumerable<SseItem<object>> StreamAsync(string? sessionId, ChatPosted posted, ChatQueries queries,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var status = (await queries.ViewAsync(posted.ConversationId, ct)).Value.Status;
        yield return new SseItem<object>(new { sessionId, conversationId = posted.ConversationId, status = status.ToString() }, "session");
        yield return new SseItem<object>(posted.Message, "message");
        Guid? messageId = null;
        if (posted.Reply is { } reply)
        {
            await foreach (var update in reply.WithCancellation(ct))
            {
                switch (update)
                {
                    case ChatReplyText t:
                        yield return new SseItem<object>(new { messageId = t.MessageId, text = t.Chunk, replace = t.Replace }, "text");
                        break;
                    case ChatReplyProductsFound p:
                        yield return new SseItem<object>(new { messageId = p.MessageId, products = p.Products }, "products");
                        break;
                    case ChatHandedOff h:
                        yield return new SseItem<object>(new { reason = h.Reason }, "handoff");
                        break;
                    case ChatReplyDone d:
                        messageId = d.Message?.Id;
                        if (d.Usage is { } u)
                        {
                            yield return new SseItem<object>(new
                            {
                                provider = u.Provider, model = u.Model, inputTokens = u.InputTokens, outputTokens = u.OutputTokens, cost = u.Cost,
                                latencyMs = (int)u.Latency.TotalMilliseconds, cached = u.Cached,
                            }, "usage");
                        }
                        break;
                }
            }
            status = (await queries.ViewAsync(posted.ConversationId, ct)).Value.Status;
        }
        yield return new SseItem<object>(new { messageId, status = status.ToString() }, "done");
    }
}
