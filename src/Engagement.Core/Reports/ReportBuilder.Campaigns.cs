using System.Globalization;
using Engagement.Core.Campaigns;
using Engagement.Core.Data;
using Engagement.Core.Privacy;

namespace Engagement.Core.Reports;

/// <summary>
/// Campaigns in the report: the comments of each campaign (3 or more respondents sending the same or template text) are
/// replaced, for the outcome sections, theme counts and points, by one item worded "Save our community hospital
/// (campaign, 412 respondents)" carrying every signatory's district. Totals and "who we heard from" still count everyone.
/// </summary>
public static partial class ReportBuilder
{
    public static string CampaignWording(string title, int respondents) =>
        $"{title.Trim().TrimEnd('.', '!', '?', ' ')} (campaign, {respondents.ToString("N0", CultureInfo.InvariantCulture)} respondents)";

    /// <summary>
    /// The items themes and points are built from, and for each campaign member the item that stands for its campaign.
    /// Without a detector the campaign's wording is not redacted (only where items belong is wanted).
    /// </summary>
    private static (List<Item> PointItems, Dictionary<Item, Item> CampaignOf) CollapseCampaigns(List<Item> items, IReadOnlyList<ReportCampaign> campaigns,
        PersonalDataDetector? detector)
    {
        var campaignOf = new Dictionary<Item, Item>();
        if (campaigns.Count == 0) return (items, campaignOf);
        var byId = items.ToDictionary(i => i.Comment.Id);
        foreach (var campaign in campaigns)
        {
            var members = campaign.CommentIds.Where(byId.ContainsKey).Select(id => byId[id]).Where(m => !campaignOf.ContainsKey(m)).ToList();
            var respondents = members.Select(m => m.Comment.SubmissionId).Distinct().Count();
            if (respondents < NearDuplicateOptions.DefaultCampaignRespondents) continue; // spam or hidden members took it below a campaign

            // The campaign sits where most of its signatories' comments were tagged.
            var home = members.GroupBy(m => (m.Outcome, m.ThemeId)).OrderByDescending(g => g.Count()).ThenBy(g => g.Min(m => m.Comment.Id)).First().Key;
            var first = members.MinBy(m => m.Comment.Id)!;
            // Every signatory's districts, most frequent first, so the point's codes rank them.
            var districts = members.GroupBy(m => m.Comment.SubmissionId).SelectMany(g => g.First().Districts)
                .GroupBy(d => d).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).ToList();
            var wording = CampaignWording(campaign.Title, respondents);
            if (detector is not null) wording = detector.Redact(wording);
            var item = new Item
            {
                // Empty text: the campaign never merges with other points by similarity and is never quoted.
                Comment = first.Comment with { Text = "", ConsentToQuote = false, Safeguarding = false, RespondentType = Domain.RespondentTypes.Resident },
                Outcome = home.Outcome, ThemeId = home.ThemeId, Districts = districts,
                Redacted = wording, HasPersonalData = false, PartnerCode = null, IsCampaign = true,
            };
            foreach (var m in members) campaignOf[m] = item;
        }
        if (campaignOf.Count == 0) return (items, campaignOf);
        var pointItems = items.Where(i => !campaignOf.ContainsKey(i)).Concat(campaignOf.Values.Distinct()).OrderBy(i => i.Comment.Id).ToList();
        return (pointItems, campaignOf);
    }

    /// <summary>Campaign members take their campaign's point in the comment exports.</summary>
    private static void MarkCampaignMembers(Dictionary<Item, Item> campaignOf)
    {
        foreach (var (member, campaign) in campaignOf) member.PointKey = campaign.PointKey;
    }
}
