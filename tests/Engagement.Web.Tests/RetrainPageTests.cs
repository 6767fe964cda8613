using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Engagement.Classifier;
using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Staff;
using Engagement.Core.Triage;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Web.Tests;

/// <summary>
/// Retrain, promote and roll back through the Models page, as a triager would: forms with real antiforgery tokens.
/// The site gets its own small made-up corpus and baseline model, so nothing here depends on the committed model.
/// </summary>
public sealed class RetrainPageTests : IDisposable
{
    private const string Password = "a long test password";

    private static readonly (string Id, int Outcome, string[] Words)[] Themes =
    [
        ("rt-dental", 4, ["dentist", "tooth", "filling", "braces", "orthodontist", "toothache"]),
        ("rt-buses", 2, ["bus", "route", "timetable", "fare", "stop", "driver"]),
        ("rt-housing", 2, ["damp", "mould", "landlord", "rent", "flat", "eviction"]),
        ("rt-general", 0, ["strategy", "consultation", "vision", "document", "ambition", "survey"]),
    ];

    private static readonly string[] Filler = ["the", "really", "need", "kent", "please", "people", "local", "better"];

    private readonly string root = Path.Combine(Path.GetTempPath(), "engage-retrain-page-" + Guid.NewGuid().ToString("N"));

    private static List<(string Text, string Theme, int Outcome)> Rows(int perTheme, int seed)
    {
        var random = new Random(seed);
        var rows = new List<(string, string, int)>();
        for (var n = 0; n < perTheme; n++)
            foreach (var (id, outcome, words) in Themes)
            {
                var picked = Enumerable.Range(0, random.Next(2, 5)).Select(_ => words[random.Next(words.Length)])
                    .Concat(Enumerable.Range(0, random.Next(2, 4)).Select(_ => Filler[random.Next(Filler.Length)]));
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
            themes = Themes.Select(t => new { id = t.Id, name = t.Id + " theme", outcome = t.Outcome, description = "", examplePhrases = new[] { t.Words[0] + " " + t.Words[1] }, reasoning = "" }),
        };
        File.WriteAllText(Path.Combine(root, "taxonomy.json"), JsonSerializer.Serialize(taxonomy));
        void Csv(string name, IEnumerable<(string Text, string Theme, int Outcome)> rows)
        {
            var sb = new StringBuilder("text,theme,outcome,source\n");
            foreach (var r in rows) sb.Append(CultureInfo.InvariantCulture, $"\"{r.Text}\",{r.Theme},{r.Outcome},synthetic\n");
            File.WriteAllText(Path.Combine(training, name), sb.ToString());
        }
        Csv("train.csv", Rows(15, 1));
        Csv("test.csv", Rows(5, 2));
        return training;
    }

    [Fact]
    public async Task A_triager_retrains_promotes_and_rolls_back_from_the_models_page()
    {
        var training = WriteCorpus();
        var baselinePath = Path.Combine(root, "baseline.zip");
        ModelTrainer.Train(new TrainingOptions { DataDir = training, OutputPath = baselinePath, Folds = 2 });

        await using var site = new EngagementWebFactory
        {
            ModelPath = baselinePath,
            Settings = new Dictionary<string, string>
            {
                ["Triage:TrainingDataDir"] = training, ["Triage:ModelDirectory"] = Path.Combine(root, "models"), ["Triage:RetrainFolds"] = "2",
            },
        };
        var consultation = await site.EnsureConsultationAsync();
        await site.Services.GetRequiredService<ThemeStore>().SeedAsync(Themes.Select(t => new ThemeSeed(t.Id, t.Id + " theme", t.Outcome, "", [], null)));
        var confirmed = Rows(6, 3);
        var submission = await site.Services.GetRequiredService<SubmissionStore>().CreateAsync(new NewSubmission
        {
            ConsultationId = consultation.Id, RespondentType = RespondentTypes.Resident,
            Comments = confirmed.Select(r => new NewComment(r.Text, r.Outcome)).ToList(),
        });
        var ids = (await site.Services.GetRequiredService<CommentStore>().ForSubmissionAsync(submission.SubmissionId)).Select(c => c.Id).Order().ToList();
        var triage = site.Services.GetRequiredService<TriageStore>();
        for (var i = 0; i < ids.Count; i++)
            Assert.True((await triage.ApplyAsync(new TriageCommand
            {
                CommentId = ids[i], ExpectedRowVersion = 1, Kind = TriageActionKind.SetTheme, ThemeId = confirmed[i].Theme,
            }, "team@example.org")).Saved);

        await site.Services.GetRequiredService<StaffUserStore>().AddOrUpdateAsync("trainer@example.org", StaffRoles.EngagementTeam, Password);
        var client = site.CreateBrowserClient();
        var signIn = await EngagementWebFactory.TokenFromAsync(await client.GetAsync("/staff/sign-in"));
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostAsync("/staff/sign-in", Form(signIn,
            ("Input.Email", "trainer@example.org"), ("Input.Password", Password)))).StatusCode);

        var page = await client.GetAsync("/staff/models");
        var html = await page.Content.ReadAsStringAsync();
        var classifier = site.Services.GetRequiredService<ICommentClassifier>();
        var baselineVersion = classifier.ModelVersion!;
        Assert.Contains($"id=\"serving\">{baselineVersion}<", html);
        Assert.Contains("Start retraining", html);
        var token = await EngagementWebFactory.TokenFromAsync(page);

        var start = await client.PostAsync("/staff/models?handler=Retrain", Form(token));
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var during = await client.GetStringAsync("/staff/models");
        Assert.Contains("Retraining started", during);
        Assert.Contains("<progress class=\"app-progress\" max=\"100\"", during); // the progress bar, running or done
        await site.Services.GetRequiredService<RetrainJob>().WaitAsync();

        html = await client.GetStringAsync("/staff/models");
        Assert.Contains("value=\"100\"", html);
        Assert.Contains("Held-back confirmed comments", html);
        Assert.Contains("Base test split", html);
        Assert.Contains($"Served then ({baselineVersion})", html);
        var versions = await site.Services.GetRequiredService<ModelVersionStore>().ListAsync();
        var candidate = versions.Single(v => v.Status == ModelStatuses.Candidate);
        var baseline = versions.Single(v => v.Status == ModelStatuses.Active);
        Assert.Equal(baselineVersion, classifier.ModelVersion); // nothing changes until a person promotes it
        Assert.Equal(ids.Count, candidate.ConfirmedRows + candidate.HeldBackRows);
        Assert.Contains($"Promote {candidate.Version}", html);

        var promote = await client.PostAsync($"/staff/models?handler=Promote&id={candidate.Id}", Form(token));
        Assert.Equal(HttpStatusCode.Redirect, promote.StatusCode);
        html = await client.GetStringAsync("/staff/models");
        Assert.Contains($"Version {candidate.Version} is now serving suggestions.", html);
        Assert.Contains($"id=\"serving\">{candidate.Version}<", html);
        Assert.Equal(candidate.Version, classifier.ModelVersion);
        Assert.Contains($"Roll back to {baseline.Version}", html);

        Assert.Equal(HttpStatusCode.Redirect, (await client.PostAsync($"/staff/models?handler=Promote&id={baseline.Id}", Form(token))).StatusCode);
        Assert.Equal(baselineVersion, classifier.ModelVersion);
        var after = await site.Services.GetRequiredService<ModelVersionStore>().ListAsync();
        Assert.Equal((ModelStatuses.Active, "trainer@example.org"), (after.Single(v => v.Id == baseline.Id).Status, after.Single(v => v.Id == baseline.Id).PromotedBy));
        Assert.Equal(ModelStatuses.Retired, after.Single(v => v.Id == candidate.Id).Status);

        // A version that does not exist is an error on the page, and nothing changes.
        var missing = await client.PostAsync("/staff/models?handler=Promote&id=999999", Form(token));
        Assert.Equal(HttpStatusCode.OK, missing.StatusCode);
        Assert.Contains("That model version does not exist", await missing.Content.ReadAsStringAsync());
        Assert.Equal(baselineVersion, classifier.ModelVersion);
    }

    [Fact]
    public async Task A_strategy_author_cannot_start_a_retrain_or_promote()
    {
        await using var site = new EngagementWebFactory();
        await site.EnsureConsultationAsync();
        await site.Services.GetRequiredService<StaffUserStore>().AddOrUpdateAsync("author2@example.org", StaffRoles.StrategyAuthor, Password);
        var client = site.CreateBrowserClient();
        var signIn = await EngagementWebFactory.TokenFromAsync(await client.GetAsync("/staff/sign-in"));
        await client.PostAsync("/staff/sign-in", Form(signIn, ("Input.Email", "author2@example.org"), ("Input.Password", Password)));
        var token = await EngagementWebFactory.TokenFromAsync(await client.GetAsync("/staff"));

        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync("/staff/models?handler=Retrain", Form(token))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync("/staff/models?handler=Promote&id=1", Form(token))).StatusCode);
        Assert.Equal(RetrainState.Idle, site.Services.GetRequiredService<RetrainJob>().Status.State);
    }

    [Fact]
    public async Task The_page_says_a_retrain_is_running_on_another_instance_and_refuses_to_start_one()
    {
        await using var site = new EngagementWebFactory();
        await site.EnsureConsultationAsync();
        var client = await StaffClient.ForRoleAsync(site, StaffRoles.EngagementTeam);
        var token = await EngagementWebFactory.TokenFromAsync(await client.GetAsync("/staff"));
        // Another instance of the site on the same database is retraining: it holds the lease.
        var leases = new JobLeaseStore(site.Services.GetRequiredService<Database>());
        Assert.True(await leases.TryAcquireAsync(RetrainJob.LeaseName, "other-host:4242:abcd", TimeSpan.FromMinutes(5)));

        var html = await client.GetStringAsync("/staff/models");
        Assert.Contains("A retrain is running on another instance of the site", html);
        Assert.DoesNotContain("Start retraining", html);

        var start = await client.PostAsync("/staff/models?handler=Retrain", Form(token));
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        Assert.Contains(Engagement.Web.Pages.Staff.Triage.ModelsModel.RunningElsewhereMessage, await client.GetStringAsync("/staff/models"));
        Assert.Equal(RetrainState.Idle, site.Services.GetRequiredService<RetrainJob>().Status.State);

        Assert.True(await leases.ReleaseAsync(RetrainJob.LeaseName, "other-host:4242:abcd"));
        Assert.Contains("Start retraining", await client.GetStringAsync("/staff/models"));
    }

    private static FormUrlEncodedContent Form(string token, params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)).Append(new("__RequestVerificationToken", token)));

    public void Dispose()
    {
        try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
