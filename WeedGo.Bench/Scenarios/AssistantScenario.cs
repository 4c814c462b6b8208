using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WeedGo.Core.Catalog;
using WeedGo.Core.Chat;
using WeedGo.Core.Data.DemoData;

namespace WeedGo.Bench.Scenarios;

/// <summary>
/// The built-in assistant's answer latency, in-process and one reply at a time, over a fixed set of customer questions at
/// Queen West: every reply goes through the whole pipeline (settings, tools built for the store, the built-in client's tool
/// calls run by the function-invocation layer, the search tool's EF Core menu query, compliance, the usage row written). Next to
/// it in the same run: the raw baseline (the menu search such a question needs, as one Npgsql statement), the same search
/// through <c>MenuQueries.PageAsync</c>, and replies served from the response cache.
/// </summary>
public sealed class AssistantScenario : IThroughputScenario
{
    private const int Rounds = 15;

    private static readonly string[] Questions =
    [
        "Can you recommend something relaxing?", "Show me sativa pre-rolls under $20", "What's your strongest flower?", "cheapest edibles",
        "Any vapes with limonene?", "Do you have Blue Dream in stock?", "Tell me about Pink Kush", "Compare Blue Dream and Pink Kush",
        "What are your hours?", "What is the 30 g limit?", "Can I talk to a person?", "hybrid flower under $40",
    ];

    private static Guid Store => DemoDataSeeder.IdFor("northern-lights-queen-west");
    private static Guid Tenant => DemoDataSeeder.IdFor(DemoDataSeeder.NorthernLights.Slug);

    public string Name => "assistant";

    public string Description =>
        $"Built-in assistant replies (`IAssistant.ReplyAsync`, {Questions.Length} questions × {Rounds} rounds, one at a time, each a cache miss) " +
        "against the raw baseline of one menu search as a single Npgsql statement, `MenuQueries.PageAsync` for the same search, and the same " +
        "replies answered from the response cache.";

    public async Task<string> RunAsync(BenchContext context, CancellationToken ct)
    {
        var data = context.Services.GetRequiredService<NpgsqlDataSource>();
        await using var scope = context.Services.CreateAsyncScope(); // anonymous: a guest of the storefront's default tenant
        var assistant = scope.ServiceProvider.GetRequiredService<IAssistant>();
        var menu = scope.ServiceProvider.GetRequiredService<MenuQueries>();

        // Verify before timing: every question gets an answer, product questions show products of the store.
        var tools = 0;
        foreach (var q in Questions)
        {
            var (text, products, calls) = await ReplyAsync(assistant, q, Guid.CreateVersion7(), ct);
            if (text.Length == 0)
            {
                throw new BenchVerificationException($"No answer to \"{q}\".");
            }
            tools += calls;
            if (q.Contains("relaxing") && products == 0)
            {
                throw new BenchVerificationException("The relaxing recommendation showed no product.");
            }
        }

        async Task RawSearchAsync()
        {
            await using var cmd = data.CreateCommand(
                "SELECT p.id, p.sku, p.product_name, p.brand, COALESCE(i.retail_price_override, p.unit_price) AS price, i.available " +
                "FROM ocs_inventory i JOIN ocs_product_catalog p ON p.id = i.product_id " +
                "WHERE i.tenant_id = $1 AND i.store_id = $2 AND i.available > 0 AND p.category = 'Flower' AND p.strain_type = 'Indica' " +
                "AND COALESCE(i.retail_price_override, p.unit_price) IS NOT NULL ORDER BY p.product_name LIMIT 3");
            cmd.Parameters.AddWithValue(Tenant);
            cmd.Parameters.AddWithValue(Store);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            var n = 0;
            while (await reader.ReadAsync(ct))
            {
                n++;
            }
            if (n == 0)
            {
                throw new BenchVerificationException("The raw search found nothing.");
            }
        }

        var raw = await TimeAsync(Questions.Length * Rounds, _ => RawSearchAsync());
        var service = await TimeAsync(Questions.Length * Rounds, async _ =>
            await menu.PageAsync(Store, new MenuFilter(Category: "Flower", StrainTypes: ["Indica"], Sort: MenuSort.Name, PageSize: 3), ct));
        var perQuestion = Questions.ToDictionary(q => q, _ => new List<double>());
        var miss = await TimeAsync(Questions.Length * Rounds, async i =>
        {
            var q = Questions[i % Questions.Length];
            var start = Stopwatch.GetTimestamp();
            await ReplyAsync(assistant, q, Guid.CreateVersion7(), ct, unique: i);
            perQuestion[q].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        });
        var hit = await TimeAsync(Questions.Length * Rounds, async i =>
            await ReplyAsync(assistant, Questions[i % Questions.Length], Guid.CreateVersion7(), ct));

        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
        return string.Join("\n",
        [
            "| run | calls | p50 ms | p95 ms | p99 ms |",
            "|---|--:|--:|--:|--:|",
            Row("baseline: raw Npgsql menu search (indica flower, in stock, 3 rows)", raw),
            Row("MenuQueries.PageAsync, same search (EF Core)", service),
            Row("subject: built-in assistant reply, cache miss (whole pipeline)", miss),
            Row("built-in assistant reply, answered from the response cache", hit),
            $"| **reply (miss) / raw search (p50)** | | **{miss.P50 / raw.P50:0.0}×** | **{miss.P95 / raw.P95:0.0}×** | |",
            "",
            "Per question (cache misses, p50 / p95 ms):",
            "",
            "| question | p50 | p95 |",
            "|---|--:|--:|",
            .. perQuestion.Select(kv => $"| {kv.Key} | {Ms(Pct(kv.Value, 0.5))} | {Ms(Pct(kv.Value, 0.95))} |"),
            "",
            $"The verification pass made {tools} tool calls for {Questions.Length} questions. A miss is forced by a one-line history that differs " +
            "per call (the cache key covers the conversation). Each reply also writes its usage row (one INSERT) and reads the store's settings, " +
            "personality and, for a product question, the store's categories (cached 10 s) before the first tool runs. " +
            $"Machine load average at the start: {load} on {Environment.ProcessorCount} cores.",
            "",
        ]) + "\n";
    }

    private static async Task<(string Text, int Products, int Calls)> ReplyAsync(IAssistant assistant, string question, Guid conversation, CancellationToken ct,
        int? unique = null)
    {
        IReadOnlyList<AssistantTurn> history = unique is { } u ? [new AssistantTurn(ChatAuthorKind.System, $"bench {u}"), new AssistantTurn(ChatAuthorKind.Customer, $"hi {u}")] : [];
        var text = new System.Text.StringBuilder();
        int products = 0, calls = 0;
        await foreach (var update in assistant.ReplyAsync(new AssistantRequest(Store, conversation, history, question), ct))
        {
            switch (update)
            {
                case AssistantText t: text.Append(t.Chunk); break;
                case AssistantProducts p: products += p.Products.Count; break;
                case AssistantToolCall: calls++; break;
            }
        }
        return (text.ToString(), products, calls);
    }

    private static string Row(string label, Timings t) => $"| {label} | {t.Count:N0} | {Ms(t.P50)} | {Ms(t.P95)} | {Ms(t.P99)} |";

    private static string Ms(double ms) => ms.ToString(ms < 10 ? "0.000" : "0.0", CultureInfo.InvariantCulture);

    private static double Pct(List<double> samples, double q)
    {
        var sorted = samples.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
    }

    private static async Task<Timings> TimeAsync(int count, Func<int, Task> call)
    {
        for (var i = 0; i < Math.Min(24, count); i++)
        {
            await call(i + 100_000);
        }
        var samples = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await call(i);
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        samples.Sort();
        double At(double q) => samples[Math.Min(samples.Count - 1, (int)Math.Ceiling(q * samples.Count) - 1)];
        return new Timings(samples.Count, At(0.50), At(0.95), At(0.99));
    }

    private sealed record Timings(int Count, double P50, double P95, double P99);
}
