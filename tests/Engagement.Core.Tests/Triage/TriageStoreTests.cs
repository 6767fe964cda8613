using Dapper;
using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Tests.Data;
using Engagement.Core.Triage;

namespace Engagement.Core.Tests.Triage;

/// <summary>Triage SQL, once per provider.</summary>
public sealed class TriageStoreTests
{
    public static IEnumerable<object[]> Providers => TestDatabases.Providers();

    internal sealed record Seeded(Database Db, long ConsultationId, TriageStore Store, IReadOnlyList<long> Ids);

    internal static readonly ThemeSeed[] Themes =
    [
        new("gp-access", "GP access", 4, "", [], null),
        new("housing", "Housing", 2, "", [], null),
        new("buses", "Buses and transport", 2, "", [], null),
        new("workforce", "Workforce", 6, "", [], null),
    ];

    /// <summary>One comment per confidence (null = no suggestion), in id order.</summary>
    internal static async Task<Seeded> SeedAsync(DatabaseProvider provider, params double?[] confidences)
    {
        var db = TestDatabases.CreateMigrated(provider);
        await new ThemeStore(db).SeedAsync(Themes);
        var consultation = await new ConsultationStore(db).EnsureAsync(new Consultation
        {
            Slug = "k", Title = "A consultation", Status = ConsultationStatuses.Open,
            OpensOn = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc), ClosesOn = new DateTime(2027, 1, 31, 0, 0, 0, DateTimeKind.Utc),
        });
        var submissions = new SubmissionStore(db);
        var n = 0;
        foreach (var conf in confidences)
        {
            n++;
            await submissions.CreateAsync(new NewSubmission
            {
                ConsultationId = consultation.Id, RespondentType = RespondentTypes.Resident, District = n % 2 == 0 ? "T" : "SW",
                Channel = n % 3 == 0 ? "email" : Channels.Online,
                Comments = [new NewComment($"Comment {n} about the GP surgery", 4)
                {
                    Suggestion = conf is null ? null : new CommentSuggestion(4, "gp-access", conf.Value, conf < 0.5, "test-model"),
                }],
            });
        }
        await using var c = await db.OpenAsync();
        var ids = (await c.QueryAsync<long>("SELECT id FROM comments ORDER BY id")).ToList();
        return new Seeded(db, consultation.Id, new TriageStore(db), ids);
    }

    private static TriageCommand Cmd(long id, int version, TriageActionKind kind) => new() { CommentId = id, ExpectedRowVersion = version, Kind = kind };

    [Theory, MemberData(nameof(Providers))]
    public async Task Least_certain_first_puts_no_suggestion_first_then_ascending_confidence_and_pages_without_gaps(DatabaseProvider provider)
    {
        var s = await SeedAsync(provider, 0.9, null, 0.3, 0.6, null, 0.3, 0.1, 0.95);
        var seen = new List<long>();
        QueueCursor? after = null;
        for (var page = 0; page < 10; page++)
        {
            var result = await s.Store.QueueAsync(s.ConsultationId, new QueueFilter(), QueueOrder.LeastCertain, after, pageSize: 3);
            Assert.Equal(8, result.Total);
            seen.AddRange(result.Items.Select(i => i.Id));
            if (result.NextCursor is null) break;
            after = QueueCursor.Decode(result.NextCursor);
        }
        var i = s.Ids;
        Assert.Equal([i[1], i[4], i[6], i[2], i[5], i[3], i[0], i[7]], seen);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Newest_first_and_filters(DatabaseProvider provider)
    {
        var s = await SeedAsync(provider, 0.9, null, 0.3, 0.6, 0.85, 0.2);
        var newest = await s.Store.QueueAsync(s.ConsultationId, new QueueFilter(), QueueOrder.Newest, null, pageSize: 4);
        Assert.Equal(s.Ids.Reverse().Take(4), newest.Items.Select(x => x.Id));
        var next = await s.Store.QueueAsync(s.ConsultationId, new QueueFilter(), QueueOrder.Newest, QueueCursor.Decode(newest.NextCursor), pageSize: 4);
        Assert.Equal(s.Ids.Take(2).Reverse(), next.Items.Select(x => x.Id));

        Assert.Equal(2, (await s.Store.QueueAsync(s.ConsultationId, new QueueFilter { Band = ConfidenceBands.High }, QueueOrder.Newest, null)).Total);
        Assert.Equal(2, (await s.Store.QueueAsync(s.ConsultationId, new QueueFilter { Band = ConfidenceBands.Low }, QueueOrder.Newest, null)).Total);
        Assert.Equal(1, (await s.Store.QueueAsync(s.ConsultationId, new QueueFilter { Band = ConfidenceBands.Medium }, QueueOrder.Newest, null)).Total);
        Assert.Equal(1, (await s.Store.QueueAsync(s.ConsultationId, new QueueFilter { Band = ConfidenceBands.None }, QueueOrder.Newest, null)).Total);
        Assert.Equal(3, (await s.Store.QueueAsync(s.ConsultationId, new QueueFilter { District = "T" }, QueueOrder.Newest, null)).Total);
        Assert.Equal(2, (await s.Store.QueueAsync(s.ConsultationId, new QueueFilter { Channel = "email" }, QueueOrder.Newest, null)).Total);
        Assert.Equal(5, (await s.Store.QueueAsync(s.ConsultationId, new QueueFilter { SuggestedOutcome = 4 }, QueueOrder.Newest, null)).Total);
        Assert.Equal(0, (await s.Store.QueueAsync(s.ConsultationId, new QueueFilter { RespondentType = RespondentTypes.Partner }, QueueOrder.Newest, null)).Total);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Accepting_confirms_the_suggestion_leaves_the_queue_and_writes_audit_rows(DatabaseProvider provider)
    {
        var s = await SeedAsync(provider, 0.4, 0.7);
        var id = s.Ids[0];
        var result = await s.Store.ApplyAsync(Cmd(id, 1, TriageActionKind.Accept), "team@example.org");

        Assert.True(result.Saved);
        var item = result.Current!;
        Assert.Equal((CommentStatuses.Triaged, "gp-access", (int?)4, 2, "team@example.org"), (item.Status, item.ConfirmedTheme, item.ConfirmedOutcome, item.RowVersion, item.ConfirmedBy));
        Assert.NotNull(item.ConfirmedAt);
        Assert.DoesNotContain(id, (await s.Store.QueueAsync(s.ConsultationId, new QueueFilter(), QueueOrder.LeastCertain, null)).Items.Select(i => i.Id));

        var audit = await new AuditStore(s.Db).ForCommentAsync(id);
        Assert.Equal(["confirmed_outcome", "confirmed_theme", "status"], audit.Select(a => a.Field).Order());
        var status = audit.Single(a => a.Field == "status");
        Assert.Equal(("new", "triaged", "team@example.org"), (status.OldValue, status.NewValue, status.ChangedBy));
        Assert.Null(audit.Single(a => a.Field == "confirmed_theme").OldValue);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_stale_row_version_is_a_conflict_and_nothing_is_overwritten(DatabaseProvider provider)
    {
        var s = await SeedAsync(provider, 0.4);
        var id = s.Ids[0];
        // Two triagers load version 1. The first picks housing; the second, still on version 1, marks it spam.
        var first = await s.Store.ApplyAsync(Cmd(id, 1, TriageActionKind.SetTheme) with { ThemeId = "housing" }, "one@example.org");
        var second = await s.Store.ApplyAsync(Cmd(id, 1, TriageActionKind.Flag) with { FlagKind = FlagKinds.Spam }, "two@example.org");

        Assert.True(first.Saved);
        Assert.Equal(TriageOutcomeKind.Conflict, second.Kind);
        Assert.Equal(("housing", CommentStatuses.Triaged, 2), (second.Current!.ConfirmedTheme, second.Current.Status, second.Current.RowVersion));
        var stored = await s.Store.GetAsync(id);
        Assert.Equal(("housing", (int?)2, CommentStatuses.Triaged, (string?)null), (stored!.ConfirmedTheme, stored.ConfirmedOutcome, stored.Status, stored.FlagKind));
        Assert.DoesNotContain(await new AuditStore(s.Db).ForCommentAsync(id), a => a.ChangedBy == "two@example.org");

        // With the current version the second triager's change goes through.
        var retry = await s.Store.ApplyAsync(Cmd(id, 2, TriageActionKind.Flag) with { FlagKind = FlagKinds.Spam }, "two@example.org");
        Assert.True(retry.Saved);
        Assert.Equal((CommentStatuses.Spam, FlagKinds.Spam, 3), (retry.Current!.Status, retry.Current.FlagKind, retry.Current.RowVersion));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Secondary_theme_flags_redaction_safeguarding_notes_and_return_to_queue(DatabaseProvider provider)
    {
        var s = await SeedAsync(provider, 0.4);
        var id = s.Ids[0];
        var store = s.Store;
        var v = 1;
        async Task<TriageItem> Do(TriageCommand c)
        {
            var r = await store.ApplyAsync(c with { ExpectedRowVersion = v }, "team@example.org");
            Assert.True(r.Saved, r.Message);
            v = r.Current!.RowVersion;
            return r.Current;
        }

        Assert.Equal("buses", (await Do(Cmd(id, 0, TriageActionKind.SetSecondaryTheme) with { ThemeId = "buses" })).SecondaryTheme);
        var same = await store.ApplyAsync(Cmd(id, v, TriageActionKind.SetSecondaryTheme) with { ThemeId = "gp-access" }, "team@example.org");
        Assert.Equal(TriageOutcomeKind.Invalid, same.Kind);

        var off = await Do(Cmd(id, 0, TriageActionKind.Flag) with { FlagKind = FlagKinds.OffTopic });
        Assert.Equal((CommentStatuses.Hidden, FlagKinds.OffTopic), (off.Status, off.FlagKind));

        var flagged = await Do(Cmd(id, 0, TriageActionKind.SetSafeguarding) with { Safeguarding = true, Text = "Mentions a child left alone" });
        Assert.True(flagged.Safeguarding);
        Assert.Equal("Mentions a child left alone", flagged.SafeguardingReason);

        var redacted = await Do(Cmd(id, 0, TriageActionKind.ConfirmRedaction) with { Text = "Comment [number removed]" });
        Assert.Equal(("Comment [number removed]", "team@example.org"), (redacted.RedactedText, redacted.RedactionConfirmedBy));

        var versionBeforeNote = v;
        await Do(Cmd(id, 0, TriageActionKind.AddNote) with { Text = "Call back on Monday" });
        Assert.Equal(versionBeforeNote, v); // notes are appended, they do not change the comment
        var stale = await store.ApplyAsync(Cmd(id, 1, TriageActionKind.AddNote) with { Text = "Second note" }, "other@example.org");
        Assert.True(stale.Saved); // appending cannot overwrite anyone, so no version check
        Assert.Equal(["Call back on Monday", "Second note"], (await new AuditStore(s.Db).NotesAsync(id)).Select(n => n.Text));

        var back = await Do(Cmd(id, 0, TriageActionKind.ReturnToQueue));
        Assert.Equal((CommentStatuses.New, (string?)null, (string?)null), (back.Status, back.FlagKind, back.ConfirmedTheme));

        var fields = (await new AuditStore(s.Db).ForCommentAsync(id)).Select(a => a.Field).ToHashSet();
        Assert.Superset(new HashSet<string> { "secondary_theme", "flag_kind", "status", "safeguarding", "safeguarding_reason", "redacted_text", "note" }, fields);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Invalid_actions_write_nothing(DatabaseProvider provider)
    {
        var s = await SeedAsync(provider, new double?[] { null });
        var id = s.Ids[0];
        Assert.Equal(TriageOutcomeKind.Invalid, (await s.Store.ApplyAsync(Cmd(id, 1, TriageActionKind.Accept), "t")).Kind); // no suggestion
        Assert.Equal(TriageOutcomeKind.Invalid, (await s.Store.ApplyAsync(Cmd(id, 1, TriageActionKind.SetTheme) with { ThemeId = "nope" }, "t")).Kind);
        Assert.Equal(TriageOutcomeKind.Invalid, (await s.Store.ApplyAsync(Cmd(id, 1, TriageActionKind.Flag) with { FlagKind = "rude" }, "t")).Kind);
        Assert.Equal(TriageOutcomeKind.Invalid, (await s.Store.ApplyAsync(Cmd(id, 1, TriageActionKind.AddNote) with { Text = "  " }, "t")).Kind);
        Assert.Equal(TriageOutcomeKind.NotFound, (await s.Store.ApplyAsync(Cmd(999999, 1, TriageActionKind.Accept), "t")).Kind);
        Assert.Empty(await new AuditStore(s.Db).ForCommentAsync(id));
        Assert.Equal(1, (await s.Store.GetAsync(id))!.RowVersion);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Bulk_accept_skips_conflicts_and_comments_without_a_suggestion(DatabaseProvider provider)
    {
        var s = await SeedAsync(provider, 0.4, 0.5, null, 0.7);
        await s.Store.ApplyAsync(Cmd(s.Ids[1], 1, TriageActionKind.AddNote) with { Text = "x" }, "t");
        await s.Store.ApplyAsync(Cmd(s.Ids[3], 1, TriageActionKind.SetSecondaryTheme) with { ThemeId = "housing" }, "other"); // now version 2
        var result = await s.Store.BulkAsync(TriageActionKind.Accept, null,
            s.Ids.Select(id => new SelectedComment(id, 1)).ToList(), "team@example.org");
        Assert.Equal([s.Ids[0], s.Ids[1]], result.Saved);
        Assert.Equal([s.Ids[3]], result.Conflicts);
        Assert.Equal([s.Ids[2]], result.Skipped);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Safeguarding_scan_flags_disclosures_once_and_audits_them(DatabaseProvider provider)
    {
        var s = await SeedAsync(provider, 0.5);
        var submissions = new SubmissionStore(s.Db);
        await submissions.CreateAsync(new NewSubmission
        {
            ConsultationId = s.ConsultationId, RespondentType = RespondentTypes.Resident,
            Comments = [new NewComment("Some days I want to kill myself and the waiting list is a year", 5), new NewComment("We need more domestic abuse services in Swale", 2)],
        });
        var (scanned, flagged) = await s.Store.ScanSafeguardingAsync(SafeguardingDetector.Instance);
        Assert.Equal((3, 1), (scanned, flagged));
        Assert.Equal((0, 0), await s.Store.ScanSafeguardingAsync(SafeguardingDetector.Instance));

        var (items, total) = await s.Store.SafeguardingAsync(s.ConsultationId);
        Assert.Equal(1, total);
        var item = Assert.Single(items);
        Assert.StartsWith("Some days", item.Text);
        Assert.Equal("Self-harm or suicidal thoughts", item.SafeguardingReason);
        Assert.Contains(await new AuditStore(s.Db).ForCommentAsync(item.Id), a => a.ChangedBy == AuditStore.SystemSafeguarding && a.NewValue == "flagged");

        // The report reads the same column.
        var report = await new ReportStore(s.Db).CommentsAsync(s.ConsultationId);
        Assert.True(report.Single(r => r.Id == item.Id).Safeguarding);
        Assert.Equal(1, report.Count(r => r.Safeguarding));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Double_coding_offers_a_blind_sample_to_someone_else_and_feeds_kappa(DatabaseProvider provider)
    {
        var s = await SeedAsync(provider, Enumerable.Range(0, 30).Select(i => (double?)0.5).ToArray());
        foreach (var id in s.Ids) await s.Store.ApplyAsync(Cmd(id, 1, TriageActionKind.Accept), "first@example.org");
        var sampled = s.Ids.Where(id => TriageStore.IsInDoubleCodingSample(id, 10)).ToList();
        Assert.InRange(sampled.Count, 2, 4);

        var (none, _, _) = await s.Store.NextForSecondCodingAsync(s.ConsultationId, 10, "first@example.org");
        Assert.Null(none); // the first coder never gets their own comments

        var coded = 0;
        while (true)
        {
            var (next, sample, done) = await s.Store.NextForSecondCodingAsync(s.ConsultationId, 10, "second@example.org");
            Assert.Equal((sampled.Count, coded), ((int)sample, (int)done));
            if (next is null) break;
            Assert.Contains(next.Id, sampled);
            Assert.True(await s.Store.SaveSecondCodeAsync(next.Id, coded == 0 ? "housing" : "gp-access", "second@example.org"));
            Assert.False(await s.Store.SaveSecondCodeAsync(next.Id, "gp-access", "third@example.org"));
            coded++;
        }
        var doubles = await s.Store.DoubleCodesAsync(s.ConsultationId);
        Assert.Equal(sampled.Count, doubles.Count);
        Assert.Equal(1, doubles.Count(d => d.FirstTheme != d.SecondTheme));
        var report = Agreement.Build(await s.Store.ConfirmedDecisionsAsync(s.ConsultationId), doubles);
        Assert.Equal(30, report.Confirmed);
        Assert.Equal(1.0, report.Outcomes.Accuracy);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Moving_a_theme_moves_its_confirmed_comments_with_audit(DatabaseProvider provider)
    {
        var s = await SeedAsync(provider, 0.5, 0.6);
        await s.Store.ApplyAsync(Cmd(s.Ids[0], 1, TriageActionKind.Accept), "team@example.org");
        var admin = new ThemeAdminStore(s.Db);
        Assert.Equal(1, await admin.MoveAsync("gp-access", 5, "admin@example.org"));
        var moved = await s.Store.GetAsync(s.Ids[0]);
        Assert.Equal((5, 3), (moved!.ConfirmedOutcome, moved.RowVersion));
        Assert.Contains(await new AuditStore(s.Db).ForCommentAsync(s.Ids[0]), a => a.Field == "confirmed_outcome" && a.OldValue == "4" && a.NewValue == "5");

        Assert.Null(await admin.AddAsync("pharmacy-hours", "Pharmacy opening hours", 4, "", "admin@example.org"));
        Assert.NotNull(await admin.AddAsync("pharmacy-hours", "Again", 4, "", "admin@example.org"));
        Assert.True(await admin.RenameAsync("pharmacy-hours", "Pharmacies", "", "admin@example.org"));
        Assert.True(await admin.SetRetiredAsync("pharmacy-hours", true, "admin@example.org"));
        var retired = await s.Store.ApplyAsync(Cmd(s.Ids[1], 1, TriageActionKind.SetTheme) with { ThemeId = "pharmacy-hours" }, "t");
        Assert.Equal(TriageOutcomeKind.Invalid, retired.Kind);
        Assert.Equal(["retired", "name", "created", "outcome"], (await admin.HistoryAsync()).Select(h => h.Field));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Model_versions_promote_and_roll_back(DatabaseProvider provider)
    {
        var db = TestDatabases.CreateMigrated(provider);
        var store = new ModelVersionStore(db);
        var a = await store.AddAsync(new ModelVersionRow { Version = "v1", CreatedAt = DateTime.UtcNow, Trainer = "Sdca", Status = ModelStatuses.Active, FilePath = "a.zip" });
        var b = await store.AddAsync(new ModelVersionRow { Version = "v2", CreatedAt = DateTime.UtcNow, Trainer = "Sdca", Status = ModelStatuses.Candidate, FilePath = "b.zip", ConfirmedRows = 12, MetricsJson = "{\"x\":1}" });

        Assert.True(await store.PromoteAsync(b, "admin@example.org"));
        Assert.Equal("v2", (await store.ActiveAsync())!.Version);
        Assert.Equal(ModelStatuses.Retired, (await store.GetAsync(a))!.Status);
        Assert.True(await store.PromoteAsync(a, "admin@example.org"));
        Assert.Equal(("v1", "admin@example.org"), ((await store.ActiveAsync())!.Version, (await store.ActiveAsync())!.PromotedBy));
        Assert.Equal(ModelStatuses.Retired, (await store.GetAsync(b))!.Status);
        Assert.Equal(12, (await store.GetAsync(b))!.ConfirmedRows);
        Assert.False(await store.PromoteAsync(999, "x"));
    }
}
