using System.Text.Json;

namespace WeedGo.Bench.Scenarios;

/// <summary>The storefront's home page (server-prerendered store picker of the default tenant) against the raw store list.</summary>
public sealed class StorePickerScenario : IScenario
{
    private const string Tenant = "northern-lights";
    private static readonly string[] StoreNames = ["Queen West", "Yorkville", "Square One"];

    public string Name => "store-picker";

    public string Description =>
        $"`GET /`, the store picker of the default tenant (`{Tenant}`, {StoreNames.Length} stores) prerendered by Blazor Server with " +
        "MudBlazor, against the same stores read with raw Npgsql and returned as JSON.";

    public BenchRequest Baseline { get; } = BenchRequest.Get($"/bench/baseline/stores?tenant={Tenant}");

    public BenchRequest Subject { get; } = BenchRequest.Get("/");

    public void Verify(BenchResponse baseline, BenchResponse subject)
    {
        Check.Succeeded(baseline, "The baseline");
        using var json = JsonDocument.Parse(baseline.Body);
        Check.That(json.RootElement.ValueKind == JsonValueKind.Array && json.RootElement.GetArrayLength() == StoreNames.Length,
            $"The baseline should list {StoreNames.Length} stores: {Check.Excerpt(baseline.Body)}");
        var names = json.RootElement.EnumerateArray().Select(e => e.GetProperty("name").GetString()).ToHashSet();
        foreach (var store in StoreNames)
        {
            Check.That(names.Contains(store), $"The baseline does not list \"{store}\": {Check.Excerpt(baseline.Body)}");
        }

        Check.Succeeded(subject, "The store picker page");
        Check.That(subject.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true,
            $"The store picker page is {subject.ContentType}, not HTML.");
        foreach (var store in StoreNames)
        {
            Check.Contains(subject, store, "The store picker page");
        }
    }
}
