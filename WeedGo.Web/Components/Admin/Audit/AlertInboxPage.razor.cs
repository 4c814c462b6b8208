using Microsoft.AspNetCore.Components;
using MudBlazor;
using WeedGo.Core.Audit;
using WeedGo.Core.Live;

namespace WeedGo.Web.Components.Admin.Audit;

public partial class AlertInboxPage
{
    [Inject] private AuditAlertQueries Alerts { get; set; } = default!;
    [Inject] private AuditAlertService Service { get; set; } = default!;
    [Inject] private AuditAccess Access { get; set; } = default!;
    [Inject] private AuditQueries Audit { get; set; } = default!;
    [Inject] private ILiveEvents Live { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    private MudTable<AlertRow>? _table;
    private string _status = "active";
    private AuditSeverity? _severity;
    private Guid? _tenant;
    private IReadOnlyList<AuditOption>? _tenants;
    private string? _error;
    private IDisposable? _subscription;

    protected override async Task OnInitializedAsync()
    {
        var options = await Audit.OptionsAsync();
        if (options.Succeeded && options.Value.IsPlatform)
        {
            _tenants = options.Value.Tenants;
        }
        if (Access.CanReview)
        {
            _subscription = Live.Subscribe<AuditAlertChanged>(Access.OwnTenant, _ => InvokeAsync(ReloadAsync));
        }
    }

    private AlertFilter Filter => new(
        Status: Enum.TryParse<AlertStatus>(_status, out var s) ? s : null, ActiveOnly: _status == "active", MinSeverity: _severity,
        TenantId: _tenant);

    private async Task<TableData<AlertRow>> LoadAsync(TableState state, CancellationToken ct)
    {
        var page = await Alerts.SearchAsync(Filter, state.Page, state.PageSize, ct);
        if (!page.Succeeded)
        {
            _error = page.Error!.Message;
            return new TableData<AlertRow> { Items = [], TotalItems = 0 };
        }
        return new TableData<AlertRow> { Items = page.Value.Rows, TotalItems = page.Value.Total };
    }

    private async Task ReloadAsync()
    {
        if (_table is not null)
        {
            await _table.ReloadServerData();
        }
        StateHasChanged();
    }

    private async Task StatusChangedAsync(string status)
    {
        _status = status;
        await ReloadAsync();
    }

    private async Task SeverityChangedAsync(AuditSeverity? severity)
    {
        _severity = severity;
        await ReloadAsync();
    }

    private async Task TenantChangedAsync(Guid? tenant)
    {
        _tenant = tenant;
        await ReloadAsync();
    }

    private async Task MoveAsync(AlertRow alert, AlertStatus to)
    {
        var verb = to == AlertStatus.Resolved ? "Resolve" : "Acknowledge";
        var dialog = await Dialogs.ShowAsync<AlertNoteDialog>($"{verb} alert",
            new DialogParameters<AlertNoteDialog> { { d => d.Message, alert.Message }, { d => d.Action, verb } },
            new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseButton = true });
        var answer = await dialog.Result;
        if (answer is null || answer.Canceled)
        {
            return;
        }
        var note = answer.Data as string;
        var result = to == AlertStatus.Resolved ? await Service.ResolveAsync(alert.Id, note) : await Service.AcknowledgeAsync(alert.Id, note);
        if (result.Succeeded)
        {
            Snackbar.Add(to == AlertStatus.Resolved ? "Alert resolved." : "Alert acknowledged.", Severity.Success);
            _error = null;
        }
        else
        {
            _error = result.Error!.Message;
        }
        await ReloadAsync();
    }

    public void Dispose() => _subscription?.Dispose();
}
