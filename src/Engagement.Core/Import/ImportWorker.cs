using System.Threading.Channels;
using Engagement.Core.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Engagement.Core.Import;

/// <summary>Import ids waiting for the background worker. The database is the record; this only wakes the worker.</summary>
public sealed class ImportQueue
{
    private readonly Channel<long> channel = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true });

    public void Enqueue(long importId) => channel.Writer.TryWrite(importId);

    public IAsyncEnumerable<long> ReadAllAsync(CancellationToken ct) => channel.Reader.ReadAllAsync(ct);
}

/// <summary>
/// Runs site imports one at a time in the background. At start it picks up imports left queued or running by a
/// previous process (a restart or a crash), and the engine resumes them from the rows already stored.
/// </summary>
public sealed class ImportWorker(ImportQueue queue, ImportStore imports, ImportService importer, ILogger<ImportWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            foreach (var id in await imports.UnfinishedAsync(stoppingToken)) queue.Enqueue(id);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            log.LogWarning(ex, "Could not look for unfinished imports (is the database migrated?).");
        }

        await foreach (var id in queue.ReadAllAsync(stoppingToken))
        {
            try
            {
                log.LogInformation("Import {Id} started.", id);
                await importer.RunStoredAsync(id, stoppingToken);
                log.LogInformation("Import {Id} finished.", id);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // One bad import must not stop the worker for the others; the failure is on the import's page.
                log.LogError(ex, "Import {Id} failed.", id);
                try { await imports.FinishAsync(id, ImportStatuses.Failed, "The import stopped unexpectedly. Start it again to add the remaining rows.", CancellationToken.None); }
                catch (Exception inner) when (inner is System.Data.Common.DbException or InvalidOperationException) { log.LogError(inner, "Could not record the failure of import {Id}.", id); }
            }
        }
    }
}

public static class ImportServiceCollectionExtensions
{
    /// <summary>The site's background import worker (the engine itself is registered by AddEngagementData).</summary>
    public static IServiceCollection AddImportJobs(this IServiceCollection services)
    {
        services.AddSingleton<ImportQueue>();
        services.AddHostedService<ImportWorker>();
        return services;
    }
}
