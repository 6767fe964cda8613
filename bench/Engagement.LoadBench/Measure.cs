using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Engagement.LoadBench;

internal sealed record LatencySummary(int Count, double Mean, double P50, double P90, double P99, double Max)
{
    /// <summary>Nearest-rank percentiles, in milliseconds.</summary>
    public static LatencySummary From(List<double> milliseconds)
    {
        if (milliseconds.Count == 0) return new LatencySummary(0, 0, 0, 0, 0, 0);
        milliseconds.Sort();
        double At(double p) => milliseconds[Math.Clamp((int)Math.Ceiling(p * milliseconds.Count) - 1, 0, milliseconds.Count - 1)];
        return new LatencySummary(milliseconds.Count, milliseconds.Average(), At(0.50), At(0.90), At(0.99), milliseconds[^1]);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"p50 {P50:0.0} ms, p90 {P90:0.0} ms, p99 {P99:0.0} ms, max {Max:0.0} ms");
}

internal static class Clock
{
    public static double Milliseconds(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;
    public static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}

internal static class Machine
{
    /// <summary>1-, 5- and 15-minute load averages; other agents share this machine, so every figure carries them.</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
        catch (UnauthorizedAccessException)
        {
            return "n/a";
        }
    }

    public static TimeSpan OwnCpu() => Process.GetCurrentProcess().TotalProcessorTime;
}

internal static class Clients
{
    /// <summary>
    /// One pooled HTTP/1.1 handler for the whole run. No cookies kept (each request says what it carries) and no
    /// redirects followed (a 302 to the confirmation page is the success signal). The connection limit is above the
    /// offered load, so the client never queues requests the server could have taken.
    /// </summary>
    public static HttpClient Create(Uri baseAddress, int maxConnections) =>
        new(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
            DefaultRequestVersion = HttpVersion.Version11,
        };
}
