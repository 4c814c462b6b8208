using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Chat;
using WeedGo.Core.Common;
using WeedGo.Tests.Support;

namespace WeedGo.Tests.Chat;

/// <summary>A demo database with the assistant configured for tests: a named key, a price for the fake model, caching on.</summary>
public sealed class AssistantFixture : DatabaseFixture
{
    public const string KeyName = "test-key";
    public const string FakeModel = "fake-model";

    protected override bool DemoData => true;

    /// <summary>The model-call limiter the assistant consults; tests switch it to refusing.</summary>
    public AssistantLimiter Limiter { get; } = new();

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.Configure<AssistantOptions>(o =>
        {
            o.Keys[KeyName] = "sk-test-not-a-real-key";
            o.Prices[FakeModel] = new ModelPrice { InputPerMillion = 2m, OutputPerMillion = 8m };
            o.CacheFor = TimeSpan.FromMinutes(5);
            o.ModelTimeout = TimeSpan.FromSeconds(20);
        });
        services.AddSingleton<Core.RateLimiting.IOperationLimiter>(Limiter);
    }
}

/// <summary>An <see cref="Core.RateLimiting.IOperationLimiter"/> that allows everything until told to refuse; records what was asked.</summary>
public sealed class AssistantLimiter : Core.RateLimiting.IOperationLimiter
{
    public bool Refuse { get; set; }
    public List<string> Asked { get; } = [];

    public ValueTask<Core.RateLimiting.RateDecision> TryAcquireAsync(string operation, CancellationToken ct = default)
    {
        lock (Asked)
        {
            Asked.Add(operation);
        }
        return ValueTask.FromResult(Refuse ? Core.RateLimiting.RateDecision.Refuse(TimeSpan.FromMinutes(20)) : Core.RateLimiting.RateDecision.Allow);
    }
}

/// <summary>What one reply yielded, gathered.</summary>
public sealed record Reply(IReadOnlyList<AssistantUpdate> Updates)
{
    public string Text
    {
        get
        {
            var sb = new System.Text.StringBuilder();
            foreach (var u in Updates)
            {
                if (u is AssistantText t)
                {
                    sb.Append(t.Chunk);
                }
                else if (u is AssistantReplaceText r)
                {
                    sb.Clear().Append(r.Text);
                }
            }
            return sb.ToString();
        }
    }

    public IReadOnlyList<AssistantProductRef> Products => Updates.OfType<AssistantProducts>().SelectMany(p => p.Products).ToList();
    public IReadOnlyList<AssistantToolCall> Tools => Updates.OfType<AssistantToolCall>().ToList();
    public AssistantHandOff? HandOff => Updates.OfType<AssistantHandOff>().SingleOrDefault();
    public IReadOnlyList<AssistantStaffNote> Notes => Updates.OfType<AssistantStaffNote>().ToList();
    public AssistantUsage Usage => Assert.IsType<AssistantUsage>(Updates[^1]);
    public int TextChunks => Updates.OfType<AssistantText>().Count();
}

public static class AssistantKit
{
    public static readonly Guid Store = DemoWorld.QueenWest;

    public static async Task<Reply> AskAsync(DatabaseFixture db, TestUser who, string message, Guid? conversation = null, Guid? store = null,
        IReadOnlyList<AssistantTurn>? history = null)
    {
        await using var scope = db.As(who);
        var assistant = scope.ServiceProvider.GetRequiredService<IAssistant>();
        var updates = new List<AssistantUpdate>();
        await foreach (var u in assistant.ReplyAsync(new AssistantRequest(store ?? Store, conversation ?? Guid.CreateVersion7(), history ?? [], message)))
        {
            updates.Add(u);
        }
        return new Reply(updates);
    }

    public static TestUser Guest() => new() { TenantId = DemoWorld.NorthernLights, ShopperKey = Guid.NewGuid().ToString("N") };

    /// <summary>Sets <paramref name="store"/>'s AI settings (as the system, straight in the database).</summary>
    public static async Task ConfigureAsync(DatabaseFixture db, Guid store, Action<StoreAiSettings> change)
    {
        await using var ctx = db.Context();
        var row = await ctx.StoreAiSettings.FirstOrDefaultAsync(s => s.StoreId == store);
        if (row is null)
        {
            row = new StoreAiSettings { StoreId = store, TenantId = await ctx.Stores.Where(s => s.Id == store).Select(s => s.TenantId).FirstAsync() };
            ctx.StoreAiSettings.Add(row);
        }
        change(row);
        await ctx.SaveChangesAsync();
    }

    public static Task UseFakeModelAsync(DatabaseFixture db, Guid store, FakeOpenAiServer server, decimal? budget = null) =>
        ConfigureAsync(db, store, s =>
        {
            s.Provider = AssistantProvider.OpenAI;
            s.BaseUrl = server.BaseUrl;
            s.Model = AssistantFixture.FakeModel;
            s.ApiKeyName = AssistantFixture.KeyName;
            s.MonthlyBudget = budget;
            s.HandOffWhenBudgetExhausted = false;
            s.Enabled = true;
        });

    /// <summary>Ids of the products the store lists with a price (what a product card may show).</summary>
    public static async Task<HashSet<Guid>> MenuIdsAsync(DatabaseFixture db, Guid store)
    {
        await using var ctx = db.Context();
        return (await ctx.Inventory.Where(i => i.StoreId == store)
            .Join(ctx.Products, i => i.ProductId, p => p.Id, (i, p) => new { p.Id, Price = i.RetailPriceOverride ?? p.UnitPrice })
            .Where(x => x.Price != null).Select(x => x.Id).ToListAsync()).ToHashSet();
    }

    /// <summary>Usage rows of a conversation, oldest first.</summary>
    public static async Task<List<AiUsage>> UsageAsync(DatabaseFixture db, Guid conversation)
    {
        await using var ctx = db.Context();
        return await ctx.AiUsage.Where(u => u.ConversationId == conversation).OrderBy(u => u.CreatedAt).ThenBy(u => u.Id).ToListAsync();
    }

    public static TestUser Customer(string email = "customer@northernlights.demo") =>
        new() { UserId = DemoWorld.User(email), TenantId = DemoWorld.NorthernLights, Email = email, Roles = [Core.Accounts.Roles.Customer] };
}
