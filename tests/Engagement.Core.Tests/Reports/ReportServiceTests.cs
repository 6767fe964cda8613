using Dapper;
using Engagement.Classifier;
using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Import;
using Engagement.Core.Privacy;
using Engagement.Core.Reports;
using Engagement.Core.Tests.Data;

namespace Engagement.Core.Tests.Reports;

/// <summary>A classifier that tags by keyword, so the tests know what to expect.</summary>
internal sealed class KeywordClassifier : ICommentClassifier
{
    public bool Available { get; set; } = true;
    public bool IsAvailable => Available;
    public string? ModelVersion => "keyword-test-1";
    public string? UnavailableReason => Available ? null : "off";

    public ThemeSuggestion? Suggest(string text)
    {
        var (theme, outcome) = text.Contains("bus", StringComparison.OrdinalIgnoreCase) ? ("transport", 2)
            : text.Contains("dentist", StringComparison.OrdinalIgnoreCase) ? ("dentistry", 4)
            : text.Contains("GP", StringComparison.Ordinal) ? ("gp-access", 5) : ("general", 0);
        return new ThemeSuggestion(theme, outcome, 0.9f, [(theme, 0.9f)], [], false);
    }

    public IReadOnlyList<ThemeSuggestion?> SuggestMany(IReadOnlyList<string> texts) => texts.Select(Suggest).ToList();
}

/// <summary>Import, classify, report and edit against a real database, per provider.</summary>
public sealed class ReportServiceTests
{
    public static IEnumerable<object[]> Providers => TestDatabases.Providers();

    private sealed record Services(Database Db, MinimalCsvImporter Importer, ReportService Reports, ReportStore Store, KeywordClassifier Classifier);

    private static async Task<Services> CreateAsync(DatabaseProvider provider)
    {
        var db = TestDatabases.CreateMigrated(provider);
        var themes = new ThemeStore(db);
        await themes.SeedAsync(ReportTestData.Themes.Select(t => new ThemeSeed(t.Id, t.Name, t.OutcomeId, "", [], null)));
        var classifier = new KeywordClassifier();
        var suggestions = new SuggestionService(classifier, new CommentStore(db));
        var consultations = new ConsultationStore(db);
        var store = new ReportStore(db);
        return new Services(db, new MinimalCsvImporter(consultations, new SubmissionStore(db), store, suggestions),
            new ReportService(consultations, store, themes, suggestions, PersonalDataDetector.Instance), store, classifier);
    }

    private static string Csv(string content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"engage-import-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, content);
        return path;
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Import_creates_the_consultation_classifies_and_is_idempotent(DatabaseProvider provider)
    {
        var s = await CreateAsync(provider);
        var file = Csv("""
            TEXT,District,Respondent_Type,Organisation,Channel,Outcome
            Evening GP appointments are hard to get for working parents,Swale;T;Da,resident,,online,5
            The bus to the hospital stopped running,thanet,partner,Age UK Thanet,Email,not sure
            ,T,resident,,online,
            A comment from nowhere,Narnia,resident,,online,
            Another comment,T,resident,,carrier pigeon,
            Dentists are closed,medway,resident,,,7
            """);

        var first = await s.Importer.ImportAsync(file, "new-consultation");
        var again = await s.Importer.ImportAsync(file, "new-consultation");

        Assert.True(first.ConsultationCreated);
        Assert.Equal(2, first.Added);
        Assert.Equal(2, first.Classified);
        Assert.Equal([4, 5, 6, 7], first.Errors.Select(e => e.Line));
        Assert.False(again.ConsultationCreated);
        Assert.Equal(0, again.Added);
        Assert.Equal(2, again.AlreadyImported);
        Assert.Equal(2, await TestDatabases.CountAsync(s.Db, "comments"));

        var report = (await s.Reports.BuildAsync("new-consultation"))!;
        Assert.Equal("New consultation", report.Consultation.Title);
        var gp = report.Sections.Single(x => x.Outcome.Id == 5).PublicFeedback.Single().Points.Single();
        Assert.Equal("(SW)(T)(Da)", gp.CodesText);
        var bus = report.Sections.Single(x => x.Outcome.Id == 2).PartnerFeedback.Single().Points.Single();
        Assert.Equal("(T)(VCS)", bus.CodesText);
        Assert.Equal(["keyword-test-1"], report.Method.ModelVersions);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Import_rejects_a_file_without_a_text_column(DatabaseProvider provider)
    {
        var s = await CreateAsync(provider);
        var ex = await Assert.ThrowsAsync<ImportFileException>(() => s.Importer.ImportAsync(Csv("comment,district\nhello,T\n"), "x"));
        Assert.Contains("no 'text' column", ex.Message);
        Assert.Throws<ImportFileException>(() => MinimalCsvImporter.CheckFile(Csv("comment\nhello\n")));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Report_classifies_unsuggested_comments_first_and_redacts_untriaged_text(DatabaseProvider provider)
    {
        var s = await CreateAsync(provider);
        s.Classifier.Available = false;
        await s.Importer.ImportAsync(Csv("text,district\n\"The bus is never on time, ring me on 07700 900123\",T\n"), "k");
        s.Classifier.Available = true;

        var report = (await s.Reports.BuildAsync("k"))!;

        Assert.Equal(1, report.Method.ClassifiedNow);
        var point = report.Sections.Single(x => x.Outcome.Id == 2).PublicFeedback.Single().Points.Single();
        Assert.Equal("The bus is never on time, ring me on [phone removed]", point.Wording);
        foreach (var format in ReportFormats.All)
        {
            using var stream = new MemoryStream();
            await ReportFormats.WriteAsync(report, format, stream);
            var bytes = stream.ToArray();
            var text = format is ReportFormat.Docx or ReportFormat.Xlsx ? UnzipText(bytes) : System.Text.Encoding.UTF8.GetString(bytes);
            Assert.DoesNotContain("07700", text);
            Assert.Contains("[phone removed]", text);
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_saved_edit_survives_regeneration_with_new_comments(DatabaseProvider provider)
    {
        var s = await CreateAsync(provider);
        await s.Importer.ImportAsync(Csv("text,district\nEvening GP appointments are hard to get for working parents,SW\nThe bus to the hospital stopped running after 6pm,T\n"), "k");
        var report = (await s.Reports.BuildAsync("k"))!;
        var point = report.AllPoints.Single(p => p.OutcomeId == 5).Point;

        var version1 = await s.Store.SavePointEditAsync(new PointEdit
        {
            ConsultationId = report.Consultation.Id, PointKey = point.Key, Wording = "Working parents want evening GP appointments",
            CommentIds = string.Join(",", point.CommentIds), EditedBy = "author@example.org",
        });
        var version2 = await s.Store.SavePointEditAsync(new PointEdit
        {
            ConsultationId = report.Consultation.Id, PointKey = point.Key, Wording = "Working parents need evening GP appointments",
            CommentIds = string.Join(",", point.CommentIds), EditedBy = "author@example.org",
        });
        await s.Importer.ImportAsync(Csv("text,district\nIt is hard to get evening GP appointments as a working parent,Da\n"), "k");

        var regenerated = (await s.Reports.BuildAsync("k"))!;
        var edited = regenerated.AllPoints.Single(p => p.OutcomeId == 5).Point;
        Assert.Equal((1, 2), (version1, version2));
        Assert.Equal("Working parents need evening GP appointments", edited.Wording);
        Assert.Equal("(SW)(Da)", edited.CodesText);
        Assert.Equal(2, edited.Count);
        Assert.Equal(2, (await s.Store.PointHistoryAsync(report.Consultation.Id, point.Key)).Count);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Safeguarding_column_is_honoured_when_the_schema_has_one(DatabaseProvider provider)
    {
        var s = await CreateAsync(provider);
        await s.Importer.ImportAsync(Csv("text,district,consent_to_quote\nEvening GP appointments are hard to get and I am scared at home,SW,yes\n"), "k");
        await using (var c = await s.Db.OpenAsync())
        {
            var columns = provider == DatabaseProvider.SqlServer
                ? await c.QueryAsync<string>("SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'comments'")
                : await c.QueryAsync<string>("SELECT name FROM pragma_table_info('comments')");
            if (!columns.Contains("safeguarding", StringComparer.OrdinalIgnoreCase))
                await c.ExecuteAsync(provider == DatabaseProvider.SqlServer
                    ? "ALTER TABLE comments ADD safeguarding INT NULL" : "ALTER TABLE comments ADD COLUMN safeguarding INTEGER NULL");
            await c.ExecuteAsync("UPDATE comments SET safeguarding = 1");
        }

        var report = (await s.Reports.BuildAsync("k"))!;
        var group = report.Sections.Single(x => x.Outcome.Id == 5).PublicFeedback.Single();
        Assert.Empty(group.Quotes);
        Assert.DoesNotContain("scared", group.Points.Single().Wording);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_redaction_confirmed_in_triage_replaces_the_original_text(DatabaseProvider provider)
    {
        var s = await CreateAsync(provider);
        await s.Importer.ImportAsync(Csv("text,district\nThe bus driver Gary Oldfield at the depot was rude,T\n"), "k");
        await using (var c = await s.Db.OpenAsync())
        {
            var columns = provider == DatabaseProvider.SqlServer
                ? await c.QueryAsync<string>("SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'comments'")
                : await c.QueryAsync<string>("SELECT name FROM pragma_table_info('comments')");
            if (!columns.Contains("redacted_text", StringComparer.OrdinalIgnoreCase)) return; // triage migration not present
            await c.ExecuteAsync("UPDATE comments SET redacted_text = 'The bus driver [name removed] at the depot was rude'");
        }

        var report = (await s.Reports.BuildAsync("k"))!;
        Assert.Equal("The bus driver [name removed] at the depot was rude", report.AllPoints.Single().Point.Wording);
        Assert.DoesNotContain(report.Comments, r => r.Text.Contains("Oldfield"));
    }

    private static string UnzipText(byte[] bytes)
    {
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(bytes));
        return string.Concat(zip.Entries.Where(e => e.FullName.EndsWith(".xml", StringComparison.Ordinal))
            .Select(e => new StreamReader(e.Open()).ReadToEnd()));
    }
}
