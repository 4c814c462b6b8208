using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WeedGo.Core.Accounts;
using WeedGo.Core.Deliveries;
using WeedGo.E2E.Support;

namespace WeedGo.E2E;

/// <summary>The driver page on a phone: start a shift and the browser's position (Playwright geolocation) reaches the store's
/// latest driver positions, and follows the phone when it moves.</summary>
public sealed class DriverPhoneTests(AppHost app, BrowserFixture browser) : E2ETest(app, browser)
{
    protected override ViewportSize Viewport => new() { Width = 390, Height = 844 };

    private async Task<DriverLocation?> LatestAsync()
    {
        await using var scope = App.As(CoreCalls.Budtender, Roles.Budtender, CoreCalls.QueenWest);
        var latest = await scope.ServiceProvider.GetRequiredService<DriverService>().LatestPositionsAsync(CoreCalls.QueenWest);
        return latest.Value.SingleOrDefault(l => l.DriverId == Core.Data.DemoData.DemoDataSeeder.IdFor("driver@northernlights.demo"));
    }

    private async Task WaitForPositionAsync(double latitude)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (await LatestAsync() is { } l && Math.Abs(l.Latitude - latitude) < 1e-4)
            {
                return;
            }
            await Task.Delay(500);
        }
        Assert.Fail($"The driver's position never reached latitude {latitude} (latest: {(await LatestAsync())?.Latitude.ToString() ?? "none"}).");
    }

    [Fact]
    public async Task A_driver_starts_a_shift_and_the_phone_shares_its_position_as_it_moves()
    {
        await Context.GrantPermissionsAsync(["geolocation"]);
        await Context.SetGeolocationAsync(new() { Latitude = 43.6470f, Longitude = -79.4090f, Accuracy = 10 });
        await Login.SignInAsync("driver@northernlights.demo");
        await Page.WaitForInteractiveAsync();
        Assert.Equal("/driver", Page.PathAndQuery());

        await Page.GetByTestId("start-shift").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("on-shift")).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByTestId("shift-panel")).ToContainTextAsync("sharing your position");
        await WaitForPositionAsync(43.6470f);
        await Screenshots.SaveAsync(Page, "driver-phone");

        await Context.SetGeolocationAsync(new() { Latitude = 43.6500f, Longitude = -79.4000f, Accuracy = 8 });
        await WaitForPositionAsync(43.6500f);

        await Page.GetByTestId("end-shift").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("start-shift")).ToBeVisibleAsync();
        var overflow = await Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"The page scrolls sideways by {overflow} px on a phone.");
    }
}
