using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WeedGo.Core.Common;
using WeedGo.Core.Data;

namespace WeedGo.Core.Audit;

/// <summary>One error the app logged, on its way to the audit log as <see cref="AuditEvents.SystemError"/>.</summary>
public sealed record SystemErrorReport(string Source, string? Error, string Message);

/// <summary>
/// The queue between the logger (<see cref="SystemErrorLoggerProvider"/>) and <see cref="SystemErrorRecorder"/>. Logging never
/// waits on it: a full queue drops the report, and the same source and error type are reported at most once a second (a
/// failure in a loop must not flood the log; the alert rule counts 3 in 5 minutes).
/// </summary>
public sealed class SystemErrorFeed(TimeProvider clock)
{
    private readonly Channel<SystemErrorReport> _queue = Channel.CreateBounded<SystemErrorReport>(
        new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly ConcurrentDictionary<(string, string?), long> _last = new();

    public ChannelReader<SystemErrorReport> Reader => _queue.Reader;

    /// <summary>Errors that are not the app failing: a visitor closing the tab, a request cancelled, a reset connection.</summary>
    public static bool IsNoise(Exception? e) => e switch
    {
        null => false,
        OperationCanceledException => true,
        IOException => true,
        AggregateException a => a.InnerExceptions.All(IsNoise),
        // A visitor's connection going away, or a malformed request (answered 400): not the app failing.
        _ => e.GetType().Name is "JSDisconnectedException" or "ConnectionResetException" or "BadHttpRequestException"
             || e.GetType() == typeof(Exception) && e.InnerException is { } inner && IsNoise(inner),
    };

    /// <summary>Queues a report; false when it was noise, throttled or the queue is full.</summary>
    public bool Report(string source, Exception? error, string message)
    {
        if (IsNoise(error))
        {
            return false;
        }
        var now = clock.GetTimestamp();
        var key = (source, error?.GetType().FullName);
        if (_last.TryGetValue(key, out var at) && clock.GetElapsedTime(at, now) < TimeSpan.FromSeconds(1))
        {
            return false;
        }
        _last[key] = now;
        var text = message.Length > 300 ? message[..300] + "…" : message;
        return _queue.Writer.TryWrite(new SystemErrorReport(source, error?.GetType().FullName, text));
    }
}

/// <summary>
/// Sees every error (and critical) the app logs from ASP.NET Core (unhandled request and circuit exceptions) and from WeedGo's
/// own code, and hands it to <see cref="SystemErrorFeed"/>. The audit machinery's own categories are left out, so a failure to
/// write the audit log cannot feed itself. EF Core's are left out too: it logs every failed command, including the ones the
/// code expects and handles (a unique key taken by a concurrent writer); an unexpected one surfaces in the caller's category.
/// </summary>
public sealed class SystemErrorLoggerProvider(SystemErrorFeed feed) : ILoggerProvider
{
    public static bool Watches(string category) =>
        (category.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal) || category.StartsWith("WeedGo.", StringComparison.Ordinal))
        && !category.Contains("Audit", StringComparison.Ordinal) && !category.Contains("SystemError", StringComparison.Ordinal);

    public ILogger CreateLogger(string categoryName) => Watches(categoryName) ? new Watcher(categoryName, feed) : NullLogger.Instance;

    public void Dispose()
    {
    }

    private sealed class Watcher(string category, SystemErrorFeed feed) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                feed.Report(category, exception, formatter(state, exception));
            }
        }
    }
}

/// <summary>
/// Writes the queued <see cref="SystemErrorReport"/>s as <see cref="AuditEvents.SystemError"/> events (severity Error) on the
/// platform chain, where the default "System errors" rule (3 in 5 minutes) turns them into an alert for platform admins.
/// </summary>
public sealed class SystemErrorRecorder(
    SystemErrorFeed feed, PooledDbContextFactory<WeedGoDbContext> pool, TimeProvider clock, IOptions<AuditOptions> options,
    AuditAlertSignal? signal = null)
{
    private readonly AuditLog _log = AuditLog.ForSystem(pool, clock, options, signal);

    /// <summary>Writes what is queued now; returns how many events it wrote.</summary>
    public async Task<int> DrainAsync(CancellationToken ct = default)
    {
        var written = 0;
        while (feed.Reader.TryRead(out var report))
        {
            await WriteAsync(report, ct);
            written++;
        }
        return written;
    }

    /// <summary>Writes reports as they come until <paramref name="ct"/> ends.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        await foreach (var report in feed.Reader.ReadAllAsync(ct))
        {
            await WriteAsync(report, ct);
        }
    }

    private Task WriteAsync(SystemErrorReport r, CancellationToken ct) =>
        _log.RecordAsync(AuditEvents.SystemError, AuditSeverity.Error, new { source = r.Source, error = r.Error, message = r.Message },
            platform: true, ct: ct);
}
