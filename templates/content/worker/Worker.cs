namespace DockyardWorker;

/// <summary>The service's loop: one log line per period (WORKER_INTERVAL_SECONDS, default 5).</summary>
public sealed class Worker(ILogger<Worker> logger, IConfiguration configuration) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(configuration.GetValue("WORKER_INTERVAL_SECONDS", 5));
        logger.LogInformation("DockyardWorker started");
        while (!stoppingToken.IsCancellationRequested)
        {
            logger.LogInformation("DockyardWorker running at: {Time:O}", DateTimeOffset.UtcNow);
            await Task.Delay(interval, stoppingToken);
        }
    }
}
