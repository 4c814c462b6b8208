using System.Text.Json;

namespace WeedGo.Bench.Scenarios;

/// <summary>
/// The storefront menu, first page with filters (Flower, Indica, cheapest first), prerendered by Blazor Server, against the same
/// menu query in raw SQL returned as JSON. The bound is for 16 concurrent clients: run with <c>--concurrency 16</c>.
/// </summary>
public sealed class MenuScenario : IScenario
{
    private const string Tenant = "northern-lights";
    private const string Store = "northern-lights-queen-west";

    public string Name => "menu";

    public string Description =>
        $"`GET /s/{Store}?cat=Flower&strain=Indica&sort=pricelow` (a visitor past the age gate: the menu's first page of 24 product " +
        "cards, categories and filters, prerendered by Blazor Server with MudBlazor) against the same menu query (listed, priced, " +
        "in stock, category + strain, cheapest first, count and first 24) with raw Npgsql returned as JSON.";

    public BenchRequest Baseline { get; } =
        BenchRequest.Get($"/bench/baseline/menu?tenant={Tenant}&store={Store}&category=Flower&strain=Indica");

    public BenchRequest Subject { get; } = new($"GET /s/{Store}?cat=Flower&strain=Indica&sort=pricelow", () =>
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/s/{Store}?cat=Flower&strain=Indica&sort=pricelow");
        request.Headers.Add("Cookie", "weedgo.age=19");
        return request;
    });

    public void Verify(BenchResponse baseline, BenchResponse subject)
    {
        Check.Succeeded(baseline, "The baseline");
        using var json = JsonDocument.Parse(baseline.Body);
        var items = json.RootElement.GetProperty("items");
        Check.That(items.GetArrayLength() > 0, $"The baseline menu is empty: {Check.Excerpt(baseline.Body)}");
        var first = items[0].GetProperty("item").GetProperty("productName").GetString()!;

        Check.Succeeded(subject, "The menu page");
        Check.Contains(subject, "data-testid=\"menu-grid\"", "The menu page");
        Check.Contains(subject, System.Net.WebUtility.HtmlEncode(first), "The menu page");
        var total = json.RootElement.GetProperty("total").GetInt64();
        Check.Contains(subject, $"{total} products", "The menu page");
    }
}
