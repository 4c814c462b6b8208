using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Accounts;
using WeedGo.Core.Chat;
using WeedGo.Core.RateLimiting;
using WeedGo.Tests.Support;

namespace WeedGo.Tests.Chat;

/// <summary>A demo-world database whose Core services see the scripted assistant and the switchable limiter.</summary>
public sealed class ChatDatabaseFixture : DatabaseFixture
{
    public ScriptedAssistant Assistant { get; } = new();
    public SwitchableLimiter Limiter { get; } = new();

    protected override bool DemoData => true;

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<IAssistant>(Assistant);
        services.AddSingleton<IOperationLimiter>(Limiter);
    }
}

public static class ChatKit
{
    public static Guid Store => DemoWorld.QueenWest;

    public static TestUser Customer(Guid? id = null) =>
        new() { UserId = id ?? Guid.CreateVersion7(), TenantId = DemoWorld.NorthernLights, Roles = [Roles.Customer] };

    public static TestUser Budtender => TestUser.Staff(DemoWorld.User("budtender@northernlights.demo"), DemoWorld.NorthernLights, Roles.Budtender, DemoWorld.QueenWest);

    public static TestUser Manager => TestUser.Staff(DemoWorld.User("manager@northernlights.demo"), DemoWorld.NorthernLights, Roles.StoreManager,
        DemoWorld.QueenWest, DemoWorld.Yorkville);

    public static async Task<T> As<T>(DatabaseFixture db, TestUser who, Func<ChatService, Task<T>> act)
    {
        await using var scope = db.As(who);
        return await act(scope.ServiceProvider.GetRequiredService<ChatService>());
    }

    public static async Task<T> Query<T>(DatabaseFixture db, TestUser who, Func<ChatQueries, Task<T>> act)
    {
        await using var scope = db.As(who);
        return await act(scope.ServiceProvider.GetRequiredService<ChatQueries>());
    }

    public static async Task<Guid> StartAsync(DatabaseFixture db, TestUser who, Guid? store = null)
    {
        var started = await As(db, who, s => s.StartAsync(store ?? Store));
        Assert.True(started.Succeeded, started.Error?.Message);
        return started.Value.Id;
    }

    /// <summary>Posts as <paramref name="who"/> and reads the whole reply in the same scope; returns the updates.</summary>
    public static async Task<(ChatPostResult Result, List<ChatUpdate> Updates)> SayAsync(DatabaseFixture db, TestUser who, Guid conversation, string text)
    {
        await using var scope = db.As(who);
        var chat = scope.ServiceProvider.GetRequiredService<ChatService>();
        var result = await chat.PostAsync(conversation, text);
        var updates = new List<ChatUpdate>();
        if (result.Posted?.Reply is { } reply)
        {
            await foreach (var u in reply)
            {
                updates.Add(u);
            }
        }
        return (result, updates);
    }
}
