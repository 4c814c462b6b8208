using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Compliance;
using WeedGo.Core.Data;
using WeedGo.Core.Ordering;

namespace WeedGo.Core.Chat;

/// <summary>Which conversations the staff list shows.</summary>
public enum ChatListFilter
{
    /// <summary>Every conversation not closed.</summary>
    Open,
    Waiting,
    WithStaff,
    WithAssistant,
    /// <summary>Closed in the last 24 hours.</summary>
    Closed,
}

/// <summary>Reads of conversations: a customer's own, a store's list for its staff, one conversation for staff, and the
/// customer beside it (cart and recent orders).</summary>
public sealed class ChatQueries(IDbContextFactory<WeedGoDbContext> contexts, ICurrentUser user, IShopper shopper, TimeProvider clock,
    IOptions<OrderingOptions> ordering)
{
    /// <summary>One of the caller's own conversations (staff-only notes left out); "not found" for anyone else's.</summary>
    public async Task<Result<ChatConversationView>> ViewAsync(Guid conversationId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var c = await db.ChatConversations.AsNoTracking().FirstOrDefaultAsync(x => x.Id == conversationId, ct);
        if (c is null || !ChatAccess.IsCustomerOf(c, user, shopper))
        {
            return Error.NotFound("That conversation");
        }
        var staffName = c.ClaimedById is { } staff && c.Status == ChatStatus.WithStaff
            ? await ChatService.PublicNameAsync(db, staff, ct)
            : null;
        return new ChatConversationView(c.Id, c.StoreId, c.Status, staffName, c.CreatedAt, await MessagesAsync(db, c.Id, staff: false, ct));
    }

    /// <summary>Whether the caller may follow the conversation live: as its customer, or as staff of its store. Returns the
    /// store, and whether the caller is staff there (staff also receive staff-only notes).</summary>
    public async Task<Result<(Guid StoreId, bool AsStaff)>> AccessAsync(Guid conversationId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var c = await db.ChatConversations.AsNoTracking().FirstOrDefaultAsync(x => x.Id == conversationId, ct);
        if (c is null)
        {
            return Error.NotFound("That conversation");
        }
        if (ChatAccess.IsCustomerOf(c, user, shopper))
        {
            return (c.StoreId, false);
        }
        return ChatAccess.IsStaffOf(user, c.StoreId) ? (c.StoreId, true) : Error.NotFound("That conversation");
    }

    /// <summary>The store's conversations for its staff: those waiting for a person first (longest waiting first), then the
    /// rest by latest message. Conversations in which the customer has not said anything yet are left out.</summary>
    public async Task<Result<IReadOnlyList<ChatConversationSummary>>> ListAsync(Guid storeId, ChatListFilter filter = ChatListFilter.Open, int take = 100,
        CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await StaffAccessAsync(db, storeId, ct) is { } denied)
        {
            return denied;
        }
        var query = db.ChatConversations.AsNoTracking().Where(c => c.StoreId == storeId && c.LastMessageAt != null);
        var dayAgo = clock.GetUtcNow().AddDays(-1);
        query = filter switch
        {
            ChatListFilter.Waiting => query.Where(c => c.Status == ChatStatus.WaitingForStaff),
            ChatListFilter.WithStaff => query.Where(c => c.Status == ChatStatus.WithStaff),
            ChatListFilter.WithAssistant => query.Where(c => c.Status == ChatStatus.WithAssistant),
            ChatListFilter.Closed => query.Where(c => c.Status == ChatStatus.Closed && c.ClosedAt >= dayAgo),
            _ => query.Where(c => c.Status != ChatStatus.Closed),
        };
        var rows = await Summaries(db, query
                .OrderBy(c => c.Status == ChatStatus.WaitingForStaff ? 0 : 1).ThenBy(c => c.Status == ChatStatus.WaitingForStaff ? c.WaitingSince : null)
                .ThenByDescending(c => c.LastMessageAt).Take(Math.Clamp(take, 1, 500)))
            .ToListAsync(ct);
        return rows;
    }

    /// <summary>One conversation for staff of its store: every message, staff-only notes and tool calls included.</summary>
    public async Task<Result<ChatStaffView>> StaffViewAsync(Guid conversationId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var c = await db.ChatConversations.AsNoTracking().Where(x => x.Id == conversationId).Select(x => new { x.StoreId }).FirstOrDefaultAsync(ct);
        if (c is null)
        {
            return Error.NotFound("That conversation");
        }
        if (await StaffAccessAsync(db, c.StoreId, ct) is { } denied)
        {
            return denied;
        }
        var summary = await Summaries(db, db.ChatConversations.AsNoTracking().Where(x => x.Id == conversationId)).FirstAsync(ct);
        return new ChatStaffView(summary, await MessagesAsync(db, conversationId, staff: true, ct));
    }

    /// <summary>The conversation's customer as staff of the store see them beside the chat: the cart at this store (a guest's
    /// too, by the browser's key) with the purchase-limit grams, and their last orders here.</summary>
    public async Task<Result<ChatCustomerContext>> CustomerAsync(Guid conversationId, int orders = 5, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var c = await db.ChatConversations.AsNoTracking().FirstOrDefaultAsync(x => x.Id == conversationId, ct);
        if (c is null)
        {
            return Error.NotFound("That conversation");
        }
        if (await StaffAccessAsync(db, c.StoreId, ct) is { } denied)
        {
            return denied;
        }
        var person = c.CustomerId is { } id
            ? await db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => new { u.DisplayName, u.Email }).FirstOrDefaultAsync(ct)
            : null;
        var carts = db.Carts.AsNoTracking().Where(x => x.StoreId == c.StoreId);
        carts = c.CustomerId is { } customer ? carts.Where(x => x.UserId == customer)
            : c.ShopperKey is { } key ? carts.Where(x => x.UserId == null && x.ShopperKey == key) : carts.Where(_ => false);
        var rows = await carts.SelectMany(x => x.Lines)
            .Join(db.Products, l => l.ProductId, p => p.Id, (l, p) => new
            {
                l.ProductId, p.Sku, p.ProductName, l.Quantity, p.UnitPrice, l.CreatedAt, Grams = p.IsCannabis ? p.DriedFlowerEquivalency : 0m,
                Override = db.Inventory.Where(i => i.StoreId == c.StoreId && i.ProductId == p.Id).Select(i => i.RetailPriceOverride).FirstOrDefault(),
            })
            .OrderBy(r => r.CreatedAt).ToListAsync(ct);
        var lines = rows.Select(r =>
        {
            var price = OrderMath.ShelfPrice(r.Override, r.UnitPrice);
            return new ChatCartLine(r.ProductId, r.Sku, r.ProductName, r.Quantity, price, OrderMath.Round((price ?? 0) * r.Quantity), r.Grams * r.Quantity);
        }).ToList();
        var limit = ordering.Value.PurchaseLimitGrams;
        var meter = PurchaseLimit.Measure(rows.Select(r => new LimitLine(r.ProductId, r.Quantity, r.Grams)), limit);
        var recent = c.CustomerId is { } cid
            ? await db.Orders.AsNoTracking().Where(o => o.StoreId == c.StoreId && o.CustomerId == cid).OrderByDescending(o => o.PlacedAt)
                .Take(Math.Clamp(orders, 0, 20))
                .Select(o => new ChatRecentOrder(o.Id, o.Number, o.PlacedAt, o.Status, o.Total, o.Lines.Sum(l => l.Quantity))).ToListAsync(ct)
            : [];
        return new ChatCustomerContext(person?.DisplayName ?? "Guest", person?.Email, c.CustomerId is null, lines, lines.Sum(l => l.LineTotal),
            meter.UsedGrams, limit, recent);
    }

    internal static async Task<IReadOnlyList<ChatMessageView>> MessagesAsync(WeedGoDbContext db, Guid conversationId, bool staff, CancellationToken ct)
    {
        var rows = await db.ChatMessages.AsNoTracking().Where(m => m.ConversationId == conversationId && (staff || !m.StaffOnly))
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id)
            .Select(m => new
            {
                Message = m,
                Name = db.Users.Where(u => u.Id == m.AuthorUserId).Select(u => u.DisplayName).FirstOrDefault(),
                Public = db.Users.Where(u => u.Id == m.AuthorUserId)
                    .Select(u => u.Profile != null && u.Profile.FirstName != null ? u.Profile.FirstName : u.DisplayName).FirstOrDefault(),
            })
            .ToListAsync(ct);
        // Customers see staff as PublicNameAsync does; staff see full names.
        return rows.Select(r => ChatService.View(r.Message, r.Message.Author == ChatAuthorKind.Staff && !staff ? r.Public : r.Name, staff)).ToList();
    }

    private static IQueryable<ChatConversationSummary> Summaries(WeedGoDbContext db, IQueryable<ChatConversation> query) =>
        query.Select(c => new ChatConversationSummary(
            c.Id, c.StoreId, c.CustomerId,
            db.Users.Where(u => u.Id == c.CustomerId).Select(u => u.DisplayName).FirstOrDefault() ?? "Guest",
            c.CustomerId == null, c.Status, c.ClaimedById,
            db.Users.Where(u => u.Id == c.ClaimedById).Select(u => u.DisplayName).FirstOrDefault(),
            db.ChatMessages.Where(m => m.ConversationId == c.Id && m.Author != ChatAuthorKind.System).OrderByDescending(m => m.CreatedAt)
                .Select(m => m.Text.Substring(0, 140)).FirstOrDefault(),
            c.LastMessageAt, c.WaitingSince, c.HandOffReason, c.CreatedAt));

    private Task<Error?> StaffAccessAsync(WeedGoDbContext db, Guid storeId, CancellationToken ct) =>
        Tenancy.StoreAccess.CheckAsync(db, user, Policies.StoreOperations, storeId, "see its chats", ct);
}
