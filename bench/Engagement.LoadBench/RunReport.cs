using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Engagement.LoadBench;

internal sealed record TargetCheck(string Name, string Measured, bool Met);

/// <summary>What one run measured: printed as a table and written as markdown (for docs) and JSON (for comparison).</summary>
internal sealed class RunReport(LoadOptions options)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    private readonly List<TargetCheck> targets = [];
    private readonly DateTime startedUtc = DateTime.UtcNow;
    private readonly string loadAtStart = Machine.LoadAverage();
    private DateTime finishedUtc;
    private string loadAtEnd = "";

    private readonly List<string> notes = [];

    public List<ClosedLoopResult> ClosedLoops { get; } = [];
    public SubmitResult? Submit { get; set; }
    public bool AllTargetsMet => targets.Count > 0 && targets.All(t => t.Met);

    public void Target(string name, string measured, bool met) => targets.Add(new TargetCheck(name, measured, met));

    /// <summary>A figure that explains the targets without being one.</summary>
    public void Note(string text) => notes.Add(text);

    public void Finish()
    {
        finishedUtc = DateTime.UtcNow;
        loadAtEnd = Machine.LoadAverage();
    }

    private string Environment => string.Create(CultureInfo.InvariantCulture,
        $"{startedUtc:yyyy-MM-dd HH:mm}-{finishedUtc:HH:mm} UTC, {System.Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription.Trim()}, " +
        $".NET {System.Environment.Version}; load average (1/5/15 min) {loadAtStart} at start, {loadAtEnd} at end");

    public string ToTable()
    {
        var width = Math.Max(6, targets.Count == 0 ? 0 : targets.Max(t => t.Name.Length));
        var text = new StringBuilder();
        text.AppendLine(Environment);
        text.AppendLine($"{"target".PadRight(width)}  met  measured");
        foreach (var t in targets) text.AppendLine($"{t.Name.PadRight(width)}  {(t.Met ? "yes" : "NO "),-3}  {t.Measured}");
        foreach (var note in notes) text.AppendLine("note: " + note);
        return text.ToString();
    }

    public (string Markdown, string Json) Write()
    {
        Directory.CreateDirectory(options.OutDirectory);
        var stem = Path.Combine(options.OutDirectory, $"load-{options.Command}-{startedUtc:yyyyMMdd-HHmmss}");
        File.WriteAllText(stem + ".md", ToMarkdown());
        File.WriteAllText(stem + ".json", JsonSerializer.Serialize(new
        {
            options, startedUtc, finishedUtc, cores = System.Environment.ProcessorCount, loadAtStart, loadAtEnd,
            targets, notes, closedLoops = ClosedLoops, submit = Submit,
        }, Json));
        return (stem + ".md", stem + ".json");
    }

    private string ToMarkdown()
    {
        var inv = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine($"# Load benchmark: {options.Command}").AppendLine();
        md.AppendLine(Environment + ".").AppendLine();
        md.AppendLine("| target | met | measured |").AppendLine("|---|---|---|");
        foreach (var t in targets) md.AppendLine($"| {t.Name} | {(t.Met ? "yes" : "**no**")} | {t.Measured} |");
        if (notes.Count > 0) md.AppendLine().AppendLine(string.Join("\n", notes.Select(n => "- " + n)));

        if (ClosedLoops.Count > 0)
        {
            md.AppendLine().AppendLine($"## Closed loop, {options.Concurrency} workers, {options.Seconds} s each after warm-up").AppendLine();
            md.AppendLine("| endpoint | warm-up s | req/s | p50 ms | p90 ms | p99 ms | max ms | bytes | server CPU µs/req | server cores | bench cores | load avg before → after |");
            md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
            foreach (var r in ClosedLoops)
                md.AppendLine(string.Create(inv,
                    $"| {r.Target} `{r.Path}` | {r.WarmupSeconds:0} | {r.RequestsPerSecond:N0} | {r.Latency.P50:0.0} | {r.Latency.P90:0.0} | {r.Latency.P99:0.0} | {r.Latency.Max:0.0} | {r.ResponseBytes:N0} | " +
                    $"{r.ServerCpuMicrosecondsPerRequest:N0} | {r.ServerCpuSeconds / r.Seconds:0.00} | {r.BenchCpuSeconds / r.Seconds:0.00} | {r.LoadAverageBefore} → {r.LoadAverageAfter} |"));
        }

        if (Submit is { } s)
        {
            md.AppendLine().AppendLine(string.Create(inv, $"## Submissions, open loop at {s.Rate:0.#}/s for {s.Seconds:0} s ({s.Scheduled:N0} scheduled)")).AppendLine();
            md.AppendLine("| latency | p50 ms | p90 ms | p99 ms | max ms |").AppendLine("|---|---|---|---|---|");
            foreach (var (name, l) in new[] { ("GET + POST, from due time (target)", s.Pair), ("POST alone", s.Post), ("GET, from due time", s.Get) })
                md.AppendLine(string.Create(inv, $"| {name} | {l.P50:0.0} | {l.P90:0.0} | {l.P99:0.0} | {l.Max:0.0} |"));
            md.AppendLine().AppendLine(string.Create(inv,
                $"Outcomes: {string.Join(", ", s.Outcomes.Select(o => $"{o.Key} {o.Value:N0}"))}. Rows stored {s.Stored:N0}, confirmed {s.Confirmed:N0}, " +
                $"confirmed references missing {s.MissingReferences}. Latest send {s.MaxSendLagMs:0.0} ms after its due time. " +
                $"Server CPU {s.ServerCpuSeconds / s.Seconds:0.00} cores, bench {s.BenchCpuSeconds / s.Seconds:0.00} cores; load average {s.LoadAverageBefore} → {s.LoadAverageAfter}."));
        }
        return md.ToString();
    }
}
