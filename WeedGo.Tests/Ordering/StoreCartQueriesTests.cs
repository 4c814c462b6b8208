using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Common;
using WeedGo.Core.Ordering;
using WeedGo.Tests.Inventory;
using WeedGo.Tests.Support;
using static WeedGo.Tests.Ordering.OrderingKit;

namespace WeedGo.Tests.Ordering;

/// <summary>Staff of a store see the signed-in customers' live carts there (for the promotions preview), and no one else does.</summary>
public sealed class StoreCartQueriesTests(DemoDatabaseFixture db) : IClassFixture<DemoDatabaseFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => DemoWorld.LoadAsync(db);

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<Result<IReadOnlyList<StoreCartRow>>> ListAs(TestUser who, Guid store, string? search = null) =>
        InventoryKit.As(db, who, sp => sp.GetRequiredService<StoreCartQueries>().ListAsync(store, search));

    [Fact]
    public async Task Staff_of_the_store_find_a_customers_cart_by_name_or_email_and_other_stores_and_tenants_cannot()
    {
        var product = await StockedAsync(db, 10);
        var customer = await NewCustomerAsync(db);
        Assert.True((await AddAsync(db, customer, product.Id, 3)).Succeeded);
        var guest = Guest();
        Assert.True((await AddAsync(db, guest, product.Id, 1)).Succeeded);

        var rows = (await ListAs(InventoryKit.Manager, Store)).Value;
        var row = Assert.Single(rows, r => r.CustomerId == customer.UserId);
        Assert.Equal(3, row.Items);
        Assert.True((await ListAs(InventoryKit.Budtender, Store)).Succeeded);
        Assert.Contains((await ListAs(InventoryKit.Manager, Store, row.Email!.ToUpperInvariant())).Value, r => r.CustomerId == customer.UserId);
        Assert.Empty((await ListAs(InventoryKit.Manager, Store, "no-such-person-" + Guid.NewGuid())).Value);

        Assert.Equal(ErrorKind.Forbidden, (await ListAs(InventoryKit.Manager, DemoWorld.SquareOne)).Error!.Kind);
        Assert.Equal(ErrorKind.NotFound, (await ListAs(InventoryKit.MapleManager, Store)).Error!.Kind);
    }
}
