using Microsoft.AspNetCore.Components;
using MudBlazor;
using WeedGo.Core.Catalog;

namespace WeedGo.Web.Components.Admin.Catalogue;

public partial class CataloguePage
{
    [Inject] private CatalogQueries Catalog { get; set; } = default!;

    private MudTable<CatalogItem>? _table;
    private string? _text;
    private string? _category;
    private string? _brand;
    private IReadOnlyList<string> _categories = [];
    private IReadOnlyList<string> _brands = [];
    private bool _moreAvailable;
    private string? _didYouMean;

    protected override async Task OnInitializedAsync()
    {
        _categories = await Catalog.CategoriesAsync();
        _brands = await Catalog.BrandsAsync();
    }

    private async Task<TableData<CatalogItem>> LoadAsync(TableState state, CancellationToken ct)
    {
        var page = await Catalog.SearchAsync(new CatalogSearch(_text, _category, _brand, state.Page, state.PageSize), ct);
        _moreAvailable = page.MoreAvailable;
        _didYouMean = page.DidYouMean;
        return new TableData<CatalogItem> { Items = page.Items, TotalItems = page.Total };
    }

    private Task SearchChangedAsync(string? _) => ReloadAsync();

    private async Task CategoryChangedAsync(string? category)
    {
        _category = category;
        _brand = null;
        _brands = await Catalog.BrandsAsync(category);
        await ReloadAsync();
    }

    private Task BrandChangedAsync(string? brand)
    {
        _brand = brand;
        return ReloadAsync();
    }

    private Task ReloadAsync() => _table?.ReloadServerData() ?? Task.CompletedTask;
}
