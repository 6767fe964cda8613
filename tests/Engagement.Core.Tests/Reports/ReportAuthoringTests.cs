using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Import;
using Engagement.Core.Privacy;
using Engagement.Core.Reports;
using Engagement.Core.Tests.Data;

namespace Engagement.Core.Tests.Reports;

/// <summary>Strategy authors' edits to points, saved per provider, surviving regeneration with new comments.</summary>
public sealed class ReportAuthoringTests
{
    public static IEnumerable<object[]> Providers => TestDatabases.Providers();

    private const string Author = "author@example.org";
    private const string Evening1 = "Evening GP appointments are hard to get for working parents";
    private const string Evening2 = "It is hard to get evening GP appointments as a working parent";
    private const string Evening3 = "GP appointments in the evening are so hard to get for working parents";
    private const string Phone1 = "The GP surgery never answers the phone in the morning";
    private const string Phone2 = "Nobody answers the phone at my GP surgery in the morning";
    private const string Rude = "GP receptionists are rude and unhelpful to older patients";

    private sealed record Setup(MinimalCsvImporter Importer, ReportService Reports, ReportStore Store, ReportAuthoring Authoring);

    private static async Task<Setup> CreateAsync(DatabaseProvider provider)
    {
        var db = TestDatabases.CreateMigrated(provider);
        var themes = new ThemeStore(db);
        await themes.SeedAsync(ReportTestData.Themes.Select(t => new ThemeSeed(t.Id, t.Name, t.OutcomeId, "", [], null)));
        var suggestions = new SuggestionService(new KeywordClassifier(), new CommentStore(db));
        var consultations = new ConsultationStore(db);
        var store = new ReportStore(db);
        return new Setup(new MinimalCsvImporter(consultations, new SubmissionStore(db), store, suggestions),
            new ReportService(consultations, store, themes, suggestions, PersonalDataDetector.Instance), store, new ReportAuthoring(store));
    }

    private static async Task ImportAsync(Setup s, params (string Text, string District)[] rows)
    {
        var path = Path.Combine(Path.GetTempPath(), $"engage-authoring-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(path, "text,district\n" + string.Concat(rows.Select(r => $"\"{r.Text}\",{r.District}\n")));
        await s.Importer.ImportAsync(path, "k");
    }

    private static async Task<ConsultationReport> ReportAsync(Setup s) => (await s.Reports.BuildAsync("k"))!;

    private static IReadOnlyList<ReportPoint> GpPoints(ConsultationReport r) =>
        r.Sections.Single(x => x.Outcome.Id == 5).PublicFeedback.Single(g => g.ThemeId == "gp-access").Points;

    private static ReportPoint PointWith(ConsultationReport r, string text)
    {
        var id = r.Comments.Single(c => c.Text == text).CommentId;
        return r.AllPoints.Single(p => p.Point.CommentIds.Contains(id)).Point;
    }

    private static long IdOf(ConsultationReport r, string text) => r.Comments.Single(c => c.Text == text).CommentId;

    [Theory, MemberData(nameof(Providers))]
    public async Task A_reworded_point_keeps_its_wording_and_takes_in_new_comments_with_history(DatabaseProvider provider)
    {
        var s = await CreateAsync(provider);
        await ImportAsync(s, (Evening1, "SW"), (Evening2, "T"), (Phone1, "Da"));
        var report = await ReportAsync(s);
        var point = PointWith(report, Evening1);
        Assert.Equal(2, point.Count);

        var first = await s.Authoring.RewordAsync(report, point.Key, 0, "  Working parents   cannot get evening GP appointments ", Author);
        Assert.True(first.Saved, first.Message);
        var stale = await s.Authoring.RewordAsync(report, point.Key, 0, "Someone else's wording", "other@example.org");
        Assert.Equal(AuthoringStatus.Conflict, stale.Status);

        await ImportAsync(s, (Evening3, "M"));
        var regenerated = await ReportAsync(s);
        var edited = PointWith(regenerated, Evening3);
        Assert.Equal(point.Key, edited.Key);
        Assert.Equal("Working parents cannot get evening GP appointments", edited.Wording);
        Assert.Equal("(SW)(T)(M)", edited.CodesText);
        Assert.Equal(3, edited.Count);
        Assert.Equal(1, edited.Version);

        var history = await s.Store.PointHistoryAsync(regenerated.Consultation.Id, point.Key);
        var only = Assert.Single(history);
        Assert.Equal((Author, "Reworded"), (only.EditedBy, only.Action));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Merged_points_stay_merged_and_new_comments_join_them(DatabaseProvider provider)
    {
        var s = await CreateAsync(provider);
        await ImportAsync(s, (Evening1, "SW"), (Evening2, "T"), (Phone1, "Da"), (Phone2, "FH"), (Rude, "A"));
        var report = await ReportAsync(s);
        Assert.Equal(3, GpPoints(report).Count);
        var evening = PointWith(report, Evening1);
        var phone = PointWith(report, Phone1);

        var bad = await s.Authoring.MergeAsync(report, phone.Key, 0, phone.Key, Author);
        Assert.Equal(AuthoringStatus.Invalid, bad.Status);
        var merged = await s.Authoring.MergeAsync(report, phone.Key, phone.Version, evening.Key, Author);
        Assert.True(merged.Saved, merged.Message);

        await ImportAsync(s, (Evening3, "M"));
        var regenerated = await ReportAsync(s);
        var points = GpPoints(regenerated);
        Assert.Equal(2, points.Count);
        var combined = points.Single(p => p.Key == evening.Key);
        Assert.Equal(5, combined.Count);
        Assert.Contains(IdOf(regenerated, Phone2), combined.CommentIds);
        Assert.Contains(IdOf(regenerated, Evening3), combined.CommentIds);
        Assert.Equal(combined.Key, regenerated.Comments.Single(c => c.Text == Phone1).PointKey);
        Assert.Equal("Merged into " + evening.Key, (await s.Store.PointHistoryAsync(report.Consultation.Id, phone.Key)).Single().Action);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_split_point_stays_split_with_its_own_wording(DatabaseProvider provider)
    {
        var s = await CreateAsync(provider);
        await ImportAsync(s, (Evening1, "SW"), (Evening2, "T"), (Evening3, "M"));
        var report = await ReportAsync(s);
        var point = Assert.Single(GpPoints(report));
        var moving = IdOf(report, Evening3);

        Assert.Equal(AuthoringStatus.Invalid, (await s.Authoring.SplitAsync(report, point.Key, 0, [], null, Author)).Status);
        Assert.Equal(AuthoringStatus.Invalid, (await s.Authoring.SplitAsync(report, point.Key, 0, point.CommentIds.ToList(), null, Author)).Status);
        var split = await s.Authoring.SplitAsync(report, point.Key, 0, [moving], "Evening appointments for parents at Medway practices", Author);
        Assert.True(split.Saved, split.Message);

        await ImportAsync(s, (Evening2 + " too", "D"));
        var regenerated = await ReportAsync(s);
        var points = GpPoints(regenerated);
        Assert.Equal(2, points.Count);
        var newPoint = points.Single(p => p.Key == split.PointKey);
        Assert.Equal([moving], newPoint.CommentIds);
        Assert.Equal("Evening appointments for parents at Medway practices", newPoint.Wording);
        var rest = points.Single(p => p.Key == point.Key);
        Assert.Equal(3, rest.Count);
        Assert.DoesNotContain(moving, rest.CommentIds);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Hidden_points_leave_the_report_and_its_exports_and_can_be_shown_again(DatabaseProvider provider)
    {
        var s = await CreateAsync(provider);
        await ImportAsync(s, (Evening1, "SW"), (Rude, "A"));
        var report = await ReportAsync(s);
        var rude = PointWith(report, Rude);

        Assert.True((await s.Authoring.SetHiddenAsync(report, rude.Key, 0, hidden: true, Author)).Saved);
        var hidden = await ReportAsync(s);
        Assert.DoesNotContain(GpPoints(hidden), p => p.Key == rude.Key);
        var group = hidden.Sections.Single(x => x.Outcome.Id == 5).PublicFeedback.Single();
        Assert.Equal(rude.Key, Assert.Single(group.HiddenPoints).Key);
        Assert.DoesNotContain(group.Quotes, q => q.Text.Contains("receptionists"));
        Assert.DoesNotContain("receptionists", HtmlReportWriter.RenderDocument(hidden));

        var current = PointWith(hidden, Rude);
        Assert.True((await s.Authoring.SetHiddenAsync(hidden, rude.Key, current.Version, hidden: false, Author)).Saved);
        Assert.Contains(GpPoints(await ReportAsync(s)), p => p.Key == rude.Key);
        Assert.Equal(["Shown again", "Hidden"], (await s.Store.PointHistoryAsync(report.Consultation.Id, rude.Key)).Select(h => h.Action));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Reordering_survives_regeneration(DatabaseProvider provider)
    {
        var s = await CreateAsync(provider);
        await ImportAsync(s, (Evening1, "SW"), (Evening2, "T"), (Phone1, "Da"), (Rude, "A"));
        var report = await ReportAsync(s);
        var before = GpPoints(report).Select(p => p.Key).ToList();
        var last = before[^1];
        Assert.Equal(AuthoringStatus.Invalid, (await s.Authoring.MoveAsync(report, before[0], 0, up: true, Author)).Status);

        Assert.True((await s.Authoring.MoveAsync(report, last, 0, up: true, Author)).Saved);
        var once = await ReportAsync(s);
        Assert.Equal([before[0], last, before[1]], GpPoints(once).Select(p => p.Key));
        var moved = GpPoints(once).Single(p => p.Key == last);
        Assert.True((await s.Authoring.MoveAsync(once, last, moved.Version, up: true, Author)).Saved);

        await ImportAsync(s, (Evening3, "M"), (Phone2, "FH"));
        var regenerated = await ReportAsync(s);
        Assert.Equal([last, before[0], before[1]], GpPoints(regenerated).Select(p => p.Key));
    }
}
