using Microsoft.AspNetCore.Components;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Catalog;
using WeedGo.Core.Inventory;
using WeedGo.Core.Pricing;
using WeedGo.Core.Tenancy;

namespace WeedGo.Web.Components.Admin.Promotions;

/// <summary>Create or edit a promotion: the form (only the chosen type's fields), the save-time rules' errors at the
/// fields and in a summary, guardrail warnings before saving, usage statistics and the preview.</summary>
public partial class PromotionEditPage
{
    private PromotionForm? _form;
    private PromotionDetail? _detail;
    private IReadOnlyList<StoreRow> _stores = [];
    private IReadOnlyList<string> _categories = [];
    private IReadOnlyList<string> _brands = [];
    private PromotionValidation _validation = new([], []);
    private bool _showErrors;
    private bool _busy;
    private bool _canManage = true;
    private string? _loadError;
    private string? _saveError;
    private string? _saved;

    [Parameter] public Guid? Id { get; set; }

    [Inject] private PromotionQueries Queries { get; set; } = default!;
    [Inject] private PromotionService Promotions { get; set; } = default!;
    [Inject] private StoreQueries StoreList { get; set; } = default!;
    [Inject] private InventoryQueries Inventory { get; set; } = default!;
    [Inject] private CatalogQueries Catalog { get; set; } = default!;
    [Inject] private ICurrentUser User { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    /// <summary>Dates and windows are in the zone of the first chosen store (the tenant's first store for every store).</summary>
    private string ZoneId => _stores.FirstOrDefault(s => _form?.StoreIds.Contains(s.Id) == true)?.TimeZoneId
                             ?? _stores.FirstOrDefault()?.TimeZoneId ?? "America/Toronto";

    protected override async Task OnParametersSetAsync()
    {
        (_form, _detail, _loadError, _saveError, _showErrors) = (null, null, null, null, false);
        var stores = await StoreList.ListForStaffAsync();
        if (!stores.Succeeded)
        {
            _loadError = stores.Error!.Message;
            return;
        }
        _stores = stores.Value.Where(s => s.IsActive).ToList();
        var filters = await Inventory.FiltersAsync();
        if (filters.Succeeded)
        {
            (_categories, _brands) = (filters.Value.Categories, filters.Value.Brands);
        }
        if (Id is { } id)
        {
            var detail = await Queries.DetailAsync(id);
            if (!detail.Succeeded)
            {
                _loadError = detail.Error!.Message;
                return;
            }
            _detail = detail.Value;
            var p = _detail.Promotion;
            var names = new Dictionary<Guid, string>();
            foreach (var productId in p.ProductIds)
            {
                if (await Catalog.GetAsync(productId) is { } product)
                {
                    names[productId] = $"{product.ProductName} · {product.Sku}";
                }
            }
            _canManage = User.SeesAllStores() || (p.StoreIds.Count > 0 && p.StoreIds.All(User.StoreIds.Contains));
            _form = PromotionForm.From(p, _stores.FirstOrDefault(s => p.StoreIds.Contains(s.Id))?.TimeZoneId ?? _stores.FirstOrDefault()?.TimeZoneId ?? "America/Toronto", names);
        }
        else
        {
            // A store manager's promotion is for their stores (every store is tenant-wide); a tenant admin starts with every store.
            _form = new PromotionForm { StoreIds = User.SeesAllStores() ? [] : _stores.Select(s => s.Id).ToList() };
        }
        Revalidate();
        if (SavedQuery == 1 && _detail is not null)
        {
            _saved = "Promotion created.";
        }
    }

    private Promotion PreviewDraft() => _form!.ToDraft(ZoneId);

    private void Revalidate()
    {
        var draft = _form!.ToDraft(ZoneId);
        var rules = PromotionRules.Validate(draft);
        _validation = new PromotionValidation([.. _form.FormErrors, .. rules.Errors], rules.Warnings);
        _saved = null;
    }

    private async Task SaveAsync()
    {
        Revalidate();
        _showErrors = true;
        _saveError = null;
        if (!_validation.IsValid)
        {
            return;
        }
        _busy = true;
        try
        {
            var draft = _form!.ToDraft(ZoneId);
            if (Id is { } id)
            {
                var result = await Promotions.UpdateAsync(id, draft);
                if (!result.Succeeded)
                {
                    _saveError = result.Error!.Message;
                    return;
                }
                var detail = await Queries.DetailAsync(id);
                _detail = detail.Succeeded ? detail.Value : _detail;
                _saved = "Saved.";
            }
            else
            {
                var created = await Promotions.CreateAsync(draft);
                if (!created.Succeeded)
                {
                    _saveError = created.Error!.Message;
                    return;
                }
                Navigation.NavigateTo($"/admin/promotions/{created.Value}?saved=1");
            }
        }
        finally
        {
            _busy = false;
        }
    }

    [SupplyParameterFromQuery(Name = "saved")] public int? SavedQuery { get; set; }
}
