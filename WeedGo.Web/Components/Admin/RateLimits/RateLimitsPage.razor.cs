using Microsoft.AspNetCore.Components;
using MudBlazor;
using WeedGo.Core.Accounts;
using WeedGo.Core.Common;
using WeedGo.Core.RateLimiting;

namespace WeedGo.Web.Components.Admin.RateLimits;

/// <summary>Rules (platform-wide and the tenant's), their on/off switches and editor, and the latest violations.</summary>
public partial class RateLimitsPage
{
    private IReadOnlyList<RateLimitRuleView>? _rules;
    private IReadOnlyList<RateLimitViolationView> _violations = [];
    private IReadOnlyList<(Guid Id, string Name)> _tenants = [];
    private RateLimitRuleView? _selected;
    private bool _editing;
    private bool _busy;
    private bool _platform;
    private string? _message;
    private Severity _severity = Severity.Success;

    [Inject] private RateLimitService Limits { get; set; } = default!;
    [Inject] private ICurrentUser User { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _platform = User.IsInRole(Roles.PlatformAdmin);
        var tenants = await Limits.TenantsAsync();
        _tenants = tenants.Succeeded ? tenants.Value : [];
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        var rules = await Limits.RulesAsync();
        if (!rules.Succeeded)
        {
            Say(rules.Error!.Message, Severity.Error);
            _rules = [];
            return;
        }
        _rules = rules.Value;
        var violations = await Limits.ViolationsAsync(50);
        _violations = violations.Succeeded ? violations.Value : [];
    }

    private void New()
    {
        _selected = null;
        _editing = true;
    }

    private void Edit(RateLimitRuleView rule)
    {
        _selected = rule;
        _editing = true;
    }

    private async Task SwitchAsync(RateLimitRuleView rule, bool enabled)
    {
        _busy = true;
        try
        {
            var result = await Limits.SetEnabledAsync(rule.Id, enabled);
            if (result.Succeeded)
            {
                Say($"“{rule.Name}” is {(enabled ? "on" : "off")}.", Severity.Success);
            }
            else
            {
                Say(result.Error!.Message, Severity.Error);
            }
            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private async Task SavedAsync(RateLimitRuleView rule)
    {
        Say($"“{rule.Name}” is saved and in effect.", Severity.Success);
        await LoadAsync();
    }

    private void Say(string message, Severity severity)
    {
        _message = message;
        _severity = severity;
    }
}

/// <summary>How the page words rules.</summary>
public static class RateLimitFormat
{
    public static string Target(RateLimitTargetKind kind, string target) => kind == RateLimitTargetKind.Endpoint ? target + "/…" : target;

    public static string Scope(RateLimitScope scope) => scope switch
    {
        RateLimitScope.Global => "everyone together",
        RateLimitScope.Tenant => "per tenant",
        RateLimitScope.User => "per person (guests per IP)",
        _ => "per IP address",
    };

    public static string Limit(int capacity, int tokens, int periodSeconds, int burst) =>
        $"{tokens:N0} per {Period(periodSeconds)}" + (tokens != capacity ? $", capacity {capacity:N0}" : "") + (burst > 0 ? $", burst {burst:N0}" : "");

    /// <summary>How often one token comes back: "0.6 s", "12 s", "30 minutes".</summary>
    public static string Every(int tokens, int periodSeconds)
    {
        if (tokens <= 0 || periodSeconds <= 0)
        {
            return "–";
        }
        var seconds = periodSeconds / (double)tokens;
        return seconds < 90 ? seconds.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + " s" : RateLimitMessages.Wait(TimeSpan.FromSeconds(seconds));
    }

    public static string Period(int seconds) => seconds switch
    {
        3600 => "hour",
        86_400 => "day",
        60 => "minute",
        _ when seconds % 3600 == 0 => $"{seconds / 3600} h",
        _ when seconds % 60 == 0 => $"{seconds / 60} min",
        _ => $"{seconds} s",
    };
}
