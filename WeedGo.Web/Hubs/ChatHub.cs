using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using WeedGo.Core.Accounts;
using WeedGo.Core.Chat;
using WeedGo.Core.Common;
using WeedGo.Web.Identity;

namespace WeedGo.Web.Hubs;

/// <summary>What a chat hub method answers: done (with the conversation), or the sentence saying why not (and, for a rate
/// limit, the seconds to wait).</summary>
public sealed record ChatAnswer(bool Ok, Guid? ConversationId = null, string? Error = null, int? RetryAfterSeconds = null)
{
    public static ChatAnswer From(Result r, Guid? conversation = null) =>
        r.Succeeded ? new(true, conversation) : new(false, conversation, r.Error!.Message);
}

/// <summary>
/// Live chat for clients outside Blazor (apps, kiosks). Customers sign in with the cookie or a bearer token; guests use the
/// shop's cookie or pass <c>?session=&lt;32 hex&gt;</c> (the same session id as <c>POST /api/v5/chat</c>).
/// <list type="bullet">
/// <item>Customers call <c>Start(storeId)</c> (start or resume, and join that conversation's group) or <c>Join(id)</c> for their
/// own conversation only, then <c>Send</c>, <c>Typing</c>, <c>RequestPerson</c>, <c>Close</c>.</item>
/// <item>Staff (budtender and up) join their stores' groups on connecting (tenant admins every store of their tenant) and call
/// <c>Claim</c>, <c>StaffSend</c>, <c>Typing</c>, <c>HandBack</c>, <c>Close</c>.</item>
/// </list>
/// Clients receive <c>message</c>, <c>chunk</c> (the assistant's reply as it streams), <c>products</c>, <c>conversation</c> (status
/// changes) and <c>typing</c>; each payload names its <c>conversationId</c>. Staff-only notes reach the store groups only.
/// A connection in several groups that carry an event (staff who also joined a conversation) gets one copy per group.
/// </summary>
[AllowAnonymous]
public sealed class ChatHub(UserContext user, ChatService chat, ChatQueries queries) : Hub
{
    public const string Path = "/hubs/chat";
    public const string MessageMethod = "message";
    public const string ChunkMethod = "chunk";
    public const string ProductsMethod = "products";
    public const string ConversationMethod = "conversation";
    public const string TypingMethod = "typing";

    public static string ConversationGroup(Guid id) => $"chat:{id}";
    public static string StoreGroup(Guid storeId) => $"chat-store:{storeId}";
    public static string TenantGroup(Guid tenantId) => $"chat-tenant:{tenantId}";

    public override async Task OnConnectedAsync()
    {
        var principal = Context.User!;
        if (principal.Identity?.IsAuthenticated == true && Policies.Allows(Policies.StoreOperations, principal.IsInRole))
        {
            if (principal.IsInRole(Roles.TenantAdmin) && Guid.TryParse(principal.FindFirstValue(WeedGoClaims.Tenant), out var tenant))
            {
                await Groups.AddToGroupAsync(Context.ConnectionId, TenantGroup(tenant));
            }
            foreach (var store in principal.FindAll(WeedGoClaims.Store))
            {
                if (Guid.TryParse(store.Value, out var storeId))
                {
                    await Groups.AddToGroupAsync(Context.ConnectionId, StoreGroup(storeId));
                }
            }
        }
        await base.OnConnectedAsync();
    }

    public async Task<ChatAnswer> Start(Guid storeId)
    {
        Bind();
        var r = await chat.StartAsync(storeId, Context.ConnectionAborted);
        if (!r.Succeeded)
        {
            return ChatAnswer.From(r);
        }
        await Groups.AddToGroupAsync(Context.ConnectionId, ConversationGroup(r.Value.Id));
        return new ChatAnswer(true, r.Value.Id);
    }

    /// <summary>Follows one conversation: its customer, or staff of its store.</summary>
    public async Task<ChatAnswer> Join(Guid conversationId)
    {
        Bind();
        var r = await queries.AccessAsync(conversationId, Context.ConnectionAborted);
        if (!r.Succeeded)
        {
            return ChatAnswer.From(r, conversationId);
        }
        await Groups.AddToGroupAsync(Context.ConnectionId, ConversationGroup(conversationId));
        return new ChatAnswer(true, conversationId);
    }

    public Task Leave(Guid conversationId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, ConversationGroup(conversationId));

    /// <summary>The customer's message; the assistant's reply (if it answers) streams to the conversation's group as chunks
    /// while this call runs, and the call returns when the reply is stored.</summary>
    public async Task<ChatAnswer> Send(Guid conversationId, string text)
    {
        Bind();
        var r = await chat.PostAsync(conversationId, text, Context.ConnectionAborted);
        if (!r.Succeeded)
        {
            return new ChatAnswer(false, conversationId, r.Error!.Message,
                r.RetryAfter is { } wait ? (int)Math.Ceiling(wait.TotalSeconds) : null);
        }
        if (r.Posted!.Reply is { } reply)
        {
            await foreach (var _ in reply.WithCancellation(Context.ConnectionAborted))
            {
            }
        }
        return new ChatAnswer(true, conversationId);
    }

    public async Task<ChatAnswer> Typing(Guid conversationId, bool typing)
    {
        Bind();
        return ChatAnswer.From(await chat.TypingAsync(conversationId, typing, Context.ConnectionAborted), conversationId);
    }

    public async Task<ChatAnswer> RequestPerson(Guid conversationId)
    {
        Bind();
        return ChatAnswer.From(await chat.RequestPersonAsync(conversationId, null, Context.ConnectionAborted), conversationId);
    }

    public async Task<ChatAnswer> Close(Guid conversationId)
    {
        Bind();
        return ChatAnswer.From(await chat.CloseAsync(conversationId, Context.ConnectionAborted), conversationId);
    }

    public async Task<ChatAnswer> Claim(Guid conversationId)
    {
        Bind();
        return ChatAnswer.From(await chat.ClaimAsync(conversationId, Context.ConnectionAborted), conversationId);
    }

    public async Task<ChatAnswer> StaffSend(Guid conversationId, string text)
    {
        Bind();
        return ChatAnswer.From(await chat.StaffPostAsync(conversationId, text, Context.ConnectionAborted), conversationId);
    }

    public async Task<ChatAnswer> HandBack(Guid conversationId)
    {
        Bind();
        return ChatAnswer.From(await chat.HandBackAsync(conversationId, Context.ConnectionAborted), conversationId);
    }

    /// <summary>Each hub call has its own scope: tell it who is calling (principal, storefront host, guest key).</summary>
    private void Bind()
    {
        var http = Context.GetHttpContext();
        var session = http?.Request.Query["session"].ToString();
        var cookie = http?.Request.Cookies[ShopperCookie.Name];
        var key = ShopperCookie.IsValid(session) ? session : ShopperCookie.IsValid(cookie) ? cookie : null;
        user.Set(Context.User!, http?.Request.Host.Host, key);
    }
}
