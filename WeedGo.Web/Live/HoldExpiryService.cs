using WeedGo.Core.Ordering;

namespace WeedGo.Web.Live;

/// <summary>Every 30 seconds, puts the stock of checkouts whose 15-minute hold ran out back on the shelf.</summary>
public sealed class HoldExpiryService(HoldSweeper sweeper, ILogger<HoldExpiryService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                var released = await sweeper.ReleaseExpiredAsync(ct: stoppingToken);
                if (released > 0)
                {
                    logger.LogInformation("Released {Count} expired checkout hold(s)", released);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "The hold-expiry sweep failed; it will try again");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
