using Microsoft.AspNetCore.Components;
using WeedGo.Core.Chat;
using WeedGo.Core.Inventory;

namespace WeedGo.Web.Components.Admin.Assistant;

/// <summary>One store's AI settings: on/off, personality, provider (built-in, OpenAI-compatible, Ollama), model and key name,
/// temperature and length, monthly budget and the hand-off rules.</summary>
public partial class StoreAiSettingsPage
{
    private IReadOnlyList<InventoryStore>? _stores;
    private IReadOnlyList<PersonalityRow> _personalities = [];
    private Guid _storeId;
    private StoreAiSettingsView? _view;
    private StoreAiSettingsEdit? _form;
    private string? _error;
    private string? _saved;
    private string? _saveError;
    private bool _busy;

    [Inject] private InventoryQueries Stores { get; set; } = default!;
    [Inject] private AssistantSettingsService Settings { get; set; } = default!;
    [Inject] private PersonalityService Personalities { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "store")] public Guid? StoreQuery { get; set; }

    private double Percent => _form?.MonthlyBudget is > 0 && _view is not null ? (double)Math.Min(100m, _view.SpentThisMonth / _form.MonthlyBudget.Value * 100m) : 0;

    protected override async Task OnInitializedAsync()
    {
        var stores = await Stores.StoresAsync();
        var personalities = await Personalities.ListAsync();
        if (!stores.Succeeded || !personalities.Succeeded)
        {
            _error = (stores.Error ?? personalities.Error)!.Message;
            _stores = [];
            return;
        }
        _personalities = personalities.Value;
        _stores = stores.Value;
        var first = _stores.FirstOrDefault(s => s.Id == StoreQuery) ?? _stores.FirstOrDefault();
        if (first is not null)
        {
            await StoreChangedAsync(first.Id);
        }
    }

    private async Task StoreChangedAsync(Guid id)
    {
        _storeId = id;
        _form = null;
        _saved = _saveError = null;
        var view = await Settings.GetAsync(id);
        if (!view.Succeeded)
        {
            _error = view.Error!.Message;
            _view = null;
            return;
        }
        _error = null;
        _view = view.Value;
        _form = StoreAiSettingsEdit.From(_view.Settings);
    }

    private async Task SaveAsync()
    {
        _busy = true;
        _saved = _saveError = null;
        var result = await Settings.SaveAsync(_storeId, _form!.ToForm());
        _busy = false;
        if (result.Succeeded)
        {
            _saved = "Saved. The assistant uses these settings from the next message.";
            var view = await Settings.GetAsync(_storeId);
            _view = view.Succeeded ? view.Value : _view;
        }
        else
        {
            _saveError = result.Error!.Message;
        }
    }
}

/// <summary>The form's editable copy of <see cref="StoreAiSettingsForm"/>.</summary>
public sealed class StoreAiSettingsEdit
{
    public bool Enabled { get; set; }
    public Guid? PersonalityId { get; set; }
    public AssistantProvider Provider { get; set; }
    public string? BaseUrl { get; set; }
    public string? Model { get; set; }
    public string? ApiKeyName { get; set; }
    public decimal Temperature { get; set; }
    public int MaxTokens { get; set; }
    public decimal? MonthlyBudget { get; set; }
    public int? HandOffAfterUnanswered { get; set; }
    public string Keywords { get; set; } = "";
    public bool HandOffWhenBudgetExhausted { get; set; }

    public static StoreAiSettingsEdit From(StoreAiSettingsForm f) => new()
    {
        Enabled = f.Enabled, PersonalityId = f.PersonalityId, Provider = f.Provider, BaseUrl = f.BaseUrl, Model = f.Model, ApiKeyName = f.ApiKeyName,
        Temperature = f.Temperature, MaxTokens = f.MaxTokens, MonthlyBudget = f.MonthlyBudget, HandOffAfterUnanswered = f.HandOffAfterUnanswered,
        Keywords = string.Join(", ", f.HandOffKeywords), HandOffWhenBudgetExhausted = f.HandOffWhenBudgetExhausted,
    };

    public StoreAiSettingsForm ToForm() => new(Enabled, PersonalityId, Provider, BaseUrl, Model, ApiKeyName, Temperature, MaxTokens, MonthlyBudget,
        HandOffAfterUnanswered, Keywords.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), HandOffWhenBudgetExhausted);
}
