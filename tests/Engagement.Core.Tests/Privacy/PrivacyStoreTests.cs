using System.Text;
using Dapper;
using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Privacy;
using Engagement.Core.Reports;
using Engagement.Core.Staff;
using Engagement.Core.Tests.Data;
using Engagement.Core.Tests.Reports;
using Engagement.Core.Triage;

namespace Engagement.Core.Tests.Privacy;

/// <summary>Erasure by reference number, per provider.</summary>
public sealed class PrivacyStoreTests
{
    public static IEnumerable<object[]> Providers => TestDatabases.Providers();

    private const string ErasedText = "My GP in Margate is Dr Example and I am Jane Doe at 1 High Street";
    private const string KeptText = "The bus to the hospital stopped running";

    private static async Task<(Database Db, Consultation Consultation, string Erased, string Kept)> SeedAsync(DatabaseProvider provider)
    {
        var db = TestDatabases.CreateMigrated(provider);
        var consultation = await new ConsultationStore(db).EnsureAsync(new Consultation
        {
            Slug = "privacy", Title = "Privacy test", Summary = "s", Status = ConsultationStatuses.Closed,
            OpensOn = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), ClosesOn = new DateTime(2026, 3, 31, 0, 0, 0, DateTimeKind.Utc),
        });
        var submissions = new SubmissionStore(db);
        var erased = await submissions.CreateAsync(new NewSubmission
        {
            ConsultationId = consultation.Id, RespondentType = RespondentTypes.Resident, District = "T", Organisation = "Jane's group",
            ConsentToQuote = true, AboutYou = new AboutYouAnswers("35-44", "female", "white-british", "yes", "no"),
            Comments = [new NewComment(ErasedText, 5)],
        });
        var kept = await submissions.CreateAsync(new NewSubmission
        {
            ConsultationId = consultation.Id, RespondentType = RespondentTypes.Resident, District = "T", Comments = [new NewComment(KeptText, 2)],
        });
        await using var c = await db.OpenAsync();
        // Both confirmed in triage, with a note, so they would reach training data and reports.
        await c.ExecuteAsync("""
            UPDATE comments SET status = 'triaged', confirmed_theme = 'gp-access', confirmed_outcome = 5, suggested_theme = 'gp-access',
                redacted_text = text, confirmed_at = @at, confirmed_by = 'team@example.org'
            """, new { at = DateTime.UtcNow });
        await c.ExecuteAsync("""
            INSERT INTO comment_notes (comment_id, author, created_at, text) SELECT id, 'team@example.org', @at, 'Called Jane back' FROM comments
            """, new { at = DateTime.UtcNow });
        return (db, consultation, erased.Reference, kept.Reference);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Erasure_anonymises_the_submission_its_comments_and_notes_and_is_audited(DatabaseProvider provider)
    {
        var (db, _, erased, kept) = await SeedAsync(provider);
        var store = new PrivacyStore(db);

        var result = await store.EraseAsync(erased.ToLowerInvariant() + " ", "admin@example.org");

        Assert.NotNull(result);
        Assert.Equal((erased, 1, false), (result.Reference, result.Comments, result.AlreadyErased));
        await using var c = await db.OpenAsync();
        var s = await c.QuerySingleAsync<(string? Organisation, string? AgeBand, string? Sex, string? Ethnic, string? Disability, string? Carer, string? District, DateTime? ErasedAt)>(
            "SELECT organisation, age_band, sex, ethnic_group, disability, unpaid_carer, district, erased_at FROM submissions WHERE reference = @erased", new { erased });
        Assert.Equal((null, null, null, null, null, null, null), (s.Organisation, s.AgeBand, s.Sex, s.Ethnic, s.Disability, s.Carer, s.District));
        Assert.NotNull(s.ErasedAt);
        var m = await c.QuerySingleAsync<(string Text, string? Redacted, string Status, string? Theme, string? Suggested)>("""
            SELECT m.text, m.redacted_text, m.status, m.confirmed_theme, m.suggested_theme FROM comments m
            JOIN submissions s ON s.id = m.submission_id WHERE s.reference = @erased
            """, new { erased });
        Assert.Equal((PrivacyStore.RemovedText, PrivacyStore.RemovedText, CommentStatuses.Hidden, null, null), (m.Text, m.Redacted, m.Status, m.Theme, m.Suggested));
        Assert.Equal(1L, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM comment_notes"));
        Assert.Equal(0L, await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM comments WHERE text LIKE '%Jane%'"));
        // The other respondent is untouched.
        Assert.Equal(KeptText, await c.ExecuteScalarAsync<string>(
            "SELECT m.text FROM comments m JOIN submissions s ON s.id = m.submission_id WHERE s.reference = @kept", new { kept }));
        Assert.Equal(1L, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM comment_audit WHERE field = 'erased'"));
        var logged = Assert.Single(await new SecurityEventStore(db).ListAsync(SecurityEventKinds.SubmissionErased, 10));
        Assert.Equal("admin@example.org", logged.Email);
        Assert.Contains(erased, logged.Detail);

        var again = await store.EraseAsync(erased, "admin@example.org");
        Assert.True(again!.AlreadyErased);
        Assert.Null(await store.EraseAsync("KM-NOPE", "admin@example.org"));
        Assert.NotNull((await store.FindAsync(erased))!.ErasedAt);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Erased_comment_leaves_retraining_data_and_report_exports(DatabaseProvider provider)
    {
        var (db, consultation, erased, _) = await SeedAsync(provider);
        var triage = new TriageStore(db);
        Assert.Equal(2, (await triage.ConfirmedForTrainingAsync()).Count);
        var themes = new ThemeStore(db);
        await themes.SeedAsync(ReportTestData.Themes.Select(t => new ThemeSeed(t.Id, t.Name, t.OutcomeId, "", [], null)));
        var reports = new ReportService(new ConsultationStore(db), new ReportStore(db), themes,
            new SuggestionService(new KeywordClassifier(), new CommentStore(db)), PersonalDataDetector.Instance);
        Assert.Contains("Margate", await CsvAsync(reports, consultation));

        await new PrivacyStore(db).EraseAsync(erased, "admin@example.org");

        var training = await triage.ConfirmedForTrainingAsync();
        Assert.Equal(KeptText, Assert.Single(training).Text);
        var csv = await CsvAsync(reports, consultation);
        Assert.DoesNotContain("Margate", csv);
        Assert.DoesNotContain(erased, csv);
        Assert.Contains("hospital", csv);
    }

    private static async Task<string> CsvAsync(ReportService reports, Consultation consultation)
    {
        var report = await reports.BuildAsync(consultation, classifyFirst: false);
        using var output = new MemoryStream();
        await ReportFormats.WriteAsync(report, ReportFormat.Csv, output);
        return Encoding.UTF8.GetString(output.ToArray());
    }
}
