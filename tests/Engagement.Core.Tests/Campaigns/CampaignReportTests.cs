using Engagement.Core.Campaigns;
using Engagement.Core.Reports;
using static Engagement.Core.Tests.Reports.ReportTestData;

namespace Engagement.Core.Tests.Campaigns;

/// <summary>Reports count a campaign once, with its signatories' districts; totals still count every respondent.</summary>
public sealed class CampaignReportTests
{
    private const string Letter = "Save our community hospital! Closing the minor injuries unit would force families to travel over an hour.";

    private static List<Engagement.Core.Data.ReportComment> Comments() =>
    [
        Comment(1, Letter, district: "T"),
        Comment(2, Letter, district: "SW"),
        Comment(3, Letter + " I live in Sheerness.", district: "SW"),
        Comment(4, Letter, district: "D"),
        Comment(5, Letter, district: "T"),
        Comment(6, "Save our community hospital, the minor injuries unit saved my son when he broke his arm", district: "M"),
        Comment(7, "Evening GP appointments are hard to get for working parents", district: "A"),
    ];

    [Fact]
    public void A_campaign_is_one_point_counted_once_with_every_signatory_district()
    {
        var report = Build(Comments(), options: new ReportOptions { Campaigns = [new ReportCampaign(9, "Save our community hospital!", [1, 2, 3, 4, 5])] });

        var group = Assert.Single(AllGroups(report));
        var campaign = Assert.Single(group.Points, p => p.Wording.Contains("(campaign", StringComparison.Ordinal));
        Assert.Equal("Save our community hospital (campaign, 5 respondents)", campaign.Wording);
        Assert.Equal("(SW)(T)(D)", campaign.CodesText);
        Assert.Equal(1, campaign.Count);
        // The individual comment about the hospital stays its own point; the campaign never absorbs it.
        Assert.Contains(group.Points, p => p.CommentIds.SequenceEqual([6L]));
        Assert.Equal(3, group.Count); // the campaign once, plus two other respondents
        Assert.DoesNotContain(group.Quotes, q => q.Text.Contains("minor injuries unit would force", StringComparison.Ordinal));

        // Totals and who we heard from still count every respondent.
        Assert.Equal(7, report.Method.Responses);
        Assert.Equal(2, report.Who.ByDistrict.Single(d => d.Key == "SW").Count);
        // Every signatory's comment row points at the campaign's point.
        Assert.All(report.Comments.Where(c => c.CommentId <= 5), c => Assert.Equal(campaign.Key, c.PointKey));
    }

    [Fact]
    public void Without_campaigns_the_letters_are_ordinary_comments()
    {
        var report = Build(Comments());
        var group = Assert.Single(AllGroups(report));
        Assert.DoesNotContain(group.Points, p => p.Wording.Contains("(campaign", StringComparison.Ordinal));
        Assert.Equal(7, group.Count);
    }

    [Fact]
    public void A_campaign_whose_members_fell_below_three_respondents_is_not_collapsed()
    {
        var comments = Comments().Where(c => c.Id is not (1 or 2 or 3)).ToList();
        var report = Build(comments, options: new ReportOptions { Campaigns = [new ReportCampaign(9, "Save our community hospital", [1, 2, 3, 4, 5])] });
        Assert.DoesNotContain(AllGroups(report).SelectMany(g => g.Points), p => p.Wording.Contains("(campaign", StringComparison.Ordinal));
    }
}
