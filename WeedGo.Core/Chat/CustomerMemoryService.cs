using Microsoft.EntityFrameworkCore;
using WeedGo.Core.Common;
using WeedGo.Core.Data;

namespace WeedGo.Core.Chat;

public sealed record MemoryView(Guid Id, string Text, DateTimeOffset At, string? StoreName);

/// <summary>
/// What a signed-in customer asked the assistant to remember about them. Only ever their own: they list and delete it
/// (one or all); the assistant adds to it through its remember tool and reads it into its prompt. Guests have none.
/// </summary>
public sealed class CustomerMemoryService(IDbContextFactory<WeedGoDbContext> contexts, ICurrentUser user, ITenantContext tenant)
{
    /// <summary>Most memories kept per customer; the oldest go first.</summary>
    public const int MaxPerCustomer = 20;

    public async Task<Result<string>> RememberAsync(string text, Guid? storeId = null, Guid? conversationId = null, CancellationToken ct = default)
    {
        if (user.UserId is not { } me || tenant.TenantId is not { } tenantId)
        {
            return new Error("unauthenticated", "Only signed-in customers' preferences are remembered; sign in and I will remember it.", ErrorKind.Forbidden);
        }
        var clean = string.Join(' ', (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (clean.Length is 0 or > 300)
        {
            return Error.Validation("A preference must be between 1 and 300 characters.");
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var existing = await db.CustomerMemories.Where(m => m.UserId == me).OrderBy(m => m.CreatedAt).ToListAsync(ct);
        if (existing.Any(m => string.Equals(m.Text, clean, StringComparison.OrdinalIgnoreCase)))
        {
            return clean;
        }
        db.CustomerMemories.RemoveRange(existing.Take(Math.Max(0, existing.Count - MaxPerCustomer + 1)));
        db.CustomerMemories.Add(new CustomerMemory { TenantId = tenantId, UserId = me, Text = clean, StoreId = storeId, ConversationId = conversationId });
        await db.SaveChangesAsync(ct);
        return clean;
    }

    public async Task<IReadOnlyList<MemoryView>> MineAsync(CancellationToken ct = default)
    {
        if (user.UserId is not { } me)
        {
            return [];
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.CustomerMemories.AsNoTracking().Where(m => m.UserId == me).OrderByDescending(m => m.CreatedAt)
            .Select(m => new MemoryView(m.Id, m.Text, m.CreatedAt, db.Stores.Where(s => s.Id == m.StoreId).Select(s => s.Name).FirstOrDefault()))
            .ToListAsync(ct);
    }

    /// <summary>The texts for the assistant's prompt (oldest first).</summary>
    public async Task<IReadOnlyList<string>> TextsAsync(CancellationToken ct = default) =>
        (await MineAsync(ct)).OrderBy(m => m.At).Select(m => m.Text).ToList();

    public async Task<Result> ForgetAsync(Guid id, CancellationToken ct = default)
    {
        if (user.UserId is not { } me)
        {
            return new Error("unauthenticated", "Please sign in first.", ErrorKind.Forbidden);
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var deleted = await db.CustomerMemories.Where(m => m.Id == id && m.UserId == me).ExecuteDeleteAsync(ct);
        return deleted == 1 ? Result.Ok() : Error.NotFound("That memory");
    }

    public async Task<Result<int>> ForgetAllAsync(CancellationToken ct = default)
    {
        if (user.UserId is not { } me)
        {
            return new Error("unauthenticated", "Please sign in first.", ErrorKind.Forbidden);
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.CustomerMemories.Where(m => m.UserId == me).ExecuteDeleteAsync(ct);
    }
}
