using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Data;
using WeedGo.Core.Live;
using WeedGo.Core.Ordering;
using WeedGo.Core.RateLimiting;

namespace WeedGo.Core.Chat;

/// <summary>
/// Conversations between shoppers and a store: the customer's side (start or resume, post, ask for a person, close) and the
/// staff's (claim, answer, hand back, close). While a conversation is with the assistant, a customer's message is answered by
/// <see cref="IAssistant"/>, streamed to the caller and to every listener (<see cref="ILiveEvents"/>) and stored; while it
/// waits for or is with staff, the assistant is silent. Every method checks who is asking: customers reach only their own
/// conversations (by account, or by the guest's shopper key), staff only their stores'.
/// </summary>
public sealed class ChatService(
    IDbContextFactory<WeedGoDbContext> contexts, ICurrentUser user, IShopper shopper, TimeProvider clock, ILiveEvents live,
    IOptions<ConversationOptions> options, ILogger<ChatService> logger, IAssistant? assistant = null, IOperationLimiter? limiter = null)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private const string FailedReply = "Sorry, I can't answer right now. Tap \"Talk to a person\" and someone from the store will help.";
    private readonly ConversationOptions _options = options.Value;

    /// <summary>Whether an assistant is wired at all (without one every conversation goes to staff).</summary>
    public bool HasAssistant => assistant is not null;

    // ---------------------------------------------------------------- customer side

    /// <summary>
    /// The shopper's conversations at the store without starting one: the open one (if any) and, for signed-in customers,
    /// earlier ones (newest last). On a customer's first visit after signing in, the conversations this browser had as a guest
    /// become theirs: the guest's open one stays open unless they already have one (then it is closed, kept as history).
    /// </summary>
    public async Task<Result<IReadOnlyList<ChatConversationView>>> ResumeAsync(Guid storeId, int earlier = 5, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await db.Stores.AsNoTracking().AnyAsync(s => s.Id == storeId && s.IsActive, ct))
        {
            return Error.NotFound("That store");
        }
        await AdoptGuestConversationsAsync(db, storeId, ct);
        var mine = Mine(db).Where(c => c.StoreId == storeId);
        var open = await mine.Where(c => c.Status != ChatStatus.Closed).Select(c => c.Id).FirstOrDefaultAsync(ct);
        var ids = user.UserId is null ? [] : await mine.Where(c => c.Status == ChatStatus.Closed && c.LastMessageAt != null)
            .OrderByDescending(c => c.CreatedAt).Take(Math.Clamp(earlier, 0, 20)).Select(c => c.Id).ToListAsync(ct);
        ids.Reverse();
        if (open != Guid.Empty)
        {
            ids.Add(open);
        }
        var views = new List<ChatConversationView>();
        foreach (var id in ids)
        {
            views.Add(await CustomerViewAsync(db, id, ct));
        }
        return views;
    }

    /// <summary>The shopper's open conversation at the store, started if there is none (insert-if-absent: two tabs starting
    /// at once end with one).</summary>
    public async Task<Result<ChatConversationView>> StartAsync(Guid storeId, CancellationToken ct = default)
    {
        if (user.UserId is null && shopper.ShopperKey is null)
        {
            return Error.Validation("Your browser is not keeping our cookie, so we cannot keep a chat for you. Allow cookies for this site and try again.");
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var store = await db.Stores.AsNoTracking().Where(s => s.Id == storeId && s.IsActive).Select(s => new { s.TenantId }).FirstOrDefaultAsync(ct);
        if (store is null)
        {
            return Error.NotFound("That store");
        }
        await AdoptGuestConversationsAsync(db, storeId, ct);
        var id = await OpenIdAsync(db, storeId, ct);
        if (id is null)
        {
            Guid? personality = null;
            if (assistant is not null)
            {
                try
                {
                    personality = (await assistant.ProfileAsync(storeId, ct)).PersonalityId;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "The assistant's profile for store {Store} failed", storeId);
                }
            }
            var newId = Guid.CreateVersion7();
            var now = clock.GetUtcNow();
            var status = nameof(ChatStatus.WithAssistant);
            if (user.UserId is { } me)
            {
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO ai_conversations (id, tenant_id, store_id, customer_id, personality_id, status, created_at, updated_at)
                    VALUES ({newId}, {store.TenantId}, {storeId}, {me}, {personality}, {status}, {now}, {now})
                    ON CONFLICT (tenant_id, store_id, customer_id) WHERE customer_id IS NOT NULL AND status <> 'Closed' DO NOTHING
                    """, ct);
            }
            else
            {
                var key = shopper.ShopperKey!;
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO ai_conversations (id, tenant_id, store_id, shopper_key, personality_id, status, created_at, updated_at)
                    VALUES ({newId}, {store.TenantId}, {storeId}, {key}, {personality}, {status}, {now}, {now})
                    ON CONFLICT (tenant_id, store_id, shopper_key) WHERE shopper_key IS NOT NULL AND status <> 'Closed' DO NOTHING
                    """, ct);
            }
            id = await OpenIdAsync(db, storeId, ct) ?? throw new InvalidOperationException("The conversation just started is missing.");
        }
        return await CustomerViewAsync(db, id.Value, ct);
    }

    /// <summary>
    /// Posts the customer's message. Refused with a sentence when it is empty or longer than
    /// <see cref="ConversationOptions.MaxMessageLength"/>, when the conversation is closed, and (with how long to wait) when the
    /// conversation sent <see cref="ConversationOptions.SessionMessagesPerWindow"/> messages within the window or the operation limiter
    /// refuses the caller (<see cref="RateOperations.Chat"/>: per user / IP). While the conversation is with the assistant, the
    /// result's <see cref="ChatPosted.Reply"/> streams the answer; without an assistant it goes to staff at once.
    /// </summary>
    public async Task<ChatPostResult> PostAsync(Guid conversationId, string text, CancellationToken ct = default)
    {
        if (CheckText(text) is { } invalid)
        {
            return invalid;
        }
        text = text.Trim();
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // The row lock serialises one conversation's posts, so the per-session count below is exact.
        var (conversation, refused) = await LockOwnOpenAsync(db, conversationId, ct);
        if (refused is not null)
        {
            return refused;
        }
        var now = clock.GetUtcNow();
        var since = now - _options.SessionWindow;
        var recent = await db.ChatMessages.AsNoTracking()
            .Where(m => m.ConversationId == conversationId && m.Author == ChatAuthorKind.Customer && m.CreatedAt > since)
            .OrderBy(m => m.CreatedAt).Select(m => m.CreatedAt).ToListAsync(ct);
        if (recent.Count >= _options.SessionMessagesPerWindow)
        {
            var wait = recent[recent.Count - _options.SessionMessagesPerWindow] + _options.SessionWindow - now;
            wait = wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait;
            return ChatPostResult.Limited(wait, $"You're sending messages faster than we can answer. Please wait {Math.Ceiling(wait.TotalSeconds):0} s and try again.");
        }
        if (limiter is not null)
        {
            var decision = await limiter.TryAcquireAsync(RateOperations.Chat, ct);
            if (!decision.Allowed)
            {
                return ChatPostResult.Limited(decision.RetryAfter, decision.Message ?? RateDecision.Refuse(decision.RetryAfter).Message!);
            }
        }
        var firstMessage = conversation.LastMessageAt is null;
        var message = new ChatMessage
        {
            TenantId = conversation.TenantId, ConversationId = conversation.Id, Author = ChatAuthorKind.Customer, AuthorUserId = user.UserId, Text = text,
        };
        db.ChatMessages.Add(message);
        conversation.LastMessageAt = now;
        var added = new List<ChatMessage> { message };
        var handOff = conversation.Status == ChatStatus.WithAssistant && assistant is null
            ? HandOff(db, conversation, "No assistant is set up at this store.", now, added) : false;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);

        var customerName = await CustomerNameAsync(db, conversation, ct);
        foreach (var m in added)
        {
            await PublishAsync(new ChatMessageAdded(conversation.TenantId, conversation.StoreId, conversation.Id,
                View(m, m.Author == ChatAuthorKind.Customer ? customerName : null, staff: false)), ct);
        }
        if (firstMessage || handOff)
        {
            await PublishChangedAsync(conversation, null, ct);
        }
        IAsyncEnumerable<ChatUpdate>? reply = null;
        if (conversation.Status == ChatStatus.WithAssistant && assistant is not null)
        {
            var history = await db.ChatMessages.AsNoTracking()
                .Where(m => m.ConversationId == conversation.Id && !m.StaffOnly && m.Id != message.Id)
                .OrderByDescending(m => m.CreatedAt).Take(_options.HistoryTurns)
                .Select(m => new AssistantTurn(m.Author, m.Text)).ToListAsync(ct);
            history.Reverse();
            reply = ReplyAsync(assistant, conversation.TenantId, conversation.StoreId, conversation.Id, history, text, CancellationToken.None);
        }
        return ChatPostResult.Ok(new ChatPosted(conversation.Id, View(message, customerName, staff: false), reply));
    }

    /// <summary>The caller's own conversation, locked for this transaction (posts to one conversation are serialised), while
    /// it is not closed.</summary>
    private async Task<(ChatConversation Conversation, Error? Error)> LockOwnOpenAsync(WeedGoDbContext db, Guid conversationId, CancellationToken ct)
    {
        var conversation = await db.ChatConversations.FromSql($"SELECT * FROM ai_conversations WHERE id = {conversationId} FOR UPDATE").FirstOrDefaultAsync(ct);
        if (conversation is null || !IsCustomerOf(conversation))
        {
            return (null!, Error.NotFound("That conversation"));
        }
        return conversation.Status == ChatStatus.Closed
            ? (conversation, new Error(ChatErrors.Closed, "This chat has ended. Start a new one to keep talking.", ErrorKind.Conflict))
            : (conversation, null);
    }

    /// <summary>The customer asks for a person: the conversation waits for staff and appears in their Chats list at once.</summary>
    public async Task<Result> RequestPersonAsync(Guid conversationId, string? reason = null, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var (conversation, refused) = await LockOwnOpenAsync(db, conversationId, ct);
        if (refused is not null)
        {
            return refused;
        }
        if (conversation.Status != ChatStatus.WithAssistant)
        {
            return Result.Ok(); // already waiting for, or talking to, a person
        }
        var added = new List<ChatMessage>();
        HandOff(db, conversation, string.IsNullOrWhiteSpace(reason) ? "The customer asked for a person." : Clip(reason.Trim(), 500), clock.GetUtcNow(), added);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await PublishAddedAsync(conversation, added, ct);
        await PublishChangedAsync(conversation, null, ct);
        return Result.Ok();
    }

    // ---------------------------------------------------------------- staff side

    /// <summary>A staff member of the conversation's store takes it over. Of several claiming at once exactly one wins; the
    /// others are told who did. Claiming one's own conversation again is fine.</summary>
    public async Task<Result> ClaimAsync(Guid conversationId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var (conversation, denied) = await StaffConversationAsync(db, conversationId, ct);
        if (denied is not null)
        {
            return denied;
        }
        var me = user.UserId!.Value;
        if (conversation!.ClaimedById == me && conversation.Status == ChatStatus.WithStaff)
        {
            return Result.Ok();
        }
        var now = clock.GetUtcNow();
        // One conditional UPDATE: a second claimer waits on the row lock, re-reads it, finds it claimed and changes nothing.
        var won = await db.ChatConversations
            .Where(c => c.Id == conversationId && c.Status != ChatStatus.Closed && c.ClaimedById == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ChatStatus.WithStaff).SetProperty(c => c.ClaimedById, me)
                .SetProperty(c => c.ClaimedAt, now).SetProperty(c => c.UpdatedAt, now), ct) == 1;
        if (!won)
        {
            var current = await db.ChatConversations.AsNoTracking().Where(c => c.Id == conversationId)
                .Select(c => new { c.Status, c.ClaimedById }).FirstAsync(ct);
            if (current.Status == ChatStatus.Closed)
            {
                return new Error(ChatErrors.Closed, "This chat has ended.", ErrorKind.Conflict);
            }
            var name = current.ClaimedById is { } other ? await StaffNameAsync(db, other, ct) : "Someone";
            return Error.Conflict($"{name} is already helping this customer.");
        }
        var storeName = await db.Stores.AsNoTracking().Where(s => s.Id == conversation.StoreId).Select(s => s.Name).FirstAsync(ct);
        var publicName = await PublicNameAsync(db, me, ct);
        var joined = await AddSystemAsync(db, conversation, $"{publicName} from {storeName} joined the chat.", false, ct);
        conversation.Status = ChatStatus.WithStaff;
        conversation.ClaimedById = me;
        await PublishAddedAsync(conversation, [joined], ct);
        await PublishChangedAsync(conversation, publicName, ct);
        return Result.Ok();
    }

    /// <summary>The claiming staff member answers.</summary>
    public async Task<Result<ChatMessageView>> StaffPostAsync(Guid conversationId, string text, CancellationToken ct = default)
    {
        if (CheckText(text) is { } invalid)
        {
            return invalid;
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var (conversation, denied) = await StaffConversationAsync(db, conversationId, ct);
        if (denied is not null)
        {
            return denied;
        }
        if (conversation!.Status != ChatStatus.WithStaff || conversation.ClaimedById != user.UserId)
        {
            return Error.Conflict(conversation.Status == ChatStatus.Closed ? "This chat has ended." : "Claim this chat before answering.");
        }
        var message = new ChatMessage
        {
            TenantId = conversation.TenantId, ConversationId = conversation.Id, Author = ChatAuthorKind.Staff, AuthorUserId = user.UserId, Text = text.Trim(),
        };
        db.ChatMessages.Add(message);
        await db.ChatConversations.Where(c => c.Id == conversation.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastMessageAt, clock.GetUtcNow()), ct);
        await db.SaveChangesAsync(ct);
        var view = View(message, await PublicNameAsync(db, user.UserId!.Value, ct), staff: false);
        await PublishAsync(new ChatMessageAdded(conversation.TenantId, conversation.StoreId, conversation.Id, view), ct);
        return view;
    }

    /// <summary>Gives the conversation back to the assistant (the claiming staff member, or a manager of the store).</summary>
    public async Task<Result> HandBackAsync(Guid conversationId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var (conversation, denied) = await StaffConversationAsync(db, conversationId, ct);
        if (denied is not null)
        {
            return denied;
        }
        if (conversation!.Status is ChatStatus.Closed or ChatStatus.WithAssistant)
        {
            return Error.Conflict(conversation.Status == ChatStatus.Closed ? "This chat has ended." : "The assistant already answers this chat.");
        }
        if (conversation.ClaimedById is { } owner && owner != user.UserId && !user.Satisfies(Policies.StoreManagement))
        {
            return Error.Forbidden($"{await StaffNameAsync(db, owner, ct)} is helping this customer; only they or a manager can hand it back.");
        }
        var now = clock.GetUtcNow();
        var changed = await db.ChatConversations.Where(c => c.Id == conversationId && c.Status == conversation.Status && c.ClaimedById == conversation.ClaimedById)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ChatStatus.WithAssistant).SetProperty(c => c.ClaimedById, (Guid?)null)
                .SetProperty(c => c.ClaimedAt, (DateTimeOffset?)null).SetProperty(c => c.WaitingSince, (DateTimeOffset?)null)
                .SetProperty(c => c.HandOffReason, (string?)null).SetProperty(c => c.UpdatedAt, now), ct);
        if (changed == 0)
        {
            return Error.Conflict("Someone else changed this chat just now; look again.");
        }
        var name = await PublicNameAsync(db, user.UserId!.Value, ct);
        var note = await AddSystemAsync(db, conversation, $"{name} handed the chat back to the assistant.", false, ct);
        conversation.Status = ChatStatus.WithAssistant;
        conversation.ClaimedById = null;
        await PublishAddedAsync(conversation, [note], ct);
        await PublishChangedAsync(conversation, null, ct);
        return Result.Ok();
    }

    /// <summary>Ends the conversation: its customer, or staff of its store. The next message starts a new one.</summary>
    public async Task<Result> CloseAsync(Guid conversationId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var conversation = await db.ChatConversations.AsNoTracking().FirstOrDefaultAsync(c => c.Id == conversationId, ct);
        if (conversation is null)
        {
            return Error.NotFound("That conversation");
        }
        string who;
        if (IsCustomerOf(conversation))
        {
            who = "you";
        }
        else if (!user.Satisfies(Policies.StoreOperations))
        {
            return Error.NotFound("That conversation");
        }
        else
        {
            var (_, denied) = await StaffConversationAsync(db, conversationId, ct);
            if (denied is not null)
            {
                return denied;
            }
            who = await PublicNameAsync(db, user.UserId!.Value, ct);
        }
        if (conversation.Status == ChatStatus.Closed)
        {
            return Result.Ok();
        }
        var now = clock.GetUtcNow();
        var changed = await db.ChatConversations.Where(c => c.Id == conversationId && c.Status != ChatStatus.Closed)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ChatStatus.Closed).SetProperty(c => c.ClosedAt, now)
                .SetProperty(c => c.ClosedById, user.UserId).SetProperty(c => c.UpdatedAt, now), ct);
        if (changed == 0)
        {
            return Result.Ok();
        }
        var note = await AddSystemAsync(db, conversation, who == "you" ? "You ended the chat." : $"{who} ended the chat.", false, ct);
        conversation.Status = ChatStatus.Closed;
        await PublishAddedAsync(conversation, [note], ct);
        await PublishChangedAsync(conversation, null, ct);
        return Result.Ok();
    }

    /// <summary>Tells the other side that the caller is typing (customer of the conversation, or staff of its store).</summary>
    public async Task<Result> TypingAsync(Guid conversationId, bool typing, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var c = await db.ChatConversations.AsNoTracking().FirstOrDefaultAsync(x => x.Id == conversationId, ct);
        if (c is null)
        {
            return Error.NotFound("That conversation");
        }
        if (IsCustomerOf(c))
        {
            await PublishAsync(new ChatTyping(c.TenantId, c.StoreId, c.Id, ChatAuthorKind.Customer, null, typing), ct);
            return Result.Ok();
        }
        if (!IsStaffOf(c.StoreId))
        {
            return Error.NotFound("That conversation");
        }
        var name = await PublicNameAsync(db, user.UserId!.Value, ct);
        await PublishAsync(new ChatTyping(c.TenantId, c.StoreId, c.Id, ChatAuthorKind.Staff, name, typing), ct);
        return Result.Ok();
    }

    // ---------------------------------------------------------------- the assistant's reply

    private async IAsyncEnumerable<ChatUpdate> ReplyAsync(IAssistant ai, Guid tenantId, Guid storeId, Guid conversationId,
        IReadOnlyList<AssistantTurn> history, string question, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var reply = new ReplyDraft(Guid.CreateVersion7());
        var profile = await SafeProfileAsync(ai, storeId, ct);
        if (profile is { Enabled: false })
        {
            reply.HandOff = "The assistant is turned off at this store.";
            var none = await StoreReplyAsync(tenantId, storeId, conversationId, reply, ct);
            yield return new ChatHandedOff(reply.HandOff);
            yield return new ChatReplyDone(none, null);
            yield break;
        }
        var stream = ai.ReplyAsync(new AssistantRequest(storeId, conversationId, history, question), ct).GetAsyncEnumerator(ct);
        var stored = false;
        ChatMessageView? message = null;
        try
        {
            while (await NextAsync(stream, reply, ct) is { } update)
            {
                switch (update)
                {
                    case AssistantText { Chunk.Length: > 0 } t:
                        reply.Text.Append(t.Chunk);
                        await PublishAsync(new ChatReplyChunk(tenantId, storeId, conversationId, reply.Id, t.Chunk), ct);
                        yield return new ChatReplyText(reply.Id, t.Chunk);
                        break;
                    case AssistantReplaceText r:
                        // The compliance check replaced the reply: what was streamed so far is withdrawn everywhere.
                        reply.Text.Clear().Append(r.Text);
                        await PublishAsync(new ChatReplyChunk(tenantId, storeId, conversationId, reply.Id, r.Text, Replace: true), ct);
                        yield return new ChatReplyText(reply.Id, r.Text, Replace: true);
                        break;
                    case AssistantProducts { Products.Count: > 0 } p:
                        var fresh = p.Products.Where(x => reply.Products.All(y => y.ProductId != x.ProductId)).ToList();
                        reply.Products.AddRange(fresh);
                        await PublishAsync(new ChatReplyProducts(tenantId, storeId, conversationId, reply.Id, reply.Products.ToList()), ct);
                        yield return new ChatReplyProductsFound(reply.Id, reply.Products.ToList());
                        break;
                    case AssistantToolCall call:
                        reply.Tools.Add(new ChatToolCall(call.Name, call.ArgumentsJson, call.ResultJson, call.Refused));
                        break;
                    case AssistantHandOff h:
                        reply.HandOff ??= string.IsNullOrWhiteSpace(h.Reason) ? "The assistant handed over to a person." : Clip(h.Reason, 500);
                        break;
                    case AssistantStaffNote note:
                        reply.Notes.Add(note.Text);
                        break;
                    case AssistantUsage usage:
                        reply.Usage = usage;
                        break;
                }
            }
            message = await StoreReplyAsync(tenantId, storeId, conversationId, reply, ct);
            stored = true;
        }
        finally
        {
            await stream.DisposeAsync();
            if (!stored)
            {
                // The caller went away mid-reply (closed tab, dropped request): keep what the customer already saw.
                try
                {
                    await StoreReplyAsync(tenantId, storeId, conversationId, reply, CancellationToken.None);
                }
                catch (Exception e)
                {
                    logger.LogWarning(e, "Storing an interrupted reply failed for conversation {Conversation}", conversationId);
                }
            }
        }
        if (reply.HandOff is not null)
        {
            yield return new ChatHandedOff(reply.HandOff);
        }
        yield return new ChatReplyDone(message, reply.Usage);
    }

    private async Task<AssistantProfile?> SafeProfileAsync(IAssistant ai, Guid storeId, CancellationToken ct)
    {
        try
        {
            return await ai.ProfileAsync(storeId, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "The assistant's profile for store {Store} failed", storeId);
            return null;
        }
    }

    /// <summary>The next update, or null at the end. An assistant that throws ends the reply with an apology (logged).</summary>
    private async Task<AssistantUpdate?> NextAsync(IAsyncEnumerator<AssistantUpdate> stream, ReplyDraft reply, CancellationToken ct)
    {
        try
        {
            return await stream.MoveNextAsync() ? stream.Current : null;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            logger.LogError(e, "The assistant failed while answering");
            if (reply.Text.Length == 0)
            {
                reply.Text.Append(FailedReply);
            }
            return null;
        }
    }

    private sealed class ReplyDraft(Guid id)
    {
        public Guid Id { get; } = id;
        public StringBuilder Text { get; } = new();
        public List<AssistantProductRef> Products { get; } = [];
        public List<ChatToolCall> Tools { get; } = [];
        public List<string> Notes { get; } = [];
        public string? HandOff { get; set; }
        public AssistantUsage? Usage { get; set; }
    }

    /// <summary>Stores the reply, the staff notes and a hand-off in one transaction, then tells listeners.</summary>
    private async Task<ChatMessageView?> StoreReplyAsync(Guid tenantId, Guid storeId, Guid conversationId, ReplyDraft reply, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var conversation = await db.ChatConversations.FromSql($"SELECT * FROM ai_conversations WHERE id = {conversationId} FOR UPDATE").FirstAsync(ct);
        var now = clock.GetUtcNow();
        var added = new List<ChatMessage>();
        ChatMessage? message = null;
        if (reply.Text.Length > 0 || reply.Products.Count > 0)
        {
            message = new ChatMessage
            {
                Id = reply.Id, TenantId = tenantId, ConversationId = conversationId, Author = ChatAuthorKind.Assistant, Text = reply.Text.ToString(),
                Products = reply.Products.Count == 0 ? null : JsonSerializer.Serialize(reply.Products, Json),
                ToolCalls = reply.Tools.Count == 0 ? null : JsonSerializer.Serialize(reply.Tools, Json),
                InputTokens = reply.Usage?.InputTokens, OutputTokens = reply.Usage?.OutputTokens,
            };
            db.ChatMessages.Add(message);
            added.Add(message);
            conversation.LastMessageAt = now;
        }
        foreach (var note in reply.Notes.Where(n => !string.IsNullOrWhiteSpace(n)))
        {
            var staffNote = new ChatMessage { TenantId = tenantId, ConversationId = conversationId, Author = ChatAuthorKind.System, Text = note, StaffOnly = true };
            db.ChatMessages.Add(staffNote);
            added.Add(staffNote);
        }
        var handedOff = reply.HandOff is not null && conversation.Status == ChatStatus.WithAssistant
            && HandOff(db, conversation, reply.HandOff, now, added);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await PublishAddedAsync(conversation, added, ct);
        if (handedOff)
        {
            await PublishChangedAsync(conversation, null, ct);
        }
        return message is null ? null : View(message, null, staff: false);
    }

    // ---------------------------------------------------------------- helpers

    private Error? CheckText(string? text)
    {
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            return Error.Validation("Type a message first.");
        }
        return trimmed.Length > _options.MaxMessageLength
            ? new Error(ChatErrors.TooLong,
                $"Messages can be at most {_options.MaxMessageLength:N0} characters; this one has {trimmed.Length:N0}. Shorten it or send it in parts.")
            : null;
    }

    /// <summary>Moves the conversation to "waiting for staff" with the customer-visible note (added to <paramref name="added"/>).</summary>
    private static bool HandOff(WeedGoDbContext db, ChatConversation conversation, string reason, DateTimeOffset now, List<ChatMessage> added)
    {
        conversation.Status = ChatStatus.WaitingForStaff;
        conversation.WaitingSince = now;
        conversation.HandOffReason = Clip(reason, 500);
        conversation.LastMessageAt = now;
        var note = new ChatMessage
        {
            TenantId = conversation.TenantId, ConversationId = conversation.Id, Author = ChatAuthorKind.System,
            Text = "A team member will join this chat shortly. Stay here and they'll answer.",
        };
        db.ChatMessages.Add(note);
        added.Add(note);
        return true;
    }

    private async Task<ChatMessage> AddSystemAsync(WeedGoDbContext db, ChatConversation conversation, string text, bool staffOnly, CancellationToken ct)
    {
        var note = new ChatMessage { TenantId = conversation.TenantId, ConversationId = conversation.Id, Author = ChatAuthorKind.System, Text = text, StaffOnly = staffOnly };
        db.ChatMessages.Add(note);
        await db.SaveChangesAsync(ct);
        await db.ChatConversations.Where(c => c.Id == conversation.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastMessageAt, note.CreatedAt), ct);
        return note;
    }

    internal bool IsCustomerOf(ChatConversation c) => ChatAccess.IsCustomerOf(c, user, shopper);

    private bool IsStaffOf(Guid storeId) => ChatAccess.IsStaffOf(user, storeId);

    /// <summary>The conversation for a staff action, or why not (role, store, not found).</summary>
    private async Task<(ChatConversation?, Error?)> StaffConversationAsync(WeedGoDbContext db, Guid conversationId, CancellationToken ct)
    {
        if (user.Demand(Policies.StoreOperations) is { } denied)
        {
            return (null, denied);
        }
        var conversation = await db.ChatConversations.AsNoTracking().FirstOrDefaultAsync(c => c.Id == conversationId, ct);
        if (conversation is null)
        {
            return (null, Error.NotFound("That conversation"));
        }
        if (!IsStaffOf(conversation.StoreId))
        {
            return (null, Error.Forbidden("You do not work at that store, so you cannot see its chats."));
        }
        return (conversation, null);
    }

    private IQueryable<ChatConversation> Mine(WeedGoDbContext db) => user.UserId is { } me
        ? db.ChatConversations.Where(c => c.CustomerId == me)
        : shopper.ShopperKey is { } key ? db.ChatConversations.Where(c => c.CustomerId == null && c.ShopperKey == key)
        : db.ChatConversations.Where(_ => false);

    private Task<Guid?> OpenIdAsync(WeedGoDbContext db, Guid storeId, CancellationToken ct) =>
        Mine(db).Where(c => c.StoreId == storeId && c.Status != ChatStatus.Closed).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(ct);

    /// <summary>A signed-in customer takes over this browser's guest conversations at the store (see <see cref="ResumeAsync"/>).</summary>
    private async Task AdoptGuestConversationsAsync(WeedGoDbContext db, Guid storeId, CancellationToken ct)
    {
        if (user.UserId is not { } me || shopper.ShopperKey is not { } key)
        {
            return;
        }
        var guest = await db.ChatConversations.Where(c => c.StoreId == storeId && c.CustomerId == null && c.ShopperKey == key).ToListAsync(ct);
        if (guest.Count == 0)
        {
            return;
        }
        var hasOpen = await db.ChatConversations.AnyAsync(c => c.StoreId == storeId && c.CustomerId == me && c.Status != ChatStatus.Closed, ct);
        var now = clock.GetUtcNow();
        foreach (var c in guest)
        {
            c.CustomerId = me;
            c.ShopperKey = null;
            if (c.Status != ChatStatus.Closed && hasOpen)
            {
                c.Status = ChatStatus.Closed;
                c.ClosedAt = now;
            }
            hasOpen |= c.Status != ChatStatus.Closed;
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e)
        {
            // Another tab adopted them at the same moment; its result stands.
            logger.LogInformation(e, "Guest conversations were adopted concurrently");
            db.ChangeTracker.Clear();
        }
    }

    private async Task<ChatConversationView> CustomerViewAsync(WeedGoDbContext db, Guid id, CancellationToken ct)
    {
        var c = await db.ChatConversations.AsNoTracking().FirstAsync(x => x.Id == id, ct);
        var staffName = c.ClaimedById is { } staff && c.Status == ChatStatus.WithStaff ? await PublicNameAsync(db, staff, ct) : null;
        var messages = await ChatQueries.MessagesAsync(db, id, staff: false, ct);
        return new ChatConversationView(c.Id, c.StoreId, c.Status, staffName, c.CreatedAt, messages);
    }

    private static async Task<string> StaffNameAsync(WeedGoDbContext db, Guid userId, CancellationToken ct) =>
        await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) ?? "A team member";

    private static async Task<string?> CustomerNameAsync(WeedGoDbContext db, ChatConversation c, CancellationToken ct) =>
        c.CustomerId is { } id ? await db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) : null;

    /// <summary>How customers see a staff member: the first name on their profile, else their display name.</summary>
    internal static async Task<string> PublicNameAsync(WeedGoDbContext db, Guid userId, CancellationToken ct) =>
        await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => u.Profile != null && u.Profile.FirstName != null ? u.Profile.FirstName : u.DisplayName).FirstOrDefaultAsync(ct) ?? "A team member";

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..max];

    internal static ChatMessageView View(ChatMessage m, string? authorName, bool staff) => new(
        m.Id, m.ConversationId, m.Author, authorName, m.Text, m.StaffOnly,
        m.Products is null ? [] : JsonSerializer.Deserialize<List<AssistantProductRef>>(m.Products, Json) ?? [],
        staff && m.ToolCalls is not null ? JsonSerializer.Deserialize<List<ChatToolCall>>(m.ToolCalls, Json) ?? [] : [],
        m.CreatedAt);

    private async Task PublishAddedAsync(ChatConversation c, IEnumerable<ChatMessage> messages, CancellationToken ct)
    {
        foreach (var m in messages)
        {
            await PublishAsync(new ChatMessageAdded(c.TenantId, c.StoreId, c.Id, View(m, null, staff: false)), ct);
        }
    }

    private Task PublishChangedAsync(ChatConversation c, string? claimedByName, CancellationToken ct) =>
        PublishAsync(new ChatConversationChanged(c.TenantId, c.StoreId, c.Id, c.Status, c.ClaimedById, claimedByName, c.CustomerId), ct);

    private async Task PublishAsync(LiveEvent e, CancellationToken ct)
    {
        try
        {
            await live.PublishAsync(e, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Publishing {Type} failed", e.Type);
        }
    }
}

/// <summary>Who may see a conversation: its customer (account, or the guest's key) and staff of its store.</summary>
internal static class ChatAccess
{
    public static bool IsCustomerOf(ChatConversation c, ICurrentUser user, IShopper shopper) =>
        user.UserId is { } me && c.CustomerId == me
        || c.CustomerId is null && shopper.ShopperKey is { } key && c.ShopperKey == key;

    public static bool IsStaffOf(ICurrentUser user, Guid storeId) =>
        user.Satisfies(Policies.StoreOperations) && (user.SeesAllStores() || user.StoreIds.Contains(storeId));
}
