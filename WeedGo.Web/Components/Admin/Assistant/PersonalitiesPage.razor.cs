using Microsoft.AspNetCore.Components;
using MudBlazor;
using WeedGo.Core.Chat;
using WeedGo.Core.Inventory;

namespace WeedGo.Web.Components.Admin.Assistant;

/// <summary>The tenant's personalities (built-in ones read-only) with an editor and a live preview of a reply.</summary>
public partial class PersonalitiesPage
{
    private IReadOnlyList<PersonalityRow>? _rows;
    private IReadOnlyList<InventoryStore> _stores = [];
    private PersonalityRow? _selected;
    private PersonalityEdit? _editing;
    private Guid _editorKey = Guid.NewGuid();
    private bool _busy;
    private string? _message;
    private Severity _severity = Severity.Success;

    [Inject] private PersonalityService Personalities { get; set; } = default!;
    [Inject] private InventoryQueries Stores { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        var stores = await Stores.StoresAsync();
        _stores = stores.Succeeded ? stores.Value : [];
        await LoadAsync(null);
    }

    private async Task LoadAsync(Guid? select)
    {
        var rows = await Personalities.ListAsync();
        if (!rows.Succeeded)
        {
            Say(rows.Error!.Message, Severity.Error);
            _rows = [];
            return;
        }
        _rows = rows.Value;
        if ((_rows.FirstOrDefault(r => r.Id == select) ?? _rows.FirstOrDefault()) is { } first)
        {
            Select(first);
        }
    }

    private void Select(PersonalityRow row)
    {
        _selected = row;
        _editing = PersonalityEdit.From(row.Form);
        _editorKey = Guid.NewGuid();
    }

    private void New()
    {
        _selected = null;
        _editing = PersonalityEdit.From(new PersonalityForm("", "🌱", PersonalityTones.Friendly, "Hi! How can I help you today?",
            "You are a friendly budtender assistant for a licensed Ontario cannabis store.", "en", BuiltInPersonalities.DefaultQuickReplies));
        _editorKey = Guid.NewGuid();
    }

    private async Task SavedAsync(Guid id)
    {
        Say("Saved.", Severity.Success);
        await LoadAsync(id);
    }

    private async Task DuplicateAsync()
    {
        _busy = true;
        var result = await Personalities.DuplicateAsync(_selected!.Id);
        _busy = false;
        if (result.Succeeded)
        {
            Say($"Copied {_selected.Name}; change the copy as you like.", Severity.Success);
            await LoadAsync(result.Value);
        }
        else
        {
            Say(result.Error!.Message, Severity.Error);
        }
    }

    private async Task DeleteAsync()
    {
        _busy = true;
        var name = _selected!.Name;
        var result = await Personalities.DeleteAsync(_selected.Id);
        _busy = false;
        if (result.Succeeded)
        {
            Say($"Deleted {name}.", Severity.Success);
            await LoadAsync(null);
        }
        else
        {
            Say(result.Error!.Message, Severity.Error);
        }
    }

    private void Say(string message, Severity severity) => (_message, _severity) = (message, severity);
}

/// <summary>The editor's mutable copy of a <see cref="PersonalityForm"/>; quick replies one per line.</summary>
public sealed class PersonalityEdit
{
    public string Name { get; set; } = "";
    public string? Avatar { get; set; }
    public string Tone { get; set; } = PersonalityTones.Friendly;
    public string Greeting { get; set; } = "";
    public string SystemPrompt { get; set; } = "";
    public string Language { get; set; } = "en";
    public string QuickReplies { get; set; } = "";

    public static PersonalityEdit From(PersonalityForm f) => new()
    {
        Name = f.Name, Avatar = f.Avatar, Tone = f.Tone, Greeting = f.Greeting, SystemPrompt = f.SystemPrompt, Language = f.Language,
        QuickReplies = string.Join('\n', f.QuickReplies),
    };

    public PersonalityForm ToForm() => new(Name, Avatar, Tone, Greeting, SystemPrompt, Language,
        QuickReplies.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
}
