using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;
using WeedGo.Core.Audit;

namespace WeedGo.Web.Components.Admin.Audit;

public partial class AuditPage
{
    [Inject] private AuditQueries Audit { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private IJSRuntime Js { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;

    private MudTable<AuditRow>? _table;
    private AuditFilterOptions? _options;
    private AuditFilter _filter = new();
    private IReadOnlyList<ChainStatus>? _chains;
    private string? _error;
    private bool _busy;

    protected override async Task OnInitializedAsync()
    {
        _filter = new AuditFilter(From: new DateTimeOffset(Clock.GetUtcNow().UtcDateTime.Date.AddDays(-7), TimeSpan.Zero));
        var options = await Audit.OptionsAsync();
        if (options.Succeeded)
        {
            _options = options.Value;
        }
        else
        {
            _error = options.Error!.Message;
        }
    }

    private async Task<TableData<AuditRow>> LoadAsync(TableState state, CancellationToken ct)
    {
        var page = await Audit.SearchAsync(_filter, state.Page, state.PageSize, ct);
        if (!page.Succeeded)
        {
            _error = page.Error!.Message;
            return new TableData<AuditRow> { Items = [], TotalItems = 0 };
        }
        return new TableData<AuditRow> { Items = page.Value.Rows, TotalItems = page.Value.Total };
    }

    private async Task FilterChangedAsync(AuditFilter filter)
    {
        _filter = filter;
        if (_table is not null)
        {
            await _table.ReloadServerData();
        }
    }

    private async Task ExportAsync() => await RunAsync(async () =>
    {
        var csv = await Audit.ExportCsvAsync(_filter);
        if (!csv.Succeeded)
        {
            _error = csv.Error!.Message;
            return;
        }
        await Js.InvokeVoidAsync("weedgo.download", $"audit-{Clock.GetUtcNow():yyyyMMdd-HHmm}.csv", csv.Value, "text/csv");
        if (_table is not null)
        {
            await _table.ReloadServerData(); // the export is itself an event
        }
    });

    private async Task VerifyAsync() => await RunAsync(async () =>
    {
        var result = await Audit.VerifyNowAsync();
        if (result.Succeeded)
        {
            _chains = result.Value;
        }
        else
        {
            _error = result.Error!.Message;
        }
    });

    private async Task RunAsync(Func<Task> work)
    {
        _busy = true;
        _error = null;
        try
        {
            await work();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _error = "That did not work: " + e.Message;
        }
        finally
        {
            _busy = false;
        }
    }

    private Task Open(AuditRow row) =>
        Dialogs.ShowAsync<AuditDiffDialog>($"{row.EventType} · {row.OccurredAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC",
            new DialogParameters<AuditDiffDialog> { { d => d.Row, row } },
            new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true, CloseButton = true });

    private string ChainName(Guid? tenant) =>
        tenant is null ? "Platform" : _options?.Tenants.FirstOrDefault(t => t.Id == tenant)?.Name ?? tenant.ToString()!;

    private static string Short(string? hash) => hash is null ? "" : hash[..12] + "…";

    internal static Color SeverityColor(AuditSeverity s) => s switch
    {
        AuditSeverity.Critical => Color.Error,
        AuditSeverity.Error => Color.Error,
        AuditSeverity.Warning => Color.Warning,
        _ => Color.Default,
    };
}
