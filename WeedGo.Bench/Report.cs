using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text;

namespace WeedGo.Bench;

/// <summary>The markdown written to <c>bench/results/&lt;scenario&gt;.md</c> and printed to stdout.</summary>
public static class Report
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Render(IScenario scenario, BenchOptions options, DateTimeOffset ranAt, RunResult baseline, RunResult subject)
    {
        var md = new StringBuilder();
        md.AppendLine($"# Bench: {scenario.Name}");
        md.AppendLine();
        md.AppendLine(scenario.Description);
        md.AppendLine();
        md.AppendLine($"- Date: {ranAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", Invariant)} UTC");
        md.AppendLine($"- Machine: {Machine.Describe()}");
        md.AppendLine($"- Parameters: concurrency {options.Concurrency} (closed loop), warm-up {options.WarmupSeconds} s, " +
                      $"measured {options.DurationSeconds} s per row; baseline measured first, then the subject; app in-process on Kestrel " +
                      "(loopback, HTTP/1.1 keep-alive), Development environment without DI scope validation, logging at Warning");
        md.AppendLine();
        md.AppendLine("| run | request | requests | p50 ms | p95 ms | p99 ms | req/s | errors | CPU ms/request | peak working set MB | GC heap after MB | allocated/request KB |");
        md.AppendLine("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var r in new[] { baseline, subject })
        {
            md.AppendLine($"| {r.Role} | `{r.Request}` | {r.Requests.ToString("N0", Invariant)} | {Ms(r.PercentileMs(50))} | " +
                          $"{Ms(r.PercentileMs(95))} | {Ms(r.PercentileMs(99))} | {r.RequestsPerSecond.ToString("N0", Invariant)} | " +
                          $"{r.Errors} | {r.CpuPerRequestMs.ToString("0.00", Invariant)} | {Mb(r.PeakWorkingSetBytes)} | {Mb(r.GcHeapAfterBytes)} | " +
                          $"{(r.AllocatedPerRequestBytes / 1024).ToString("N1", Invariant)} |");
        }
        md.AppendLine($"| **subject / baseline** | | | **{Ratio(subject.PercentileMs(50), baseline.PercentileMs(50))}** | | " +
                      $"**{Ratio(subject.PercentileMs(99), baseline.PercentileMs(99))}** | " +
                      $"**{Ratio(subject.RequestsPerSecond, baseline.RequestsPerSecond)}** | | | | | |");
        md.AppendLine();
        foreach (var r in new[] { baseline, subject }.Where(r => r.Errors > 0))
        {
            md.AppendLine($"**{r.Role} errors:** {string.Join(", ", r.ErrorKinds.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} × {kv.Value}"))}");
            md.AppendLine();
        }
        md.AppendLine($"Process peak working set (`Process.PeakWorkingSet64`) at the end of the scenario: {Mb(subject.ProcessPeakWorkingSetBytes)} MB.");
        md.AppendLine();
        md.AppendLine("Latencies are of successful (2xx) requests, from send to the last byte of the body; req/s counts successful " +
                      "requests. The app and the load generator share one process, so the CPU and memory columns cover both: " +
                      "*CPU ms/request* is the process's processor time during the run divided by the requests sent " +
                      "(steadier than latency on a busy machine, since it does not count time spent waiting for a core or for PostgreSQL); " +
                      "*peak working set* is the highest working set sampled (every 100 ms) during that row's run, *GC heap after* is " +
                      "the live managed heap after a full collection at the end of the run, *allocated/request* is all managed " +
                      "allocation in the process during the run divided by the requests sent. Lower is better for latency and memory, " +
                      "higher for req/s; a ratio above 1× for p50/p99 (below 1× for req/s) is the cost of the subject over the baseline.");
        return md.ToString();
    }

    private static string Ms(double ms) => double.IsNaN(ms) ? "–" : ms.ToString(ms < 10 ? "0.00" : "0.0", Invariant);

    private static string Mb(long bytes) => (bytes / (1024.0 * 1024)).ToString("0", Invariant);

    private static string Ratio(double subject, double baseline) =>
        double.IsNaN(subject) || double.IsNaN(baseline) || baseline == 0 ? "–" : (subject / baseline).ToString("0.00", Invariant) + "×";
}

/// <summary>Processor count, CPU model, OS, .NET and GC mode, in one line.</summary>
public static class Machine
{
    public static string Describe()
    {
        var parts = new List<string> { $"{Environment.ProcessorCount} logical processors" };
        if (CpuModel() is { } cpu)
        {
            parts.Add(cpu);
        }
        parts.Add(OsName());
        parts.Add($"{RuntimeInformation.FrameworkDescription} ({RuntimeInformation.RuntimeIdentifier})");
        parts.Add($"{(GCSettings.IsServerGC ? "server" : "workstation")} GC");
        return string.Join(" · ", parts);
    }

    private static string? CpuModel()
    {
        try
        {
            return File.Exists("/proc/cpuinfo")
                ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
                : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string OsName()
    {
        try
        {
            var pretty = File.Exists("/etc/os-release")
                ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?
                    .Split('=', 2)[1].Trim('"')
                : null;
            var os = RuntimeInformation.OSDescription;
            var name = pretty is null || os.Contains(pretty, StringComparison.Ordinal) ? os : $"{pretty} ({os})";
            return OperatingSystem.IsLinux() ? $"{name}, Linux {Environment.OSVersion.Version}" : name;
        }
        catch (IOException)
        {
            return RuntimeInformation.OSDescription;
        }
    }
}
