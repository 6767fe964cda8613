using Engagement.Core.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Engagement.Core.Privacy;

/// <summary>
/// Once a day (Privacy:PurgeInterval) anonymises responses to consultations closed longer ago than their retention
/// period. Off with Privacy:PurgeInBackground=false, e.g. when `engage privacy purge` runs from a scheduler instead.
/// A pass holds the database lease retention-purge, so of several instances of the site only one purges at a time.
/// </summary>
public sealed class RetentionPurgeService(
    PrivacyStore privacy, JobLeases leases, IOptions<PrivacyOptions> options, TimeProvider clock, ILogger<RetentionPurgeService> log)
    : BackgroundService
{
    public const string LeaseName = "retention-purge";

    /// <summary>
    /// One pass at the clock's current time, or null when another instance is purging now. Public so tests drive it
    /// with a clock they control.
    /// </summary>
    public async Task<PurgeResult?> PurgeOnceAsync(CancellationToken ct = default)
    {
        await using var lease = await leases.TryHoldAsync(LeaseName, ct);
        if (lease is null)
        {
            log.LogInformation("Retention purge skipped: another instance is running it.");
            return null;
        }
        var result = await privacy.PurgeAsync(options.Value.DefaultRetentionMonths, clock.GetUtcNow().UtcDateTime, dryRun: false, "Retention purge (site)", ct);
        if (result.Submissions > 0)
            log.LogInformation("Retention purge anonymised {Submissions} responses in {Consultations} consultations.", result.Submissions, result.Consultations.Count);
        return result;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.PurgeInBackground) return;
        try
        {
            await Task.Delay(settings.PurgeStartDelay, clock, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                try { await PurgeOnceAsync(stoppingToken); }
                catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
                {
                    // A locked or unreachable database must not stop the site; the next pass tries again.
                    log.LogError(ex, "Retention purge failed; it will try again in {Interval}.", settings.PurgeInterval);
                }
                await Task.Delay(settings.PurgeInterval, clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }
}

public static class PrivacyServiceCollectionExtensions
{
    /// <summary>The site's daily retention purge (the store and options are registered by AddEngagementData).</summary>
    public static IServiceCollection AddRetentionPurge(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RetentionPurgeService>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionPurgeService>());
        return services;
    }
}
