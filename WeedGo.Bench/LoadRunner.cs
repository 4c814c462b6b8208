using System.Diagnostics;
using System.Net;

namespace WeedGo.Bench;

/// <summary>What one timed run of one request measured.</summary>
public sealed record RunResult(
    string Role, string Request, long[] SortedLatencyTicks, int Errors, IReadOnlyDictionary<string, int> ErrorKinds,
    double ElapsedSeconds, TimeSpan ProcessorTime, long PeakWorkingSetBytes, long ProcessPeakWorkingSetBytes, long GcHeapAfterBytes, long AllocatedBytes)
{
    public int Requests => SortedLatencyTicks.Length;

    public double RequestsPerSecond => Requests / ElapsedSeconds;

    /// <summary>Nearest-rank percentile of the successful requests' latencies, in milliseconds.</summary>
    public double PercentileMs(double p)
    {
        if (SortedLatencyTicks.Length == 0)
        {
            return double.NaN;
        }
        var rank = (int)Math.Ceiling(p / 100 * SortedLatencyTicks.Length);
        return SortedLatencyTicks[Math.Clamp(rank - 1, 0, SortedLatencyTicks.Length - 1)] * 1000.0 / Stopwatch.Frequency;
    }

    public double AllocatedPerRequestBytes => (double)AllocatedBytes / Math.Max(1, Requests + Errors);

    /// <summary>Processor time the whole process (app and load generator) spent per request sent, in milliseconds.</summary>
    public double CpuPerRequestMs => ProcessorTime.TotalMilliseconds / Math.Max(1, Requests + Errors);
}

/// <summary>
/// A closed loop: <c>concurrency</c> workers each send the request, read the whole response body, record the latency
/// (Stopwatch ticks) and send the next, until the duration is over. Non-2xx answers and exceptions count as errors and are
/// not in the latency figures.
/// </summary>
public static class LoadRunner
{
    public static HttpClient CreateClient(Uri baseAddress) =>
        new(new SocketsHttpHandler
        {
            // Pooled keep-alive connections, one per concurrent request; no proxy (http_proxy must not see loopback traffic),
            // no redirects (a 3xx is an error), no cookies (each request stands alone unless the scenario adds headers).
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };

    /// <summary>Sends the request once and reads the response in full (for verification).</summary>
    public static async Task<BenchResponse> FetchAsync(HttpClient client, BenchRequest request, CancellationToken ct)
    {
        using var message = request.Create();
        using var response = await client.SendAsync(message, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        return new BenchResponse(response.StatusCode, response.Content.Headers.ContentType?.ToString(), body);
    }

    public static async Task<RunResult> RunAsync(
        HttpClient client, string role, BenchRequest request, TimeSpan duration, int concurrency, CancellationToken ct)
    {
        // Start every run from a collected heap so one run's garbage is not collected on the next one's time.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        var workers = Enumerable.Range(0, concurrency).Select(_ => new Worker()).ToArray();
        long peakWorkingSet = Environment.WorkingSet;
        using var sampler = new Timer(_ =>
        {
            var ws = Environment.WorkingSet;
            long seen;
            while (ws > (seen = Interlocked.Read(ref peakWorkingSet)) && Interlocked.CompareExchange(ref peakWorkingSet, ws, seen) != seen)
            {
            }
        }, null, TimeSpan.Zero, TimeSpan.FromMilliseconds(100));

        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        var start = Stopwatch.GetTimestamp();
        var stopAt = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(workers.Select(w => Task.Run(() => w.LoopAsync(client, request, stopAt, ct), ct)));
        var end = Stopwatch.GetTimestamp();
        var allocated = GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore;
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        ct.ThrowIfCancellationRequested();

        var ws = Environment.WorkingSet;
        var peak = Math.Max(Interlocked.Read(ref peakWorkingSet), ws);
        var processPeak = process.PeakWorkingSet64;
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);

        var latencies = workers.SelectMany(w => w.Latencies).ToArray();
        Array.Sort(latencies);
        var kinds = workers.SelectMany(w => w.ErrorKinds)
            .GroupBy(kv => kv.Key)
            .ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value));
        return new RunResult(role, request.Label, latencies, kinds.Values.Sum(), kinds,
            (end - start) / (double)Stopwatch.Frequency, cpu, peak, processPeak, heapAfter, allocated);
    }

    private sealed class Worker
    {
        public List<long> Latencies { get; } = new(capacity: 16_384);

        public Dictionary<string, int> ErrorKinds { get; } = [];

        public async Task LoopAsync(HttpClient client, BenchRequest request, long stopAt, CancellationToken ct)
        {
            while (Stopwatch.GetTimestamp() < stopAt && !ct.IsCancellationRequested)
            {
                using var message = request.Create();
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, ct);
                    await response.Content.CopyToAsync(Stream.Null, ct);
                    var took = Stopwatch.GetTimestamp() - started;
                    if (response.IsSuccessStatusCode)
                    {
                        Latencies.Add(took);
                    }
                    else
                    {
                        Count($"HTTP {(int)response.StatusCode}");
                    }
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    Count(e is TaskCanceledException ? "timeout" : e.GetType().Name);
                }
            }
        }

        private void Count(string kind) => ErrorKinds[kind] = ErrorKinds.GetValueOrDefault(kind) + 1;
    }
}
