using System.Globalization;
using System.Text.Json;
using Dapper;
using Engagement.Classifier;
using Engagement.Core.Campaigns;
using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Privacy;
using Engagement.Core.Reports;
using Engagement.Core.Tests.Data;

namespace Engagement.Core.Tests.Reports;

/// <summary>
/// The point page builds one point from its own theme group (ReportService.BuildPointAsync). On a seeded consultation
/// with everything that decides a point (near-duplicates, campaigns, partners with several districts, confirmed and
/// mismatched tags, spam, personal details, safeguarding, authors' edits of every kind, comments re-tagged after an
/// edit), every point of the full report and every key the page can be asked for must come out the same: the point,
/// its group's points in order, and its comment rows. Per provider.
/// </summary>
public sealed class ReportPointTests
{
    public static IEnumerable<object[]> Providers => TestDatabases.Providers();

    private const string Author = "author@example.org";

    private sealed record Setup(Database Db, Consultation Consultation, ReportService Reports, ReportStore Store, ReportAuthoring Authoring,
        CampaignStore Campaigns, IReadOnlyList<ThemeSeed> Themes);

    [Theory, MemberData(nameof(Providers))]
    public async Task Every_point_built_alone_matches_the_full_report(DatabaseProvider provider)
    {
        var s = await SeedAsync(provider);
        var full = await s.Reports.BuildAsync(s.Consultation, classifyFirst: false);

        // The dataset has what makes points hard, so the comparison below cannot pass on easy cases alone.
        var points = full.AllPoints;
        Assert.True(points.Count > 150, $"{points.Count} points");
        Assert.Contains(points, p => p.Point.Wording.Contains("(campaign,", StringComparison.Ordinal));
        Assert.Contains(points, p => p.Point.Edited && p.Point.AuthorWording is not null);
        Assert.Contains(points, p => p.Point.Hidden);
        Assert.Contains(points, p => p.Point.SortOrder is not null);
        Assert.Contains(points, p => p.Point.Key.StartsWith('s'));
        Assert.Contains(points, p => p.Point.Key.EndsWith('r'));
        Assert.Contains(points, p => p.Audience == ReportBuilder.PartnerAudience && p.Point.Codes.Count > 1);
        Assert.Contains(points, p => p.ThemeId == ReportBuilder.OtherThemeId);
        Assert.Contains(points, p => p.OutcomeId == Outcomes.General);
        Assert.Contains(full.Comments, c => c.Text.Contains("[phone removed]", StringComparison.Ordinal));
        Assert.Contains(full.Comments, c => c.Safeguarding);
        Assert.Contains(full.Comments, c => c.SafeguardingUnchecked);
        var duplicated = points.GroupBy(p => p.Point.Key).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.NotEmpty(duplicated); // the rare key two groups can both claim (the report's first wins)

        var editKeys = await EditKeysAsync(s);
        var ids = full.Comments.Select(c => c.CommentId).ToList();
        var keys = points.Select(p => p.Point.Key).Concat(editKeys)
            .Concat(ids.Take(40).Select(id => "c" + id.ToString(CultureInfo.InvariantCulture)))
            .Concat(["c999999", "c0", "c01", "c-1", "cr", "c", "s1", "x", "C1", " c1"])
            .Distinct().ToList();
        var compared = 0;
        foreach (var key in keys)
        {
            var view = await s.Reports.BuildPointAsync(s.Consultation, key);
            var expected = ReportAuthoring.Find(full, key);
            var actual = ReportAuthoring.Find(view, key);
            if (expected is null)
            {
                Assert.Null(actual);
                Assert.Empty(view.AllPoints);
                continue;
            }
            Assert.NotNull(actual);
            Assert.Equal(Json(expected), Json(actual));
            // The page lists the group's other points (siblings, merge choices, position) and the point's comments.
            Assert.Equal(Json(full.AllPoints.Where(p => p.SameGroupAs(expected))), Json(view.AllPoints));
            Assert.Equal(Json(ReportAuthoring.VisibleSiblings(full, expected)), Json(ReportAuthoring.VisibleSiblings(view, actual)));
            var members = expected.Point.CommentIds.ToHashSet();
            Assert.Equal(Json(full.Comments.Where(c => members.Contains(c.CommentId))), Json(view.Comments));
            compared++;
        }
        Assert.Equal(points.Select(p => p.Point.Key).Distinct().Count(), compared);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Report_campaigns_are_the_campaign_list_with_its_active_members(DatabaseProvider provider)
    {
        var s = await SeedAsync(provider, edits: false);
        var expected = new List<ReportCampaign>();
        foreach (var g in await s.Campaigns.ListAsync(s.Consultation.Id, campaignsOnly: true))
            expected.Add(new ReportCampaign(g.Id, g.Title, (await s.Campaigns.MembersAsync(g.Id)).Where(m => !m.Removed).Select(m => m.CommentId).Order().ToList())
            {
                Respondents = g.Respondents,
            });

        var actual = await s.Campaigns.CampaignsForReportAsync(s.Consultation.Id);

        Assert.True(expected.Count >= 5, $"{expected.Count} campaigns");
        Assert.Contains(expected, c => c.Title == "Keep the minor injuries unit open");
        Assert.Equal(Json(expected), Json(actual));

        // Those reaching some comments (a point's group needs no others), in the same order, with all their members.
        var some = expected.Where((_, i) => i % 2 == 0).Select(c => c.CommentIds[^1]).Append(999_999).ToList();
        Assert.Equal(Json(expected.Where(c => c.CommentIds.Intersect(some).Any())), Json(await s.Campaigns.CampaignsForReportAsync(s.Consultation.Id, some)));
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);

    private static async Task<IReadOnlyList<string>> EditKeysAsync(Setup s)
    {
        await using var c = await s.Db.OpenAsync();
        return (await c.QueryAsync<string>("SELECT DISTINCT point_key FROM report_point_edits")).ToList();
    }

    /// <summary>
    /// A few hundred responses made from the labelled training sentences of a dozen themes, varied as in
    /// bench/Engagement.ReportBench, so similar comments cluster and sentences sent by three or more people become
    /// campaigns; then campaign detection and authors' edits.
    /// </summary>
    private static async Task<Setup> SeedAsync(DatabaseProvider provider, bool edits = true)
    {
        var db = TestDatabases.CreateMigrated(provider);
        var themeStore = new ThemeStore(db);
        var themes = TaxonomyFile.ReadThemes(RepoPaths.Resolve(TaxonomyFile.DefaultPath));
        await themeStore.SeedAsync(themes);
        var consultations = new ConsultationStore(db);
        var consultation = await consultations.EnsureAsync(StoreTests.NewConsultation("k"));
        var store = new ReportStore(db);
        var campaigns = new CampaignStore(db);
        var reports = new ReportService(consultations, store, themeStore, new SuggestionService(new KeywordClassifier(), new CommentStore(db)),
            PersonalDataDetector.Instance, campaigns);
        var s = new Setup(db, consultation, reports, store, new ReportAuthoring(store), campaigns, themes);

        var random = new Random(20261201);
        var known = themes.Select(t => t.Id).ToHashSet();
        var sentences = LabelledData.Read(RepoPaths.Resolve("data-samples/training/train.csv"))
            .Where(l => known.Contains(l.Theme)).GroupBy(l => l.Theme).OrderBy(_ => random.Next()).Take(12)
            .SelectMany(g => g.OrderBy(_ => random.Next()).Take(25)).ToList();
        string[] openers = ["", "", "", "I think ", "Honestly, ", "As a carer, "];
        string[] places = ["", "", " in Margate", " around Dover", " here in Medway"];
        string[] personal = ["Call me on 07700 900123. ", "Email me at pat.smith@example.com. ", "My name is Sarah Jones and "];
        string[] districts = ["A", "C", "Da", "D", "FH", "G", "M", "S", "SW", "T", "TMBC", "TW", "Med"];
        string[] partnerTypes = ["district-council", "vcse", "nhs-provider", "pcc", "other"];
        const string Campaign = "Keep the minor injuries unit open, families cannot travel an hour to A&E.";

        var submissions = new List<NewSubmission>();
        var multiDistrict = new Dictionary<string, IReadOnlyList<string>>();
        for (var n = 0; n < 600; n++)
        {
            var partner = random.NextDouble() < 0.15;
            var district = random.NextDouble() < 0.05 ? null : districts[random.Next(districts.Length)];
            var sourceRef = "seed-" + n.ToString(CultureInfo.InvariantCulture);
            if (partner && district is not null && random.NextDouble() < 0.5)
                multiDistrict[sourceRef] = [district, .. districts.Where(d => d != district).OrderBy(_ => random.Next()).Take(random.Next(1, 3))];
            var comments = new List<NewComment>();
            for (var k = random.NextDouble() < 0.6 ? 1 : 2; k > 0; k--)
            {
                var source = sentences[random.Next(sentences.Count)];
                var text = n % 23 == 0 ? Campaign
                    : random.NextDouble() < 0.1 ? source.Text
                    : (random.NextDouble() < 0.05 ? personal[random.Next(personal.Length)] : "") + openers[random.Next(openers.Length)]
                      + source.Text.TrimEnd('.') + places[random.Next(places.Length)] + ".";
                var (outcome, theme) = n % 23 == 0 ? (5, "care-closer-to-home") : (source.Outcome, source.Theme);
                // Some the classifier got wrong, some it never saw (no theme: "Other comments"), one with an outcome that no longer exists.
                var suggestion = random.NextDouble() switch
                {
                    < 0.08 => null,
                    < 0.16 => new CommentSuggestion(random.Next(0, 7), themes[random.Next(themes.Count)].Id, 0.4, true, "test-model"),
                    < 0.17 => new CommentSuggestion(9, theme, 0.5, true, "test-model"),
                    _ => new CommentSuggestion(outcome, theme, 0.9, false, "test-model"),
                };
                comments.Add(new NewComment(text, random.NextDouble() < 0.3 ? outcome : null) { Suggestion = suggestion });
            }
            submissions.Add(new NewSubmission
            {
                ConsultationId = consultation.Id, SourceRef = sourceRef,
                RespondentType = partner ? RespondentTypes.Partner : random.NextDouble() < 0.1 ? RespondentTypes.Staff : RespondentTypes.Resident,
                PartnerType = partner ? partnerTypes[random.Next(partnerTypes.Length)] : null,
                Organisation = partner ? "Organisation " + random.Next(1, 30).ToString(CultureInfo.InvariantCulture) : null,
                District = district, ConsentToQuote = random.NextDouble() < 0.6, Comments = comments,
                Channel = random.NextDouble() < 0.8 ? Channels.Online : "email",
                SubmittedAt = new DateTime(2026, 10, 2, 9, 0, 0, DateTimeKind.Utc).AddMinutes(n * 37),
            });
        }
        await new SubmissionStore(db).CreateManyAsync(submissions);
        await store.AddSubmissionDistrictsAsync(consultation.Id, multiDistrict);

        // Triage: confirmations (some with only the outcome, so the suggested theme no longer fits), spam, hidden, a
        // confirmed redaction, safeguarding flags, and most comments scanned (the rest the report checks itself).
        await using (var c = await db.OpenAsync())
        {
            var ids = (await c.QueryAsync<long>("SELECT id FROM comments ORDER BY id")).ToList();
            foreach (var id in ids)
            {
                var roll = random.NextDouble();
                if (roll < 0.12)
                {
                    var t = themes[random.Next(themes.Count)];
                    await c.ExecuteAsync("UPDATE comments SET confirmed_outcome = @o, confirmed_theme = @t, status = 'triaged' WHERE id = @id",
                        new { o = t.OutcomeId, t = t.Id, id });
                }
                else if (roll < 0.16) await c.ExecuteAsync("UPDATE comments SET confirmed_outcome = @o, status = 'triaged' WHERE id = @id", new { o = random.Next(0, 7), id });
                else if (roll < 0.18) await c.ExecuteAsync("UPDATE comments SET status = 'spam' WHERE id = @id", new { id });
                else if (roll < 0.19) await c.ExecuteAsync("UPDATE comments SET status = 'hidden' WHERE id = @id", new { id });
                if (random.NextDouble() < 0.02) await c.ExecuteAsync("UPDATE comments SET safeguarding = 1 WHERE id = @id", new { id });
                if (random.NextDouble() < 0.85) await c.ExecuteAsync("UPDATE comments SET safeguarding_checked = 1 WHERE id = @id", new { id });
            }
            await c.ExecuteAsync("UPDATE comments SET redacted_text = '[name removed] says the bus never comes' WHERE id = @id", new { id = ids[5] });
            await c.ExecuteAsync("UPDATE comments SET text = 'I am scared at home, my partner hits me and the GP never listens', safeguarding_checked = 0 WHERE id = @id",
                new { id = ids[7] });
        }

        await campaigns.DetectAsync(consultation.Id);
        var hospital = (await campaigns.ListAsync(consultation.Id, campaignsOnly: true))
            .First(g => g.RepresentativeText.StartsWith("Keep the minor", StringComparison.Ordinal));
        await campaigns.ConfirmAsync(hospital.Id, "Keep the minor injuries unit open", Author);
        if (edits) await EditAsync(s);
        return s;
    }

    /// <summary>Authors' edits of every kind, then the comments move under them: re-tagged, marked spam, new ones arrive.</summary>
    private static async Task EditAsync(Setup s)
    {
        async Task<ConsultationReport> Report() => await s.Reports.BuildAsync(s.Consultation, classifyFirst: false);
        async Task Saved(Task<AuthoringResult> change) => Assert.True((await change).Saved, (await change).Message);
        PointRow Busy(ConsultationReport r, int skip = 0, bool residents = false, int comments = 2)
        {
            var busy = r.AllPoints
                .Where(p => !p.Point.Edited && p.Point.CommentIds.Count >= comments && !p.Point.Wording.Contains("(campaign,", StringComparison.Ordinal))
                .Where(p => !residents || p.Audience == ReportBuilder.PublicAudience).ToList();
            return busy.Count > skip ? busy[skip] : throw new InvalidOperationException($"The seed has only {busy.Count} such points of {comments} or more comments.");
        }
        IReadOnlyList<PointRow> Siblings(ConsultationReport r, PointRow row) => ReportAuthoring.VisibleSiblings(r, row);

        var r = await Report();
        var reworded = Busy(r);
        await Saved(s.Authoring.RewordAsync(r, reworded.Point.Key, 0, "Evening appointments for working people", Author));
        var hidden = Busy(r, 1);
        await Saved(s.Authoring.SetHiddenAsync(r, hidden.Point.Key, 0, hidden: true, Author));
        var campaign = r.AllPoints.First(p => p.Point.Wording.Contains("(campaign,", StringComparison.Ordinal));
        await Saved(s.Authoring.RewordAsync(r, campaign.Point.Key, 0, "Keep the minor injuries unit open (campaign)", Author));

        r = await Report();
        var crowded = r.AllPoints.GroupBy(p => (p.OutcomeId, p.Audience, p.ThemeId)).OrderByDescending(g => g.Count()).First().ToList();
        var third = crowded.Where(p => !p.Point.Hidden && !p.Point.Edited).Skip(2).First();
        await Saved(s.Authoring.MoveAsync(r, third.Point.Key, third.Point.Version, up: true, Author));

        r = await Report();
        var split = Busy(r, 2);
        await Saved(s.Authoring.SplitAsync(r, split.Point.Key, 0, [split.Point.CommentIds[^1]], "A point split off", Author));
        r = await Report();
        var into = Busy(r, 3);
        var merged = Siblings(r, into).First(p => p.Point.Key != into.Point.Key && !p.Point.Edited);
        await Saved(s.Authoring.MergeAsync(r, merged.Point.Key, merged.Point.Version, into.Point.Key, Author));

        // The "r" keys: an edited point whose first comment is re-tagged elsewhere leaves a cluster there keyed "c<id>r".
        // If that point is edited too, takes in a neighbour and its first comment moves on again, two groups hold "c<id>r".
        r = await Report();
        // Three comments or more, so the edit stays at home when its first comment leaves.
        var anchor = Busy(r, 0, residents: true, comments: 3);
        var anchorId = anchor.Point.CommentIds.Min();
        var anchorKey = "c" + anchorId.ToString(CultureInfo.InvariantCulture);
        await Saved(s.Authoring.RewordAsync(r, anchorKey, 0, "Anchored point", Author));
        var theme1 = r.AllPoints.Single(p => p.Point.Key == anchorKey).ThemeId;
        var theme2 = await RetagAsync(s, anchorId, [theme1]);
        r = await Report();
        var renamed = r.AllPoints.Single(p => p.Point.Key == anchorKey + "r");
        Assert.Equal(theme2, renamed.ThemeId);
        await Saved(s.Authoring.RewordAsync(r, renamed.Point.Key, 0, "Renamed point", Author));
        r = await Report();
        renamed = r.AllPoints.Single(p => p.Point.Key == anchorKey + "r");
        // Takes in the largest neighbour, so the edit's home stays here when its first comment moves on.
        var neighbour = r.AllPoints.Where(p => p.SameGroupAs(renamed) && p.Point.Key != renamed.Point.Key && !p.Point.Hidden)
            .OrderByDescending(p => p.Point.CommentIds.Count).ThenBy(p => p.Point.CommentIds.Min()).First();
        await Saved(s.Authoring.MergeAsync(r, neighbour.Point.Key, neighbour.Point.Version, renamed.Point.Key, Author));
        await RetagAsync(s, anchorId, [theme1, theme2]);

        // Later triage: a comment of the reworded point re-tagged, one of the merged point marked spam, new comments.
        await using (var c = await s.Db.OpenAsync())
        {
            await c.ExecuteAsync("UPDATE comments SET status = 'spam' WHERE id = @id", new { id = into.Point.CommentIds[0] });
        }
        await RetagAsync(s, reworded.Point.CommentIds[^1], [reworded.ThemeId]);
        var submissions = new SubmissionStore(s.Db);
        var texts = (await Report()).Comments.Where(c => c.PointKey == reworded.Point.Key).Select(c => c.Text).Take(3).ToList();
        foreach (var text in texts)
            await submissions.CreateAsync(new NewSubmission
            {
                ConsultationId = s.Consultation.Id, RespondentType = RespondentTypes.Resident, District = "T",
                Comments = [new NewComment(text + " Still the case.", null) { Suggestion = new CommentSuggestion(reworded.OutcomeId, reworded.ThemeId, 0.9, false, "test-model") }],
            });
    }

    /// <summary>Confirms the comment under another theme that has points in the report; returns that theme.</summary>
    private static async Task<string> RetagAsync(Setup s, long commentId, IReadOnlyList<string> notThemes)
    {
        var report = await s.Reports.BuildAsync(s.Consultation, classifyFirst: false);
        var target = report.AllPoints
            .Where(p => !notThemes.Contains(p.ThemeId) && p.ThemeId != ReportBuilder.OtherThemeId && p.Audience == ReportBuilder.PublicAudience)
            .Select(p => (p.OutcomeId, p.ThemeId)).Distinct().OrderBy(x => x.ThemeId, StringComparer.Ordinal).First();
        await using var c = await s.Db.OpenAsync();
        await c.ExecuteAsync("UPDATE comments SET confirmed_outcome = @o, confirmed_theme = @t, status = 'triaged' WHERE id = @id",
            new { o = target.OutcomeId, t = target.ThemeId, id = commentId });
        return target.ThemeId;
    }
}
