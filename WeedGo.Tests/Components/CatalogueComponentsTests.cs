using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using WeedGo.Core.Accounts;
using WeedGo.Core.Catalog;
using WeedGo.Tests.Support;
using WeedGo.Web.Components.Admin.Catalogue;

namespace WeedGo.Tests.Components;

public sealed class CatalogueComponentsTests(DemoDatabaseFixture db) : BunitTestBase, IClassFixture<DemoDatabaseFixture>, IAsyncLifetime
{
    private AsyncServiceScope _scope;

    async Task IAsyncLifetime.InitializeAsync()
    {
        await DemoWorld.LoadAsync(db);
        _scope = db.As(TestUser.Staff(DemoWorld.User("manager@northernlights.demo"), DemoWorld.NorthernLights, Roles.StoreManager,
            DemoWorld.QueenWest, DemoWorld.Yorkville));
        // Real Core services over the class's database, acting as the Northern Lights manager.
        Context.Services.AddSingleton(_scope.ServiceProvider.GetRequiredService<CatalogQueries>());
        Context.Services.AddSingleton(_scope.ServiceProvider.GetRequiredService<CatalogImportService>());
        Context.Render<MudPopoverProvider>();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await _scope.DisposeAsync();
        await DisposeAsync();
    }

    [Fact]
    public void The_catalogue_grid_shows_a_server_page_of_the_tenants_products_with_filters()
    {
        var page = Context.Render<CataloguePage>();
        page.WaitForAssertion(() => Assert.Equal(25, page.FindAll("[data-testid=catalogue-row-name]").Count), TimeSpan.FromSeconds(10));
        Assert.NotNull(page.Find("[data-testid=catalogue-search]"));
        Assert.NotNull(page.Find("[data-testid=catalogue-category]"));
        Assert.Equal("/admin/catalogue/import", page.Find("[data-testid=catalogue-import-link]").GetAttribute("href"));
        Assert.Contains("1,500", page.Find("[data-testid=catalogue-table]").TextContent.Replace("1500", "1,500"));
    }

    [Fact]
    public async Task The_import_preview_shows_the_summary_the_first_rows_and_the_invalid_rows_with_their_lines()
    {
        const string csv = "OCS Variant Number,Product Name,Category,Size\nP-1,New Thing,Flower,3.5 g\n,No Sku,Flower,3.5 g\n";
        var preview = (await _scope.ServiceProvider.GetRequiredService<CatalogImportService>()
            .PreviewAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)), "small.csv")).Value;

        var view = Context.Render<ImportPreviewView>(p => p.Add(x => x.Preview, preview));

        Assert.Equal("1 new", view.Find("[data-testid=preview-new]").TextContent.Trim());
        Assert.Equal("1 invalid", view.Find("[data-testid=preview-invalid]").TextContent.Trim());
        Assert.Contains("New Thing", view.Find("[data-testid=preview-table]").TextContent);
        var invalid = view.Find("[data-testid=invalid-rows]").TextContent;
        Assert.Contains("3", invalid);
        Assert.Contains("no OCS Variant Number", invalid);
    }

    [Fact]
    public void The_import_page_offers_a_csv_or_xlsx_upload()
    {
        var page = Context.Render<CatalogueImportPage>();
        Assert.Contains(".csv,.xlsx", page.Markup);
        Assert.NotNull(page.Find("[data-testid=catalogue-choose-file]"));
    }
}
