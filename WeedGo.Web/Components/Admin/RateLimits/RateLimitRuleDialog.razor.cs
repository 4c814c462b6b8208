using Microsoft.AspNetCore.Components;
using WeedGo.Core.RateLimiting;

namespace WeedGo.Web.Components.Admin.RateLimits;

/// <summary>Create or edit one rule; the service validates and authorizes, and its sentence is shown in the dialog.</summary>
public partial class RateLimitRuleDialog
{
    private RuleForm _form = new();
    private string? _error;
    private bool _saving;
    private bool _wasVisible;

    [Inject] private RateLimitService Limits { get; set; } = default!;
    [Parameter] public bool Visible { get; set; }
    [Parameter] public EventCallback<bool> VisibleChanged { get; set; }
    [Parameter] public RateLimitRuleView? Rule { get; set; }
    [Parameter] public IReadOnlyList<(Guid Id, string Name)> Tenants { get; set; } = [];
    [Parameter] public bool Platform { get; set; }
    [Parameter] public EventCallback<RateLimitRuleView> OnSaved { get; set; }

    protected override void OnParametersSet()
    {
        if (Visible && !_wasVisible)
        {
            _form = RuleForm.From(Rule, Platform || Tenants.Count == 0 ? null : Tenants[0].Id);
            _error = null;
        }
        _wasVisible = Visible;
    }

    private string TenantName(Guid? id) => id is null ? "Platform (every tenant)" : Tenants.FirstOrDefault(t => t.Id == id).Name ?? Rule?.TenantName ?? "";

    private void KindChanged(RateLimitTargetKind kind)
    {
        _form.TargetKind = kind;
        _form.Target = kind == RateLimitTargetKind.Endpoint ? "/api" : RateOperations.SignIn;
    }

    private async Task SaveAsync()
    {
        _saving = true;
        try
        {
            var input = _form.ToInput();
            var result = Rule is null ? await Limits.CreateAsync(input) : await Limits.UpdateAsync(Rule.Id, input, Rule.Version);
            if (!result.Succeeded)
            {
                _error = result.Error!.Message;
                return;
            }
            await CloseAsync();
            await OnSaved.InvokeAsync(result.Value);
        }
        finally
        {
            _saving = false;
        }
    }

    private async Task CloseAsync()
    {
        _wasVisible = false;
        await VisibleChanged.InvokeAsync(false);
    }

    private sealed class RuleForm
    {
        public string Name { get; set; } = "";
        public Guid? TenantId { get; set; }
        public RateLimitScope Scope { get; set; } = RateLimitScope.User;
        public RateLimitTargetKind TargetKind { get; set; } = RateLimitTargetKind.Operation;
        public string Target { get; set; } = RateOperations.SignIn;
        public int Capacity { get; set; } = 10;
        public int TokensPerPeriod { get; set; } = 10;
        public int PeriodSeconds { get; set; } = 60;
        public int Burst { get; set; }
        public int Priority { get; set; } = 100;
        public bool Enabled { get; set; } = true;

        public static RuleForm From(RateLimitRuleView? r, Guid? defaultTenant) => r is null
            ? new RuleForm { TenantId = defaultTenant }
            : new RuleForm
            {
                Name = r.Name, TenantId = r.TenantId, Scope = r.Scope, TargetKind = r.TargetKind, Target = r.Target, Capacity = r.Capacity,
                TokensPerPeriod = r.TokensPerPeriod, PeriodSeconds = r.PeriodSeconds, Burst = r.Burst, Priority = r.Priority, Enabled = r.Enabled,
            };

        public RateLimitRuleInput ToInput() =>
            new(Name, TenantId, Scope, TargetKind, Target, Capacity, TokensPerPeriod, PeriodSeconds, Burst, Priority, Enabled);
    }
}
