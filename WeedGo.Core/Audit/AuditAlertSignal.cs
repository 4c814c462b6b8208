using System.Threading.Channels;

namespace WeedGo.Core.Audit;

/// <summary>
/// Wakes the alert evaluator as soon as an audit row that some rule could count has committed, so alerts are raised
/// within moments instead of on the next poll. Cheap by design: the writers (the audit interceptor after a commit,
/// <see cref="AuditLog.RecordAsync"/>) ask <see cref="Matters"/> against the event types and severities the enabled rules
/// watch (refreshed by the evaluator on every run); rows no rule counts (stock adjustments, price changes…) wake nobody.
/// Until the evaluator has run once, everything matters.
/// </summary>
public sealed class AuditAlertSignal
{
    private readonly Channel<bool> _pokes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true,
    });

    private volatile Watched? _watched;

    private sealed record Watched(IReadOnlySet<string> Types, AuditSeverity? MinSeverity, bool Everything);

    /// <summary>Could a rule count this event?</summary>
    public bool Matters(string eventType, AuditSeverity severity)
    {
        var w = _watched;
        return w is null || w.Everything || w.Types.Contains(eventType) || (w.MinSeverity is { } min && severity >= min);
    }

    /// <summary>Set by the evaluator from the enabled rules of every tenant.</summary>
    public void Watch(IEnumerable<AuditAlertRule> enabledRules)
    {
        var types = new HashSet<string>(StringComparer.Ordinal);
        AuditSeverity? min = null;
        var everything = false;
        foreach (var r in enabledRules)
        {
            if (r.EventTypes.Count == 0)
            {
                if (r.MinSeverity is { } s)
                {
                    min = min is null || s < min ? s : min;
                }
                else
                {
                    everything = true;
                }
            }
            else
            {
                types.UnionWith(r.EventTypes);
            }
        }
        _watched = new Watched(types, min, everything);
    }

    /// <summary>An event some rule may count has committed: evaluate soon.</summary>
    public void Written(string eventType, AuditSeverity severity)
    {
        if (Matters(eventType, severity))
        {
            Poke();
        }
    }

    /// <summary>Evaluate soon, whatever was written (a rule was edited).</summary>
    public void Poke() => _pokes.Writer.TryWrite(true);

    /// <summary>Waits for a poke or the timeout; true when poked.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            await _pokes.Reader.ReadAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }
}
