using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WeedGo.Core;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Data;

namespace WeedGo.Tests.Support;

/// <summary>
/// A fresh database (cloned from the migrated template) for one test class, with the Core services wired as the app wires
/// them. Tests act as someone by creating a scope with <see cref="As"/>.
/// </summary>
public class DatabaseFixture : IAsyncLifetime
{
    /// <summary>The database as its owner (the migrations role; row-level security is forced on it too).</summary>
    public string ConnectionString { get; private set; } = "";
    /// <summary>The database as the app role, which the services use (as the running app does).</summary>
    public string AppConnectionString => TestDatabase.AppConnection(ConnectionString);
    public ServiceProvider Services { get; private set; } = default!;
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 25, 17, 0, 0, TimeSpan.Zero)); // 12:00 in Toronto

    /// <summary>True: the database is cloned from the template that already holds the demo world.</summary>
    protected virtual bool DemoData => false;

    public async Task InitializeAsync()
    {
        ConnectionString = await TestDatabase.CreateAsync("it", DemoData);
        Services = BuildServices();
    }

    /// <summary>Core wired as the app wires it, over this fixture's database. Called once for <see cref="Services"/>; a test
    /// may call it again for a second "instance" of the app on the same database (dispose it yourself).</summary>
    public ServiceProvider BuildServices()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddWeedGoCore(AppConnectionString, new MigrationTarget(ConnectionString, TestDatabase.AppRole));
        services.AddSingleton<IPasswordHasher<AppUser>, PasswordHasher<AppUser>>();
        // Live events as the app wires them in one instance: services publish, tests and components subscribe.
        services.AddSingleton<WeedGo.Web.Live.InProcessLiveEvents>();
        services.AddSingleton<Core.Live.ILiveEvents>(sp => sp.GetRequiredService<WeedGo.Web.Live.InProcessLiveEvents>());
        services.AddScoped<TestUser>();
        services.AddScoped<ITenantContext>(sp => sp.GetRequiredService<TestUser>());
        services.AddScoped<ICurrentUser>(sp => sp.GetRequiredService<TestUser>());
        services.AddScoped<Core.Ordering.IShopper>(sp => sp.GetRequiredService<TestUser>());
        ConfigureServices(services);
        return services.BuildServiceProvider();
    }

    /// <summary>Lets a fixture for one subject change the wiring (e.g. turn the development outbox on).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>A scope in which services see <paramref name="user"/> as the signed-in person.</summary>
    public AsyncServiceScope As(TestUser user)
    {
        var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TestUser>().CopyFrom(user);
        return scope;
    }

    /// <summary>A context with the given tenant scope (or the system scope), straight from the pool.</summary>
    public WeedGoDbContext Context(ITenantContext? tenant = null)
    {
        var db = Services.GetRequiredService<PooledDbContextFactory<WeedGoDbContext>>().CreateDbContext();
        db.UseTenant(tenant ?? FixedTenantContext.System);
        return db;
    }

    public async Task DisposeAsync()
    {
        await Services.DisposeAsync();
        await TestDatabase.DropAsync(ConnectionString);
    }
}

/// <summary>Who a test acts as: user, roles, tenant and stores.</summary>
public sealed class TestUser : ITenantContext, ICurrentUser, Core.Ordering.IShopper
{
    /// <summary>A guest browser's cart key.</summary>
    public string? ShopperKey { get; set; }
    public Guid? UserId { get; set; }
    public Guid? TenantId { get; set; }
    public bool AllTenants { get; set; }
    public string? Email { get; set; }
    public HashSet<string> Roles { get; set; } = [];
    public List<Guid> Stores { get; set; } = [];

    public bool IsAuthenticated => UserId is not null;
    public bool IsInRole(string role) => Roles.Contains(role);
    public IReadOnlyCollection<Guid> StoreIds => Stores;

    public static TestUser Anonymous(Guid? tenant = null) => new() { TenantId = tenant };

    public static TestUser Staff(Guid userId, Guid tenant, string role, params Guid[] stores) =>
        new() { UserId = userId, TenantId = tenant, Roles = [role], Stores = [.. stores] };

    public static TestUser Platform(Guid userId) =>
        new() { UserId = userId, AllTenants = true, Roles = [Core.Accounts.Roles.PlatformAdmin] };

    public void CopyFrom(TestUser other)
    {
        UserId = other.UserId;
        TenantId = other.TenantId;
        AllTenants = other.AllTenants;
        Email = other.Email;
        ShopperKey = other.ShopperKey;
        Roles = [.. other.Roles];
        Stores = [.. other.Stores];
    }
}

/// <summary>A <see cref="DatabaseFixture"/> whose database starts with the demo world (tenants, stores, people, catalogue, stock).</summary>
public sealed class DemoDatabaseFixture : DatabaseFixture
{
    protected override bool DemoData => true;
}
