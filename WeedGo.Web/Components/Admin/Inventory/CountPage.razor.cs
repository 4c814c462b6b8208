using Microsoft.AspNetCore.Components;
using WeedGo.Core.Inventory;

namespace WeedGo.Web.Components.Admin.Inventory;

public partial class CountPage
{
    private const int MaxLines = 200;

    private IReadOnlyList<InventoryStore>? _stores;
    private IReadOnlyList<string> _categories = [];
    private Guid _storeId;
    private string? _category;
    private string? _note;
    private string? _error;
    private bool _loading;
    private bool _busy;
    private bool _truncated;
    private CountPosted? _posted;
    private List<SheetLine> _lines = [];

    [Inject] private InventoryQueries Queries { get; set; } = default!;
    [Inject] private InventoryService Inventory { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "store")] public Guid? StoreQuery { get; set; }

    /// <summary>A row of the sheet: what the system expects, and what was counted (blank: not counted).</summary>
    public sealed class SheetLine(InventoryRow row)
    {
        public InventoryRow Row { get; } = row;
        public int? Counted { get; set; }
    }

    protected override async Task OnInitializedAsync()
    {
        var choice = await Queries.ChooseStoreAsync(StoreQuery);
        if (!choice.Succeeded)
        {
            _error = choice.Error!.Message;
            return;
        }
        (_stores, _storeId) = (choice.Value.Stores, choice.Value.Chosen);
        var filters = await Queries.FiltersAsync();
        _categories = filters.Succeeded ? filters.Value.Categories : [];
    }

    private async Task StoreChangedAsync(Guid id)
    {
        _storeId = id;
        await LoadSheetAsync();
    }

    private async Task CategoryChangedAsync(string? category)
    {
        _category = category;
        await LoadSheetAsync();
    }

    private async Task LoadSheetAsync()
    {
        _lines = [];
        _posted = null;
        if (_category is null || _storeId == Guid.Empty)
        {
            return;
        }
        _loading = true;
        var page = await Queries.PageAsync(new InventoryGridQuery(_storeId, Category: _category, PageSize: MaxLines));
        _loading = false;
        _error = page.Error?.Message;
        if (page.Succeeded)
        {
            _lines = page.Value.Rows.Select(r => new SheetLine(r)).ToList();
            _truncated = page.Value.Total > MaxLines;
        }
    }

    private async Task PostAsync()
    {
        _busy = true;
        try
        {
            var lines = _lines.Where(l => l.Counted is not null).Select(l => new CountLine(l.Row.ProductId, l.Counted!.Value)).ToList();
            var result = await Inventory.PostCountAsync(_storeId, lines, _note);
            _error = result.Error?.Message;
            if (result.Succeeded)
            {
                var posted = result.Value;
                await LoadSheetAsync();
                _posted = posted;
            }
        }
        finally
        {
            _busy = false;
        }
    }
}
