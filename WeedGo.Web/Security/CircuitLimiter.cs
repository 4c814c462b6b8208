using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace WeedGo.Web.Security;

/// <summary>Circuit limits (<c>WeedGo:Security:MaxCircuitsPerUser</c>, <c>MaxCircuitsPerIp</c>).</summary>
public sealed class CircuitLimitOptions
{
    /// <summary>Open Blazor circuits one signed-in person may hold at once (tabs, devices); 0 = no limit.</summary>
    public int MaxCircuitsPerUser { get; set; } = 20;

    /// <summary>Open circuits of visitors (not signed in) from one IP address; 0 = no limit.</summary>
    public int MaxCircuitsPerIp { get; set; } = 200;
}

/// <summary>Counts open circuits per person and per visitor IP, process-wide. Thread-safe.</summary>
public sealed class CircuitCounter
{
    private readonly ConcurrentDictionary<string, int> _open = new();

    /// <summary>Takes a place for <paramref name="key"/> unless <paramref name="limit"/> are open already (limit 0: always).</summary>
    public bool TryOpen(string key, int limit)
    {
        while (true)
        {
            var current = _open.GetValueOrDefault(key);
            if (limit > 0 && current >= limit)
            {
                return false;
            }
            if (current == 0 ? _open.TryAdd(key, 1) : _open.TryUpdate(key, current + 1, current))
            {
                return true;
            }
        }
    }

    public void Close(string key)
    {
        while (_open.TryGetValue(key, out var current))
        {
            if (current <= 1 ? _open.TryRemove(new KeyValuePair<string, int>(key, current)) : _open.TryUpdate(key, current - 1, current))
            {
                return;
            }
        }
    }

    public int Open(string key) => _open.GetValueOrDefault(key);
}

/// <summary>
/// Refuses a circuit beyond the limits: the circuit's start fails (the browser shows Blazor's "could not reconnect" bar, the
/// server logs why), so one account or one address cannot pin unbounded server memory with open circuits.
/// </summary>
public sealed class CircuitLimitHandler(
    CircuitCounter counter, AuthenticationStateProvider auth, IHttpContextAccessor http,
    Microsoft.Extensions.Options.IOptions<CircuitLimitOptions> options, ILogger<CircuitLimitHandler> log) : CircuitHandler
{
    private string? _key;

    public override async Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        var user = (await auth.GetAuthenticationStateAsync()).User;
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier);
        var (key, limit) = id is not null
            ? ("user:" + id, options.Value.MaxCircuitsPerUser)
            : ("ip:" + (http.HttpContext?.Connection.RemoteIpAddress?.ToString() ?? "unknown"), options.Value.MaxCircuitsPerIp);
        if (!counter.TryOpen(key, limit))
        {
            log.LogWarning("Circuit refused: {Key} already holds {Limit} open circuits", key, limit);
            throw new InvalidOperationException($"Too many open windows ({limit}). Close some and reload.");
        }
        _key = key;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        if (_key is not null)
        {
            counter.Close(_key);
            _key = null;
        }
        return Task.CompletedTask;
    }
}
