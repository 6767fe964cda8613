using System.Globalization;
using System.Text;
using System.Text.Json;
using Engagement.Classifier;
using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Emerging;
using Engagement.Core.Privacy;
using Engagement.Core.Tests.Data;
using Engagement.Core.Triage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Engagement.Core.Tests.Emerging;

/// <summary>End to end: comments about something the taxonomy lacks are clustered, promoted to a theme, and the retrain learns it.</summary>
public sealed class PromoteAndRetrainTests : IDisposable
{
    private static readonly (string Id, int Outcome, string[] Words)[] KnownThemes =
    [
        ("dental", 4, ["dentist", "tooth", "filling", "braces", "orthodontist", "toothache"]),
        ("buses", 2, ["bus", "route", "timetable", "fare", "stop", "driver"]),
        ("housing", 2, ["damp", "mould", "landlord", "rent", "flat", "eviction"]),
    ];

    private static readonly string[] Hearing = ["hearing", "aids", "audiology", "batteries", "deaf", "earmould"];
    private static readonly string[] Filler = ["the", "really", "need", "kent", "please", "local", "better", "always", "town"];

    private readonly string root = Path.Combine(Path.GetTempPath(), "engage-emerging-" + Guid.NewGuid().ToString("N"));

    private static string Sentence(string[] words, Random random) => string.Join(' ',
        Enumerable.Range(0, random.Next(3, 6)).Select(_ => words[random.Next(words.Length)])
            .Concat(Enumerable.Range(0, random.Next(2, 4)).Select(_ => Filler[random.Next(Filler.Length)])).OrderBy(_ => random.Next()));

    private string WriteCorpus()
    {
        var training = Path.Combine(root, "training");
        Directory.CreateDirectory(training);
        var taxonomy = new
        {
            outcomes = Outcomes.All.Select(o => new { id = o.Id, name = o.ShortName, shortName = o.ShortName, plainEnglish = "", priorities = Array.Empty<string>() }),
            themes = KnownThemes.Select(t => new { id = t.Id, name = t.Id, outcome = t.Outcome, description = "", examplePhrases = Array.Empty<string>(), reasoning = "" }),
        };
        File.WriteAllText(Path.Combine(root, "taxonomy.json"), JsonSerializer.Serialize(taxonomy));
        var random = new Random(1);
        foreach (var (file, per) in new[] { ("train.csv", 25), ("test.csv", 6) })
        {
            var sb = new StringBuilder("text,theme,outcome,source\n");
            for (var n = 0; n < per; n++)
                foreach (var (id, outcome, words) in KnownThemes)
                    sb.Append(CultureInfo.InvariantCulture, $"\"{Sentence(words, random)}\",{id},{outcome},synthetic\n");
            File.WriteAllText(Path.Combine(training, file), sb.ToString());
        }
        return training;
    }

    [Fact]
    public async Task A_promoted_cluster_becomes_a_theme_the_retrained_model_suggests()
    {
        var training = WriteCorpus();
        var baselinePath = Path.Combine(root, "baseline.zip");
        ModelTrainer.Train(new TrainingOptions { DataDir = training, OutputPath = baselinePath, Folds = 2 });

        var db = TestDatabases.CreateMigrated(DatabaseProvider.Sqlite);
        var themeStore = new ThemeStore(db);
        await themeStore.SeedAsync(KnownThemes.Select(t => new ThemeSeed(t.Id, t.Id, t.Outcome, "", [], null)));
        var consultation = await new ConsultationStore(db).EnsureAsync(new Consultation
        {
            Slug = "e", Title = "E", Status = ConsultationStatuses.Open,
            OpensOn = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc), ClosesOn = new DateTime(2027, 1, 31, 0, 0, 0, DateTimeKind.Utc),
        });
        // 40 comments the model cannot place (about hearing aids) and 40 about buses, all suggested with low confidence.
        var random = new Random(2);
        var texts = Enumerable.Range(0, 40).Select(_ => Sentence(Hearing, random)).Concat(Enumerable.Range(0, 40).Select(_ => Sentence(KnownThemes[1].Words, random))).ToList();
        foreach (var text in texts)
            await new SubmissionStore(db).CreateAsync(new NewSubmission
            {
                ConsultationId = consultation.Id, RespondentType = RespondentTypes.Resident, District = "T",
                Comments = [new NewComment(text, null) { Suggestion = new CommentSuggestion(4, "dental", 0.2, true, "baseline") }],
            });

        var emerging = new EmergingThemeStore(db, new ThemeAdminStore(db), Options.Create(new EmergingThemeOptions()));
        var clusters = EmergingThemeFinder.Find(await emerging.UnfittedAsync(consultation.Id));
        var hearing = clusters.Clusters.Single(c => c.TopTerms.Intersect(Hearing).Any() && !c.TopTerms.Intersect(KnownThemes[1].Words).Any());
        var promoted = await emerging.PromoteAsync(consultation.Id, hearing.CommentIds, "Hearing aids", 4, "", "admin@example.org");
        Assert.Null(promoted.Error);
        Assert.True(promoted.Labelled >= 30, $"labelled {promoted.Labelled}");

        var baseline = new PooledCommentClassifier(new ClassifierOptions { ModelPath = baselinePath });
        Assert.NotEqual("hearing-aids", baseline.Suggest("my hearing aids need new batteries from audiology")!.ThemeId);

        var versions = new ModelVersionStore(db);
        var classifier = new ActiveModelClassifier(new ClassifierOptions { ModelPath = baselinePath },
            () => versions.ActiveAsync().GetAwaiter().GetResult()?.FilePath);
        var job = new RetrainJob(new TriageStore(db), versions, TestDatabases.Leases(db), classifier, PersonalDataDetector.Instance,
            Options.Create(new TriageOptions { TrainingDataDir = training, ModelDirectory = Path.Combine(root, "models"), RetrainFolds = 2 }),
            Options.Create(new DatabaseOptions()), NullLogger<RetrainJob>.Instance, themeStore);
        Assert.Equal(RetrainStart.Started, await job.TryStartAsync("admin@example.org"));
        await job.WaitAsync();
        Assert.True(job.Status.State == RetrainState.Succeeded, job.Status.Error + string.Join("\n", job.Status.Log));

        var candidate = (await versions.ListAsync()).Single(v => v.Id == job.Status.CandidateId);
        Assert.Equal(0, RetrainMetrics.FromJson(candidate.MetricsJson)!.SkippedUnknownTheme);
        var retrained = new PooledCommentClassifier(new ClassifierOptions { ModelPath = candidate.FilePath });
        var suggestion = retrained.Suggest("my hearing aids need new batteries from audiology")!;
        Assert.Equal(("hearing-aids", 4), (suggestion.ThemeId, suggestion.OutcomeId));
    }

    public void Dispose()
    {
        try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
