using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
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
    private readonly ConcurrentDictionary<long, byte> waiting = new();

    /// <summary>Queues the import unless it is already waiting (the periodic rescan finds the same ids again and again).</summary>
    public void Enqueue(long importId)
    {
        if (waiting.TryAdd(importId, 0)) channel.Writer.TryWrite(importId);
    }

    public async IAsyncEnumerable<long> ReadAllAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var id in channel.Reader.ReadAllAsync(ct))
        {
            waiting.TryRemove(id, out _);
            yield return id;
        }
    }
}

/// <summary>
/// Runs site imports one at a time in the background. Each import runs under the database lease import:{id}, so of
/// several instances of the site only one runs a given import; the others skip it. Every lease period the worker looks
/// again for imports left queued or running (by a restart, a crash, or another instance that died), and takes over any
/// whose lease has expired; the engine resumes them from the rows already stored.
/// </summary>
public sealed class ImportWorker(ImportQueue queue, ImportStore imports, ImportService importer, JobLeases leases, ILogger<ImportWorker> log) : BackgroundService
{
    public static string LeaseName(long importId) => $"import:{importId}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var rescans = RescanAsync(stoppingToken);
        try
        {
            await foreach (var id in queue.ReadAllAsync(stoppingToken))
                await RunOneAsync(id, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        await rescans;
    }

    /// <summary>Runs one import if this instance can take its lease. False when another instance is running it.</summary>
    public async Task<bool> RunOneAsync(long id, CancellationToken stoppingToken)
    {
        await using var lease = await leases.TryHoldAsync(LeaseName(id), stoppingToken);
        if (lease is null)
        {
            log.LogInformation("Import {Id} is running on another instance; skipped here.", id);
            return false;
        }
        using var either = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lease.Lost);
        try
        {
            log.LogInformation("Import {Id} started.", id);
            await importer.RunStoredAsync(id, either.Token);
            log.LogInformation("Import {Id} finished.", id);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException) when (lease.Lost.IsCancellationRequested)
        {
            // Left 'running': the instance that took the lease resumes it from the rows already stored.
            log.LogWarning("Import {Id} stopped here because another instance took it over.", id);
        }
        catch (Exception ex)
        {
            // One bad import must not stop the worker for the others; the failure is on the import's page.
            log.LogError(ex, "Import {Id} failed.", id);
            try { await imports.FinishAsync(id, ImportStatuses.Failed, "The import stopped unexpectedly. Start it again to add the remaining rows.", CancellationToken.None); }
            catch (Exception inner) when (inner is System.Data.Common.DbException or InvalidOperationException) { log.LogError(inner, "Could not record the failure of import {Id}.", id); }
        }
        return true;
    }

    private async Task RescanAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    foreach (var id in await imports.UnfinishedAsync(stoppingToken)) queue.Enqueue(id);
                }
                catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
                {
                    log.LogWarning(ex, "Could not look for unfinished imports (is the database migrated?).");
                }
                await Task.Delay(leases.LeaseTime, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
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
