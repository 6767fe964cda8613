using System.Diagnostics;
using System.Globalization;
using Dapper;
using Engagement.Classifier;
using Engagement.Core;
using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Reports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

// Consultation report benchmark. Targets (issue #5): a report on 100,000 comments in 5 s or less for HTML and
// 15 s or less for docx/xlsx, with memory under 1 GiB.
//   make-db DIR [N] [seed]       a SQLite database in DIR holding consultation "bench" with N synthetic comments (not timed against the target)
//   run FORMAT DIR [--edits]     in one process, the `engage report` path: ReportService.BuildAsync (classify-if-needed, campaign check,
//                                load, cluster, redact) then the writer; phase times and the process's peak working set.
//                                One format per process, so each peak is that format's own.
//   point DIR [--keys N] [--old M] [--edits] [--phases]
//                                the report point page's work for N points: ReportService.BuildPointAsync (its group only) against
//                                the whole report as the page built it before (M points); each result checked against the full report.
// The CLI itself can be timed the same way: Database__DataDirectory=DIR /usr/bin/time -v dotnet engage.dll report ...
var mode = args.Length > 0 ? args[0] : "";
var inv = CultureInfo.InvariantCulture;

if (mode == "make-db" && args.Length >= 2)
{
    var n = args.Length > 2 ? int.Parse(args[2], inv) : 100_000;
    var seed = args.Length > 3 ? int.Parse(args[3], inv) : 1;
    await using var services = Build(args[1]);
    await services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
    var watch = Stopwatch.StartNew();
    var inserted = await Synthetic.InsertAsync(services.GetRequiredService<Database>(), services.GetRequiredService<ConsultationStore>(), n, seed);
    Console.WriteLine($"inserted {inserted.Comments:N0} comments in {inserted.Submissions:N0} responses in {watch.Elapsed.TotalSeconds:0.0} s");
    return 0;
}

if (mode == "run" && args.Length >= 3 && ReportFormats.Parse(args[1]) is { } format)
{
    await using var services = Build(args[2]);
    var reports = services.GetRequiredService<ReportService>();
    if (args.Contains("--edits")) await Synthetic.AddEditsAsync(services, reports);
    var output = Path.Combine(Path.GetTempPath(), $"report-bench-{Guid.NewGuid():N}.{ReportFormats.Extension(format)}");
    var process = Process.GetCurrentProcess();

    var total = Stopwatch.StartNew();
    var cpuStart = process.TotalProcessorTime;
    var report = await reports.BuildAsync("bench", classifyFirst: true) ?? throw new InvalidOperationException("run make-db first");
    var built = total.Elapsed;
    process.Refresh();
    var cpuBuilt = process.TotalProcessorTime;
    await using (var stream = File.Create(output))
        await ReportFormats.WriteAsync(report, format, stream);
    total.Stop();
    process.Refresh();

    Console.WriteLine($"{ReportFormats.Extension(format)}: {report.Method.Comments:N0} comments, {report.AllPoints.Count:N0} points, " +
                      $"classified now {report.Method.ClassifiedNow:N0}");
    Console.WriteLine($"  build (load + classify check + campaigns + cluster + redact): {built.TotalSeconds:0.00} s wall, {(cpuBuilt - cpuStart).TotalSeconds:0.00} s CPU");
    Console.WriteLine($"  write: {(total.Elapsed - built).TotalSeconds:0.00} s wall, {(process.TotalProcessorTime - cpuBuilt).TotalSeconds:0.00} s CPU");
    Console.WriteLine($"  process CPU time since start {process.TotalProcessorTime.TotalSeconds:0.00} s (on a busy machine CPU time is the steadier figure)");
    if (args.Contains("--phases"))
    {
        // The same build again, phase by phase (warm: JIT done, database pages cached).
        var store = services.GetRequiredService<ReportStore>();
        var phase = Stopwatch.StartNew();
        var comments = await store.CommentsAsync(report.Consultation.Id);
        var districts = await store.SubmissionDistrictsAsync(report.Consultation.Id);
        var edits = await store.LatestPointEditsAsync(report.Consultation.Id);
        var themes = await services.GetRequiredService<ThemeStore>().ListAsync(includeRetired: true);
        Console.WriteLine($"  phase load: {phase.Elapsed.TotalSeconds:0.00} s");
        phase.Restart();
        ReportBuilder.Build(report.Consultation, comments, districts, themes, edits, services.GetRequiredService<Engagement.Core.Privacy.PersonalDataDetector>());
        Console.WriteLine($"  phase build in memory: {phase.Elapsed.TotalSeconds:0.00} s");
        var texts = comments.Select(c => c.Text).ToList();
        phase.Restart();
        var withPersonal = texts.Count(t => services.GetRequiredService<Engagement.Core.Privacy.PersonalDataDetector>().Find(t).Count > 0);
        Console.WriteLine($"    personal-data detection (one thread): {phase.Elapsed.TotalSeconds:0.00} s, {withPersonal:N0} with personal data");
        phase.Restart();
        var flagged = texts.Count(t => Engagement.Core.Triage.SafeguardingDetector.Instance.Check(t).Flagged);
        Console.WriteLine($"    safeguarding check of every comment, which the report avoids (one thread): {phase.Elapsed.TotalSeconds:0.00} s, {flagged:N0} flagged");
        phase.Restart();
        foreach (var g in comments.GroupBy(c => (c.ConfirmedTheme ?? c.SuggestedTheme, c.RespondentType == "partner")))
            TextClustering.Cluster(TextClustering.Vectorise(g.Select(c => c.Text).ToList()));
        Console.WriteLine($"    clustering (one thread): {phase.Elapsed.TotalSeconds:0.00} s");
    }
    Console.WriteLine($"  total: {total.Elapsed.TotalSeconds:0.00} s; file {new FileInfo(output).Length / 1024.0 / 1024.0:0.0} MB");
    Console.WriteLine($"  peak working set {process.PeakWorkingSet64 / 1024.0 / 1024.0:0} MB; managed heap now {GC.GetTotalMemory(false) / 1024.0 / 1024.0:0} MB; " +
                      $"{Environment.ProcessorCount} cores");
    File.Delete(output);
    return 0;
}

if (mode == "point" && args.Length >= 2)
{
    await using var services = Build(args[1]);
    if (args.Contains("--edits")) await Synthetic.AddEditsAsync(services, services.GetRequiredService<ReportService>());
    return await PointBench.RunAsync(services, Option("--keys", 40), Option("--old", 3), args.Contains("--phases"));
}

Console.Error.WriteLine("usage: Engagement.ReportBench make-db DIR [N] [seed] | run html|docx|xlsx|csv DIR [--edits] [--phases] " +
                        "| point DIR [--keys 40] [--old 3] [--edits] [--phases]");
return 2;

int Option(string name, int fallback) =>
    Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], inv) : fallback;

static ServiceProvider Build(string directory)
{
    var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Database:DataDirectory"] = Path.GetFullPath(directory),
    }).Build();
    var services = new ServiceCollection();
    services.AddSingleton<IConfiguration>(configuration);
    services.AddEngagementData(configuration);
    services.AddEngagementClassifier(configuration);
    return services.BuildServiceProvider();
}

/// <summary>
/// Synthetic responses built from the labelled training sentences, varied so near-duplicates are near but not equal:
/// an opener, a place, a dropped word. Districts follow population shares; some responses name several; about 15%
/// are partners; some give personal details (to be redacted) and About-you answers; a fifth of comments are confirmed.
/// </summary>
internal static class Synthetic
{
    private static readonly string[] Openers = ["", "", "I think ", "In my experience ", "As a carer, ", "Honestly, ", "For us, ", "Please note that "];
    private static readonly string[] Places = ["", "", "", " in Margate", " in Sittingbourne", " around Dover", " here in Medway", " in Ashford", " in rural areas"];
    private static readonly string[] Personal = ["My name is Sarah Jones and ", "Call me on 07700 900123. ", "Email me at pat.smith@example.com. ", "I live at 12 High Street, ME4 4AA. "];
    private static readonly (string Code, double Share)[] DistrictShares =
    [
        ("A", 0.071), ("C", 0.084), ("Da", 0.063), ("D", 0.063), ("FH", 0.058), ("G", 0.057), ("M", 0.094),
        ("S", 0.065), ("SW", 0.081), ("T", 0.075), ("TMBC", 0.071), ("TW", 0.062), ("Med", 0.156),
    ];
    private static readonly string[] PartnerTypeValues = ["district-council", "local-authority", "vcse", "pcc", "hcp", "nhs-provider", "other"];
    private static readonly string[] ChannelValues = ["online", "online", "online", "online", "online", "online", "event", "focus-group", "workshop", "email", "paper"];

    public static async Task<(int Submissions, int Comments)> InsertAsync(Database db, ConsultationStore consultations, int n, int seed)
    {
        var labelled = LabelledData.Read(RepoPaths.Resolve("data-samples/training/train.csv"));
        var consultation = await consultations.EnsureAsync(new Consultation
        {
            Slug = "bench", Title = "Report benchmark", Status = ConsultationStatuses.Closed,
            OpensOn = new DateTime(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc), ClosesOn = new DateTime(2026, 9, 30, 0, 0, 0, DateTimeKind.Utc),
        });
        var random = new Random(seed);
        var themeIds = labelled.Select(l => (l.Theme, l.Outcome)).Distinct().ToList();
        await using var c = await db.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        var comments = 0;
        var submissions = 0;
        var now = DateTime.UtcNow;
        while (comments < n)
        {
            submissions++;
            var type = random.NextDouble() switch { < 0.80 => "resident", < 0.95 => "partner", _ => "staff" };
            var partnerType = type == "partner" ? PartnerTypeValues[random.Next(PartnerTypeValues.Length)] : null;
            var districts = new List<string>();
            if (random.NextDouble() > 0.03)
            {
                districts.Add(PickDistrict(random));
                if (type == "partner" && random.NextDouble() < 0.3) districts.Add(PickDistrict(random));
            }
            districts = districts.Distinct().ToList();
            var aboutYou = type == "resident" && random.NextDouble() < 0.4;
            var submitted = new DateTime(2026, 1, 5, 9, 0, 0, DateTimeKind.Utc).AddMinutes(random.Next(0, 60 * 24 * 260));
            var submissionId = await c.ExecuteScalarAsync<long>("""
                INSERT INTO submissions (consultation_id, reference, respondent_type, organisation, partner_type, district, channel, consent_to_quote,
                                         age_band, sex, ethnic_group, disability, unpaid_carer, submitted_at, created_at)
                VALUES (@consultationId, @reference, @type, @organisation, @partnerType, @district, @channel, @consent,
                        @age, @sex, @ethnic, @disability, @carer, @submitted, @now);
                SELECT last_insert_rowid();
                """, new
            {
                consultationId = consultation.Id, reference = $"KM-BENCH-{submissions:000000}", type,
                organisation = partnerType is null ? null : $"Organisation {random.Next(1, 400)}", partnerType,
                district = districts.FirstOrDefault(), channel = ChannelValues[random.Next(ChannelValues.Length)], consent = random.NextDouble() < 0.55,
                age = aboutYou ? Pick(random, ["18-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-plus"]) : null,
                sex = aboutYou ? Pick(random, ["female", "female", "male"]) : null,
                ethnic = aboutYou ? Pick(random, ["white", "white", "white", "white", "white", "white", "white", "white", "asian", "black", "mixed"]) : null,
                disability = aboutYou ? Pick(random, ["no", "no", "no", "yes"]) : null,
                carer = aboutYou ? Pick(random, ["no", "no", "no", "no", "yes"]) : null,
                submitted, now,
            }, tx);
            if (districts.Count > 1)
                for (var p = 0; p < districts.Count; p++)
                    await c.ExecuteAsync("INSERT INTO submission_districts (submission_id, district, position) VALUES (@submissionId, @district, @position)",
                        new { submissionId, district = districts[p], position = p + 1 }, tx);

            var count = Math.Min(n - comments, random.NextDouble() switch { < 0.6 => 1, < 0.9 => 2, _ => 3 });
            for (var k = 0; k < count; k++)
            {
                comments++;
                var source = labelled[random.Next(labelled.Count)];
                var text = Vary(source.Text, random);
                var (theme, outcome) = random.NextDouble() < 0.1 ? themeIds[random.Next(themeIds.Count)] : (source.Theme, source.Outcome);
                var confirmed = random.NextDouble() < 0.2;
                await c.ExecuteAsync("""
                    INSERT INTO comments (submission_id, consultation_id, text, status, district, respondent_type, channel, created_at,
                                          chosen_outcome, suggested_outcome, suggested_theme, suggested_confidence, suggestion_model_version,
                                          confirmed_outcome, confirmed_theme)
                    VALUES (@submissionId, @consultationId, @text, @status, @district, @type, 'online', @now,
                            @chosen, @outcome, @theme, @confidence, 'bench-model', @confirmedOutcome, @confirmedTheme)
                    """, new
                {
                    submissionId, consultationId = consultation.Id, text, status = confirmed ? "triaged" : random.NextDouble() < 0.01 ? "spam" : "new",
                    district = districts.FirstOrDefault(), type, now, chosen = random.NextDouble() < 0.5 ? (int?)source.Outcome : null,
                    outcome, theme, confidence = Math.Round(0.3 + random.NextDouble() * 0.7, 3),
                    confirmedOutcome = confirmed ? (int?)source.Outcome : null, confirmedTheme = confirmed ? source.Theme : null,
                }, tx);
            }
        }
        // Channel lives on the submission for reports; keep the comment's copy the same.
        await c.ExecuteAsync("UPDATE comments SET channel = (SELECT s.channel FROM submissions s WHERE s.id = comments.submission_id) WHERE consultation_id = @id",
            new { id = consultation.Id }, tx);
        await tx.CommitAsync();
        return (submissions, comments);
    }

    /// <summary>Authors' edits on the first points of each theme, so the benchmark also times applying them.</summary>
    public static async Task AddEditsAsync(IServiceProvider services, ReportService reports)
    {
        var store = services.GetRequiredService<ReportStore>();
        var report = (await reports.BuildAsync("bench", classifyFirst: false))!;
        var consultationId = report.Consultation.Id;
        if ((await store.LatestPointEditsAsync(consultationId)).Count > 0) return;
        var authoring = services.GetRequiredService<ReportAuthoring>();
        var saved = 0;
        foreach (var row in report.AllPoints.Where(p => p.Point.Count > 3).Take(300))
            if ((await authoring.RewordAsync(report, row.Point.Key, row.Point.Version, "Edited: " + row.Point.Wording, "bench@example.org")).Saved) saved++;
        Console.WriteLine($"saved {saved} reworded points");
    }

    private static string PickDistrict(Random random)
    {
        var x = random.NextDouble() * DistrictShares.Sum(d => d.Share);
        foreach (var (code, share) in DistrictShares)
            if ((x -= share) <= 0) return code;
        return "Med";
    }

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];

    private static string Vary(string text, Random random)
    {
        var words = text.Trim().TrimEnd('.').Split(' ').ToList();
        if (words.Count > 6 && random.NextDouble() < 0.3) words.RemoveAt(random.Next(1, words.Count - 1));
        var body = string.Join(' ', words);
        var opener = Openers[random.Next(Openers.Length)];
        if (opener.Length > 0) body = opener + char.ToLowerInvariant(body[0]) + body[1..];
        var personal = random.NextDouble() < 0.04 ? Personal[random.Next(Personal.Length)] : "";
        return personal + body + Places[random.Next(Places.Length)] + ".";
    }
}
