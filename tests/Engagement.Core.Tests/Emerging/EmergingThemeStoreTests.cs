using Dapper;
using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Emerging;
using Engagement.Core.Tests.Data;
using Engagement.Core.Triage;
using Microsoft.Extensions.Options;

namespace Engagement.Core.Tests.Emerging;

/// <summary>Emerging-theme SQL, once per provider.</summary>
public sealed class EmergingThemeStoreTests
{
    public static IEnumerable<object[]> Providers => TestDatabases.Providers();

    private sealed record Seeded(Database Db, long ConsultationId, EmergingThemeStore Store, IReadOnlyList<long> Ids);

    /// <summary>One comment per confidence (null = not classified yet), each from its own response in Thanet.</summary>
    private static async Task<Seeded> SeedAsync(DatabaseProvider provider, params double?[] confidences)
    {
        var db = TestDatabases.CreateMigrated(provider);
        await new ThemeStore(db).SeedAsync([new ThemeSeed("gp-access", "GP access", 4, "", [], null)]);
        var consultation = await new ConsultationStore(db).EnsureAsync(new Consultation
        {
            Slug = "k", Title = "A consultation", Status = ConsultationStatuses.Open,
            OpensOn = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc), ClosesOn = new DateTime(2027, 1, 31, 0, 0, 0, DateTimeKind.Utc),
        });
        var n = 0;
        foreach (var conf in confidences)
            await new SubmissionStore(db).CreateAsync(new NewSubmission
            {
                ConsultationId = consultation.Id, RespondentType = RespondentTypes.Resident, District = "T",
                Comments = [new NewComment($"Comment {++n} about hearing aid batteries", null)
                {
                    Suggestion = conf is null ? null : new CommentSuggestion(4, "gp-access", conf.Value, conf < 0.5, "test-model"),
                }],
            });
        await using var c = await db.OpenAsync();
        var ids = (await c.QueryAsync<long>("SELECT id FROM comments ORDER BY id")).ToList();
        var store = new EmergingThemeStore(db, new ThemeAdminStore(db), Options.Create(new EmergingThemeOptions { ConfidenceBelow = 0.5 }));
        return new Seeded(db, consultation.Id, store, ids);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Unfitted_means_low_confidence_without_a_confirmed_theme_or_confirmed_as_other(DatabaseProvider provider)
    {
        var s = await SeedAsync(provider, 0.2, 0.9, null, 0.3, 0.1, 0.8);
        await using (var c = await s.Db.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE comments SET confirmed_theme = 'gp-access', confirmed_outcome = 4, status = 'triaged' WHERE id = @id", new { id = s.Ids[3] });
            await c.ExecuteAsync("UPDATE comments SET status = 'spam' WHERE id = @id", new { id = s.Ids[4] });
            await c.ExecuteAsync("UPDATE comments SET confirmed_theme = 'other', confirmed_outcome = 0, status = 'triaged' WHERE id = @id", new { id = s.Ids[5] });
        }
        var unfitted = await s.Store.UnfittedAsync(s.ConsultationId);
        Assert.Equal([s.Ids[0], s.Ids[5]], unfitted.Select(u => u.CommentId).ToList());
        Assert.Equal("T", unfitted[0].District);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Promoting_creates_the_theme_and_confirms_it_on_the_comments_that_still_fit_nothing_with_audit(DatabaseProvider provider)
    {
        var s = await SeedAsync(provider, 0.2, 0.3, 0.1, 0.9);
        await using (var c = await s.Db.OpenAsync())
            await c.ExecuteAsync("UPDATE comments SET confirmed_theme = 'gp-access', confirmed_outcome = 4, status = 'triaged' WHERE id = @id", new { id = s.Ids[2] });

        var result = await s.Store.PromoteAsync(s.ConsultationId, [s.Ids[0], s.Ids[1], s.Ids[2], 999_999], "Hearing aid batteries", 4, "Getting batteries", "admin@example.org");
        Assert.Equal((null, "hearing-aid-batteries", 2), (result.Error, result.ThemeId, result.Labelled));

        var theme = await new ThemeAdminStore(s.Db).GetAsync("hearing-aid-batteries");
        Assert.Equal(("Hearing aid batteries", 4), (theme!.Name, theme.OutcomeId));
        await using var db = await s.Db.OpenAsync();
        var rows = (await db.QueryAsync<(long Id, string? Theme, long? Outcome, string Status, string? By, long Version)>(
            "SELECT id, confirmed_theme, confirmed_outcome, status, confirmed_by, row_version FROM comments ORDER BY id")).ToList();
        Assert.Equal(("hearing-aid-batteries", 4L, "triaged", "admin@example.org", 2L), (rows[0].Theme, rows[0].Outcome, rows[0].Status, rows[0].By, rows[0].Version));
        Assert.Equal("hearing-aid-batteries", rows[1].Theme);
        Assert.Equal("gp-access", rows[2].Theme); // a person's decision stands
        Assert.Null(rows[3].Theme);
        var audit = await new AuditStore(s.Db).ForCommentAsync(s.Ids[0]);
        Assert.Contains(audit, a => a.Field == "confirmed_theme" && a.NewValue == "hearing-aid-batteries" && a.ChangedBy == "admin@example.org");

        // Now confirmed, the comments leave the unfitted set and are offered to the next retrain.
        Assert.DoesNotContain(await s.Store.UnfittedAsync(s.ConsultationId), u => u.CommentId == s.Ids[0]);
        Assert.Contains(await new TriageStore(s.Db).ConfirmedForTrainingAsync(), r => r.Id == s.Ids[0] && r.Theme == "hearing-aid-batteries");

        var again = await s.Store.PromoteAsync(s.ConsultationId, [s.Ids[3]], "Hearing aid batteries", 4, "", "admin@example.org");
        Assert.Equal("A theme with that id already exists", again.Error);
    }

    private static EmergingResult ResultOf(IReadOnlyList<long> ids) => new(
        [
            new EmergingCluster
            {
                Number = 1, Size = 3, TopTerms = ["hearing", "batteries"], CommentIds = [ids[0], ids[1], ids[2]],
                Typical = [new UnfittedComment(ids[0], "text when clustered", "T"), new UnfittedComment(ids[1], "other text", "T")],
                Districts = [("T", 3)],
            },
            new EmergingCluster { Number = 2, Size = 1, TopTerms = ["aid"], CommentIds = [ids[3]], Typical = [new UnfittedComment(ids[3], "x", "T")], Districts = [("T", 1)] },
        ], 2, 0.25, [(2, 0.25), (3, 0.125)], 4);

    [Theory, MemberData(nameof(Providers))]
    public async Task A_stored_result_is_read_back_with_typical_text_as_it_is_now_and_ids_capped_per_cluster(DatabaseProvider provider)
    {
        var s = await SeedAsync(provider, 0.2, 0.3, 0.1, 0.2);
        Assert.Equal(new StoredEmergingThemes(null, null), await s.Store.FindStoredAsync(s.ConsultationId));
        var store = new EmergingThemeStore(s.Db, new ThemeAdminStore(s.Db), Options.Create(new EmergingThemeOptions { StoredCommentIds = 2 }));
        var at = new DateTime(2026, 12, 1, 14, 5, 0, DateTimeKind.Utc);
        await store.SaveResultAsync(s.ConsultationId, "4,10,100", at, ResultOf(s.Ids));

        // Since clustering: the first typical comment was redacted, the second erased (hidden).
        await using (var c = await s.Db.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE comments SET redacted_text = 'Comment [name] about hearing aid batteries' WHERE id = @id", new { id = s.Ids[0] });
            await c.ExecuteAsync("UPDATE comments SET status = 'hidden' WHERE id = @id", new { id = s.Ids[1] });
            var json = await c.ExecuteScalarAsync<string>("SELECT result_json FROM emerging_theme_results");
            Assert.DoesNotContain("text when clustered", json);
        }

        var stored = (await store.FindStoredAsync(s.ConsultationId)).Latest!;
        Assert.Equal(("4,10,100", at), (stored.Fingerprint, stored.ComputedAt));
        var (result, first) = (stored.Result, stored.Result.Clusters[0]);
        Assert.Equal((2, 0.25, 4), (result.K, result.Silhouette, result.Comments));
        Assert.Equal([(2, 0.25), (3, 0.125)], result.Tried);
        Assert.Equal((1, 3, "hearing, batteries"), (first.Number, first.Size, first.Name));
        Assert.Equal([s.Ids[0], s.Ids[1]], first.CommentIds);
        Assert.Equal([new UnfittedComment(s.Ids[0], "Comment [name] about hearing aid batteries", "T")], first.Typical);
        Assert.Equal([("T", 3)], first.Districts);
        Assert.Equal([s.Ids[3]], result.Clusters[1].CommentIds);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_failure_is_kept_beside_the_last_result_and_cleared_by_the_next_success(DatabaseProvider provider)
    {
        var s = await SeedAsync(provider, 0.2, 0.3, 0.1, 0.2);
        var at = new DateTime(2026, 12, 1, 14, 5, 0, DateTimeKind.Utc);
        await s.Store.SaveFailureAsync(s.ConsultationId, "first", at, new string('x', 5000));
        var failedFirst = await s.Store.FindStoredAsync(s.ConsultationId);
        Assert.Null(failedFirst.Latest);
        Assert.Equal(("first", at, EmergingThemeStore.MaxErrorChars), (failedFirst.Failure!.Fingerprint, failedFirst.Failure.FailedAt, failedFirst.Failure.Error.Length));

        await s.Store.SaveResultAsync(s.ConsultationId, "first", at.AddMinutes(1), ResultOf(s.Ids));
        Assert.Null((await s.Store.FindStoredAsync(s.ConsultationId)).Failure);

        await s.Store.SaveFailureAsync(s.ConsultationId, "second", at.AddMinutes(2), "InvalidOperationException: boom");
        var both = await s.Store.FindStoredAsync(s.ConsultationId);
        Assert.Equal(("first", at.AddMinutes(1)), (both.Latest!.Fingerprint, both.Latest.ComputedAt));
        Assert.Equal(("second", "InvalidOperationException: boom"), (both.Failure!.Fingerprint, both.Failure.Error));

        await s.Store.SaveResultAsync(s.ConsultationId, "second", at.AddMinutes(3), ResultOf(s.Ids));
        var after = await s.Store.FindStoredAsync(s.ConsultationId);
        Assert.Equal(("second", null), (after.Latest!.Fingerprint, after.Failure));
        Assert.Equal(1, await TestDatabases.CountAsync(s.Db, "emerging_theme_results"));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_fingerprint_changes_when_a_comment_stops_fitting_no_theme(DatabaseProvider provider)
    {
        var s = await SeedAsync(provider, 0.2, 0.3, 0.1);
        var before = EmergingThemeStore.Fingerprint(await s.Store.UnfittedAsync(s.ConsultationId));
        Assert.Equal(before, EmergingThemeStore.Fingerprint(await s.Store.UnfittedAsync(s.ConsultationId)));
        await using (var c = await s.Db.OpenAsync())
            await c.ExecuteAsync("UPDATE comments SET confirmed_theme = 'gp-access', confirmed_outcome = 4, status = 'triaged' WHERE id = @id", new { id = s.Ids[1] });
        Assert.NotEqual(before, EmergingThemeStore.Fingerprint(await s.Store.UnfittedAsync(s.ConsultationId)));
    }
}
