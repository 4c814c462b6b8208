using Microsoft.Extensions.Options;
using WeedGo.Core.Deliveries;

namespace WeedGo.Web.Live;

/// <summary>Every <see cref="ClosingAlertOptions.ClosingCheckEvery"/> (default 1 minute): deliveries still out at a closed
/// store raise their once-a-day audit event and live banner (<see cref="ClosingAlertSweeper"/>).</summary>
public sealed class ClosingAlertService(ClosingAlertSweeper sweeper, IOptions<ClosingAlertOptions> options, TimeProvider clock,
    ILogger<ClosingAlertService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            using var timer = new PeriodicTimer(options.Value.ClosingCheckEvery, clock);
            do
            {
                try
                {
                    await sweeper.RunAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "The closing-time delivery check failed; it will try again");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
        }
    }
}
