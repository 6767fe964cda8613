using Dapper;
using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Privacy;
using Engagement.Core.Staff;

namespace Engagement.Core.Tests.Data;

/// <summary>Written once, run per provider (see TestDatabases.Providers).</summary>
public sealed class StoreTests
{
    public static IEnumerable<object[]> Providers => TestDatabases.Providers();

    [SqlServerFact]
    public void Sql_server_provider_is_exercised_when_configured() =>
        Assert.Contains(TestDatabases.Providers(), p => (DatabaseProvider)p[0] == DatabaseProvider.SqlServer);

    [Theory, MemberData(nameof(Providers))]
    public void Migrations_are_idempotent(DatabaseProvider provider)
    {
        var db = TestDatabases.CreateMigrated(provider);
        Assert.Empty(Migrator.Migrate(db));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Consultation_is_created_once_and_found_by_slug(DatabaseProvider provider)
    {
        var store = new ConsultationStore(TestDatabases.CreateMigrated(provider));
        var first = await store.EnsureAsync(NewConsultation("strategy"));
        var second = await store.EnsureAsync(NewConsultation("strategy") with { Title = "Changed" });

        Assert.Equal(first.Id, second.Id);
        var found = await store.FindBySlugAsync("strategy");
        Assert.NotNull(found);
        Assert.Equal("A consultation", found.Title);
        Assert.Equal(new DateTime(2026, 10, 1), found.OpensOn.Date);
        Assert.Null(await store.FindBySlugAsync("missing"));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Consultation_counts_work_on_an_empty_and_a_filled_database(DatabaseProvider provider)
    {
        var db = TestDatabases.CreateMigrated(provider);
        var store = new ConsultationStore(db);
        Assert.Empty(await store.ListWithCountsAsync());

        var consultation = await store.EnsureAsync(NewConsultation("k"));
        await new SubmissionStore(db).CreateAsync(NewSubmission(consultation.Id, "G", "Gravesend needs a walk-in centre"));
        var summary = Assert.Single(await store.ListWithCountsAsync());
        Assert.Equal((1L, 1L, 1L), (summary.Submissions, summary.Comments, summary.NewComments));
        Assert.Equal(new DateTime(2027, 1, 31), summary.ClosesOn.Date);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Submission_stores_comments_and_idempotency_key_prevents_a_copy(DatabaseProvider provider)
    {
        var db = TestDatabases.CreateMigrated(provider);
        var consultation = await new ConsultationStore(db).EnsureAsync(NewConsultation("k"));
        var store = new SubmissionStore(db);
        var submission = NewSubmission(consultation.Id, "TW", "Evening GP appointments are impossible") with { IdempotencyKey = new string('a', 32) };

        var first = await store.CreateAsync(submission);
        var second = await store.CreateAsync(submission);

        Assert.False(first.AlreadyExisted);
        Assert.True(second.AlreadyExisted);
        Assert.Equal(first.Reference, second.Reference);
        Assert.Matches("^KM-[0-9A-Z]{4}-[0-9A-Z]{4}$", first.Reference);
        Assert.Equal(1, await TestDatabases.CountAsync(db, "submissions"));
        Assert.Equal(1, await TestDatabases.CountAsync(db, "comments"));
        var stored = await store.FindByReferenceAsync(first.Reference);
        Assert.Equal("TW", stored!.District);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Search_filters_and_keyset_pages_without_gaps_or_repeats(DatabaseProvider provider)
    {
        var db = TestDatabases.CreateMigrated(provider);
        var consultation = await new ConsultationStore(db).EnsureAsync(NewConsultation("k"));
        var submissions = new SubmissionStore(db);
        var rows = Enumerable.Range(0, 23).Select(i => NewSubmission(consultation.Id, i % 2 == 0 ? "T" : "SW", $"Comment number {i}")).ToList();
        rows.Add(NewSubmission(consultation.Id, "Da", "100% of my 50_50 raffle"));
        await submissions.CreateManyAsync(rows);
        var comments = new CommentStore(db);

        var thanet = await comments.SearchAsync(consultation.Id, new CommentFilter { District = "T" }, null, 5);
        Assert.Equal(12, thanet.Total);
        var seen = new List<long>();
        long? before = null;
        do
        {
            var page = await comments.SearchAsync(consultation.Id, new CommentFilter { District = "T" }, before, 5);
            seen.AddRange(page.Rows.Select(r => r.Id));
            Assert.All(page.Rows, r => Assert.Equal("T", r.District));
            before = page.NextBefore;
        } while (before is not null);
        Assert.Equal(12, seen.Distinct().Count());
        Assert.Equal(seen.OrderByDescending(x => x), seen);

        // % and _ typed by a user are literal, not wildcards.
        Assert.Equal(1, (await comments.SearchAsync(consultation.Id, new CommentFilter { Search = "100%" }, null)).Total);
        Assert.Equal(1, (await comments.SearchAsync(consultation.Id, new CommentFilter { Search = "50_50" }, null)).Total);
        Assert.Equal(0, (await comments.SearchAsync(consultation.Id, new CommentFilter { Search = "'; DROP TABLE comments; --" }, null)).Total);
        Assert.Equal(24, await TestDatabases.CountAsync(db, "comments"));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Search_for_a_redacted_viewer_matches_only_the_words_they_can_see(DatabaseProvider provider)
    {
        var db = TestDatabases.CreateMigrated(provider);
        var consultation = await new ConsultationStore(db).EnsureAsync(NewConsultation("k"));
        await new SubmissionStore(db).CreateManyAsync([
            NewSubmission(consultation.Id, "T", "Ring me on 07700 900123 about the bus to the hospital"),
            NewSubmission(consultation.Id, "T", "The bus to the hospital stops at six"),
            NewSubmission(consultation.Id, "T", "A worrying bus story"),
        ]);
        await using (var c = await db.OpenAsync())
            await c.ExecuteAsync("UPDATE comments SET safeguarding = 1 WHERE text LIKE 'A worrying%'");
        var comments = new CommentStore(db);
        var redactor = PersonalDataDetector.Instance;
        var redacted = new CommentFilter { VisibleText = (text, red, safeguarding) => safeguarding ? "withheld" : red ?? redactor.Redact(text) };

        Assert.Equal(1, (await comments.SearchAsync(consultation.Id, new CommentFilter { Search = "07700" }, null)).Total);
        Assert.Equal(0, (await comments.SearchAsync(consultation.Id, redacted with { Search = "07700" }, null)).Total);
        Assert.Equal(3, (await comments.SearchAsync(consultation.Id, new CommentFilter { Search = "bus" }, null)).Total);

        var first = await comments.SearchAsync(consultation.Id, redacted with { Search = "BUS" }, null, pageSize: 1);
        Assert.Equal(2, first.Total);
        var second = await comments.SearchAsync(consultation.Id, redacted with { Search = "BUS" }, first.NextBefore, pageSize: 1);
        Assert.Null(second.NextBefore);
        Assert.Equal(2, first.Rows.Concat(second.Rows).Select(r => r.Id).Distinct().Count());
        Assert.All(first.Rows.Concat(second.Rows), r => Assert.False(r.Safeguarding));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Outcome_filter_prefers_confirmed_over_suggested(DatabaseProvider provider)
    {
        var db = TestDatabases.CreateMigrated(provider);
        var consultation = await new ConsultationStore(db).EnsureAsync(NewConsultation("k"));
        var withSuggestion = NewSubmission(consultation.Id, "M", "No dentist anywhere") with
        {
            Comments = [new NewComment("No dentist anywhere", 5) { Suggestion = new CommentSuggestion(4, "dentistry-pharmacy-and-eye-care", 0.91, false, "test") }],
        };
        await new SubmissionStore(db).CreateAsync(withSuggestion);
        var comments = new CommentStore(db);

        Assert.Equal(1, (await comments.SearchAsync(consultation.Id, new CommentFilter { Outcome = 4 }, null)).Total);
        Assert.Equal(0, (await comments.SearchAsync(consultation.Id, new CommentFilter { Outcome = 5 }, null)).Total);
        var row = (await comments.SearchAsync(consultation.Id, new CommentFilter(), null)).Rows.Single();
        Assert.Equal(5, row.ChosenOutcome);
        Assert.Equal(0.91, row.SuggestedConfidence!.Value, 3);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Theme_seed_adds_only_missing_themes(DatabaseProvider provider)
    {
        var store = new ThemeStore(TestDatabases.CreateMigrated(provider));
        var seeds = new[] { new ThemeSeed("gp-access", "GP access", 4, "d", ["GP"], "why"), new ThemeSeed("housing", "Housing", 2, "d", [], null) };
        Assert.Equal(2, await store.SeedAsync(seeds));
        Assert.Equal(0, await store.SeedAsync(seeds));
        Assert.Equal(["housing", "gp-access"], (await store.ListAsync()).Select(t => t.Id));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Fifth_wrong_password_locks_the_account_even_for_the_right_password(DatabaseProvider provider)
    {
        var users = new StaffUserStore(TestDatabases.CreateMigrated(provider));
        await users.AddOrUpdateAsync("officer@example.org", "engagementteam", "correct horse battery");
        var now = new DateTime(2026, 11, 22, 10, 0, 0, DateTimeKind.Utc);

        Assert.Equal(SignInOutcome.Success, (await users.SignInAsync("OFFICER@example.org", "correct horse battery", now)).Outcome);
        for (var i = 0; i < 4; i++)
            Assert.Equal(SignInOutcome.BadCredentials, (await users.SignInAsync("officer@example.org", "wrong", now)).Outcome);
        Assert.Equal(SignInOutcome.LockedOut, (await users.SignInAsync("officer@example.org", "wrong", now)).Outcome);
        Assert.Equal(SignInOutcome.LockedOut, (await users.SignInAsync("officer@example.org", "correct horse battery", now.AddMinutes(1))).Outcome);
        Assert.Equal(SignInOutcome.Success, (await users.SignInAsync("officer@example.org", "correct horse battery", now.AddMinutes(16))).Outcome);
        Assert.Equal(SignInOutcome.BadCredentials, (await users.SignInAsync("nobody@example.org", "whatever", now)).Outcome);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Bad_account_details_are_refused(DatabaseProvider provider)
    {
        var users = new StaffUserStore(TestDatabases.CreateMigrated(provider));
        await Assert.ThrowsAsync<ArgumentException>(() => users.AddOrUpdateAsync("officer@example.org", "Overlord", "long enough password"));
        await Assert.ThrowsAsync<ArgumentException>(() => users.AddOrUpdateAsync("not-an-email", "Admin", "long enough password"));
        await Assert.ThrowsAsync<ArgumentException>(() => users.AddOrUpdateAsync("officer@example.org", "Admin", "short"));
        Assert.Equal(0, await users.CountAsync());
    }

    internal static Consultation NewConsultation(string slug) => new()
    {
        Slug = slug, Title = "A consultation", Summary = "s", Status = ConsultationStatuses.Open,
        OpensOn = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc), ClosesOn = new DateTime(2027, 1, 31, 0, 0, 0, DateTimeKind.Utc),
    };

    internal static NewSubmission NewSubmission(long consultationId, string district, string text) => new()
    {
        ConsultationId = consultationId, RespondentType = RespondentTypes.Resident, District = district,
        Comments = [new NewComment(text, null)],
    };
}
