using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using WeedGo.Core.Common;
using WeedGo.Core.Tenancy;
using WeedGo.Tests.Support;

namespace WeedGo.Tests.Tenancy;

public sealed class TenantIsolationTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private readonly Guid _a = Guid.CreateVersion7();
    private readonly Guid _b = Guid.CreateVersion7();

    public async Task InitializeAsync()
    {
        await using var ctx = db.Context();
        ctx.Tenants.AddRange(
            new Tenant { Id = _a, Name = "A " + _a, Slug = "a-" + _a.ToString("N")[..12] },
            new Tenant { Id = _b, Name = "B " + _b, Slug = "b-" + _b.ToString("N")[..12] });
        ctx.Stores.AddRange(NewStore(_a, "A1"), NewStore(_a, "A2"), NewStore(_b, "B1"));
        await ctx.SaveChangesAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static Store NewStore(Guid tenant, string name)
    {
        var id = Guid.CreateVersion7();
        return new Store
        {
            Id = id, TenantId = tenant, Name = name, Slug = $"{name.ToLowerInvariant()}-{id:N}", LicenceNumber = $"L-{id:N}",
            Location = new Point(-79.4, 43.65) { SRID = 4326 },
        };
    }

    [Fact]
    public async Task A_tenant_sees_only_its_own_stores_and_tenant_row()
    {
        await using var ctx = db.Context(FixedTenantContext.For(_a));
        var stores = await ctx.Stores.Where(s => s.TenantId == _a || s.TenantId == _b).Select(s => s.Name).OrderBy(n => n).ToListAsync();
        Assert.Equal(["A1", "A2"], stores);
        Assert.Equal([_a], await ctx.Tenants.Where(t => t.Id == _a || t.Id == _b).Select(t => t.Id).ToListAsync());
    }

    [Fact]
    public async Task Asking_for_another_tenants_store_by_id_finds_nothing()
    {
        Guid bStore;
        await using (var system = db.Context())
        {
            bStore = await system.Stores.Where(s => s.TenantId == _b).Select(s => s.Id).SingleAsync();
        }
        await using var ctx = db.Context(FixedTenantContext.For(_a));
        Assert.Null(await ctx.Stores.FirstOrDefaultAsync(s => s.Id == bStore));
        Assert.Null(await ctx.Stores.FindAsync(bStore));
    }

    [Fact]
    public async Task Without_a_tenant_in_scope_no_tenant_rows_are_visible()
    {
        await using var ctx = db.Context(new FixedTenantContext(null));
        Assert.Empty(await ctx.Stores.ToListAsync());
        Assert.Empty(await ctx.Tenants.ToListAsync());
    }

    [Fact]
    public async Task The_platform_scope_sees_every_tenant()
    {
        await using var ctx = db.Context(FixedTenantContext.System);
        var names = await ctx.Stores.Where(s => s.TenantId == _a || s.TenantId == _b).Select(s => s.Name).OrderBy(n => n).ToListAsync();
        Assert.Equal(["A1", "A2", "B1"], names);
    }

    [Fact]
    public async Task A_new_row_is_stamped_with_the_tenant_in_scope()
    {
        var store = NewStore(Guid.Empty, "Stamped");
        await using (var ctx = db.Context(FixedTenantContext.For(_b)))
        {
            ctx.Stores.Add(store);
            await ctx.SaveChangesAsync();
        }
        await using var check = db.Context();
        Assert.Equal(_b, (await check.Stores.SingleAsync(s => s.Id == store.Id)).TenantId);
    }

    [Fact]
    public async Task Writing_a_row_for_another_tenant_is_refused_and_nothing_is_saved()
    {
        var store = NewStore(_b, "Smuggled");
        await using (var ctx = db.Context(FixedTenantContext.For(_a)))
        {
            ctx.Stores.Add(store);
            var e = await Assert.ThrowsAsync<InvalidOperationException>(() => ctx.SaveChangesAsync());
            Assert.Contains("another tenant", e.Message);
        }
        await using var check = db.Context();
        Assert.False(await check.Stores.AnyAsync(s => s.Id == store.Id));
    }

    [Fact]
    public async Task Saving_a_tenant_row_with_no_tenant_in_scope_is_refused()
    {
        await using var ctx = db.Context(new FixedTenantContext(null));
        ctx.Stores.Add(NewStore(Guid.Empty, "Orphan"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => ctx.SaveChangesAsync());
    }

    [Fact]
    public async Task Timestamps_come_from_the_clock_and_updated_at_moves_on_change()
    {
        var store = NewStore(_a, "Clocked");
        var created = db.Clock.GetUtcNow();
        await using (var ctx = db.Context(FixedTenantContext.For(_a)))
        {
            ctx.Stores.Add(store);
            await ctx.SaveChangesAsync();
        }
        db.Clock.Advance(TimeSpan.FromMinutes(7));
        await using (var ctx = db.Context(FixedTenantContext.For(_a)))
        {
            var loaded = await ctx.Stores.SingleAsync(s => s.Id == store.Id);
            loaded.Phone = "416-555-0000";
            await ctx.SaveChangesAsync();
        }
        await using var check = db.Context();
        var saved = await check.Stores.SingleAsync(s => s.Id == store.Id);
        Assert.Equal(created, saved.CreatedAt);
        Assert.Equal(created.AddMinutes(7), saved.UpdatedAt);
    }
}
