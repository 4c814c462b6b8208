using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Data;

namespace WeedGo.Core.Pricing;

/// <summary>
/// Staff commands on promotions: create, update, duplicate, pause, resume, delete. Store managers and tenant admins
/// (<see cref="Policies.StoreManagement"/>), for their own tenant and stores (see <see cref="PromotionAccess"/>). Every save
/// runs <see cref="PromotionRules.Validate"/>: errors refuse it with the messages; warnings do not (show them from
/// <see cref="Validate"/> before saving).
/// </summary>
public sealed class PromotionService(IDbContextFactory<WeedGoDbContext> contexts, ICurrentUser user, ITenantContext tenant, ILogger<PromotionService> logger,
    WeedGo.Core.Live.ILiveEvents live)
{
    /// <summary>The save-time check (errors and guardrail warnings), for the form.</summary>
    public static PromotionValidation Validate(Promotion draft) => PromotionRules.Validate(draft);

    /// <summary>Saves a new promotion from the form's <paramref name="draft"/> (its id, tenant and counters are ignored).</summary>
    public async Task<Result<Guid>> CreateAsync(Promotion draft, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await CheckAsync(db, draft, ct) is { } problem)
        {
            return problem;
        }
        var promotion = new Promotion { TenantId = tenant.TenantId ?? throw new InvalidOperationException("A promotion needs a tenant.") };
        promotion.CopyEditableFrom(draft);
        db.Promotions.Add(promotion);
        if (await SaveAsync(db, promotion, ct) is { } conflict)
        {
            return conflict;
        }
        logger.LogInformation("Promotion {Promotion} \"{Name}\" created by {User}", promotion.Id, promotion.Name, user.UserId);
        await MenuChangedAsync("promotion", null);
        return promotion.Id;
    }

    /// <summary>Replaces the editable fields of promotion <paramref name="id"/> with the draft's.</summary>
    public async Task<Result> UpdateAsync(Guid id, Promotion draft, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var promotion = await db.Promotions.FirstOrDefaultAsync(p => p.Id == id, ct);
        if (promotion is null)
        {
            return user.Demand(Policies.StoreManagement) ?? Error.NotFound("That promotion");
        }
        if (await PromotionAccess.CheckStoresAsync(db, user, Policies.StoreManagement, promotion.StoreIds, ct) is { } denied)
        {
            return denied;
        }
        if (await CheckAsync(db, draft, ct, id) is { } problem)
        {
            return problem;
        }
        if (draft.UsageLimit is { } limit && limit < promotion.UsedCount)
        {
            return Error.Validation($"It has already been used {promotion.UsedCount} times; the usage limit cannot be lower than that.");
        }
        promotion.CopyEditableFrom(draft);
        if (await SaveAsync(db, promotion, ct) is { } conflict)
        {
            return conflict;
        }
        logger.LogInformation("Promotion {Promotion} \"{Name}\" updated by {User}", promotion.Id, promotion.Name, user.UserId);
        await MenuChangedAsync("promotion", null);
        return Result.Ok();
    }

    /// <summary>Copies a promotion as a new, paused one named "Copy of …", without its code (codes are unique) and usage.</summary>
    public async Task<Result<Guid>> DuplicateAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var found = await FindAsync(db, id, ct);
        if (!found.Succeeded)
        {
            return found.Error!;
        }
        var source = found.Value;
        var copy = new Promotion { TenantId = source.TenantId };
        copy.CopyEditableFrom(source);
        copy.Name = ("Copy of " + source.Name) is { Length: > 200 } longName ? longName[..200] : "Copy of " + source.Name;
        copy.Code = null;
        copy.Enabled = false;
        db.Promotions.Add(copy);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Promotion {Promotion} duplicated as {Copy} by {User}", id, copy.Id, user.UserId);
        return copy.Id;
    }

    /// <summary>The store's pricing guardrail: with <paramref name="forbid"/>, no promotion takes a line below its unit cost.
    /// Store managers of that store and tenant admins.</summary>
    public async Task<Result> SetForbidBelowCostAsync(Guid storeId, bool forbid, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await PromotionAccess.CheckStoreAsync(db, user, Policies.StoreManagement, storeId, ct) is { } denied)
        {
            return denied;
        }
        var store = await db.Stores.FirstAsync(s => s.Id == storeId, ct);
        store.ForbidBelowCost = forbid;
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Store {Store}: forbid prices below cost {Forbid} (by {User})", storeId, forbid, user.UserId);
        await MenuChangedAsync("below-cost guardrail", storeId);
        return Result.Ok();
    }

    public Task<Result> PauseAsync(Guid id, CancellationToken ct = default) => SwitchAsync(id, false, ct);

    public Task<Result> ResumeAsync(Guid id, CancellationToken ct = default) => SwitchAsync(id, true, ct);

    /// <summary>Deletes a promotion that no order used; a used one keeps its history: pause it instead.</summary>
    public async Task<Result> DeleteAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var found = await FindAsync(db, id, ct);
        if (!found.Succeeded)
        {
            return found.Error!;
        }
        if (found.Value.UsedCount > 0 || await db.PromotionUsages.AnyAsync(u => u.PromotionId == id, ct))
        {
            return Error.Conflict($"\"{found.Value.Name}\" has been used by orders, which keep a record of it; pause it instead of deleting it.");
        }
        db.Promotions.Remove(found.Value);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Promotion {Promotion} \"{Name}\" deleted by {User}", id, found.Value.Name, user.UserId);
        await MenuChangedAsync("promotion", null);
        return Result.Ok();
    }

    private async Task<Result> SwitchAsync(Guid id, bool enabled, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var found = await FindAsync(db, id, ct);
        if (!found.Succeeded)
        {
            return found.Error!;
        }
        found.Value.Enabled = enabled;
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Promotion {Promotion} {Action} by {User}", id, enabled ? "resumed" : "paused", user.UserId);
        await MenuChangedAsync("promotion", null);
        return Result.Ok();
    }

    /// <summary>Tells open storefronts and page caches that prices on the menu may differ now (all stores when null).</summary>
    private Task MenuChangedAsync(string reason, Guid? storeId) =>
        tenant.TenantId is { } tenantId ? live.PublishAsync(new WeedGo.Core.Live.MenuChanged(tenantId, storeId, reason)) : Task.CompletedTask;

    /// <summary>The promotion, tracked, when the user may manage it.</summary>
    private async Task<Result<Promotion>> FindAsync(WeedGoDbContext db, Guid id, CancellationToken ct)
    {
        if (user.Demand(Policies.StoreManagement) is { } denied)
        {
            return denied;
        }
        var promotion = await db.Promotions.FirstOrDefaultAsync(p => p.Id == id, ct);
        if (promotion is null)
        {
            return Error.NotFound("That promotion");
        }
        if (await PromotionAccess.CheckStoresAsync(db, user, Policies.StoreManagement, promotion.StoreIds, ct) is { } forbidden)
        {
            return forbidden;
        }
        return promotion;
    }

    /// <summary>Role and stores of the draft, its validation, and its code free in the tenant.</summary>
    private async Task<Error?> CheckAsync(WeedGoDbContext db, Promotion draft, CancellationToken ct, Guid? self = null)
    {
        if (await PromotionAccess.CheckStoresAsync(db, user, Policies.StoreManagement, draft.StoreIds, ct) is { } denied)
        {
            return denied;
        }
        var validation = PromotionRules.Validate(draft);
        if (!validation.IsValid)
        {
            return new Error("promotion_invalid", string.Join(" ", validation.Errors));
        }
        if (Promotion.NormalizeCode(draft.Code) is { } code
            && await db.Promotions.AsNoTracking().Where(p => p.Code == code && p.Id != self).Select(p => p.Name).FirstOrDefaultAsync(ct) is { } owner)
        {
            return CodeTaken(code, owner);
        }
        return null;
    }

    private static Error CodeTaken(string code, string owner) =>
        new("promotion_code_taken", $"The code {code} is already used by \"{owner}\"; choose another.", ErrorKind.Conflict);

    private static async Task<Error?> SaveAsync(WeedGoDbContext db, Promotion promotion, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return null;
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return CodeTaken(promotion.Code ?? "", "another promotion");
        }
    }
}
