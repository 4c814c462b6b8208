using Microsoft.EntityFrameworkCore;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Data;

namespace WeedGo.Core.Chat;

/// <summary>A personality as the form edits it.</summary>
public sealed record PersonalityForm(string Name, string? Avatar, string Tone, string Greeting, string SystemPrompt, string Language, IReadOnlyList<string> QuickReplies)
{
    public static PersonalityForm From(AiPersonality p) => new(p.Name, p.Avatar, p.Tone, p.Greeting, p.SystemPrompt, p.Language, p.QuickReplies);

    public AiPersonality ToEntity(Guid id = default) => new()
    {
        Id = id == default ? Guid.CreateVersion7() : id, Name = Name.Trim(), Avatar = string.IsNullOrWhiteSpace(Avatar) ? null : Avatar.Trim(), Tone = Tone,
        Greeting = Greeting.Trim(), SystemPrompt = SystemPrompt.Trim(), Language = Language.Trim(),
        QuickReplies = QuickReplies.Select(q => q.Trim()).Where(q => q.Length > 0).ToList(),
    };
}

/// <summary>A personality in the list: which stores use it.</summary>
public sealed record PersonalityRow(Guid Id, string Name, string? Avatar, string Tone, string Language, string Greeting, bool BuiltIn,
    IReadOnlyList<string> UsedBy, PersonalityForm Form);

/// <summary>A preview reply: what the widget would show.</summary>
public sealed record PersonalityPreview(string Greeting, string Reply, IReadOnlyList<AssistantProductRef> Products, IReadOnlyList<string> ToolCalls,
    string? HandOff, AssistantUsage? Usage);

/// <summary>
/// The tenant's personalities: the built-in ones (read-only, added on first use) and custom ones that store managers and tenant
/// admins create, edit, duplicate and delete (<see cref="Policies.StoreManagement"/>). A personality some store uses cannot be
/// deleted. Preview runs a real reply with the personality at one of the person's stores.
/// </summary>
public sealed class PersonalityService(IDbContextFactory<WeedGoDbContext> contexts, ICurrentUser user, ITenantContext tenant, AssistantService assistant)
{
    public static IReadOnlyList<string> Validate(PersonalityForm f)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(f.Name) || f.Name.Trim().Length > 80)
        {
            errors.Add("A name of 1 to 80 characters is required.");
        }
        if (!PersonalityTones.All.Contains(f.Tone))
        {
            errors.Add($"Tone must be one of {string.Join(", ", PersonalityTones.All)}.");
        }
        if (string.IsNullOrWhiteSpace(f.Greeting) || f.Greeting.Length > 500)
        {
            errors.Add("A greeting of 1 to 500 characters is required.");
        }
        if (string.IsNullOrWhiteSpace(f.SystemPrompt) || f.SystemPrompt.Length > 4000)
        {
            errors.Add("A system prompt of 1 to 4,000 characters is required.");
        }
        if (string.IsNullOrWhiteSpace(f.Language) || f.Language.Trim().Length > 10)
        {
            errors.Add("A language code such as en or fr is required.");
        }
        if (f.Avatar is { Length: > 300 })
        {
            errors.Add("The avatar is an emoji or an image URL of at most 300 characters.");
        }
        if (f.QuickReplies.Count > 8 || f.QuickReplies.Any(q => q.Length > 60))
        {
            errors.Add("At most 8 quick replies of up to 60 characters each.");
        }
        return errors;
    }

    public async Task<Result<IReadOnlyList<PersonalityRow>>> ListAsync(CancellationToken ct = default)
    {
        if (user.Demand(Policies.StoreManagement) is { } denied)
        {
            return denied;
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (tenant.TenantId is { } tenantId)
        {
            await BuiltInPersonalities.EnsureAsync(db, tenantId, ct);
        }
        var personalities = await db.AiPersonalities.AsNoTracking().OrderByDescending(p => p.BuiltIn).ThenBy(p => p.Name).ToListAsync(ct);
        var uses = await db.StoreAiSettings.AsNoTracking().Where(s => s.PersonalityId != null)
            .Join(db.Stores, s => s.StoreId, st => st.Id, (s, st) => new { s.PersonalityId, st.Name }).ToListAsync(ct);
        return personalities.Select(p => new PersonalityRow(p.Id, p.Name, p.Avatar, p.Tone, p.Language, p.Greeting, p.BuiltIn,
            uses.Where(u => u.PersonalityId == p.Id).Select(u => u.Name).OrderBy(n => n).ToList(), PersonalityForm.From(p))).ToList();
    }

    public async Task<Result<Guid>> CreateAsync(PersonalityForm form, CancellationToken ct = default)
    {
        if (user.Demand(Policies.StoreManagement) is { } denied)
        {
            return denied;
        }
        if (Validate(form) is { Count: > 0 } errors)
        {
            return Error.Validation(string.Join(" ", errors));
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var name = form.Name.Trim();
        if (await db.AiPersonalities.AnyAsync(p => p.Name == name, ct))
        {
            return Error.Conflict($"A personality called \"{name}\" already exists.");
        }
        var entity = form.ToEntity();
        entity.TenantId = tenant.TenantId ?? throw new InvalidOperationException("A personality needs a tenant.");
        db.AiPersonalities.Add(entity);
        await db.SaveChangesAsync(ct);
        return entity.Id;
    }

    public async Task<Result> UpdateAsync(Guid id, PersonalityForm form, CancellationToken ct = default)
    {
        if (user.Demand(Policies.StoreManagement) is { } denied)
        {
            return denied;
        }
        if (Validate(form) is { Count: > 0 } errors)
        {
            return Error.Validation(string.Join(" ", errors));
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var p = await db.AiPersonalities.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (p is null)
        {
            return Error.NotFound("That personality");
        }
        if (p.BuiltIn)
        {
            return Error.Validation("Built-in personalities cannot be changed; duplicate it and change the copy.");
        }
        var name = form.Name.Trim();
        if (await db.AiPersonalities.AnyAsync(x => x.Name == name && x.Id != id, ct))
        {
            return Error.Conflict($"A personality called \"{name}\" already exists.");
        }
        var next = form.ToEntity(id);
        (p.Name, p.Avatar, p.Tone, p.Greeting, p.SystemPrompt, p.Language, p.QuickReplies) =
            (next.Name, next.Avatar, next.Tone, next.Greeting, next.SystemPrompt, next.Language, next.QuickReplies);
        await db.SaveChangesAsync(ct);
        return Result.Ok();
    }

    public async Task<Result<Guid>> DuplicateAsync(Guid id, CancellationToken ct = default)
    {
        if (user.Demand(Policies.StoreManagement) is { } denied)
        {
            return denied;
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var p = await db.AiPersonalities.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (p is null)
        {
            return Error.NotFound("That personality");
        }
        var name = "Copy of " + p.Name;
        for (var n = 2; await db.AiPersonalities.AnyAsync(x => x.Name == name, ct); n++)
        {
            name = $"Copy {n} of {p.Name}";
        }
        var copy = PersonalityForm.From(p).ToEntity() ;
        copy.Name = name.Length > 80 ? name[..80] : name;
        copy.TenantId = p.TenantId;
        db.AiPersonalities.Add(copy);
        await db.SaveChangesAsync(ct);
        return copy.Id;
    }

    public async Task<Result> DeleteAsync(Guid id, CancellationToken ct = default)
    {
        if (user.Demand(Policies.StoreManagement) is { } denied)
        {
            return denied;
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var p = await db.AiPersonalities.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (p is null)
        {
            return Error.NotFound("That personality");
        }
        if (p.BuiltIn)
        {
            return Error.Validation("Built-in personalities cannot be deleted.");
        }
        var users = await db.StoreAiSettings.Where(s => s.PersonalityId == id).Join(db.Stores, s => s.StoreId, st => st.Id, (s, st) => st.Name).ToListAsync(ct);
        if (users.Count > 0)
        {
            return Error.Conflict($"{string.Join(", ", users)} {(users.Count == 1 ? "uses" : "use")} this personality; choose another one there first.");
        }
        db.AiPersonalities.Remove(p);
        await db.SaveChangesAsync(ct);
        return Result.Ok();
    }

    /// <summary>A reply to <paramref name="message"/> as the (possibly unsaved) personality would give it at <paramref name="storeId"/>.</summary>
    public async Task<Result<PersonalityPreview>> PreviewAsync(Guid storeId, PersonalityForm form, string message, Guid? id = null, CancellationToken ct = default)
    {
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            if (await AssistantSettingsService.CheckStoreAsync(db, user, storeId, ct) is { } denied)
            {
                return denied;
            }
        }
        if (Validate(form) is { Count: > 0 } errors)
        {
            return Error.Validation(string.Join(" ", errors));
        }
        if (string.IsNullOrWhiteSpace(message))
        {
            return Error.Validation("Type a customer message to preview the reply.");
        }
        var personality = form.ToEntity(id ?? Guid.Empty);
        var text = new System.Text.StringBuilder();
        var products = new List<AssistantProductRef>();
        var calls = new List<string>();
        string? handOff = null;
        AssistantUsage? usage = null;
        await foreach (var update in assistant.PreviewAsync(storeId, personality, message.Trim(), ct))
        {
            switch (update)
            {
                case AssistantText t:
                    text.Append(t.Chunk);
                    break;
                case AssistantReplaceText r:
                    text.Clear().Append(r.Text);
                    break;
                case AssistantProducts p:
                    products.AddRange(p.Products);
                    break;
                case AssistantToolCall c:
                    calls.Add(c.Refused ? $"{c.Name} (refused)" : c.Name);
                    break;
                case AssistantHandOff h:
                    handOff = h.Reason;
                    break;
                case AssistantStaffNote n:
                    calls.Add("note: " + n.Text);
                    break;
                case AssistantUsage u:
                    usage = u;
                    break;
            }
        }
        return new PersonalityPreview(personality.Greeting, text.ToString(), products, calls, handOff, usage);
    }
}
