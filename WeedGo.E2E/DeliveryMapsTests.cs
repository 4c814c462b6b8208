using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WeedGo.Core.Accounts;
using WeedGo.Core.Data.DemoData;
using WeedGo.Core.Deliveries;
using WeedGo.Core.Ordering;
using WeedGo.E2E.Support;

namespace WeedGo.E2E;

/// <summary>Deliveries on maps in a real browser: a driver's phone moving while dispatch watches the marker and the customer
/// the status and ETA; the zone editor; the checkout's pin.</summary>
public sealed class DeliveryMapsTests(AppHost app, BrowserFixture browser) : E2ETest(app, browser)
{
    private static readonly Guid DriverId = DemoDataSeeder.IdFor("driver@northernlights.demo");
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    /// <summary>The demo customer's delivery order at Queen West (pin at lat/lng), confirmed and packed by the budtender.</summary>
    private async Task<PlacedOrder> PackedDeliveryOrderAsync(double lat, double lng)
    {
        var product = (await App.InStockAsync(3, 1))[0];
        PlacedOrder placed;
        await using (var scope = App.As(CoreCalls.Customer, Roles.Customer))
        {
            var sp = scope.ServiceProvider;
            var carts = sp.GetRequiredService<CartService>();
            await carts.ClearAsync(CoreCalls.QueenWest);
            Assert.True((await carts.AddAsync(CoreCalls.QueenWest, product.Id, 1)).Succeeded);
            var checkout = sp.GetRequiredService<CheckoutService>();
            var s = (await checkout.StartAsync(CoreCalls.QueenWest)).Value;
            var address = new DeliveryAddress { Line1 = "460 King St W", City = "Toronto", PostalCode = "M5V 1L7", Latitude = lat, Longitude = lng };
            var r = await checkout.PlaceOrderAsync(new PlaceOrderRequest(s.CheckoutId, Fulfilment.Delivery, null, address, s.Customer.Name,
                s.Customer.Email, s.Customer.Phone, null, PaymentMethod.PayOnDelivery, null, null, Guid.NewGuid().ToString("N")));
            Assert.True(r.Succeeded, r.Error?.Message);
            placed = r.Value;
        }
        await using (var staff = App.As(CoreCalls.Budtender, Roles.Budtender, CoreCalls.QueenWest))
        {
            var orders = staff.ServiceProvider.GetRequiredService<OrderService>();
            Assert.True((await orders.ConfirmAsync(placed.OrderId)).Succeeded);
            Assert.True((await orders.PackAsync(placed.OrderId)).Succeeded);
        }
        return placed;
    }

    private static async Task WaitForMarkerAsync(IPage dispatch, double latitude)
    {
        var deadline = DateTime.UtcNow.AddSeconds(25);
        MapProbe.LatLng? at = null;
        while (DateTime.UtcNow < deadline)
        {
            at = await dispatch.DriverMarkerAsync("dispatch-map", DriverId);
            if (at is not null && Math.Abs(at.Lat - latitude) < 1e-4)
            {
                return;
            }
            await Task.Delay(300);
        }
        Assert.Fail($"The dispatch map never drew the driver at latitude {latitude} (marker: {at?.Lat.ToString() ?? "none"}).");
    }

    [Fact]
    public async Task The_driver_moves_and_dispatch_sees_the_marker_move_while_the_customer_sees_status_and_eta_until_the_ID_checked_handover()
    {
        App.Clock.Offset = MapProbe.OffsetToTorontoHour(13);
        try
        {
            var order = await PackedDeliveryOrderAsync(43.6530, -79.3990);

            // Dispatch (desktop): the packed order waits for a driver.
            var dispatch = Page;
            await Login.SignInAsync(CoreCalls.Budtender);
            await dispatch.GotoAsync($"/admin/deliveries?store={CoreCalls.QueenWest}");
            await dispatch.WaitForInteractiveAsync();
            await dispatch.WaitForMapAsync("dispatch-map");
            var row = dispatch.Locator($"[data-testid=dispatch-row][data-order='{order.Number}']");
            await Assertions.Expect(row.GetByTestId("dispatch-status")).ToHaveTextAsync("Waiting");

            // The driver's phone: shift on, geolocation at the store.
            var phone = await NewPageAsync(Phone);
            await phone.Context.GrantPermissionsAsync(["geolocation"]);
            await phone.Context.SetGeolocationAsync(new() { Latitude = 43.6466f, Longitude = -79.4094f, Accuracy = 10 });
            await new LoginPage(phone).SignInAsync("driver@northernlights.demo");
            await phone.WaitForInteractiveAsync();
            if (await phone.GetByTestId("end-shift").CountAsync() == 0)
            {
                await phone.GetByTestId("start-shift").ClickAsync();
            }
            await Assertions.Expect(phone.GetByTestId("on-shift")).ToBeVisibleAsync();
            await WaitForMarkerAsync(dispatch, 43.6466);

            // Dispatch gives the order to the nearest available driver.
            await row.GetByTestId("assign-menu").ClickAsync();
            await dispatch.GetByTestId("assign-nearest").ClickAsync();
            await Assertions.Expect(dispatch.GetByTestId("dispatch-message")).ToContainTextAsync($"Order {order.Number} is assigned to the nearest available driver, Northern Driver");
            await Assertions.Expect(row.GetByTestId("dispatch-status")).ToHaveTextAsync("Assigned");

            // The customer follows it.
            var customer = await NewPageAsync(Viewport);
            await new LoginPage(customer).SignInAsync(CoreCalls.Customer);
            await customer.GotoAsync($"/orders/{order.OrderId}");
            await customer.WaitForInteractiveAsync();
            await Assertions.Expect(customer.GetByTestId("delivery-status")).ToHaveTextAsync("Driver assigned");
            await Assertions.Expect(customer.GetByTestId("delivery-eta")).ToContainTextAsync("30–45 min once it leaves the store");

            // The driver picks it up and sets off; the customer sees it on the way with an ETA from the driver's position.
            var card = phone.Locator($"[data-testid=delivery-card][data-order='{order.Number}']");
            await card.GetByTestId("advance").ClickAsync();
            await Assertions.Expect(card.GetByTestId("delivery-status")).ToHaveTextAsync("picked up");
            await card.GetByTestId("advance").ClickAsync();
            await Assertions.Expect(card.GetByTestId("delivery-status")).ToHaveTextAsync("en route");
            await Assertions.Expect(customer.GetByTestId("delivery-status")).ToHaveTextAsync("On the way");
            await Assertions.Expect(row.GetByTestId("dispatch-status")).ToHaveTextAsync("En route");
            await Assertions.Expect(customer.GetByTestId("tracking-map")).ToBeVisibleAsync();

            // The phone moves along King St towards the drop-off: dispatch's marker and the customer's ETA follow.
            var path = new[] { (43.6480f, -79.4060f), (43.6500f, -79.4030f), (43.6520f, -79.4000f) };
            foreach (var (lat, lng) in path)
            {
                await phone.Context.SetGeolocationAsync(new() { Latitude = lat, Longitude = lng, Accuracy = 8 });
                await WaitForMarkerAsync(dispatch, lat);
                var eta = $"Arriving in about {DeliveryEta.Minutes(lat, lng, 43.6530, -79.3990)} min";
                await Assertions.Expect(customer.GetByTestId("delivery-eta")).ToHaveTextAsync(eta, new() { Timeout = 20_000 });
                await customer.WaitForFunctionAsync("() => !!document.querySelector('[data-testid=tracking-map]')?.weedgoMap?.driverAt", null);
            }
            var onCustomerMap = await customer.DriverMarkerAsync("tracking-map", DriverId);
            Assert.NotNull(onCustomerMap);
            Assert.Equal(43.6520, onCustomerMap!.Lat, 4);
            await Screenshots.SaveAsync(dispatch, "dispatch-desktop");
            await Screenshots.SaveAsync(customer, "customer-tracking");

            // At the door: "Delivered" stays disabled until the ID check is chosen.
            await card.GetByTestId("advance").ClickAsync();
            await Assertions.Expect(customer.GetByTestId("delivery-status")).ToHaveTextAsync("At your door");
            await card.GetByTestId("open-deliver").ClickAsync();
            await Assertions.Expect(card.GetByTestId("confirm-deliver")).ToBeDisabledAsync();
            await Screenshots.SaveAsync(phone, "driver-phone-id-check");
            await card.GetByTestId("id-checked").ClickAsync();
            await card.GetByTestId("confirm-deliver").ClickAsync();
            await Assertions.Expect(customer.GetByTestId("delivery-status")).ToHaveTextAsync("Delivered");
            await Assertions.Expect(customer.GetByTestId("order-status")).ToHaveTextAsync("Completed");
            await Assertions.Expect(row.GetByTestId("dispatch-status")).ToHaveCountAsync(0); // done: off the "Open" list

            await phone.GetByTestId("end-shift").ClickAsync();
            await Assertions.Expect(phone.GetByTestId("start-shift")).ToBeVisibleAsync();
            // Off shift: the driver's marker leaves the dispatch map without a reload.
            var gone = DateTime.UtcNow.AddSeconds(20);
            while (await dispatch.DriverMarkerAsync("dispatch-map", DriverId) is not null && DateTime.UtcNow < gone)
            {
                await Task.Delay(300);
            }
            Assert.Null(await dispatch.DriverMarkerAsync("dispatch-map", DriverId));
        }
        finally
        {
            App.Clock.Offset = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task A_manager_draws_a_zone_on_the_map_and_a_self_intersecting_one_is_refused_with_the_reason()
    {
        await Login.SignInAsync("manager@northernlights.demo");
        await Page.GotoAsync($"/admin/deliveries/zones?store={CoreCalls.QueenWest}");
        await Page.WaitForInteractiveAsync();
        await Page.WaitForMapAsync("zones-map");
        await Assertions.Expect(Page.GetByTestId("zone-row").Filter(new() { HasText = "Downtown West" })).ToBeVisibleAsync();

        // Draw a new zone by clicking four corners on the map and the first again to close it.
        await Page.GetByTestId("zone-new").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("zone-editor")).ToBeVisibleAsync();
        var corners = new[] { (43.600, -79.480), (43.600, -79.420), (43.625, -79.420), (43.625, -79.480), (43.600, -79.480) };
        await Page.DrawPolygonAsync("zones-map", corners);
        await Assertions.Expect(Page.FieldInput("zone-geojson")).ToHaveValueAsync(new Regex("\"Polygon\""));
        await Page.FieldInput("zone-name").FillAsync("Lakeshore");
        await Page.FieldInput("zone-fee").FillAsync("7");
        await Screenshots.SaveAsync(Page, "zone-editor");

        // A bow tie pasted instead is refused with the service's reason.
        const string bowTie = "{\"type\":\"Polygon\",\"coordinates\":[[[-79.48,43.60],[-79.42,43.625],[-79.42,43.60],[-79.48,43.625],[-79.48,43.60]]]}";
        await Page.FieldInput("zone-geojson").FillAsync(bowTie);
        await Page.GetByTestId("zone-save").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("zone-problem")).ToContainTextAsync("Self-intersection");

        // Drawn again, it saves and joins the list.
        await Page.GetByTestId("zone-draw").ClickAsync();
        await Page.DrawPolygonAsync("zones-map", corners);
        await Assertions.Expect(Page.FieldInput("zone-geojson")).Not.ToHaveValueAsync(bowTie); // the drawn shape, not the pasted one
        await Assertions.Expect(Page.FieldInput("zone-geojson")).ToHaveValueAsync(new Regex("\"Polygon\""));
        await Page.GetByTestId("zone-save").ClickAsync();
        await Assertions.Expect(Page.GetByTestId("zone-row").Filter(new() { HasText = "Lakeshore" })).ToContainTextAsync("$7.00 delivery");

        await using var scope = App.As("manager@northernlights.demo", Roles.StoreManager, CoreCalls.QueenWest);
        var zones = (await scope.ServiceProvider.GetRequiredService<DeliveryZoneQueries>().ForStoreAsync(CoreCalls.QueenWest)).Value;
        var saved = zones.Single(z => z.Name == "Lakeshore");
        Assert.True((await scope.ServiceProvider.GetRequiredService<DeliveryZoneService>().DeleteAsync(saved.Id)).Succeeded); // leave the demo zones as they were
    }

    [Fact]
    public async Task At_checkout_the_pin_decides_the_zone_and_outside_every_zone_delivery_cannot_be_placed()
    {
        App.Clock.Offset = MapProbe.OffsetToTorontoHour(13);
        try
        {
            var product = (await App.InStockAsync(3, 1))[0];
            await using (var scope = App.As(CoreCalls.Customer, Roles.Customer))
            {
                var carts = scope.ServiceProvider.GetRequiredService<CartService>();
                await carts.ClearAsync(CoreCalls.QueenWest);
                Assert.True((await carts.AddAsync(CoreCalls.QueenWest, product.Id, 1)).Succeeded);
            }
            await Login.SignInAsync(CoreCalls.Customer);
            await Page.GotoAsync($"/s/{CoreCalls.QueenWestSlug}/checkout");
            await Page.WaitForInteractiveAsync();
            await Page.GetByTestId("fulfilment-delivery").ClickAsync();
            await Page.WaitForMapAsync("checkout-map");
            await Assertions.Expect(Page.GetByTestId("pin-quote")).ToContainTextAsync("No pin yet");
            await Page.FieldInput("address-line1").FillAsync("1 Yonge St");
            await Page.FieldInput("address-city").FillAsync("Toronto");
            await Page.FieldInput("address-postal").FillAsync("M5E 1W7");

            // Outside every zone (north of the wider zone): the message says so and the order is not placed.
            await Page.ClickMapAtAsync("checkout-map", 43.7150, -79.4400);
            await Assertions.Expect(Page.GetByTestId("pin-quote")).ToContainTextAsync("We don't deliver to that address yet");
            await Page.GetByTestId("pay-on-delivery").ClickAsync();
            await Page.GetByTestId("place-order").ClickAsync();
            await Assertions.Expect(Page.GetByTestId("place-error")).ToContainTextAsync("We don't deliver to that address yet");

            // Near the store: Downtown West's terms, and the order goes through with the pin.
            await Page.ClickMapAtAsync("checkout-map", 43.6500, -79.4000);
            await Assertions.Expect(Page.GetByTestId("pin-quote")).ToContainTextAsync("We deliver there (Downtown West): $5.00 delivery");
            await Assertions.Expect(Page.GetByTestId("step-fulfilment")).ToContainTextAsync("Delivery ($5.00, 30–45 min)");
            await Page.Mouse.MoveAsync(0, 0); // no zone tooltip over the map
            await Screenshots.SaveAsync(Page, "checkout-pin");
            await Page.GetByTestId("place-order").ClickAsync();
            await Assertions.Expect(Page).ToHaveURLAsync(new Regex(@"/orders/[0-9a-f-]{36}\?placed=1$"));
            var orderId = Guid.Parse(Regex.Match(Page.Url, "[0-9a-f-]{36}").Value);
            await using var staff = App.As(CoreCalls.Budtender, Roles.Budtender, CoreCalls.QueenWest);
            var detail = (await staff.ServiceProvider.GetRequiredService<OrderQueries>().DetailAsync(orderId)).Value;
            Assert.Equal((43.65, -79.40), (Math.Round(detail.DeliveryAddress!.Latitude!.Value, 2), Math.Round(detail.DeliveryAddress.Longitude!.Value, 2)));
            Assert.Equal(5m, detail.DeliveryFee);
        }
        finally
        {
            App.Clock.Offset = TimeSpan.Zero;
        }
    }
}
