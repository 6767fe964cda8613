using System.Globalization;
using System.Text;
using System.Text.Json;
using Engagement.Classifier;
using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Privacy;
using Engagement.Core.Tests.Data;
using Engagement.Core.Triage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Engagement.Core.Tests.Triage;

/// <summary>Retrain from confirmed comments, compare, promote, roll back: end to end on a small made-up corpus.</summary>
public sealed class RetrainTests : IDisposable
{
    private static readonly (string Id, int Outcome, string[] Words)[] SyntheticThemes =
    [
        ("dental", 4, ["dentist", "tooth", "filling", "braces", "orthodontist", "toothache"]),
        ("gp", 4, ["gp", "appointment", "receptionist", "surgery", "doctor", "callback"]),
        ("buses", 2, ["bus", "route", "timetable", "fare", "stop", "driver"]),
        ("housing", 2, ["damp", "mould", "landlord", "rent", "flat", "eviction"]),
        ("general", 0, ["strategy", "consultation", "vision", "document", "ambition", "survey"]),
    ];

    private static readonly string[] Filler = ["the", "really", "need", "kent", "please", "people", "local", "better", "always", "town"];

    private readonly string root = Path.Combine(Path.GetTempPath(), "engage-retrain-" + Guid.NewGuid().ToString("N"));

    private static List<(string Text, string Theme, int Outcome)> Rows(int perTheme, int seed)
    {
        var random = new Random(seed);
        var rows = new List<(string, string, int)>();
        for (var n = 0; n < perTheme; n++)
            foreach (var (id, outcome, words) in SyntheticThemes)
            {
                var picked = Enumerable.Range(0, random.Next(2, 5)).Select(_ => words[random.Next(words.Length)])
                    .Concat(Enumerable.Range(0, random.Next(2, 4)).Select(_ => Filler[random.Next(Filler.Length)]))
                    .OrderBy(_ => random.Next());
                rows.Add((string.Join(' ', picked), id, outcome));
            }
        return rows;
    }

    private string WriteCorpus()
    {
        var training = Path.Combine(root, "training");
        Directory.CreateDirectory(training);
        var taxonomy = new
        {
            outcomes = Outcomes.All.Select(o => new { id = o.Id, name = o.ShortName, shortName = o.ShortName, plainEnglish = "", priorities = Array.Empty<string>() }),
            themes = SyntheticThemes.Select(t => new { id = t.Id, name = t.Id + " theme", outcome = t.Outcome, description = "", examplePhrases = new[] { t.Words[0] + " " + t.Words[1] }, reasoning = "" }),
        };
        File.WriteAllText(Path.Combine(root, "taxonomy.json"), JsonSerializer.Serialize(taxonomy));
        void Csv(string name, IEnumerable<(string Text, string Theme, int Outcome)> rows)
        {
            var sb = new StringBuilder("text,theme,outcome,source\n");
            foreach (var r in rows) sb.Append(CultureInfo.InvariantCulture, $"\"{r.Text}\",{r.Theme},{r.Outcome},synthetic\n");
            File.WriteAllText(Path.Combine(training, name), sb.ToString());
        }
        Csv("train.csv", Rows(20, 1));
        Csv("test.csv", Rows(6, 2));
        return training;
    }

    [Fact]
    public async Task Retrain_on_confirmed_comments_then_promote_and_roll_back()
    {
        var training = WriteCorpus();
        var baselinePath = Path.Combine(root, "baseline.zip");
        ModelTrainer.Train(new TrainingOptions { DataDir = training, OutputPath = baselinePath, Folds = 2 });

        var db = TestDatabases.CreateMigrated(DatabaseProvider.Sqlite);
        await new ThemeStore(db).SeedAsync(SyntheticThemes.Select(t => new ThemeSeed(t.Id, t.Id, t.Outcome, "", [], null)));
        var consultation = await new ConsultationStore(db).EnsureAsync(new Consultation
        {
            Slug = "r", Title = "R", Status = ConsultationStatuses.Open,
            OpensOn = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc), ClosesOn = new DateTime(2027, 1, 31, 0, 0, 0, DateTimeKind.Utc),
        });
        var confirmedRows = Rows(12, 3);
        await new SubmissionStore(db).CreateAsync(new NewSubmission
        {
            ConsultationId = consultation.Id, RespondentType = RespondentTypes.Resident,
            Comments = confirmedRows.Select(r => new NewComment(r.Text, r.Outcome)).ToList(),
        });
        var triage = new TriageStore(db);
        var ids = (await new CommentStore(db).SearchAsync(consultation.Id, new CommentFilter(), null, 1000)).Rows.Select(r => r.Id).Order().ToList();
        for (var i = 0; i < ids.Count; i++)
            Assert.True((await triage.ApplyAsync(new TriageCommand
            {
                CommentId = ids[i], ExpectedRowVersion = 1, Kind = TriageActionKind.SetTheme, ThemeId = confirmedRows[i].Theme,
            }, "team@example.org")).Saved);

        var versions = new ModelVersionStore(db);
        var classifier = new ActiveModelClassifier(new ClassifierOptions { ModelPath = baselinePath },
            () => versions.ActiveAsync().GetAwaiter().GetResult()?.FilePath);
        var job = new RetrainJob(triage, versions, TestDatabases.Leases(db), classifier, PersonalDataDetector.Instance,
            Options.Create(new TriageOptions { TrainingDataDir = training, ModelDirectory = Path.Combine(root, "models"), RetrainFolds = 2 }),
            Options.Create(new DatabaseOptions()), NullLogger<RetrainJob>.Instance);
        var baselineVersion = classifier.ModelVersion;
        Assert.NotNull(baselineVersion);

        Assert.Equal(RetrainStart.Started, await job.TryStartAsync("team@example.org"));
        Assert.Equal(RetrainStart.AlreadyRunning, await job.TryStartAsync("someone@example.org")); // one at a time
        await job.WaitAsync();
        Assert.Null(await new JobLeaseStore(db).FindActiveAsync(RetrainJob.LeaseName)); // released when done
        var status = job.Status;
        Assert.True(status.State == RetrainState.Succeeded, status.Error + string.Join("\n", status.Log));
        Assert.Equal(100, status.Percent);

        var all = await versions.ListAsync();
        Assert.Equal(2, all.Count);
        var baseline = all.Single(v => v.Status == ModelStatuses.Active);
        var candidate = all.Single(v => v.Id == status.CandidateId);
        Assert.Equal((baselineVersion, baselinePath), (baseline.Version, baseline.FilePath));
        Assert.Equal(ModelStatuses.Candidate, candidate.Status);
        Assert.Equal(ids.Count, candidate.ConfirmedRows + candidate.HeldBackRows);
        Assert.Equal(ids.Count(id => RetrainJob.IsHeldBack(id, 20)), candidate.HeldBackRows);
        Assert.Equal(100, candidate.BaseRows);
        Assert.StartsWith(Path.Combine(root, "models"), candidate.FilePath);
        var metrics = RetrainMetrics.FromJson(candidate.MetricsJson)!;
        Assert.NotNull(metrics.TestNew);
        Assert.NotNull(metrics.TestCurrent);
        Assert.Equal(30, metrics.TestNew!.Rows);
        Assert.Equal(baselineVersion, metrics.ComparedWith);
        Assert.Equal(classifier.ModelVersion, baselineVersion); // not promoted yet: still serving the old one

        Assert.Null(await job.PromoteAsync(candidate.Id, "admin@example.org"));
        Assert.NotEqual(baselineVersion, classifier.ModelVersion);
        Assert.Equal(candidate.FilePath, classifier.ModelPath);
        Assert.Equal(candidate.Id, (await versions.ActiveAsync())!.Id);
        Assert.NotNull(classifier.Suggest("my dentist filling hurts"));

        // Another instance on the same database (and the same model folder), already serving the baseline, serves the
        // promoted version after its next sync (TriageBackgroundService, every Triage:ModelSyncSeconds).
        var otherClassifier = new ActiveModelClassifier(new ClassifierOptions { ModelPath = baselinePath }, () => baselinePath);
        var other = new RetrainJob(triage, versions, TestDatabases.Leases(db, "other-instance"), otherClassifier, PersonalDataDetector.Instance,
            Options.Create(new TriageOptions { TrainingDataDir = training, ModelDirectory = Path.Combine(root, "models") }),
            Options.Create(new DatabaseOptions()), NullLogger<RetrainJob>.Instance);
        Assert.Equal(baselineVersion, otherClassifier.ModelVersion);
        await other.SyncActiveAsync();
        Assert.Equal((candidate.Version, candidate.FilePath), (otherClassifier.ModelVersion, otherClassifier.ModelPath));

        // Roll back to the version before.
        Assert.Null(await job.PromoteAsync(baseline.Id, "admin@example.org"));
        Assert.Equal(baselineVersion, classifier.ModelVersion);
        Assert.Equal(ModelStatuses.Retired, (await versions.GetAsync(candidate.Id))!.Status);

        // A broken file is refused and nothing changes.
        File.WriteAllText(candidate.FilePath, "not a zip");
        Assert.NotNull(await job.PromoteAsync(candidate.Id, "admin@example.org"));
        Assert.Equal(baseline.Id, (await versions.ActiveAsync())!.Id);
        Assert.Equal(baselineVersion, classifier.ModelVersion);
    }

    [Fact]
    public async Task A_retrain_is_refused_while_another_instance_holds_the_retrain_lease()
    {
        var db = TestDatabases.CreateMigrated(DatabaseProvider.Sqlite);
        var versions = new ModelVersionStore(db);
        var classifier = new ActiveModelClassifier(new ClassifierOptions { ModelPath = Path.Combine(root, "no-model.zip") }, () => null);
        RetrainJob Instance(string holder) => new(new TriageStore(db), versions, TestDatabases.Leases(db, holder), classifier, PersonalDataDetector.Instance,
            Options.Create(new TriageOptions { TrainingDataDir = Path.Combine(root, "missing"), ModelDirectory = Path.Combine(root, "models") }),
            Options.Create(new DatabaseOptions()), NullLogger<RetrainJob>.Instance);
        var here = Instance("instance-a");

        await using (var elsewhere = await TestDatabases.Leases(db, "instance-b").TryHoldAsync(RetrainJob.LeaseName))
        {
            Assert.NotNull(elsewhere);
            Assert.Equal(RetrainStart.RunningOnAnotherInstance, await here.TryStartAsync("team@example.org"));
            Assert.Equal(RetrainState.Idle, here.Status.State);
            Assert.Equal("instance-b", (await here.RunningElsewhereAsync())!.Holder);
            Assert.Null(await Instance("instance-b").RunningElsewhereAsync()); // its own lease is not "elsewhere"
        }

        Assert.Null(await here.RunningElsewhereAsync());
        // Free again: this instance may start (the run itself fails fast here: there is no corpus).
        Assert.Equal(RetrainStart.Started, await here.TryStartAsync("team@example.org"));
        await here.WaitAsync();
        Assert.Equal(RetrainState.Failed, here.Status.State);
        Assert.Null(await new JobLeaseStore(db).FindActiveAsync(RetrainJob.LeaseName)); // a failed run lets go too
    }

    public void Dispose()
    {
        try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
