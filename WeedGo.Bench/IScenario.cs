using System.Net;

namespace WeedGo.Bench;

/// <summary>
/// One benchmark: a <see cref="Subject"/> request (the real page or API) timed against a <see cref="Baseline"/> request that
/// fetches the same data with the least framework work (raw Npgsql endpoints in <c>WeedGo.Web/Endpoints/BenchEndpoints.cs</c>).
/// Add a scenario by adding one file under <c>Scenarios/</c> with a public class implementing this interface and a
/// parameterless constructor; <see cref="ScenarioRegistry"/> finds it.
/// </summary>
public interface IScenario
{
    /// <summary>Short kebab-case name: the command-line argument and the results file name (<c>bench/results/&lt;name&gt;.md</c>).</summary>
    string Name { get; }

    /// <summary>One sentence on what is measured, printed in the results file.</summary>
    string Description { get; }

    BenchRequest Baseline { get; }

    BenchRequest Subject { get; }

    /// <summary>Optional one-off work before the first request (sign in, create rows); runs once against the started app.</summary>
    Task SetUpAsync(BenchContext context, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Optional work after the scenario was measured (stop background load started in <see cref="SetUpAsync"/>).</summary>
    Task TearDownAsync(BenchContext context) => Task.CompletedTask;

    /// <summary>
    /// Checks one baseline and one subject response before anything is timed, so a benchmark never measures an error page
    /// or an empty list. Throw <see cref="BenchVerificationException"/> (see <see cref="Check"/>) when they are wrong.
    /// </summary>
    void Verify(BenchResponse baseline, BenchResponse subject);
}

/// <summary>A request the load loop sends over and over; <see cref="Create"/> must return a new message every call.</summary>
public sealed record BenchRequest(string Label, Func<HttpRequestMessage> Create)
{
    public static BenchRequest Get(string path, string? label = null) =>
        new(label ?? "GET " + path, () => new HttpRequestMessage(HttpMethod.Get, path));
}

/// <summary>A response read in full, as <see cref="IScenario.Verify"/> sees it.</summary>
public sealed record BenchResponse(HttpStatusCode Status, string? ContentType, string Body)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;
}

/// <summary>What a scenario may use in <see cref="IScenario.SetUpAsync"/>: the app's services and a client on its address.</summary>
public sealed record BenchContext(IServiceProvider Services, HttpClient Client, Uri BaseAddress);

public sealed class BenchVerificationException(string message) : Exception(message);

/// <summary>Assertions for <see cref="IScenario.Verify"/>; each throws <see cref="BenchVerificationException"/> with a readable sentence.</summary>
public static class Check
{
    public static void That(bool condition, string message)
    {
        if (!condition)
        {
            throw new BenchVerificationException(message);
        }
    }

    public static void Succeeded(BenchResponse response, string what) =>
        That(response.IsSuccess, $"{what} answered {(int)response.Status} {response.Status}: {Excerpt(response.Body)}");

    public static void Contains(BenchResponse response, string text, string what) =>
        That(response.Body.Contains(text, StringComparison.Ordinal), $"{what} does not contain \"{text}\": {Excerpt(response.Body)}");

    public static string Excerpt(string body) => body.Length <= 300 ? body : body[..300] + "…";
}

/// <summary>
/// A one-shot throughput benchmark (e.g. an import): run once after <see cref="IScenario.SetUpAsync"/>, reporting its own figures
/// (rows per second) instead of a timed request loop. Its Baseline/Subject/Verify are unused.
/// </summary>
public interface IThroughputScenario : IScenario
{
    BenchRequest IScenario.Baseline => BenchRequest.Get("/health");
    BenchRequest IScenario.Subject => BenchRequest.Get("/health");
    void IScenario.Verify(BenchResponse baseline, BenchResponse subject) { }

    /// <summary>Runs the measurement and returns the markdown of the results file (a table and notes).</summary>
    Task<string> RunAsync(BenchContext context, CancellationToken ct);
}
