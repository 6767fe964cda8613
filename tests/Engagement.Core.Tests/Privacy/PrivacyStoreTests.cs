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

    [Theory, MemberData(nameof(Providers))]
    public async Task Purge_anonymises_responses_once_the_retention_period_after_closing_has_passed(DatabaseProvider provider)
    {
        // The seeded consultation closed on 31 March 2026; a second one closed on 31 December 2026 keeps responses 6 months.
        var (db, _, erased, kept) = await SeedAsync(provider);
        var later = await new ConsultationStore(db).EnsureAsync(new Consultation
        {
            Slug = "later", Title = "Later", Summary = "s", Status = ConsultationStatuses.Closed,
            OpensOn = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc), ClosesOn = new DateTime(2026, 12, 31, 0, 0, 0, DateTimeKind.Utc),
        });
        var laterRef = (await new SubmissionStore(db).CreateAsync(new NewSubmission
        {
            ConsultationId = later.Id, RespondentType = RespondentTypes.Resident, Comments = [new NewComment("Later comment about dentists", null)],
        })).Reference;
        var store = new PrivacyStore(db);
        Assert.True(await store.SetRetentionAsync("later", 6));

        // 1 April 2027: 12 months after the first closed (default 24 not reached), 3 months after the second (6 not reached).
        Assert.Empty((await store.PurgeAsync(24, new DateTime(2027, 4, 1, 0, 0, 0, DateTimeKind.Utc), dryRun: false)).Consultations);

        // 1 July 2027: the second consultation's 6 months are up. A dry run counts and changes nothing.
        var july = new DateTime(2027, 7, 1, 0, 0, 0, DateTimeKind.Utc);
        var dry = await store.PurgeAsync(24, july, dryRun: true);
        Assert.Equal(("later", 1), (Assert.Single(dry.Consultations).Slug, dry.Submissions));
        Assert.Null((await store.FindAsync(laterRef))!.ErasedAt);

        var real = await store.PurgeAsync(24, july, dryRun: false);
        Assert.Equal(1, real.Submissions);
        var purged = (await store.FindAsync(laterRef))!;
        Assert.Equal(ErasureReasons.Retention, purged.ErasedReason);
        Assert.Null((await store.FindAsync(kept))!.ErasedAt);
        Assert.Empty((await store.PurgeAsync(24, july, dryRun: false)).Consultations);

        // 1 April 2028: 24 months after 31 March 2026; both responses of the first consultation go, one of them already erased on request.
        await store.EraseAsync(erased, "admin@example.org");
        var april = await store.PurgeAsync(24, new DateTime(2028, 4, 1, 0, 0, 0, DateTimeKind.Utc), dryRun: false);
        Assert.Equal(("privacy", 1), (Assert.Single(april.Consultations).Slug, april.Submissions));
        Assert.Equal(ErasureReasons.Retention, (await store.FindAsync(kept))!.ErasedReason);
        Assert.Equal(ErasureReasons.Request, (await store.FindAsync(erased))!.ErasedReason);
        await using var c = await db.OpenAsync();
        Assert.Equal(0L, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM comments WHERE text LIKE '%hospital%' OR text LIKE '%dentists%'"));
        Assert.Equal(2, (await new SecurityEventStore(db).ListAsync(SecurityEventKinds.RetentionPurge, 10)).Count);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Erased_comment_leaves_its_campaign_and_a_group_it_represented_takes_another_members_wording(DatabaseProvider provider)
    {
        var db = TestDatabases.CreateMigrated(provider);
        var consultation = await new ConsultationStore(db).EnsureAsync(new Consultation
        {
            Slug = "campaign", Title = "Campaign", Summary = "s", Status = ConsultationStatuses.Open,
            OpensOn = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc), ClosesOn = new DateTime(2027, 1, 31, 0, 0, 0, DateTimeKind.Utc),
        });
        const string letter = "Save our community hospital! Closing the minor injuries unit would force families to travel over an hour.";
        var references = new List<string>();
        foreach (var district in new[] { "T", "SW", "D", "M" })
            references.Add((await new SubmissionStore(db).CreateAsync(new NewSubmission
            {
                ConsultationId = consultation.Id, RespondentType = RespondentTypes.Resident, District = district, Comments = [new NewComment(letter, null)],
            })).Reference);
        await new Engagement.Core.Campaigns.CampaignStore(db).DetectAsync(consultation.Id);
        await using var c = await db.OpenAsync();
        var representative = await c.ExecuteScalarAsync<long>("SELECT representative_comment_id FROM duplicate_groups");
        var reference = await c.ExecuteScalarAsync<string>(
            "SELECT s.reference FROM submissions s JOIN comments m ON m.submission_id = s.id WHERE m.id = @representative", new { representative });
        Assert.Equal(4L, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM duplicate_group_members"));

        await new PrivacyStore(db).EraseAsync(reference!, "admin@example.org");

        Assert.Equal(3L, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM duplicate_group_members"));
        var (newRepresentative, text) = await c.QuerySingleAsync<(long, string)>("SELECT representative_comment_id, representative_text FROM duplicate_groups");
        Assert.NotEqual(representative, newRepresentative);
        Assert.Equal(letter, text);
    }

    private static async Task<string> CsvAsync(ReportService reports, Consultation consultation)
    {
        var report = await reports.BuildAsync(consultation, classifyFirst: false);
        using var output = new MemoryStream();
        await ReportFormats.WriteAsync(report, ReportFormat.Csv, output);
        return Encoding.UTF8.GetString(output.ToArray());
    }
}
