using System.Globalization;
using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Privacy;

namespace Engagement.Core.Reports;

/// <summary>The outcome, audience and theme a point is reported under. Points never cross from one group to another.</summary>
public sealed record ReportGroup(int OutcomeId, bool Partner, string ThemeId);

/// <summary>The points an author's change can touch: the whole report, or the one theme group a point page loads.</summary>
public interface IReportPoints
{
    Consultation Consultation { get; }
    IReadOnlyList<PointRow> AllPoints { get; }
}

/// <summary>
/// One point as the full report would show it, computed from its own theme group only: every point of that group in
/// report order (so the siblings, positions and merge choices are the report's), and the point's comments as the
/// report's comment rows. Empty when the report has no such point.
/// </summary>
public sealed record ReportPointView : IReportPoints
{
    public required Consultation Consultation { get; init; }
    public ReportGroup? Group { get; init; }
    public IReadOnlyList<PointRow> AllPoints { get; init; } = [];
    /// <summary>The point's comments, as in <see cref="ConsultationReport.Comments"/> (redacted, in comment order).</summary>
    public IReadOnlyList<ReportCommentRow> Comments { get; init; } = [];
}

/// <summary>
/// The point page's report: one point without building the whole report. A point is made only from the comments of its
/// own group (outcome, audience, theme) and the edits homed there, so building that one group gives exactly what the
/// full report would. What decides the group (comments' tags, campaigns, where each edit lives) is worked out from the
/// tags of the comments that can reach it; only the group's own comments are read in full, redacted and clustered.
/// </summary>
public static partial class ReportBuilder
{
    /// <summary>Loads the full rows of one group's comments (a superset is fine: the rest are set aside here).</summary>
    public delegate Task<IReadOnlyList<ReportComment>> GroupCommentLoader(ReportGroup group);

    /// <summary>Loads full rows by comment id (a campaign's point carries its first signatory's comment, which may be tagged elsewhere).</summary>
    public delegate Task<IReadOnlyList<ReportComment>> CommentLoader(IReadOnlyList<long> ids);

    /// <param name="placements">Comments without their text (ReportStore.CommentPlacementsAsync), at least those <see cref="PointGroups"/> needs.</param>
    /// <param name="options">As for the full report, with the same campaigns.</param>
    public static async Task<ReportPointView> BuildPointAsync(Consultation consultation, string key, IReadOnlyList<ReportComment> placements,
        IReadOnlyDictionary<long, IReadOnlyList<string>> extraDistricts, IReadOnlyList<Theme> themes, IReadOnlyList<PointEdit> edits,
        PersonalDataDetector detector, ReportOptions options, GroupCommentLoader groupComments, CommentLoader commentsById)
    {
        var themeById = themes.GroupBy(t => t.Id).ToDictionary(g => g.Key, g => g.First());
        var (pointItems, editsByGroup, editedKeys, groupOf, candidates) = Locate(key, placements, extraDistricts, themeById, edits, options);
        foreach (var groupKey in candidates)
        {
            var group = ParseGroupKey(groupKey);
            var full = (await groupComments(group)).ToDictionary(c => c.Id);
            // The group's own comments in full and redacted; each campaign stands in for its signatories as in the full
            // report. A comment re-tagged or deleted between the two reads is left out rather than shown in the wrong group.
            var items = pointItems.Where(i => groupOf[i.Comment.Id] == groupKey).AsParallel().AsOrdered()
                .Select(i => i.IsCampaign ? WithRedactedWording(i, detector)
                    : full.TryGetValue(i.Comment.Id, out var c) ? ToItem(c, themeById, extraDistricts, detector) : null)
                .Where(i => i is not null && GroupKey(i) == groupKey).Select(i => i!).ToList();
            if (items.Count == 0) continue;

            var rows = Rows(Outcomes.Find(group.OutcomeId)!, group.Partner,
                Groups(items, themeById, editsByGroup, editedKeys, detector, options).Single()).ToList();
            var row = rows.FirstOrDefault(r => r.Point.Key == key);
            if (row is null) continue;
            return new ReportPointView
            {
                Consultation = consultation, Group = group, AllPoints = rows,
                Comments = await PointCommentsAsync(row.Point, items, full, extraDistricts, themeById, detector, commentsById),
            };
        }
        return new ReportPointView { Consultation = consultation };
    }

    /// <summary>
    /// The groups that can hold the key, in report order (usually one), worked out from the placements given. They
    /// must include every comment of those groups, every member of a campaign with a member among them and every
    /// comment of an edit that covers one of them (ReportService.BuildPointAsync reads that much).
    /// </summary>
    public static IReadOnlyList<ReportGroup> PointGroups(string key, IReadOnlyList<ReportComment> placements,
        IReadOnlyDictionary<long, IReadOnlyList<string>> extraDistricts, IReadOnlyList<Theme> themes, IReadOnlyList<PointEdit> edits, ReportOptions options) =>
        Locate(key, placements, extraDistricts, themes.GroupBy(t => t.Id).ToDictionary(g => g.Key, g => g.First()), edits, options)
            .Candidates.Select(ParseGroupKey).ToList();

    /// <summary>The comments that decide which group holds the key: the comments of its edit, or the one it is named after.</summary>
    public static IReadOnlyList<long> PointAnchors(string key, IReadOnlyList<PointEdit> edits)
    {
        var anchors = edits.Where(e => e.PointKey == key).SelectMany(e => e.CommentIdList).ToList();
        if (NaturalAnchor(key) is { } id) anchors.Add(id);
        return anchors;
    }

    private static (List<Item> PointItems, Dictionary<string, List<PointEdit>> EditsByGroup, HashSet<string> EditedKeys, Dictionary<long, string> GroupOf,
        List<string> Candidates) Locate(string key, IReadOnlyList<ReportComment> placements, IReadOnlyDictionary<long, IReadOnlyList<string>> extraDistricts,
        Dictionary<string, Theme> themeById, IReadOnlyList<PointEdit> edits, ReportOptions options)
    {
        var light = placements.Where(Included).Select(c => ToItem(c, themeById, extraDistricts, detector: null)).ToList();
        var (pointItems, _) = CollapseCampaigns(light, options.Campaigns, detector: null);
        var editsByGroup = EditsByGroup(pointItems, edits);
        var editedKeys = edits.Select(e => e.PointKey).ToHashSet(StringComparer.Ordinal);
        var groupOf = pointItems.ToDictionary(i => i.Comment.Id, GroupKey);
        var candidates = Candidates(key, editsByGroup, editedKeys, groupOf).Distinct().ToList();
        if (candidates.Count > 1) candidates = InReportOrder(candidates, groupOf, pointItems, themeById);
        return (pointItems, editsByGroup, editedKeys, groupOf, candidates);
    }

    private static Item WithRedactedWording(Item campaign, PersonalDataDetector detector) => new()
    {
        Comment = campaign.Comment, Outcome = campaign.Outcome, ThemeId = campaign.ThemeId, Districts = campaign.Districts,
        Redacted = detector.Redact(campaign.Redacted), HasPersonalData = false, PartnerCode = null, IsCampaign = true,
    };

    /// <summary>
    /// The point's comment rows, made as the full report makes them. A campaign's point lists its first signatory, whose
    /// own row (own text and tags, the campaign's point key) may belong to another group, so it is read by id if needed.
    /// </summary>
    private static async Task<IReadOnlyList<ReportCommentRow>> PointCommentsAsync(ReportPoint point, List<Item> items, Dictionary<long, ReportComment> full,
        IReadOnlyDictionary<long, IReadOnlyList<string>> extraDistricts, IReadOnlyDictionary<string, Theme> themeById, PersonalDataDetector detector,
        CommentLoader commentsById)
    {
        var byId = items.ToDictionary(i => i.Comment.Id);
        var missing = point.CommentIds.Where(id => byId.TryGetValue(id, out var i) && i.IsCampaign && !full.ContainsKey(id)).ToList();
        var fetched = missing.Count == 0 ? [] : (await commentsById(missing)).ToDictionary(c => c.Id);
        var rows = new List<ReportCommentRow>(point.CommentIds.Count);
        foreach (var id in point.CommentIds.Order())
        {
            if (!byId.TryGetValue(id, out var item)) continue;
            if (item.IsCampaign)
            {
                if (!full.TryGetValue(id, out var source) && !fetched.TryGetValue(id, out source)) continue; // deleted meanwhile
                var signatory = ToItem(source, themeById, extraDistricts, detector);
                signatory.PointKey = item.PointKey;
                item = signatory;
            }
            rows.Add(CommentRow(item, themeById, detector));
        }
        return rows;
    }

    /// <summary>
    /// The groups that can hold the key. An edited key lives where its edit is homed. A cluster nobody edited is keyed
    /// "c" and its lowest comment id, with "r" added when an edit already holds that key, so it sits in that comment's
    /// group. Two groups only if an author edited a point keyed like a renamed cluster; the report's first then wins, as
    /// it does on the full report.
    /// </summary>
    private static IEnumerable<string> Candidates(string key, Dictionary<string, List<PointEdit>> editsByGroup, HashSet<string> editedKeys,
        Dictionary<long, string> groupOf)
    {
        foreach (var (group, list) in editsByGroup)
            if (list.Any(e => e.PointKey == key)) yield return group;
        var renamed = key.EndsWith('r');
        var natural = renamed ? editedKeys.Contains(key[..^1]) : !editedKeys.Contains(key);
        if (natural && NaturalAnchor(key) is { } id && groupOf.TryGetValue(id, out var home)) yield return home;
    }

    /// <summary>The comment a cluster's key is made from: "c" and its lowest comment id, perhaps with "r" after it.</summary>
    private static long? NaturalAnchor(string key)
    {
        var renamed = key.EndsWith('r');
        var digits = key.Length < 2 || key[0] != 'c' ? "" : renamed ? key[1..^1] : key[1..];
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            && key == "c" + id.ToString(CultureInfo.InvariantCulture) + (renamed ? "r" : "") ? id : null;
    }

    /// <summary>Groups in the order the full report lists them: by section, partners first, then as Groups orders them.</summary>
    private static List<string> InReportOrder(List<string> groupKeys, Dictionary<long, string> groupOf, List<Item> pointItems,
        IReadOnlyDictionary<string, Theme> themeById)
    {
        var wanted = groupKeys.ToHashSet();
        var responses = pointItems.Where(i => wanted.Contains(groupOf[i.Comment.Id])).GroupBy(i => groupOf[i.Comment.Id])
            .ToDictionary(g => g.Key, g => g.Select(i => i.Comment.SubmissionId).Distinct().Count());
        return groupKeys.Select(k => (Key: k, Group: ParseGroupKey(k)))
            .OrderBy(x => SectionOrder.ToList().FindIndex(o => o.Id == x.Group.OutcomeId)).ThenBy(x => !x.Group.Partner)
            .ThenByDescending(x => responses.GetValueOrDefault(x.Key)).ThenBy(x => x.Group.ThemeId == OtherThemeId)
            .ThenBy(x => ThemeName(x.Group.ThemeId, themeById), StringComparer.Ordinal).Select(x => x.Key).ToList();
    }

    private static ReportGroup ParseGroupKey(string groupKey)
    {
        var parts = groupKey.Split('|', 3);
        return new ReportGroup(int.Parse(parts[0], CultureInfo.InvariantCulture), parts[1] == "p", parts[2]);
    }
}
