using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using WeedGo.Core.Messaging;
using WeedGo.Tests.Support;

namespace WeedGo.Tests.Web;

public sealed class DevOutboxTests(DatabaseFixture db) : IClassFixture<DatabaseFixture>
{
    private WebApplicationFactory<Program> Host(string environment) => new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
    {
        b.UseEnvironment(environment);
        b.UseSetting("ConnectionStrings:WeedGo", db.ConnectionString);
        b.UseSetting("WeedGo:DemoData", "false");
        b.UseSetting("Logging:LogLevel:Default", "Warning");
    });

    [Fact]
    public async Task In_development_the_outbox_lists_sent_messages_newest_first_and_filters_by_recipient()
    {
        await using var app = Host("Development");
        var sender = app.Services.GetRequiredService<IMessageSender>();
        await sender.SendAsync(new OutgoingMessage(MessageChannel.Email, "first@test.example", "First", "Body <one>"));
        await sender.SendAsync(new OutgoingMessage(MessageChannel.Sms, "+14165550100", "", "Second body"));

        var all = await app.CreateClient().GetStringAsync("/dev/outbox");
        var onlyFirst = await app.CreateClient().GetStringAsync("/dev/outbox?to=FIRST@test.example");

        Assert.Contains("Development outbox", all);
        Assert.True(all.IndexOf("Second body", StringComparison.Ordinal) < all.IndexOf("Body &lt;one&gt;", StringComparison.Ordinal));
        Assert.Contains("outbox only (no SMTP server)", all);
        Assert.Contains("Body &lt;one&gt;", onlyFirst);
        Assert.DoesNotContain("Second body", onlyFirst);
    }

    [Fact]
    public async Task Outside_development_there_is_no_outbox_page_and_no_code_sign_in_without_smtp()
    {
        await using var app = Host("Production");
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var outbox = await client.GetAsync("/dev/outbox");
        var login = await client.GetStringAsync("/Account/Login");

        Assert.Equal(HttpStatusCode.NotFound, outbox.StatusCode);
        Assert.False(app.Services.GetRequiredService<IMessageSender>().CanSend(MessageChannel.Email));
        Assert.DoesNotContain("login-with-code", login);
    }

    [Fact]
    public async Task Outside_development_configuring_smtp_offers_email_codes_but_still_no_texts()
    {
        await using var app = Host("Production").WithWebHostBuilder(b => b.UseSetting("WeedGo:Messaging:Smtp:Host", "smtp.example.com"));

        var sender = app.Services.GetRequiredService<IMessageSender>();
        var login = await app.CreateClient().GetStringAsync("/Account/Login");

        Assert.True(sender.CanSend(MessageChannel.Email));
        Assert.False(sender.CanSend(MessageChannel.Sms));
        Assert.Contains("Email me a sign-in code", login);
        Assert.DoesNotContain("login-with-text", login);
    }
}
