using System.Diagnostics;
using System.Globalization;
using Engagement.Core.Data;
using Engagement.Core.Reports;
using Microsoft.Extensions.DependencyInjection;

/// <summary>
/// The report point page's work (/staff/consultations/{slug}/report/points/{key}) without the web layer: find the
/// consultation, get the point, its siblings and comments, and its history, as PointModel.LoadAsync does.
///   old: the whole report (ReportService.BuildAsync without classifying), as the page did before, then pick the point out.
///   new: ReportService.BuildPointAsync, which reads only what can reach the point's group and clusters and redacts only it.
/// Both are timed warm on the same keys in one process; every new result is checked against the full report.
/// </summary>
internal static class PointBench
{
    public static async Task<int> RunAsync(IServiceProvider services, int keyCount, int oldRuns, bool phases)
    {
        var consultations = services.GetRequiredService<ConsultationStore>();
        var reports = services.GetRequiredService<ReportService>();
        var store = services.GetRequiredService<ReportStore>();
        var process = Process.GetCurrentProcess();
        var inv = CultureInfo.InvariantCulture;

        // Setup, not timed: as after someone opened the report (campaigns looked for), and the keys to visit.
        var setup = Stopwatch.StartNew();
        var report = await reports.BuildAsync("bench", classifyFirst: true) ?? throw new InvalidOperationException("run make-db first");
        Console.WriteLine($"setup: full report {report.Method.Comments:N0} comments, {report.AllPoints.Count:N0} points in {setup.Elapsed.TotalSeconds:0.0} s " +
                          $"(includes campaign detection the first time)");
        var keys = PickKeys(report, keyCount);
        Console.WriteLine($"keys: {keys.Count} ({string.Join(", ", keys.Take(8))}{(keys.Count > 8 ? ", ..." : "")})");

        async Task<(int Comments, int Siblings)> OldAsync(string key)
        {
            var consultation = (await consultations.FindBySlugAsync("bench"))!;
            var full = await reports.BuildAsync(consultation, classifyFirst: false);
            var row = ReportAuthoring.Find(full, key);
            _ = await store.PointHistoryAsync(consultation.Id, key);
            if (row is null) return (0, 0);
            var ids = row.Point.CommentIds.ToHashSet();
            return (full.Comments.Count(c => ids.Contains(c.CommentId)), ReportAuthoring.VisibleSiblings(full, row).Count);
        }

        async Task<(ReportPointView View, PointRow? Row)> NewAsync(string key)
        {
            var consultation = (await consultations.FindBySlugAsync("bench"))!;
            var view = await reports.BuildPointAsync(consultation, key);
            var row = ReportAuthoring.Find(view, key);
            _ = await store.PointHistoryAsync(consultation.Id, key);
            if (row is not null) _ = ReportAuthoring.VisibleSiblings(view, row);
            return (view, row);
        }

        // New path: the first call (its own code not yet compiled), then every key warm. The first M keys are also
        // timed the old way, alternating with the new so both meet the same machine load.
        var first = await TimeAsync(process, () => NewAsync(keys[0]));
        Console.WriteLine($"new, first call: {first.Wall.TotalMilliseconds:0} ms wall, {first.Cpu.TotalMilliseconds:0} ms CPU");
        var newTimes = new List<(TimeSpan Wall, TimeSpan Cpu)>();
        var oldTimes = new List<(TimeSpan Wall, TimeSpan Cpu)>();
        var mismatches = 0;
        for (var k = 0; k < keys.Count; k++)
        {
            var key = keys[k];
            if (k < oldRuns) oldTimes.Add(await TimeAsync(process, () => OldAsync(key)));
            (ReportPointView View, PointRow? Row) result = default;
            var t = await TimeAsync(process, async () => result = await NewAsync(key));
            newTimes.Add(t);
            var problem = Compare(report, key, result.View!, result.Row);
            if (problem is null) continue;
            mismatches++;
            Console.WriteLine($"  MISMATCH {key}: {problem}");
        }
        if (oldTimes.Count > 0)
        {
            Summary("old (full report)", oldTimes);
            Summary("new, same keys", newTimes.Take(oldTimes.Count).ToList());
        }
        Summary("new (BuildPointAsync)", newTimes);
        Console.WriteLine($"  checked against the full report: {keys.Count - mismatches} of {keys.Count} identical");

        if (phases)
        {
            // For a few keys: the whole call, and its group's read alone (fastest of 5, as the machine may be shared).
            var consultation = (await consultations.FindBySlugAsync("bench"))!;
            async Task<(T Result, double Ms)> Fastest<T>(Func<Task<T>> phase)
            {
                T result = default!;
                var best = double.MaxValue;
                for (var i = 0; i < 5; i++)
                {
                    var w = Stopwatch.StartNew();
                    result = await phase();
                    best = Math.Min(best, w.Elapsed.TotalMilliseconds);
                }
                return (result, best);
            }
            foreach (var key in keys.Take(4))
            {
                var (view, callMs) = await Fastest(() => reports.BuildPointAsync(consultation, key));
                if (view.Group is not { } g) continue;
                var (rows, readMs) = await Fastest(() => store.GroupCommentsAsync(consultation.Id, g.OutcomeId, g.Partner, g.ThemeId));
                Console.WriteLine($"  phase {key}: BuildPointAsync {callMs:0} ms; of which reading its group ({rows.Count:N0} comments, " +
                                  $"{view.AllPoints.Count:N0} points) {readMs:0} ms");
            }
        }
        Console.WriteLine($"  peak working set {process.PeakWorkingSet64 / 1024.0 / 1024.0:0} MB; {Environment.ProcessorCount} cores");
        return mismatches == 0 ? 0 : 1;
    }

    /// <summary>Spread over the report (every section, audience and size), plus its largest point and a campaign's.</summary>
    private static List<string> PickKeys(ConsultationReport report, int count)
    {
        var all = report.AllPoints;
        var keys = new List<string> { all.MaxBy(p => p.Point.CommentIds.Count)!.Point.Key };
        if (all.FirstOrDefault(p => p.Point.Wording.Contains("(campaign,", StringComparison.Ordinal)) is { } campaign) keys.Add(campaign.Point.Key);
        var step = Math.Max(1, all.Count / Math.Max(1, count - keys.Count));
        for (var i = step / 2; i < all.Count && keys.Count < count; i += step) keys.Add(all[i].Point.Key);
        return keys.Distinct().ToList();
    }

    private static string? Compare(ConsultationReport full, string key, ReportPointView view, PointRow? row)
    {
        var expected = ReportAuthoring.Find(full, key);
        if (expected is null || row is null) return expected is null && row is null ? null : "found in only one";
        var (a, b) = (expected.Point, row.Point);
        if (a.Wording != b.Wording || a.CodesText != b.CodesText || a.Count != b.Count || !a.CommentIds.SequenceEqual(b.CommentIds))
            return "point differs";
        if (!ReportAuthoring.VisibleSiblings(full, expected).Select(p => p.Point.Key).SequenceEqual(ReportAuthoring.VisibleSiblings(view, row).Select(p => p.Point.Key)))
            return "siblings differ";
        var ids = a.CommentIds.ToHashSet();
        return full.Comments.Where(c => ids.Contains(c.CommentId)).SequenceEqual(view.Comments) ? null : "comment rows differ";
    }

    private static async Task<(TimeSpan Wall, TimeSpan Cpu)> TimeAsync<T>(Process process, Func<Task<T>> action)
    {
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        await action();
        wall.Stop();
        process.Refresh();
        return (wall.Elapsed, process.TotalProcessorTime - cpu);
    }

    private static void Summary(string label, List<(TimeSpan Wall, TimeSpan Cpu)> times)
    {
        var walls = times.Select(t => t.Wall.TotalMilliseconds).Order().ToList();
        double At(double q) => walls[Math.Min(walls.Count - 1, (int)Math.Ceiling(q * walls.Count) - 1)];
        Console.WriteLine($"{label}, {times.Count} warm calls: wall median {At(0.5):0} ms, p90 {At(0.9):0} ms, max {walls[^1]:0} ms; " +
                          $"CPU mean {times.Average(t => t.Cpu.TotalMilliseconds):0} ms");
    }
}
