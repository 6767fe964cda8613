using System.Text;
using System.Text.RegularExpressions;
using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Privacy;
using Engagement.Core.Triage;

namespace Engagement.Core.Reports;

public sealed record ReportOptions
{
    /// <summary>Points printed under each theme; the rest are counted and listed in the spreadsheet.</summary>
    public int PointsPerTheme { get; init; } = 12;
    public int QuotesPerTheme { get; init; } = 2;
    public double SimilarityThreshold { get; init; } = TextClustering.DefaultThreshold;
    public int ClassifiedNow { get; init; }
    public DateTime? Now { get; init; }
    /// <summary>Campaigns to count once each (from CampaignStore).</summary>
    public IReadOnlyList<Campaigns.ReportCampaign> Campaigns { get; init; } = [];
}

/// <summary>
/// Builds the consultation report from stored comments, following the council's own consultation reports:
/// for each outcome (1 to 6, then General) counts, then partner and public feedback grouped by theme, themes
/// ranked by how many raised them, near-duplicate comments merged into points with the codes of everyone who
/// raised them, and representative quotes. Every piece of comment text passes through the personal-data redactor.
/// </summary>
public static partial class ReportBuilder
{
    public const string PartnerAudience = "Partner feedback";
    public const string PublicAudience = "Public feedback";

    internal sealed class Item
    {
        public required ReportComment Comment { get; init; }
        public required int Outcome { get; init; }
        public required string ThemeId { get; init; }
        public required IReadOnlyList<string> Districts { get; init; }
        public required string Redacted { get; init; }
        public required bool HasPersonalData { get; init; }
        public string? PartnerCode { get; init; }
        public bool IsPartner => Comment.RespondentType == RespondentTypes.Partner;
        /// <summary>Stands for a whole campaign (ReportBuilder.Campaigns.cs); its comment is the first signatory's, emptied.</summary>
        public bool IsCampaign { get; init; }
        public string? PointKey { get; set; }

        private int flag; // 0 not yet known, 1 not flagged, 2 flagged

        /// <summary>
        /// Flagged for safeguarding. Comments the background scan has not read yet are checked here, but only when the
        /// report is about to use their words (wording or a quote): checking all 100,000 would take seconds. A person's
        /// decision (checked) stands. Each item is only ever read by one thread, so the cached answer needs no lock.
        /// </summary>
        public bool Flagged
        {
            get
            {
                if (flag == 0)
                    flag = Comment.Safeguarding || (!Comment.SafeguardingChecked && SafeguardingDetector.Instance.Check(Comment.Text).Flagged) ? 2 : 1;
                return flag == 2;
            }
        }

        /// <summary>Flagged as far as is known without running the detector.</summary>
        public bool KnownFlagged => Comment.Safeguarding || flag == 2;
    }

    public static ConsultationReport Build(Consultation consultation, IReadOnlyList<ReportComment> comments,
        IReadOnlyDictionary<long, IReadOnlyList<string>> extraDistricts, IReadOnlyList<Theme> themes, IReadOnlyList<PointEdit> edits,
        PersonalDataDetector detector, ReportOptions? options = null)
    {
        options ??= new ReportOptions();
        var themeById = themes.GroupBy(t => t.Id).ToDictionary(g => g.Key, g => g.First());
        var included = comments.Where(Included).ToList();

        var items = included.AsParallel().AsOrdered().Select(c => ToItem(c, themeById, extraDistricts, detector)).ToList();

        var (pointItems, campaignOf) = CollapseCampaigns(items, options.Campaigns, detector); // see ReportBuilder.Campaigns.cs
        var editsByGroup = EditsByGroup(pointItems, edits);
        var editedKeys = edits.Select(e => e.PointKey).ToHashSet(StringComparer.Ordinal);
        // Outcomes are independent (each comment belongs to exactly one), so they are clustered in parallel.
        var built = SectionOrder.AsParallel().AsOrdered().Select(outcome =>
        {
            var inOutcome = pointItems.Where(i => i.Outcome == outcome.Id).ToList();
            var partner = Groups(inOutcome.Where(i => i.IsPartner).ToList(), themeById, editsByGroup, editedKeys, detector, options);
            var publicFeedback = Groups(inOutcome.Where(i => !i.IsPartner).ToList(), themeById, editsByGroup, editedKeys, detector, options);
            var section = new OutcomeSection
            {
                Outcome = outcome, Counts = Count(inOutcome),
                PartnerFeedback = partner.Select(p => p.Shown).ToList(), PublicFeedback = publicFeedback.Select(p => p.Shown).ToList(),
            };
            var rows = partner.SelectMany(g => Rows(outcome, partner: true, g)).Concat(publicFeedback.SelectMany(g => Rows(outcome, partner: false, g))).ToList();
            return (section, rows);
        }).ToList();
        MarkCampaignMembers(campaignOf);
        var sections = built.Select(b => b.section).ToList();
        var allPoints = built.SelectMany(b => b.rows).ToList();

        return new ConsultationReport
        {
            Consultation = consultation,
            GeneratedAt = options.Now ?? DateTime.UtcNow,
            Totals = Count(items),
            Sections = sections,
            Who = Who(items),
            Method = Method(consultation, comments, items, options.ClassifiedNow),
            ByOutcome = sections.Select(s => new LabelledCount(s.Outcome.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                s.IsGeneral ? "General" : $"{s.Outcome.Id}. {s.Outcome.ShortName}", s.Counts.Comments)).ToList(),
            Comments = items.Select(i => CommentRow(i, themeById, detector)).ToList(),
            AllPoints = allPoints,
        };
    }

    /// <summary>Outcomes 1 to 6, then General: the order of the report's sections.</summary>
    private static readonly IReadOnlyList<Outcome> SectionOrder = [.. Outcomes.Shared, Outcomes.Find(Outcomes.General)!];

    private static bool Included(ReportComment c) => c.Status is not (CommentStatuses.Spam or CommentStatuses.Hidden);

    /// <summary>
    /// Where a comment is reported: its outcome (confirmed, else suggested, else the respondent's choice, else General) and
    /// theme. A theme that belongs to another outcome (the outcome was confirmed but the theme not) does not fit there.
    /// </summary>
    private static (int Outcome, string ThemeId) Place(ReportComment c, IReadOnlyDictionary<string, Theme> themeById)
    {
        var outcome = c.ConfirmedOutcome ?? c.SuggestedOutcome ?? c.ChosenOutcome ?? Outcomes.General;
        if (!Outcomes.IsValid(outcome)) outcome = Outcomes.General;
        var theme = c.ConfirmedTheme ?? c.SuggestedTheme;
        if (theme is null || (themeById.TryGetValue(theme, out var t) && t.OutcomeId != outcome)) theme = OtherThemeId;
        return (outcome, theme);
    }

    /// <summary>A comment ready for the report. Without a detector the text is left out: only its place is wanted.</summary>
    private static Item ToItem(ReportComment c, IReadOnlyDictionary<string, Theme> themeById, IReadOnlyDictionary<long, IReadOnlyList<string>> extraDistricts,
        PersonalDataDetector? detector)
    {
        var matches = detector?.Find(c.Text) ?? [];
        var (outcome, theme) = Place(c, themeById);
        var districts = extraDistricts.TryGetValue(c.SubmissionId, out var extra) ? extra
            : c.District is { } d ? [d] : (IReadOnlyList<string>)[];
        return new Item
        {
            Comment = c, Outcome = outcome, ThemeId = theme, Districts = districts,
            Redacted = detector is null ? "" : matches.Count == 0 ? c.Text : detector.Redact(c.Text), HasPersonalData = matches.Count > 0,
            PartnerCode = c.RespondentType == RespondentTypes.Partner ? PartnerTypes.CodeOf(c.PartnerType) ?? "OTH" : null,
        };
    }

    private static ReportCommentRow CommentRow(Item i, IReadOnlyDictionary<string, Theme> themeById, PersonalDataDetector detector) => new()
    {
        CommentId = i.Comment.Id, Reference = i.Comment.Reference, SubmittedAt = i.Comment.SubmittedAt,
        RespondentType = i.Comment.RespondentType, Organisation = Redact(detector, i.Comment.Organisation), PartnerCode = i.PartnerCode,
        Districts = string.Join(";", i.Districts), Channel = i.Comment.Channel, Outcome = i.Outcome,
        OutcomeName = Outcomes.Find(i.Outcome)!.ShortName, ThemeId = i.ThemeId, ThemeName = ThemeName(i.ThemeId, themeById),
        TaggedBy = i.Comment.ConfirmedTheme is not null || i.Comment.ConfirmedOutcome is not null ? "confirmed"
            : i.Comment.SuggestedTheme is not null ? "suggested" : i.Comment.ChosenOutcome is not null ? "respondent" : "none",
        Confidence = i.Comment.SuggestedConfidence, Status = i.Comment.Status, PointKey = i.PointKey, Text = i.Redacted,
        Safeguarding = i.KnownFlagged, SafeguardingUnchecked = !i.Comment.Safeguarding && !i.Comment.SafeguardingChecked,
    };

    /// <summary>A theme group's points, shown then hidden, with where they sit in the report.</summary>
    private static IEnumerable<PointRow> Rows(Outcome outcome, bool partner, GroupResult g) =>
        g.All.Select(p => new PointRow(outcome.Id, outcome.ShortName, partner ? PartnerAudience : PublicAudience, g.Shown.ThemeName, p) { ThemeId = g.Shown.ThemeId });

    public const string OtherThemeId = "other";

    private static string? Redact(PersonalDataDetector detector, string? text) => text is null ? null : detector.Redact(text);

    private static string ThemeName(string id, IReadOnlyDictionary<string, Theme> themes) =>
        themes.TryGetValue(id, out var t) ? t.Name
        : id == OtherThemeId ? "Other comments"
        : char.ToUpperInvariant(id[0]) + id[1..].Replace('-', ' ').Replace('_', ' ');

    private sealed record GroupResult(ThemeGroup Shown, IReadOnlyList<ReportPoint> All);

    /// <summary>Which outcome, audience and theme a comment is reported under: points live within one such group.</summary>
    private static string GroupKey(int outcome, bool partner, string theme) => $"{outcome}|{(partner ? "p" : "r")}|{theme}";

    private static string GroupKey(Item i) => GroupKey(i.Outcome, i.IsPartner, i.ThemeId);

    /// <summary>
    /// Each edited point lives in the group that now holds most of its comments (a comment can move when a person
    /// re-tags it). Edits that merged their point into another claim nothing: their comments went with the merge.
    /// </summary>
    private static Dictionary<string, List<PointEdit>> EditsByGroup(List<Item> items, IReadOnlyList<PointEdit> edits)
    {
        if (edits.Count == 0) return [];
        var groupOf = new Dictionary<long, string>(items.Count);
        foreach (var i in items) groupOf[i.Comment.Id] = GroupKey(i);
        var result = new Dictionary<string, List<PointEdit>>();
        foreach (var edit in edits.Where(e => e.MergedInto is null))
        {
            var home = edit.CommentIdList.Where(groupOf.ContainsKey).GroupBy(id => groupOf[id])
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Min()).Select(g => g.Key).FirstOrDefault();
            if (home is null) continue; // every comment it covered has gone (marked spam or hidden)
            if (!result.TryGetValue(home, out var list)) result[home] = list = [];
            list.Add(edit);
        }
        return result;
    }

    private static List<GroupResult> Groups(List<Item> items, IReadOnlyDictionary<string, Theme> themes, Dictionary<string, List<PointEdit>> editsByGroup,
        HashSet<string> editedKeys, PersonalDataDetector detector, ReportOptions options)
    {
        var results = new List<GroupResult>();
        foreach (var theme in items.GroupBy(i => i.ThemeId))
        {
            var members = theme.OrderBy(i => i.Comment.Id).ToList();
            var vectors = TextClustering.Vectorise(members.Select(m => m.Comment.Text).ToList());
            var clusters = TextClustering.Cluster(vectors, options.SimilarityThreshold);
            var groupEdits = editsByGroup.GetValueOrDefault(GroupKey(members[0])) ?? [];
            var points = groupEdits.Count == 0
                ? clusters.Select(c => NaturalPoint(members, c, vectors, editedKeys)).ToList()
                : EditedPoints(members, clusters, vectors, groupEdits, editedKeys, detector);

            var ordered = points.Where(p => !p.Hidden).OrderBy(p => p.SortOrder ?? int.MaxValue).ThenByDescending(p => p.Count)
                .ThenBy(p => p.CommentIds.Min()).ToList();
            var hidden = points.Where(p => p.Hidden).OrderBy(p => p.CommentIds.Min()).ToList();
            var hiddenComments = hidden.SelectMany(p => p.CommentIds).ToHashSet();

            results.Add(new GroupResult(new ThemeGroup
            {
                ThemeId = theme.Key,
                ThemeName = ThemeName(theme.Key, themes),
                Count = members.Select(m => m.Comment.SubmissionId).Distinct().Count(),
                Points = ordered.Take(options.PointsPerTheme).ToList(),
                MorePoints = Math.Max(0, ordered.Count - options.PointsPerTheme),
                FurtherPoints = ordered.Skip(options.PointsPerTheme).ToList(),
                HiddenPoints = hidden,
                Quotes = Quotes(members, vectors, options.QuotesPerTheme, hiddenComments),
            }, [.. ordered, .. hidden]));
        }
        return results.OrderByDescending(r => r.Shown.Count).ThenBy(r => r.Shown.ThemeId == OtherThemeId).ThenBy(r => r.Shown.ThemeName, StringComparer.Ordinal).ToList();
    }

    /// <summary>A cluster nobody has edited: keyed by its lowest comment id, worded by its most typical comment.</summary>
    private static ReportPoint NaturalPoint(List<Item> members, TextCluster cluster, IReadOnlyList<SparseVector> vectors, HashSet<string> editedKeys)
    {
        var people = cluster.Members.Select(i => members[i]).ToList();
        var key = "c" + people.Min(p => p.Comment.Id).ToString(System.Globalization.CultureInfo.InvariantCulture);
        // An edited point may carry this key while its anchor comment now sits elsewhere; keep keys unique.
        if (editedKeys.Contains(key)) key += "r";
        foreach (var p in people) p.PointKey = key;
        return new ReportPoint
        {
            Key = key,
            Wording = Wording(members, cluster.Members, cluster.Medoid, vectors),
            Codes = Codes(people),
            Count = people.Select(p => p.Comment.SubmissionId).Distinct().Count(),
            CommentIds = people.Select(p => p.Comment.Id).ToList(),
        };
    }

    /// <summary>
    /// Authors' edits follow the comments, not the clustering. Each edited point first claims the comments it covered
    /// when it was last saved (the newest edit wins a comment claimed twice, so a split or merge overrides what came
    /// before). A fresh cluster holding claimed comments then belongs to the edited point(s) that claimed them: its new,
    /// unclaimed comments join whichever of those points they read most like. Clusters with no claimed comment stay
    /// ordinary points. So a reworded, merged, split, hidden or reordered point keeps its edit when comments arrive.
    /// </summary>
    private static List<ReportPoint> EditedPoints(List<Item> members, IReadOnlyList<TextCluster> clusters, IReadOnlyList<SparseVector> vectors,
        List<PointEdit> groupEdits, HashSet<string> editedKeys, PersonalDataDetector detector)
    {
        var indexOf = new Dictionary<long, int>(members.Count);
        for (var i = 0; i < members.Count; i++) indexOf[members[i].Comment.Id] = i;

        var edits = groupEdits.OrderBy(e => e.EditedAt).ThenBy(e => e.Id).ToList();
        var owner = new int[members.Count];
        Array.Fill(owner, -1);
        for (var k = 0; k < edits.Count; k++)
            foreach (var id in edits[k].CommentIdList)
                if (indexOf.TryGetValue(id, out var i)) owner[i] = k;

        var claimed = (int[])owner.Clone();
        var centroids = new Dictionary<int, Dictionary<int, double>>();
        Dictionary<int, double> CentroidOf(int k) => centroids.TryGetValue(k, out var c) ? c
            : centroids[k] = TextClustering.Centroid(vectors, Enumerable.Range(0, members.Count).Where(i => claimed[i] == k));

        var points = new List<ReportPoint>();
        foreach (var cluster in clusters)
        {
            var claimants = cluster.Members.Where(i => claimed[i] >= 0).Select(i => claimed[i]).Distinct().ToList();
            if (claimants.Count == 0)
            {
                points.Add(NaturalPoint(members, cluster, vectors, editedKeys));
                continue;
            }
            foreach (var i in cluster.Members.Where(i => claimed[i] < 0))
                owner[i] = claimants.Count == 1 ? claimants[0]
                    : claimants.OrderByDescending(k => TextClustering.Similarity(vectors[i], CentroidOf(k))).ThenBy(k => k).First();
        }

        for (var k = 0; k < edits.Count; k++)
        {
            var mine = Enumerable.Range(0, members.Count).Where(i => owner[i] == k).ToList();
            if (mine.Count == 0) continue; // everything it covered was claimed by a later edit
            var edit = edits[k];
            var people = mine.Select(i => members[i]).ToList();
            foreach (var p in people) p.PointKey = edit.PointKey;
            points.Add(new ReportPoint
            {
                Key = edit.PointKey,
                Wording = edit.Wording is { Length: > 0 } w ? detector.Redact(w) : Wording(members, mine, TextClustering.Medoid(vectors, mine), vectors),
                AuthorWording = edit.Wording is { Length: > 0 } ? edit.Wording : null,
                Codes = Codes(people),
                Count = people.Select(p => p.Comment.SubmissionId).Distinct().Count(),
                CommentIds = people.Select(p => p.Comment.Id).ToList(),
                Edited = true,
                Version = edit.Version,
                Hidden = edit.Hidden,
                SortOrder = edit.SortOrder,
            });
        }
        return points;
    }

    /// <summary>
    /// The medoid's redacted wording, trimmed to a sentence or two. Safeguarding-flagged comments never supply wording:
    /// then the next most typical member does.
    /// </summary>
    private static string Wording(List<Item> members, IReadOnlyList<int> cluster, int medoid, IReadOnlyList<SparseVector> vectors)
    {
        if (!members[medoid].Flagged) return TrimToSentences(members[medoid].Redacted, 240);
        var centroid = TextClustering.Centroid(vectors, cluster);
        foreach (var i in cluster.OrderByDescending(i => TextClustering.Similarity(vectors[i], centroid)).ThenBy(i => i))
            if (!members[i].Flagged) return TrimToSentences(members[i].Redacted, 240);
        return "Comment withheld while it is reviewed.";
    }

    /// <summary>
    /// District codes, then partner codes, each most frequent first and ties in order of first mention: "(SW)(T)(Da)(VCS)".
    /// </summary>
    public static IReadOnlyList<string> Codes(IEnumerable<(IReadOnlyList<string> Districts, string? PartnerCode)> raisedBy)
    {
        var list = raisedBy.ToList();
        static IEnumerable<string> Ranked(IEnumerable<string> codes) => codes
            .Select((code, position) => (code, position)).GroupBy(x => x.code)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Min(x => x.position)).Select(g => g.Key);
        var districts = Ranked(list.SelectMany(r => r.Districts).Where(Districts.IsValid));
        var partners = Ranked(list.Where(r => r.PartnerCode is not null).Select(r => r.PartnerCode!));
        return districts.Concat(partners).ToList();
    }

    private static IReadOnlyList<string> Codes(List<Item> people) => Codes(people.Select(p => (p.Districts, p.PartnerCode)));

    /// <summary>
    /// Quotes typical of the theme (closest to its centre), spread across districts. Only from people who agreed to be
    /// quoted, never safeguarding-flagged, and never text in which the redactor found anything.
    /// </summary>
    private static IReadOnlyList<ReportQuote> Quotes(List<Item> members, IReadOnlyList<SparseVector> vectors, int take, HashSet<long> hiddenComments)
    {
        if (take <= 0) return [];
        var eligible = Enumerable.Range(0, members.Count).Where(i =>
        {
            var m = members[i];
            return m.Comment.ConsentToQuote && !hiddenComments.Contains(m.Comment.Id) && !m.Comment.Safeguarding && !m.HasPersonalData
                && m.Comment.Status is not (CommentStatuses.Spam or CommentStatuses.Hidden)
                && m.Comment.Text.Trim().Length is >= 20 and <= 1200;
        }).ToList();
        if (eligible.Count == 0) return [];

        var centroid = TextClustering.Centroid(vectors, Enumerable.Range(0, members.Count));
        var ranked = eligible.Select(i => (i, score: TextClustering.Similarity(vectors[i], centroid)))
            .OrderByDescending(x => x.score).ThenBy(x => members[x.i].Comment.Id).Select(x => x.i).ToList();

        var chosen = new List<int>();
        var places = new HashSet<string>();
        foreach (var i in ranked)
        {
            if (chosen.Count == take) break;
            var place = members[i].Districts.FirstOrDefault() ?? "";
            if (places.Contains(place) || members[i].Flagged) continue;
            chosen.Add(i);
            places.Add(place);
        }
        foreach (var i in ranked)
        {
            if (chosen.Count == take) break;
            if (!chosen.Contains(i) && !members[i].Flagged) chosen.Add(i);
        }

        return chosen.Select(i =>
        {
            var m = members[i];
            var district = m.Districts.FirstOrDefault();
            var place = m.IsPartner ? m.PartnerCode is { } code ? PartnerTypes.All.First(p => p.Code == code).Label : "Partner organisation"
                : district is null ? "Place not given" : Districts.NameOf(district);
            return new ReportQuote(m.Comment.Id, TrimToSentences(m.Redacted, 400), district, place);
        }).ToList();
    }

    private static SectionCounts Count(IReadOnlyCollection<Item> items) => new(
        items.Count,
        items.Count(i => i.Comment.RespondentType == RespondentTypes.Resident),
        items.Count(i => i.Comment.RespondentType == RespondentTypes.Partner),
        items.Count(i => i.Comment.RespondentType == RespondentTypes.Staff),
        items.GroupBy(i => i.Comment.Channel).Select(g => new LabelledCount(g.Key, Channels.LabelOf(g.Key), g.Count()))
            .OrderByDescending(c => c.Count).ThenBy(c => c.Label, StringComparer.Ordinal).ToList());

    // Rough shares of the Kent and Medway population (Census 2021, about 1.87 million people), used only to say which
    // groups answered less than their share. Districts: mid-2021 population estimates, rounded.
    internal static readonly IReadOnlyDictionary<string, double> DistrictPopulationShare = new Dictionary<string, double>
    {
        ["A"] = 0.071, ["C"] = 0.084, ["Da"] = 0.063, ["D"] = 0.063, ["FH"] = 0.058, ["G"] = 0.057, ["M"] = 0.094,
        ["S"] = 0.065, ["SW"] = 0.081, ["T"] = 0.075, ["TMBC"] = 0.071, ["TW"] = 0.062, ["Med"] = 0.150,
    };

    // Census 2021, Kent and Medway combined, rounded: age (whole population), sex, ethnic group, disability
    // (disabled under the Equality Act) and unpaid carers (aged 5 and over).
    internal static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> EqualityPopulationShare =
        new Dictionary<string, IReadOnlyDictionary<string, double>>
        {
            ["Age"] = new Dictionary<string, double>
            {
                ["under-18"] = 0.215, ["18-24"] = 0.080, ["25-34"] = 0.125, ["35-44"] = 0.125, ["45-54"] = 0.135,
                ["55-64"] = 0.130, ["65-74"] = 0.105, ["75-plus"] = 0.085,
            },
            ["Sex"] = new Dictionary<string, double> { ["female"] = 0.51, ["male"] = 0.49 },
            ["Ethnic group"] = new Dictionary<string, double>
            {
                ["white"] = 0.89, ["mixed"] = 0.025, ["asian"] = 0.045, ["black"] = 0.025, ["other"] = 0.015,
            },
            ["Disability"] = new Dictionary<string, double> { ["yes"] = 0.18 },
            ["Unpaid carer"] = new Dictionary<string, double> { ["yes"] = 0.09 },
        };

    /// <summary>Below this many answers a share says nothing; below this fraction of its population share a group is under-represented.</summary>
    private const int MinimumAnswers = 20;
    private const double UnderRepresentedBelow = 0.6;

    private static WhoWeHeardFrom Who(List<Item> items)
    {
        var responses = items.GroupBy(i => i.Comment.SubmissionId).Select(g => g.First()).ToList();

        var byDistrict = Districts.All.Select(d => new LabelledCount(d.Code, d.Name, responses.Count(r => r.Districts.Contains(d.Code))))
            .Append(new LabelledCount("", "Not given", responses.Count(r => r.Districts.Count == 0))).ToList();
        var byType = RespondentTypes.All.Select(t => new LabelledCount(t.Value, t.Label, responses.Count(r => r.Comment.RespondentType == t.Value))).ToList();
        var byChannel = Channels.All.Select(c => new LabelledCount(c.Value, c.Label, responses.Count(r => r.Comment.Channel == c.Value)))
            .Concat(responses.Where(r => !Channels.IsValid(r.Comment.Channel)).GroupBy(r => r.Comment.Channel)
                .Select(g => new LabelledCount(g.Key, g.Key, g.Count()))).ToList();
        var partners = responses.Where(r => r.IsPartner).ToList();
        var byPartner = PartnerTypes.All.Select(p => new LabelledCount(p.Code!, p.Label, partners.Count(r => r.PartnerCode == p.Code))).ToList();

        var equality = new List<EqualityBreakdown>();
        void Add(string question, IReadOnlyList<Choice> choices, Func<ReportComment, string?> answer)
        {
            var answered = responses.Select(r => answer(r.Comment)).Where(a => !string.IsNullOrEmpty(a)).ToList();
            if (answered.Count == 0) return;
            equality.Add(new EqualityBreakdown(question,
                choices.Select(c => new LabelledCount(c.Value, c.Label, answered.Count(a => a == c.Value))).ToList(), answered.Count));
        }
        Add("Age", AboutYou.AgeBands, c => c.AgeBand);
        Add("Sex", AboutYou.Sexes, c => c.Sex);
        Add("Ethnic group", AboutYou.EthnicGroups, c => c.EthnicGroup);
        Add("Disability", AboutYou.YesNo, c => c.Disability);
        Add("Unpaid carer", AboutYou.YesNo, c => c.UnpaidCarer);

        var under = new List<string>();
        var local = byDistrict.Where(d => DistrictPopulationShare.ContainsKey(d.Key)).ToList();
        var localTotal = local.Sum(d => d.Count);
        if (localTotal >= MinimumAnswers)
            foreach (var d in local)
                if ((double)d.Count / localTotal < UnderRepresentedBelow * DistrictPopulationShare[d.Key]) under.Add("people in " + d.Label);

        foreach (var e in equality)
        {
            var shares = EqualityPopulationShare[e.Question];
            var known = e.Answers.Where(a => a.Key != AboutYou.PreferNotToSay).Sum(a => a.Count);
            if (known < MinimumAnswers) continue;
            foreach (var a in e.Answers.Where(a => shares.ContainsKey(a.Key)))
                if ((double)a.Count / known < UnderRepresentedBelow * shares[a.Key]) under.Add(GroupName(e.Question, a));
        }

        string sentence;
        if (responses.Count == 0) sentence = "There are no responses yet.";
        else if (localTotal < MinimumAnswers && equality.All(e => e.Answered < MinimumAnswers))
            sentence = "Too few responses gave a place or answered the equality questions to say which groups were under-represented.";
        else if (under.Count == 0)
            sentence = "Compared with the population of Kent and Medway, no group was clearly under-represented among those who answered.";
        else
            sentence = "Compared with the population of Kent and Medway, fewer responses than expected came from " + JoinAnd(under) +
                ". Their views may need seeking out in other ways.";

        return new WhoWeHeardFrom
        {
            ByDistrict = byDistrict, ByRespondentType = byType, ByChannel = byChannel, ByPartnerType = byPartner,
            Equality = equality, UnderRepresented = under, UnderRepresentedSentence = sentence,
        };
    }

    private static string GroupName(string question, LabelledCount a) => question switch
    {
        "Age" => a.Key == "under-18" ? "children and young people under 18" : "people aged " + a.Label.ToLowerInvariant(),
        "Sex" => a.Key == "female" ? "women" : "men",
        "Ethnic group" => a.Label + " people",
        "Disability" => "disabled people",
        "Unpaid carer" => "unpaid carers",
        _ => a.Label,
    };

    public static string JoinAnd(IReadOnlyList<string> parts) => parts.Count switch
    {
        0 => "",
        1 => parts[0],
        _ => string.Join(", ", parts.Take(parts.Count - 1)) + " and " + parts[^1],
    };

    private static MethodSummary Method(Consultation consultation, IReadOnlyList<ReportComment> all, List<Item> items, int classifiedNow) => new()
    {
        OpensOn = consultation.OpensOn,
        ClosesOn = consultation.ClosesOn,
        FirstResponse = items.Count == 0 ? null : items.Min(i => i.Comment.SubmittedAt),
        LastResponse = items.Count == 0 ? null : items.Max(i => i.Comment.SubmittedAt),
        Responses = items.Select(i => i.Comment.SubmissionId).Distinct().Count(),
        Comments = items.Count,
        Excluded = all.Count - items.Count,
        ConfirmedByPerson = items.Count(i => i.Comment.ConfirmedTheme is not null || i.Comment.ConfirmedOutcome is not null),
        ClassifiedNow = classifiedNow,
        Channels = items.Select(i => i.Comment.Channel).Distinct().Select(Channels.LabelOf).Order(StringComparer.Ordinal).ToList(),
        ModelVersions = items.Select(i => i.Comment.SuggestionModelVersion).Where(v => v is not null).Select(v => v!).Distinct().Order(StringComparer.Ordinal).ToList(),
    };

    /// <summary>The first sentence (or two, if the first is short), cut at a word boundary if still too long.</summary>
    public static string TrimToSentences(string text, int maxChars)
    {
        var clean = Whitespace().Replace(text, " ").Trim();
        var sentences = SentenceEnd().Split(clean);
        var sb = new StringBuilder();
        var taken = 0;
        foreach (var s in sentences)
        {
            if (taken == 2 || (sb.Length > 0 && (sb.Length >= 60 || sb.Length + s.Length + 1 > maxChars))) break;
            taken++;
            if (sb.Length > 0) sb.Append(' ');
            sb.Append(s);
        }
        var result = sb.ToString();
        if (result.Length <= maxChars) return result;
        var cut = result.LastIndexOf(' ', maxChars - 1);
        // Never cut inside a redaction placeholder.
        var open = result.LastIndexOf('[', cut < 0 ? maxChars - 1 : cut);
        if (open >= 0 && result.IndexOf(']', open) > cut) cut = open - 1;
        return (cut > 0 ? result[..cut] : result[..(maxChars - 1)]).TrimEnd(' ', ',', ';', ':') + "…";
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"(?<=[.!?])\s+(?=[A-Z0-9""'‘“(\[])")]
    private static partial Regex SentenceEnd();
}
