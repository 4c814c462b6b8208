using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using WeedGo.Core;
using WeedGo.Core.Chat;
using WeedGo.Core.Common;
using WeedGo.Core.Inventory;
using WeedGo.Core.Ordering;
using WeedGo.Tests.Inventory;
using WeedGo.Tests.Support;
using WeedGo.Web.Components.Admin.Assistant;

namespace WeedGo.Tests.Components;

/// <summary>The personality editor and its preview, over the real assistant and a real demo database, as a store manager.</summary>
public sealed class AssistantComponentTests : BunitTestBase, IClassFixture<DemoDatabaseFixture>
{
    private readonly DatabaseFixture _db;
    private static readonly IReadOnlyList<InventoryStore> Stores = [new(DemoWorld.QueenWest, "Queen West")];

    public AssistantComponentTests(DemoDatabaseFixture db)
    {
        _db = db;
        var services = Context.Services;
        services.AddLogging();
        services.AddSingleton<TimeProvider>(db.Clock);
        services.AddWeedGoCore(db.ConnectionString);
        services.AddSingleton<WeedGo.Web.Live.InProcessLiveEvents>();
        services.AddSingleton<Core.Live.ILiveEvents>(sp => sp.GetRequiredService<WeedGo.Web.Live.InProcessLiveEvents>());
        var user = new TestUser();
        user.CopyFrom(InventoryKit.Manager);
        services.AddSingleton(user);
        services.AddSingleton<ITenantContext>(user);
        services.AddSingleton<ICurrentUser>(user);
        services.AddSingleton<IShopper>(user);
    }

    private static PersonalityEdit Draft(string name = "") => PersonalityEdit.From(new PersonalityForm(name, "🦉", PersonalityTones.Playful,
        "Hoo! I'm Olive. Ask me anything about the menu.", "You are Olive, a playful owl budtender.", "en", ["Something relaxing", "Your hours?"]));

    private IRenderedComponent<PersonalityEditor> Render(PersonalityEdit form, bool readOnly = false, Action<Guid>? saved = null)
    {
        Context.Render<MudPopoverProvider>();
        return Context.Render<PersonalityEditor>(p => p
            .Add(x => x.Form, form)
            .Add(x => x.Stores, Stores)
            .Add(x => x.ReadOnly, readOnly)
            .Add(x => x.Saved, (Guid id) => saved?.Invoke(id)));
    }

    [Fact]
    public async Task The_preview_shows_the_greeting_and_a_real_reply_in_the_personalitys_tone_with_product_cards()
    {
        var cut = Render(Draft("Olive"));
        Assert.Contains("Hoo! I'm Olive", cut.Find("[data-testid=preview-greeting]").TextContent);
        Assert.Equal(2, cut.FindAll("[data-testid=preview-quick-replies] .mud-chip").Count);

        await cut.InvokeAsync(() => cut.Find("input[data-testid=preview-message]").Input("Show me some indica flower"));
        await cut.InvokeAsync(() => cut.Find("[data-testid=preview-run]").Click());

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=preview-reply]")), TimeSpan.FromSeconds(15));
        var reply = cut.Find("[data-testid=preview-reply]").TextContent;
        Assert.StartsWith("Ooh, good one!", reply); // the playful tone
        Assert.Contains("indica flower in stock at Queen West", reply);
        Assert.NotEmpty(cut.FindAll("[data-testid=preview-product]"));
        Assert.Contains("search_products", cut.Find("[data-testid=preview-meta]").TextContent);
    }

    [Fact]
    public async Task Saving_checks_the_form_then_creates_the_personality()
    {
        Guid? savedId = null;
        var form = Draft();
        var cut = Render(form, saved: id => savedId = id);

        await cut.InvokeAsync(() => cut.Find("[data-testid=personality-save]").Click());
        cut.WaitForAssertion(() => Assert.Contains("A name of 1 to 80 characters is required.", cut.Find("[data-testid=personality-errors]").TextContent));
        Assert.Null(savedId);

        var name = "Olive " + Guid.NewGuid().ToString("N")[..6];
        await cut.InvokeAsync(() => cut.Find("input[data-testid=field-name]").Change(name));
        await cut.InvokeAsync(() => cut.Find("[data-testid=personality-save]").Click());
        cut.WaitForAssertion(() => Assert.NotNull(savedId), TimeSpan.FromSeconds(10));
        await using var ctx = _db.Context();
        var row = await ctx.AiPersonalities.SingleAsync(p => p.Id == savedId);
        Assert.Equal((name, "🦉", PersonalityTones.Playful, false), (row.Name, row.Avatar, row.Tone, row.BuiltIn));
        Assert.Equal(["Something relaxing", "Your hours?"], row.QuickReplies);
    }

    [Fact]
    public void A_built_in_personality_is_shown_read_only()
    {
        var cut = Render(Draft("Bud"), readOnly: true);
        Assert.NotNull(cut.Find("[data-testid=builtin-note]"));
        Assert.Empty(cut.FindAll("[data-testid=personality-save]"));
        Assert.NotNull(cut.Find("[data-testid=preview-run]")); // preview still works
    }
}
