using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using WeedGo.Tests.Support;

namespace WeedGo.Tests.Web;

public sealed class EndpointsTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    [Fact]
    public async Task Health_reports_status_version_and_features()
    {
        var body = await app.Client().GetFromJsonAsync<JsonElement>("/health");
        Assert.Equal("ok", body.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("version").GetString()));
        Assert.True(body.GetProperty("features").GetProperty("tenancy").GetBoolean());
        // Every capability has landed: none reports itself missing.
        Assert.All(body.GetProperty("features").EnumerateObject(), f => Assert.True(f.Value.GetBoolean(), f.Name));
    }

    [Fact]
    public async Task Ready_checks_the_database()
    {
        var response = await app.Client().GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("database").GetString());
    }

    [Fact]
    public async Task Stats_need_a_signed_in_caller()
    {
        var response = await app.Client().GetAsync("/api/admin/stats");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("admin@northernlights.demo")]
    [InlineData("customer@northernlights.demo")]
    public async Task Stats_are_refused_to_everyone_but_the_platform_admin(string email)
    {
        var client = app.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await app.TokenAsync(email));
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/admin/stats")).StatusCode);
    }

    [Fact]
    public async Task Stats_count_tenants_stores_and_users_for_the_platform_admin()
    {
        var client = app.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await app.TokenAsync("platform@weedgo.demo"));
        var body = await client.GetFromJsonAsync<JsonElement>("/api/admin/stats");
        Assert.Equal(2, body.GetProperty("tenants").GetInt32());
        Assert.Equal(5, body.GetProperty("stores").GetInt32());
        Assert.Equal(11, body.GetProperty("users").GetInt32());
        Assert.True(body.GetProperty("databaseBytes").GetInt64() > 1_000_000);
    }

    [Fact]
    public async Task A_wrong_password_gets_401_with_a_reason()
    {
        var response = await app.Client().PostAsJsonAsync("/api/auth/token", new { email = "driver@mapleleaf.demo", password = "not-the-password" });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Invalid email or password.", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Anonymous_admin_pages_redirect_to_sign_in()
    {
        var response = await app.Client().GetAsync("/admin/stores");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("http://localhost/Account/Login?ReturnUrl=%2Fadmin%2Fstores", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task The_store_picker_is_prerendered_with_the_default_tenants_stores_only()
    {
        var html = await app.Client().GetStringAsync("/");
        Assert.Contains("Queen West", html);
        Assert.Contains("Yorkville", html);
        Assert.DoesNotContain("Scarborough Town", html);
    }
}

public sealed class DataProtectionTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    [Fact]
    public async Task Keys_that_protect_cookies_and_tokens_are_kept_in_the_database_for_every_instance()
    {
        await app.TokenAsync("admin@northernlights.demo"); // issuing a token uses the key ring
        var options = new Microsoft.EntityFrameworkCore.DbContextOptionsBuilder<Core.Data.WeedGoDbContext>();
        Core.DependencyInjection.ConfigureDatabase(options, app.ConnectionString);
        await using var ctx = new Core.Data.WeedGoDbContext(options.Options);
        Assert.True(await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(ctx.DataProtectionKeys) >= 1);
    }
}
