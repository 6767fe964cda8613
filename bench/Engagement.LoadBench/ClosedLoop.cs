using System.Diagnostics;
using System.Globalization;

namespace Engagement.LoadBench;

internal sealed record ClosedLoopResult(
    string Target, string Path, int Concurrency, double WarmupSeconds, double Seconds, long Requests, double RequestsPerSecond,
    long Failures, SortedDictionary<string, long> Outcomes, LatencySummary Latency, long ResponseBytes,
    double ServerCpuSeconds, double BenchCpuSeconds, string LoadAverageBefore, string LoadAverageAfter)
{
    public double ServerCpuMicrosecondsPerRequest => Requests == 0 ? 0 : ServerCpuSeconds * 1e6 / Requests;
}

/// <summary>
/// Closed loop: a fixed number of workers, each sending its next GET as soon as the last response has been read in
/// full. Throughput is the responses completed inside the measured window divided by its length.
/// </summary>
internal static class ClosedLoop
{
    private static readonly TimeSpan Slice = TimeSpan.FromSeconds(5);

    public static async Task<ClosedLoopResult> RunAsync(ChildServer server, string target, string path, LoadOptions options)
    {
        using var client = Clients.Create(server.BaseAddress, options.Concurrency * 2);
        var window = new Window();
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, options.Concurrency)
            .Select(_ => Task.Run(() => WorkAsync(client, path, window, stop.Token)))
            .ToList();

        var warmup = await WarmUpAsync(server, window, options);
        var loadBefore = Machine.LoadAverage();
        var serverCpu = server.CpuTime;
        var benchCpu = Machine.OwnCpu();
        var from = Stopwatch.GetTimestamp();
        window.Open(from, from + Clock.Ticks(options.Duration));
        await Task.Delay(options.Duration);
        var remaining = Clock.Milliseconds(Stopwatch.GetTimestamp(), window.To);
        if (remaining > 0) await Task.Delay(TimeSpan.FromMilliseconds(remaining));
        serverCpu = server.CpuTime - serverCpu;
        benchCpu = Machine.OwnCpu() - benchCpu;
        var loadAfter = Machine.LoadAverage();
        // Responses still in flight at the end were sent inside the window but finish after it: not counted, not waited for.
        await stop.CancelAsync();
        var tallies = await Task.WhenAll(workers);

        var latencies = new List<double>(tallies.Sum(t => t.Latencies.Count));
        var outcomes = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var tally in tallies)
        {
            latencies.AddRange(tally.Latencies);
            foreach (var (outcome, count) in tally.Outcomes) outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + count;
        }
        var requests = latencies.Count;
        var failures = outcomes.Where(o => o.Key != "200").Sum(o => o.Value);
        return new ClosedLoopResult(
            target, path, options.Concurrency, warmup.TotalSeconds, options.Duration.TotalSeconds, requests, requests / options.Duration.TotalSeconds,
            failures, outcomes, LatencySummary.From(latencies), tallies.Max(t => t.ResponseBytes),
            serverCpu.TotalSeconds, benchCpu.TotalSeconds, loadBefore, loadAfter);
    }

    /// <summary>
    /// At the same concurrency as the measurement, for at least --warmup seconds and then until neither throughput nor
    /// the server's CPU time per request still improves by more than 5 % from one 5 s slice to the next, at most
    /// --max-warmup seconds. A fixed few seconds is not enough for the site: on a busy 2-core machine its JIT (tiering up
    /// Razor, MVC and Kestrel code) kept a core busy for 30-40 s and its throughput rose five-fold over that time, while
    /// the hello server settles within seconds. CPU per request is the steadier signal when other work on the machine
    /// comes and goes: JIT work is CPU the server spends without completing requests.
    /// </summary>
    private static async Task<TimeSpan> WarmUpAsync(ChildServer server, Window window, LoadOptions options)
    {
        var started = Stopwatch.GetTimestamp();
        await Task.Delay(options.Warmup);
        (double Rate, double CpuPerRequest)? previous = null;
        while (Stopwatch.GetElapsedTime(started) + Slice <= options.MaxWarmup)
        {
            var completed = window.Completed;
            var cpu = server.CpuTime;
            await Task.Delay(Slice);
            var done = Math.Max(1, window.Completed - completed);
            var slice = (Rate: done / Slice.TotalSeconds, CpuPerRequest: (server.CpuTime - cpu).TotalMilliseconds / done);
            if (previous is { } last && slice.Rate <= last.Rate * 1.05 && slice.CpuPerRequest >= last.CpuPerRequest * 0.95) break;
            previous = slice;
        }
        var elapsed = Stopwatch.GetElapsedTime(started);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  warmed up for {elapsed.TotalSeconds:0} s"));
        return elapsed;
    }

    /// <summary>The measured window, unknown to the workers until the warm-up ends.</summary>
    private sealed class Window
    {
        private long from = long.MaxValue;
        private long to = long.MaxValue;
        private long completed;

        public long From => Volatile.Read(ref from);
        public long To => Volatile.Read(ref to);
        public long Completed => Interlocked.Read(ref completed);

        public void Open(long start, long end)
        {
            Volatile.Write(ref to, end);
            Volatile.Write(ref from, start);
        }

        public void CountCompletion() => Interlocked.Increment(ref completed);
    }

    private sealed class Tally
    {
        public List<double> Latencies { get; } = new(100_000);
        public Dictionary<string, long> Outcomes { get; } = [];
        public long ResponseBytes { get; set; }

        public void Count(string outcome) => Outcomes[outcome] = Outcomes.GetValueOrDefault(outcome) + 1;
    }

    private static async Task<Tally> WorkAsync(HttpClient client, string path, Window window, CancellationToken stop)
    {
        var tally = new Tally();
        var buffer = new byte[64 * 1024];
        while (!stop.IsCancellationRequested)
        {
            var sent = Stopwatch.GetTimestamp();
            string outcome;
            long bytes = 0;
            try
            {
                using var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, stop);
                await using var body = await response.Content.ReadAsStreamAsync(stop);
                int read;
                while ((read = await body.ReadAsync(buffer, stop)) > 0) bytes += read;
                outcome = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                outcome = ex.GetType().Name;
            }
            var done = Stopwatch.GetTimestamp();
            window.CountCompletion();
            if (done >= window.From && done <= window.To)
            {
                tally.Latencies.Add(Clock.Milliseconds(sent, done));
                tally.Count(outcome);
                tally.ResponseBytes = Math.Max(tally.ResponseBytes, bytes);
            }
        }
        return tally;
    }
}
