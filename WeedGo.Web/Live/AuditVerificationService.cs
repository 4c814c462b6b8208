using System.Text.Json;
using Microsoft.Extensions.Options;
using WeedGo.Core.Audit;

namespace WeedGo.Web.Live;

/// <summary>
/// Every <see cref="AuditOptions.VerifyEvery"/> (default 1 hour; first run 30 s after start): walks every audit chain with
/// <see cref="AuditVerifier"/>, logs each chain's head (sequence and hash) and appends it to
/// <c>{WeedGo:Audit:HeadExportFolder}/audit-heads.jsonl</c> when a folder is configured. Kept outside the database, those
/// heads are what show a rewrite by someone who can also disable the triggers: a head exported earlier must still be in the
/// chain with the same hash (checked here against the previous run's heads). A broken chain is logged as critical.
/// </summary>
public sealed class AuditVerificationService(
    IServiceScopeFactory scopes, IOptions<AuditOptions> options, TimeProvider clock, ILogger<AuditVerificationService> logger) : BackgroundService
{
    private readonly Dictionary<Guid, (long Sequence, string Hash)> _exported = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(30), clock, stoppingToken);
            using var timer = new PeriodicTimer(options.Value.VerifyEvery, clock);
            do
            {
                try
                {
                    await RunOnceAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Audit chain verification failed to run; it will try again");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>One verification and export of every chain.</summary>
    public async Task<IReadOnlyList<ChainStatus>> RunOnceAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var verifier = scope.ServiceProvider.GetRequiredService<AuditVerifier>();
        var chains = await verifier.VerifyAllAsync(ct);
        scope.ServiceProvider.GetService<AuditChainBoard>()?.Update(chains);
        var lines = new List<string>();
        foreach (var c in chains)
        {
            var key = c.TenantId ?? Guid.Empty;
            if (!c.Intact)
            {
                logger.LogCritical("Audit chain {Chain} is broken at row #{Sequence}: {Problem}", Name(c), c.FirstBadSequence, c.Problem);
                await ThreatAsync(scope.ServiceProvider, c, new { check = "chain", c.FirstBadSequence, c.Problem }, ct);
            }
            else if (_exported.TryGetValue(key, out var before) && (c.HeadSequence < before.Sequence
                || c.HeadSequence == before.Sequence && c.HeadHash != before.Hash))
            {
                logger.LogCritical("Audit chain {Chain} no longer holds the head exported earlier (#{Sequence} {Hash}): history was rewritten",
                    Name(c), before.Sequence, before.Hash);
                await ThreatAsync(scope.ServiceProvider, c, new
                {
                    check = "exported_head", exportedSequence = before.Sequence, exportedHash = before.Hash,
                    c.HeadSequence, c.HeadHash, problem = "The chain no longer holds a head exported earlier: history was rewritten.",
                }, ct);
            }
            else
            {
                logger.LogInformation("Audit chain {Chain} intact: head #{Sequence} {Hash}", Name(c), c.HeadSequence, c.HeadHash);
            }
            if (c is { Intact: true, HeadSequence: { } seq, HeadHash: { } hash })
            {
                _exported[key] = (seq, hash);
            }
            lines.Add(JsonSerializer.Serialize(new
            {
                at = c.CheckedAt, chain = Name(c), head_sequence = c.HeadSequence, head_hash = c.HeadHash, intact = c.Intact,
                first_bad_sequence = c.FirstBadSequence, problem = c.Problem,
            }));
        }
        if (options.Value.HeadExportFolder is { Length: > 0 } folder && lines.Count > 0)
        {
            Directory.CreateDirectory(folder);
            await File.AppendAllLinesAsync(Path.Combine(folder, "audit-heads.jsonl"), lines, ct);
        }
        return chains;
    }

    /// <summary>A tampered chain is a security threat (severity Critical): recorded on that chain, so the tenant's (or the
    /// platform's) "Security threat" rule raises an alert at once.</summary>
    private async Task ThreatAsync(IServiceProvider services, ChainStatus c, object details, CancellationToken ct)
    {
        try
        {
            var pool = services.GetRequiredService<Microsoft.EntityFrameworkCore.Infrastructure.PooledDbContextFactory<WeedGo.Core.Data.WeedGoDbContext>>();
            var log = AuditLog.ForSystem(pool, clock, options, services.GetService<AuditAlertSignal>());
            await log.RecordAsync(AuditEvents.SecurityThreat, AuditSeverity.Critical, details, tenantId: c.TenantId,
                platform: c.TenantId is null, ct: ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "The security threat on chain {Chain} could not be recorded in the audit log", Name(c));
        }
    }

    private static string Name(ChainStatus c) => c.TenantId?.ToString() ?? "platform";
}
