using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Data.DemoData;

namespace WeedGo.Tests.Support;

/// <summary>Ids of the deterministic demo world, for tests that load it.</summary>
public static class DemoWorld
{
    public static Guid NorthernLights => DemoDataSeeder.IdFor(DemoDataSeeder.NorthernLights.Slug);
    public static Guid MapleLeaf => DemoDataSeeder.IdFor(DemoDataSeeder.MapleLeaf.Slug);
    public static Guid QueenWest => DemoDataSeeder.IdFor("northern-lights-queen-west");
    public static Guid Yorkville => DemoDataSeeder.IdFor("northern-lights-yorkville");
    public static Guid SquareOne => DemoDataSeeder.IdFor("northern-lights-square-one");
    public static Guid Scarborough => DemoDataSeeder.IdFor("maple-leaf-scarborough");
    public static Guid User(string email) => DemoDataSeeder.IdFor(email);

    public static async Task LoadAsync(DatabaseFixture db)
    {
        await using var scope = db.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DemoDataSeeder>().SeedAsync();
    }
}
