using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WeedGo.Core.Audit;
using WeedGo.E2E.Support;

namespace WeedGo.E2E;

/// <summary>Security alerts end to end: an attack in one browser shows up, without a reload, in an admin's already-open browser.</summary>
public sealed class AuditAlertTests(AppHost app, BrowserFixture browser) : E2ETest(app, browser)
{
    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_and_the_alert_appears_live_in_an_open_admin_browser_which_acknowledges_it()
    {
        // An account no other journey signs in with, so the lock disturbs nobody.
        const string email = "manager@mapleleaf.demo";
        var admin = await NewPageAsync(new ViewportSize { Width = 1440, Height = 900 });
        await new LoginPage(admin).SignInAsync("admin@mapleleaf.demo");
        await admin.GotoAsync("/admin/audit/alerts");
        await admin.WaitForInteractiveAsync();
        var table = admin.GetByTestId("alert-table");
        var rows = table.Locator("tbody tr").Filter(new() { HasText = email });
        await Assertions.Expect(table).ToBeVisibleAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(0);
        var badge = admin.GetByTestId("alert-badge-count");
        var before = int.Parse((await badge.TextContentAsync())!.Trim());

        // Someone else, in another browser, guesses the manager's password five times.
        await Login.GotoAsync();
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await Login.SubmitAsync(email, $"guess-{attempt}");
        }
        Assert.Equal("/Account/Lockout", Page.PathAndQuery());

        // The admin's open inbox and app bar badge update by themselves (no reload).
        await Assertions.Expect(rows).ToHaveCountAsync(1, new() { Timeout = Timeout });
        await Assertions.Expect(rows.First.GetByTestId("alert-message")).ToContainTextAsync($"Failed sign-ins: 5 in 5 min ({email})");
        await Assertions.Expect(rows.First.GetByTestId("alert-status")).ToContainTextAsync("open");
        await Assertions.Expect(badge).ToHaveTextAsync((before + 1).ToString(), new() { Timeout = Timeout });
        await Assertions.Expect(table).Not.ToContainTextAsync("Northern Lights");
        await Screenshots.SaveAsync(admin, "alert-inbox-live");
        var appBar = admin.Locator(".mud-appbar");
        await appBar.ScreenshotAsync(new() { Path = Path.Combine(Screenshots.FolderPath, "alert-badge.png") });

        await rows.First.GetByTestId("alert-ack").ClickAsync();
        await admin.Locator("[data-testid=alert-note-dialog] textarea").FillAsync("Called the manager; password reset in person");
        await admin.GetByTestId("alert-note-confirm").ClickAsync();
        await Assertions.Expect(rows.First.GetByTestId("alert-status")).ToContainTextAsync("acknowledged", new() { Timeout = Timeout });
        await Assertions.Expect(rows.First).ToContainTextAsync("admin@mapleleaf.demo");
        await Assertions.Expect(badge).ToHaveTextAsync(before.ToString(), new() { Timeout = Timeout });
        await Screenshots.SaveAsync(admin, "alert-inbox-acknowledged");
    }

    [Fact]
    public async Task The_platform_admins_audit_dashboard_shows_charts_chain_status_and_rules()
    {
        // Events for the charts: a few of each kind for Northern Lights, then one aggregation run (the worker runs every minute).
        await using (var scope = App.As("admin@northernlights.demo", WeedGo.Core.Accounts.Roles.TenantAdmin))
        {
            var log = scope.ServiceProvider.GetRequiredService<IAuditLog>();
            foreach (var (type, severity, n) in new[] { (AuditEvents.SignInSucceeded, AuditSeverity.Info, 6), (AuditEvents.Exported, AuditSeverity.Info, 3),
                         (AuditEvents.PermissionDenied, AuditSeverity.Warning, 4), (AuditEvents.SignInFailed, AuditSeverity.Warning, 2) })
            {
                for (var i = 0; i < n; i++)
                {
                    await log.RecordAsync(type, severity, new { demo = i });
                }
            }
        }
        await App.Services.GetRequiredService<AuditAggregator>().RunOnceAsync();

        await Login.SignInAsync("platform@weedgo.demo");
        await Page.SetViewportSizeAsync(1440, 900);
        await Page.GotoAsync("/admin/audit/dashboard");
        await Page.WaitForInteractiveAsync();
        await Assertions.Expect(Page.GetByTestId("chart-severity").Locator("svg").First).ToBeVisibleAsync(new() { Timeout = Timeout });
        await Assertions.Expect(Page.GetByTestId("top-types")).ToContainTextAsync(AuditEvents.SignInSucceeded);
        await Page.GetByTestId("dash-verify").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("dash-chain-status").First).ToContainTextAsync("intact", new() { Timeout = Timeout });
        await Screenshots.SaveAsync(Page, "audit-dashboard");

        await Page.GotoAsync("/admin/audit/rules");
        await Page.WaitForInteractiveAsync();
        await Assertions.Expect(Page.GetByTestId("rules-table")).ToContainTextAsync("Failed sign-ins", new() { Timeout = Timeout });
        await Assertions.Expect(Page.GetByTestId("rules-table")).ToContainTextAsync("Maple Leaf Greens");
        await Screenshots.SaveAsync(Page, "alert-rules");
    }
}
