using Microsoft.AspNetCore.Components;
using MudBlazor;
using WeedGo.Core.Audit;

namespace WeedGo.Web.Components.Admin.Audit;

public partial class AuditDashboardPage
{
    [Inject] private AuditDashboardQueries Dashboard { get; set; } = default!;
    [Inject] private AuditQueries Audit { get; set; } = default!;

    private AuditDashboard? _data;
    private AggregatePeriod _period = AggregatePeriod.Hour;
    private Guid? _tenant;
    private IReadOnlyList<AuditOption>? _tenants;
    private List<ChartSeries<double>> _bySeverity = [];
    private List<ChartSeries<double>> _byType = [];
    private string[] _labels = [];
    private string? _error;
    private bool _busy;

    private readonly StackedBarChartOptions _stacked = new()
    {
        ChartPalette = ["#9e9e9e", "#ff9800", "#f44336", "#7b1fa2"], YAxisFormat = "0", MaxNumYAxisTicks = 6,
    };
    private readonly LineChartOptions _lines = new() { YAxisFormat = "0", MaxNumYAxisTicks = 6 };

    private string Unit => _period == AggregatePeriod.Hour ? "hour (UTC)" : "day (UTC)";

    protected override async Task OnInitializedAsync()
    {
        var options = await Audit.OptionsAsync();
        if (options.Succeeded && options.Value.IsPlatform)
        {
            _tenants = options.Value.Tenants;
        }
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        var result = await Dashboard.LoadAsync(_period, _tenant);
        if (!result.Succeeded)
        {
            _error = result.Error!.Message;
            return;
        }
        _error = null;
        _data = result.Value;
        _labels = [.. _data.Labels.Select((l, i) => LabelAt(i, l))];
        _bySeverity = _data.BySeverity.Select(s => new ChartSeries<double> { Name = s.Name, Data = s.Values.ToArray() }).ToList();
        _byType = _data.ByType.Select(s => new ChartSeries<double> { Name = s.Name, Data = s.Values.ToArray() }).ToList();
    }

    /// <summary>Every third hour label, so 24 of them stay readable.</summary>
    private string LabelAt(int i, string label) => _period == AggregatePeriod.Hour && i % 3 != 2 ? "" : label;

    private async Task PeriodChangedAsync(AggregatePeriod period)
    {
        _period = period;
        await LoadAsync();
    }

    private async Task TenantChangedAsync(Guid? tenant)
    {
        _tenant = tenant;
        await LoadAsync();
    }

    private async Task VerifyAsync()
    {
        _busy = true;
        try
        {
            var result = await Audit.VerifyNowAsync();
            if (!result.Succeeded)
            {
                _error = result.Error!.Message;
                return;
            }
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private string ChainName(Guid? tenant) =>
        tenant is null ? "Platform" : _tenants?.FirstOrDefault(t => t.Id == tenant)?.Name ?? (_tenants is null ? "Your tenant" : tenant.ToString()!);
}
