using System.Collections.Concurrent;
using System.Net;
using Dapper;

namespace Engagement.Web.Tests;

/// <summary>Real processes, killed with SIGKILL: what a resident was told was saved must still be there after a crash.</summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "engagement-crash-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Every_reference_a_client_received_is_stored_after_kill_9_under_load()
    {
        var received = new ConcurrentBag<string>();
        var failures = 0;
        await using (var web = await WebProcess.StartAsync(dataDirectory))
        {
            await EngagementWebFactory.EnsureConsultationAsync(web.Database);
            using var stop = new CancellationTokenSource();
            var clients = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
            {
                using var client = web.CreateClient();
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        var reference = await EngagementWebFactory.SubmitResponseAsync(client, $"Client {i} says the bus to the hospital is too infrequent.");
                        if (reference is not null) received.Add(reference);
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                    {
                        Interlocked.Increment(ref failures);
                        if (web.HasExited) return;
                    }
                }
            })).ToList();

            // Kill while submissions are in flight, once enough have been confirmed to make the check meaningful.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (received.Count < 40 && DateTime.UtcNow < deadline) await Task.Delay(50);
            Assert.True(received.Count >= 40, $"Only {received.Count} submissions were confirmed before the kill:\n{web.Output}");
            await web.KillAsync();
            await stop.CancelAsync();
            await Task.WhenAll(clients);
        }

        await using var restarted = await WebProcess.StartAsync(dataDirectory);
        await using var connection = await restarted.Database.OpenAsync();
        Assert.Equal("ok", await connection.ExecuteScalarAsync<string>("PRAGMA integrity_check"));
        var stored = (await connection.QueryAsync<string>("SELECT reference FROM submissions")).ToHashSet();
        var missing = received.Where(r => !stored.Contains(r)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {received.Count} confirmed references are missing after the restart: {string.Join(", ", missing.Take(10))}");

        // Every stored response is whole: none has lost its comments to the crash.
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM submissions s WHERE NOT EXISTS (SELECT 1 FROM comments c WHERE c.submission_id = s.id)"));

        using var client = restarted.CreateClient();
        Assert.NotNull(await EngagementWebFactory.SubmitResponseAsync(client, "After the restart the form still takes responses."));
    }

    public void Dispose()
    {
        try { Directory.Delete(dataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
