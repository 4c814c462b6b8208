using Microsoft.AspNetCore.Components;
using MudBlazor;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.Inventory;
using WeedGo.Core.Pricing;

namespace WeedGo.Web.Components.Admin.Promotions;

/// <summary>The tenant's promotions the person may see, with status, schedule in store time, usage and the commands
/// (edit, duplicate, pause/resume, delete) on those they may manage.</summary>
public partial class PromotionsPage
{
    private static readonly (PromotionStatus? Status, string Label)[] Filters =
    [
        (null, "All"), (PromotionStatus.ActiveNow, "Active now"), (PromotionStatus.Scheduled, "Scheduled"), (PromotionStatus.Paused, "Paused"),
        (PromotionStatus.Expired, "Expired"), (PromotionStatus.LimitReached, "Limit reached"),
    ];

    private IReadOnlyList<InventoryStore>? _stores;
    private IReadOnlyList<PromotionSummary>? _all;
    private Guid? _storeId;
    private PromotionStatus? _status;
    private PromotionSummary? _deleting;
    private bool _loading;
    private bool _busy;
    private string? _message;
    private Severity _messageSeverity = Severity.Success;

    [Inject] private InventoryQueries Stores { get; set; } = default!;
    [Inject] private PromotionQueries Queries { get; set; } = default!;
    [Inject] private PromotionService Promotions { get; set; } = default!;
    [Inject] private ICurrentUser User { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "store")] public Guid? StoreQuery { get; set; }

    private IEnumerable<PromotionSummary> Visible => (_all ?? []).Where(p => _status is null || p.Status == _status);

    private int Count(PromotionStatus? status) => status is null ? _all?.Count ?? 0 : _all?.Count(p => p.Status == status) ?? 0;

    protected override async Task OnInitializedAsync()
    {
        var stores = await Stores.StoresAsync();
        if (!stores.Succeeded)
        {
            Say(stores.Error!.Message, Severity.Error);
            _stores = [];
            return;
        }
        _stores = stores.Value;
        await StoreChangedAsync(_stores.FirstOrDefault(s => s.Id == StoreQuery)?.Id);
    }

    private async Task LoadAsync()
    {
        _loading = true;
        var result = await Queries.ListAsync(_storeId);
        _loading = false;
        if (result.Succeeded)
        {
            _all = result.Value;
        }
        else
        {
            _all = [];
            Say(result.Error!.Message, Severity.Error);
        }
    }

    private async Task StoreChangedAsync(Guid? id)
    {
        _storeId = id;
        // The store's guardrail switch: shown to those allowed to read it (the store's managers and tenant admins).
        _forbidBelowCost = id is { } storeId && await Queries.ForbidBelowCostAsync(storeId) is { Succeeded: true } read ? read.Value : null;
        await LoadAsync();
    }

    private bool? _forbidBelowCost;
    private bool _savingBelowCost;

    private async Task SetBelowCostAsync(bool forbid)
    {
        _savingBelowCost = true;
        try
        {
            var saved = await Promotions.SetForbidBelowCostAsync(_storeId!.Value, forbid);
            if (saved.Succeeded)
            {
                _forbidBelowCost = forbid;
                Say(forbid ? $"{StoreName(_storeId)} now never sells below cost: promotions stop at each product's unit cost."
                           : $"{StoreName(_storeId)} may sell below cost again (never below $0.01 for cannabis).", Severity.Success);
            }
            else
            {
                Say(saved.Error!.Message, Severity.Error);
            }
        }
        finally
        {
            _savingBelowCost = false;
        }
    }

    private string StoreName(Guid? id) => id is { } v ? _stores?.FirstOrDefault(s => s.Id == v)?.Name ?? "" : "All my stores";

    private string Where(PromotionSummary p) => p.StoreIds.Count == 0 ? "every store"
        : string.Join(", ", p.StoreIds.Select(id => _stores?.FirstOrDefault(s => s.Id == id)?.Name ?? "another store"));

    /// <summary>The same rule the service applies: tenant-wide staff manage all; a manager only promotions whose stores are all theirs.</summary>
    private bool CanManage(PromotionSummary p) =>
        User.SeesAllStores() || (p.StoreIds.Count > 0 && p.StoreIds.All(User.StoreIds.Contains));

    private Task DuplicateAsync(PromotionSummary p) => RunAsync(async () => await Promotions.DuplicateAsync(p.Id), $"Duplicated as “Copy of {p.Name}” (paused, without a code). Edit it, then resume it.");

    private Task SwitchAsync(PromotionSummary p, bool enabled) =>
        RunAsync(() => enabled ? Promotions.ResumeAsync(p.Id) : Promotions.PauseAsync(p.Id), $"“{p.Name}” {(enabled ? "resumed" : "paused")}.");

    private async Task DeleteAsync()
    {
        if (_deleting is { } p)
        {
            await RunAsync(() => Promotions.DeleteAsync(p.Id), $"“{p.Name}” deleted.");
            _deleting = null;
        }
    }

    private async Task RunAsync(Func<Task<Result>> action, string done)
    {
        _busy = true;
        try
        {
            var result = await action();
            Say(result.Succeeded ? done : result.Error!.Message, result.Succeeded ? Severity.Success : Severity.Error);
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private void Say(string message, Severity severity) => (_message, _messageSeverity) = (message, severity);
}
