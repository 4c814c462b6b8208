using Microsoft.Extensions.Options;
using WeedGo.Core.Audit;

namespace WeedGo.Web.Live;

/// <summary>
/// Runs the <see cref="AuditAlertEvaluator"/>: once at start (catching up on whatever was written while the app was down),
/// at once whenever a watched audit event commits (<see cref="AuditAlertSignal"/>), and every
/// <see cref="AuditOptions.AlertPollEvery"/> otherwise (events written by another instance, rows no rule watched).
/// </summary>
public sealed class AuditAlertWorker(
    AuditAlertEvaluator evaluator, AuditAlertSignal signal, IOptions<AuditOptions> options, ILogger<AuditAlertWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await evaluator.RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Audit alert evaluation failed; it will try again");
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
            try
            {
                await signal.WaitAsync(options.Value.AlertPollEvery, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}

/// <summary>Runs the <see cref="AuditAggregator"/> 5 s after start (catch-up) and then every <see cref="AuditOptions.AggregateEvery"/>.</summary>
public sealed class AuditAggregationWorker(
    AuditAggregator aggregator, IOptions<AuditOptions> options, TimeProvider clock, ILogger<AuditAggregationWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(5), clock, stoppingToken);
            using var timer = new PeriodicTimer(options.Value.AggregateEvery, clock);
            do
            {
                try
                {
                    var run = await aggregator.RunOnceAsync(stoppingToken);
                    if (run.RowsRead > 0)
                    {
                        logger.LogDebug("Audit aggregates: {Rows} new rows in {Chains} chain(s), {Hours} hour and {Days} day buckets recomputed",
                            run.RowsRead, run.ChainsUpdated, run.HourBuckets, run.DayBuckets);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Audit aggregation failed; it will try again");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
        }
    }
}

/// <summary>
/// Seals newly committed audit rows into their chains every <see cref="AuditOptions.SealEvery"/> (default 1 s), in batches,
/// so writers never wait for a chain's lock (<see cref="AuditSealer"/>). Several instances may run it at once: the database
/// serialises them per chain.
/// </summary>
public sealed class AuditSealingWorker(
    AuditSealer sealer, IOptions<AuditOptions> options, TimeProvider clock, ILogger<AuditSealingWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Yield();
            using var timer = new PeriodicTimer(options.Value.SealEvery, clock);
            do
            {
                try
                {
                    await sealer.SealAsync(ct: stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Sealing audit rows failed; it will try again");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
        }
    }
}

/// <summary>Writes the errors the app logs as <c>system.error</c> audit events as they come (<see cref="SystemErrorRecorder"/>).</summary>
public sealed class SystemErrorWorker(SystemErrorRecorder recorder, ILogger<SystemErrorWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await recorder.RunAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Its own category is not watched, so this cannot feed itself.
                logger.LogWarning(e, "Recording a system error in the audit log failed; it will go on with the next one");
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
