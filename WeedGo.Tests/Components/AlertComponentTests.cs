using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using WeedGo.Core.Accounts;
using WeedGo.Core.Audit;
using WeedGo.Core.Live;
using WeedGo.Tests.Support;
using WeedGo.Web.Components.Admin.Audit;
using WeedGo.Web.Components.Layout;

namespace WeedGo.Tests.Components;

/// <summary>The app bar's alert badge (live count, tenant-scoped, hidden from store staff) and the alert inbox (acknowledge with
/// a note, resolve) over real alerts raised by the evaluator.</summary>
public sealed class AlertComponentTests(DemoDatabaseFixture db) : BunitTestBase, IClassFixture<DemoDatabaseFixture>, IAsyncLifetime
{
    private AsyncServiceScope _scope;

    private static TestUser NorthernAdmin => TestUser.Staff(DemoWorld.User("admin@northernlights.demo"), DemoWorld.NorthernLights, Roles.TenantAdmin);
    private static TestUser MapleAdmin => TestUser.Staff(DemoWorld.User("admin@mapleleaf.demo"), DemoWorld.MapleLeaf, Roles.TenantAdmin);
    private static TestUser Budtender => TestUser.Staff(DemoWorld.User("budtender@northernlights.demo"), DemoWorld.NorthernLights, Roles.Budtender, DemoWorld.QueenWest);

    private AuditAlertEvaluator Evaluator => db.Services.GetRequiredService<AuditAlertEvaluator>();

    async Task IAsyncLifetime.InitializeAsync()
    {
        await DemoWorld.LoadAsync(db);
        await Evaluator.RunOnceAsync();
        Context.Services.AddSingleton<TimeProvider>(db.Clock);
        Context.Services.AddSingleton(db.Services.GetRequiredService<ILiveEvents>());
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await _scope.DisposeAsync();
        await DisposeAsync();
    }

    /// <summary>Five failed sign-ins of a new account of <paramref name="tenant"/>, evaluated: one alert.</summary>
    private async Task<AuditAlert> RaiseAsync(Guid tenant, string email)
    {
        var user = Guid.CreateVersion7();
        for (var i = 0; i < 5; i++)
        {
            db.Clock.Advance(TimeSpan.FromSeconds(10));
            await using var scope = db.As(TestUser.Anonymous());
            await scope.ServiceProvider.GetRequiredService<IAuditLog>().RecordAsync(AuditEvents.SignInFailed, AuditSeverity.Warning,
                new { email }, tenant, userId: user);
        }
        return Assert.Single((await Evaluator.RunOnceAsync()).Raised);
    }

    private void As(TestUser user)
    {
        _scope = db.As(user);
        var sp = _scope.ServiceProvider;
        Context.Services.AddSingleton(sp.GetRequiredService<AuditAccess>());
        Context.Services.AddSingleton(sp.GetRequiredService<AuditAlertQueries>());
        Context.Services.AddSingleton(sp.GetRequiredService<AuditAlertService>());
        Context.Services.AddSingleton(sp.GetRequiredService<AuditQueries>());
        Context.Render<MudPopoverProvider>();
    }

    [Fact]
    public async Task The_badge_counts_open_alerts_of_the_admins_tenant_and_a_new_one_arrives_live()
    {
        await RaiseAsync(DemoWorld.NorthernLights, "badge1@example.test");
        await RaiseAsync(DemoWorld.MapleLeaf, "badge-maple@example.test"); // not Northern Lights': never counted
        As(NorthernAdmin);
        var badge = Context.Render<AlertBadge>();
        // The first render shows 0 until the count has loaded.
        badge.WaitForAssertion(() => Assert.True(int.Parse(badge.Find("[data-testid=alert-badge-count]").TextContent) >= 1));
        var before = int.Parse(badge.Find("[data-testid=alert-badge-count]").TextContent);

        await RaiseAsync(DemoWorld.NorthernLights, "badge2@example.test");
        badge.WaitForAssertion(() => Assert.Equal((before + 1).ToString(), badge.Find("[data-testid=alert-badge-count]").TextContent));
        await RaiseAsync(DemoWorld.MapleLeaf, "badge-maple2@example.test");
        await Task.Delay(200);
        Assert.Equal((before + 1).ToString(), badge.Find("[data-testid=alert-badge-count]").TextContent);
    }

    [Fact]
    public void Store_staff_see_no_badge()
    {
        As(Budtender);
        var badge = Context.Render<AlertBadge>();
        Assert.Empty(badge.FindAll("[data-testid=alert-badge]"));
    }

    [Fact]
    public async Task The_inbox_acknowledges_with_a_note_then_resolves_and_another_tenant_never_sees_the_alert()
    {
        var alert = await RaiseAsync(DemoWorld.NorthernLights, "inbox@example.test");
        As(NorthernAdmin);
        var dialogs = Context.Render<MudDialogProvider>();
        var inbox = Context.Render<AlertInboxPage>();
        var row = () => inbox.FindAll("tr").Single(r => r.TextContent.Contains("inbox@example.test"));
        inbox.WaitForAssertion(() => Assert.Contains("open", row().QuerySelector("[data-testid=alert-status]")!.TextContent));

        await inbox.InvokeAsync(() => row().QuerySelector("[data-testid=alert-ack]")!.Click());
        dialogs.WaitForElement("[data-testid=alert-note-dialog] textarea").Change("Calling the owner");
        await dialogs.InvokeAsync(() => dialogs.Find("[data-testid=alert-note-confirm]").Click());
        inbox.WaitForAssertion(() => Assert.Contains("acknowledged", row().QuerySelector("[data-testid=alert-status]")!.TextContent));
        Assert.Contains("admin@northernlights.demo", row().TextContent);
        Assert.Contains("Calling the owner", row().TextContent);

        await inbox.InvokeAsync(() => row().QuerySelector("[data-testid=alert-resolve]")!.Click());
        await dialogs.InvokeAsync(() => dialogs.WaitForElement("[data-testid=alert-note-confirm]").Click());
        // Resolved alerts leave the default "open and acknowledged" view.
        inbox.WaitForAssertion(() => Assert.DoesNotContain("inbox@example.test", inbox.Markup));

        await using var other = db.As(MapleAdmin);
        var mine = await other.ServiceProvider.GetRequiredService<AuditAlertQueries>().SearchAsync(new AlertFilter(), 0, 100);
        Assert.DoesNotContain(mine.Value.Rows, r => r.Id == alert.Id);
    }
}
