using Engagement.Classifier;
using Engagement.Core.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Engagement.Core
{
using Engagement.Core.Triage;

public static class TriageServiceCollectionExtensions
{
    /// <summary>
    /// The site's triage services: the classifier becomes the active model version (swappable on promotion),
    /// the retrain job, and a background service that flags safeguarding disclosures in newly stored comments.
    /// Call after AddEngagementData and AddEngagementClassifier.
    /// </summary>
    public static IServiceCollection AddTriage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TriageOptions>().Bind(configuration.GetSection(TriageOptions.Section));
        services.AddOptions<ClassifierOptions>().Bind(configuration.GetSection(ClassifierOptions.Section));
        services.AddSingleton(sp =>
        {
            var versions = sp.GetRequiredService<ModelVersionStore>();
            return new ActiveModelClassifier(sp.GetRequiredService<IOptions<ClassifierOptions>>().Value,
                () => Task.Run(versions.ActiveAsync).GetAwaiter().GetResult()?.FilePath);
        });
        services.Replace(ServiceDescriptor.Singleton<ICommentClassifier>(sp => sp.GetRequiredService<ActiveModelClassifier>()));
        services.AddSingleton<RetrainJob>();
        services.AddHostedService<TriageBackgroundService>();
        return services;
    }
}

}

namespace Engagement.Core.Triage
{
/// <summary>Every few seconds: flag safeguarding disclosures in comments stored since the last pass; keep the served model in step with the database.</summary>
public sealed class TriageBackgroundService(
    TriageStore triage, RetrainJob retrain, IOptions<TriageOptions> options, ILogger<TriageBackgroundService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var syncEvery = TimeSpan.FromSeconds(Math.Max(1, settings.ModelSyncSeconds));
        // Wake often enough for both jobs; the model check is one small query, the scan reads only new comments.
        var interval = TimeSpan.FromSeconds(Math.Max(1, Math.Min(settings.SafeguardingScanSeconds, settings.ModelSyncSeconds)));
        var scanEvery = TimeSpan.FromSeconds(Math.Max(1, settings.SafeguardingScanSeconds));
        var lastScan = DateTime.MinValue;
        var lastSync = DateTime.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (DateTime.UtcNow - lastScan >= scanEvery)
                {
                    lastScan = DateTime.UtcNow;
                    var (scanned, flagged) = await triage.ScanSafeguardingAsync(SafeguardingDetector.Instance, ct: stoppingToken);
                    if (flagged > 0) log.LogWarning("Safeguarding: {Flagged} of {Scanned} new comments flagged for immediate review.", flagged, scanned);
                }
                if (DateTime.UtcNow - lastSync >= syncEvery)
                {
                    lastSync = DateTime.UtcNow;
                    await retrain.SyncActiveAsync();
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // The schema may not exist yet on first start, or the database may be briefly unavailable: try again next pass.
                log.LogDebug(ex, "Triage background pass failed");
            }
            try { await Task.Delay(interval, stoppingToken); }
            catch (OperationCanceledException) { break; }
        }
    }
}
}
