using System.Collections.Concurrent;
using Engagement.Core.Data;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Engagement.Core.Emerging;

/// <summary>Clusters unfitted comments. Behind an interface so tests can hold a computation and see who started it.</summary>
public interface IEmergingThemeFinder
{
    Task<EmergingResult> FindAsync(IReadOnlyList<UnfittedComment> comments, EmergingThemeOptions options, CancellationToken ct);
}

/// <summary>The ML.NET clustering (<see cref="EmergingThemeFinder"/>) on a thread of its own: it can run for a minute.</summary>
public sealed class MlEmergingThemeFinder : IEmergingThemeFinder
{
    public Task<EmergingResult> FindAsync(IReadOnlyList<UnfittedComment> comments, EmergingThemeOptions options, CancellationToken ct) =>
        Task.Factory.StartNew(() => EmergingThemeFinder.Find(comments, options), ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}

/// <summary>What the page can show now.</summary>
/// <param name="Shown">The result to show: current, or older while a newer one is worked out; null when there is none yet.</param>
/// <param name="Current">Shown was computed from the comments that are unfitted now.</param>
/// <param name="Failure">The last attempt on the comments unfitted now threw (another has been started).</param>
/// <param name="Comments">How many comments are unfitted now.</param>
public sealed record EmergingStatus(EmergingSnapshot? Shown, bool Current, EmergingFailure? Failure, int Comments)
{
    /// <summary>How long clustering this many comments usually takes (benchmark, docs/campaigns.md: 5 s for 2,000, 37 s for 20,000).</summary>
    public TimeSpan Estimate => TimeSpan.FromSeconds(2 + Comments * 0.0018);
}

/// <summary>
/// Clusters a consultation's unfitted comments in the background, never in a page request. A computation holds the
/// database lease emerging-themes:{consultation id}, so of several instances of the site only one computes a given
/// consultation; the result goes to emerging_theme_results, where every instance reads it. If the computation throws,
/// the failure is logged and stored, and the next view starts another. If the instance dies, its lease expires
/// (Jobs:LeaseSeconds) and the next view on any instance starts again.
/// </summary>
public sealed class EmergingThemeJob(
    EmergingThemeStore store, IEmergingThemeFinder finder, JobLeases leases, TimeProvider clock, ILogger<EmergingThemeJob> log) : IDisposable
{
    public static string LeaseName(long consultationId) => $"emerging-themes:{consultationId}";

    private readonly ConcurrentDictionary<long, Task> running = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly SemaphoreSlim starting = new(1, 1);

    private EmergingThemeOptions Options => store.Options;

    /// <summary>
    /// The result for the page, starting (or joining) a computation when there is no current one. Returns at once:
    /// one query for the stored row and, if needed, one for the lease.
    /// </summary>
    public async Task<EmergingStatus> StatusAsync(long consultationId, IReadOnlyList<UnfittedComment> unfitted, CancellationToken ct = default)
    {
        if (unfitted.Count < Math.Max(Options.MinComments, Options.MinClusters * 2))
        {
            // Too few to cluster: nothing to compute, so nothing to wait for.
            return new EmergingStatus(new EmergingSnapshot(EmergingThemeStore.Fingerprint(unfitted), clock.GetUtcNow().UtcDateTime,
                new EmergingResult([], 0, 0, [], unfitted.Count)), true, null, unfitted.Count);
        }
        var fingerprint = EmergingThemeStore.Fingerprint(unfitted);
        var stored = await store.FindStoredAsync(consultationId, ct);
        if (stored.Latest?.Fingerprint == fingerprint) return new EmergingStatus(stored.Latest, true, null, unfitted.Count);
        await TryStartAsync(consultationId, ct);
        return new EmergingStatus(stored.Latest, false, stored.Failure?.Fingerprint == fingerprint ? stored.Failure : null, unfitted.Count);
    }

    /// <summary>
    /// Starts a computation here unless one is running here already or another instance holds the lease. True if
    /// this call started one.
    /// </summary>
    public async Task<bool> TryStartAsync(long consultationId, CancellationToken ct = default)
    {
        await starting.WaitAsync(ct);
        try
        {
            if (running.TryGetValue(consultationId, out var here) && !here.IsCompleted) return false;
            var lease = await leases.TryHoldAsync(LeaseName(consultationId), ct);
            if (lease is null) return false;
            running[consultationId] = Task.Run(async () =>
            {
                await using (lease) await RunAsync(consultationId, lease.Lost);
            }, CancellationToken.None);
            return true;
        }
        finally
        {
            starting.Release();
        }
    }

    /// <summary>Waits for this instance's computation for the consultation, if any (tests and the command line).</summary>
    public Task WhenIdleAsync(long consultationId) =>
        running.TryGetValue(consultationId, out var task) ? task.ContinueWith(_ => { }, TaskScheduler.Default) : Task.CompletedTask;

    private async Task RunAsync(long consultationId, CancellationToken lost)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(lost, stopping.Token);
        var fingerprint = "";
        try
        {
            // Read again now the lease is ours: the set may have changed since the page looked, and another instance
            // may have stored this very result between our look and our lease.
            var comments = await store.UnfittedAsync(consultationId, cancel.Token);
            fingerprint = EmergingThemeStore.Fingerprint(comments);
            if ((await store.FindStoredAsync(consultationId, cancel.Token)).Latest?.Fingerprint == fingerprint) return;

            var started = clock.GetTimestamp();
            var result = await finder.FindAsync(comments, Options, cancel.Token);
            // A holder that lost its lease leaves the result to whoever took the job over.
            cancel.Token.ThrowIfCancellationRequested();
            await store.SaveResultAsync(consultationId, fingerprint, clock.GetUtcNow().UtcDateTime, result, cancel.Token);
            log.LogInformation("Emerging themes for consultation {ConsultationId}: {Clusters} clusters from {Comments} comments in {Seconds:0.0} s.",
                consultationId, result.Clusters.Count, comments.Count, clock.GetElapsedTime(started).TotalSeconds);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            log.LogWarning("Emerging themes for consultation {ConsultationId} stopped (lease lost or site stopping).", consultationId);
        }
        catch (Exception ex)
        {
            log.LogError(ex, "Emerging themes for consultation {ConsultationId} could not be worked out.", consultationId);
            try
            {
                await store.SaveFailureAsync(consultationId, fingerprint, clock.GetUtcNow().UtcDateTime, $"{ex.GetType().Name}: {ex.Message}");
            }
            catch (Exception saveError) when (saveError is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
            {
                // The page then just keeps saying it is working; the next view after the lease is released tries again.
                log.LogError(saveError, "Could not record the emerging themes failure for consultation {ConsultationId}.", consultationId);
            }
        }
    }

    /// <summary>A computation still running when the site stops does not store its result; its lease is released.</summary>
    public void Dispose() => stopping.Cancel();
}
