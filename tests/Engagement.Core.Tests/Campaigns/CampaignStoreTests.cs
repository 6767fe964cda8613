using Dapper;
using Engagement.Core.Campaigns;
using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Tests.Data;

namespace Engagement.Core.Tests.Campaigns;

/// <summary>Campaign SQL, once per provider.</summary>
public sealed class CampaignStoreTests
{
    public static IEnumerable<object[]> Providers => TestDatabases.Providers();

    internal const string Hospital = "Save our community hospital. Closing the minor injuries unit would force families to travel over an hour to the nearest emergency department.";
    internal const string Stroke = "I object to moving stroke services out of the county because every minute counts after a stroke and the journey will cost lives.";

    internal sealed record Seeded(Database Db, long ConsultationId, CampaignStore Store);

    /// <summary>One response (and comment) per text, districts cycling through T, SW, D.</summary>
    internal static async Task<Seeded> SeedAsync(DatabaseProvider provider, params string[] texts)
    {
        var db = TestDatabases.CreateMigrated(provider);
        var consultation = await new ConsultationStore(db).EnsureAsync(new Consultation
        {
            Slug = "k", Title = "A consultation", Status = ConsultationStatuses.Open,
            OpensOn = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc), ClosesOn = new DateTime(2027, 1, 31, 0, 0, 0, DateTimeKind.Utc),
        });
        await AddAsync(db, consultation.Id, texts);
        return new Seeded(db, consultation.Id, new CampaignStore(db));
    }

    internal static async Task AddAsync(Database db, long consultationId, params string[] texts)
    {
        var submissions = new SubmissionStore(db);
        string[] districts = ["T", "SW", "D"];
        var n = 0;
        foreach (var text in texts)
            await submissions.CreateAsync(new NewSubmission
            {
                ConsultationId = consultationId, RespondentType = RespondentTypes.Resident, District = districts[n++ % 3],
                Comments = [new NewComment(text, null)],
            });
    }

    private static async Task<List<long>> IdsAsync(Database db, string text)
    {
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<long>("SELECT id FROM comments WHERE text LIKE @p ORDER BY id", new { p = text + "%" })).ToList();
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Detection_stores_a_campaign_with_its_respondents_and_districts(DatabaseProvider provider)
    {
        var s = await SeedAsync(provider, Hospital, Hospital + " I live in Deal.", Hospital, "The bus to the hospital only runs twice a day", Stroke, Stroke);
        var result = await s.Store.DetectAsync(s.ConsultationId);
        Assert.Equal((6, 2, 1), (result.CommentsScanned, result.Groups, result.Campaigns));

        var groups = await s.Store.ListAsync(s.ConsultationId);
        Assert.Equal(2, groups.Count);
        var campaign = groups[0];
        Assert.True(campaign.IsCampaign);
        Assert.Equal((3, 3, DuplicateGroupStatuses.Suggested, false), (campaign.Comments, campaign.Respondents, campaign.Status, campaign.AllExact));
        Assert.Equal(Hospital, campaign.RepresentativeText);
        Assert.Equal("Save our community hospital.", campaign.Title);
        Assert.Equal([("D", 1), ("SW", 1), ("T", 1)], campaign.Districts);
        var duplicate = groups[1];
        Assert.False(duplicate.IsCampaign);
        Assert.True(duplicate.AllExact);

        var report = await s.Store.CampaignsForReportAsync(s.ConsultationId);
        Assert.Equal(await IdsAsync(s.Db, Hospital), Assert.Single(report).CommentIds);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Running_detection_again_replaces_suggestions_but_keeps_confirmed_groups_and_adds_new_matches(DatabaseProvider provider)
    {
        var s = await SeedAsync(provider, Hospital, Hospital, Hospital, Stroke, Stroke);
        await s.Store.DetectAsync(s.ConsultationId);
        var hospital = (await s.Store.ListAsync(s.ConsultationId))[0];
        Assert.True(await s.Store.ConfirmAsync(hospital.Id, "Save our community hospital", "team@example.org"));

        await AddAsync(s.Db, s.ConsultationId, Hospital + " Regards, Sam", Stroke);
        var again = await s.Store.DetectAsync(s.ConsultationId);
        Assert.Equal((1, 1), (again.Groups, again.AddedToReviewed));

        var groups = await s.Store.ListAsync(s.ConsultationId);
        Assert.Equal(2, groups.Count);
        var confirmed = Assert.Single(groups, g => g.Id == hospital.Id);
        Assert.Equal((DuplicateGroupStatuses.Confirmed, 4, "Save our community hospital", "team@example.org"),
            (confirmed.Status, confirmed.Respondents, confirmed.Title, confirmed.ReviewedBy));
        var stroke = Assert.Single(groups, g => g.Id != hospital.Id);
        Assert.Equal((DuplicateGroupStatuses.Suggested, 3), (stroke.Status, stroke.Respondents));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Removed_members_stay_out_and_dissolving_leaves_nothing_for_the_detector_to_regroup(DatabaseProvider provider)
    {
        var s = await SeedAsync(provider, Hospital, Hospital, Hospital, Hospital, Stroke, Stroke, Stroke);
        await s.Store.DetectAsync(s.ConsultationId);
        var groups = await s.Store.ListAsync(s.ConsultationId);
        var hospital = groups.Single(g => g.RepresentativeText == Hospital);
        var stroke = groups.Single(g => g.RepresentativeText == Stroke);
        var hospitalIds = await IdsAsync(s.Db, Hospital);

        Assert.Equal(1, await s.Store.RemoveMembersAsync(hospital.Id, [hospitalIds[0], 999_999], "team@example.org"));
        Assert.Equal(3, await s.Store.DissolveAsync(stroke.Id, "team@example.org"));
        Assert.Null(await s.Store.RemoveMembersAsync(123_456, [hospitalIds[1]], "team@example.org"));

        await s.Store.DetectAsync(s.ConsultationId);
        var after = await s.Store.ListAsync(s.ConsultationId);
        var kept = Assert.Single(after);
        Assert.Equal((hospital.Id, DuplicateGroupStatuses.Split, 3), (kept.Id, kept.Status, kept.Comments));
        var members = await s.Store.MembersAsync(hospital.Id);
        Assert.Equal(hospitalIds[0], Assert.Single(members, m => m.Removed).CommentId);
        Assert.Equal(hospital.Id, Assert.Single(await s.Store.CampaignsForReportAsync(s.ConsultationId)).GroupId);
        var dissolved = Assert.Single(await s.Store.ListAsync(s.ConsultationId, includeDissolved: true), g => g.Id == stroke.Id);
        Assert.True(dissolved.IsDissolved);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Splitting_off_part_of_a_wrongly_merged_group_makes_a_confirmed_group_that_keeps_its_members(DatabaseProvider provider)
    {
        var s = await SeedAsync(provider, Hospital, Hospital, Hospital, Hospital + " Stroke services must stay too.", Hospital + " Stroke services must stay too.");
        await s.Store.DetectAsync(s.ConsultationId);
        var group = Assert.Single(await s.Store.ListAsync(s.ConsultationId));
        Assert.Equal(5, group.Comments);
        var longer = await IdsAsync(s.Db, Hospital + " Stroke");

        Assert.Null(await s.Store.SplitOffAsync(group.Id, [longer[0]], "team@example.org"));
        var newId = await s.Store.SplitOffAsync(group.Id, longer, "team@example.org");
        Assert.NotNull(newId);

        await s.Store.DetectAsync(s.ConsultationId);
        var groups = await s.Store.ListAsync(s.ConsultationId);
        Assert.Equal(2, groups.Count);
        Assert.Equal((DuplicateGroupStatuses.Split, 3), (groups.Single(g => g.Id == group.Id).Status, groups.Single(g => g.Id == group.Id).Comments));
        var split = groups.Single(g => g.Id == newId);
        Assert.Equal((DuplicateGroupStatuses.Confirmed, 2, true), (split.Status, split.Comments, split.AllExact));
        Assert.Equal(longer, (await s.Store.MembersAsync(newId!.Value)).Where(m => !m.Removed).Select(m => m.CommentId).ToList());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Spam_and_hidden_comments_are_not_grouped(DatabaseProvider provider)
    {
        var s = await SeedAsync(provider, Hospital, Hospital, Hospital);
        await using (var c = await s.Db.OpenAsync())
            await c.ExecuteAsync("UPDATE comments SET status = 'spam' WHERE id = (SELECT MIN(id) FROM comments)");
        var result = await s.Store.DetectAsync(s.ConsultationId);
        Assert.Equal((2, 1, 0), (result.CommentsScanned, result.Groups, result.Campaigns));
    }
}
