using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Privacy;

namespace Engagement.Core.Reports;

public enum ReportFormat { Html, Docx, Xlsx, Csv }

public static class ReportFormats
{
    public static readonly IReadOnlyList<ReportFormat> All = [ReportFormat.Html, ReportFormat.Docx, ReportFormat.Xlsx, ReportFormat.Csv];

    public static ReportFormat? Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "html" => ReportFormat.Html,
        "docx" => ReportFormat.Docx,
        "xlsx" => ReportFormat.Xlsx,
        "csv" => ReportFormat.Csv,
        _ => null,
    };

    public static string Extension(ReportFormat f) => f.ToString().ToLowerInvariant();

    public static string ContentType(ReportFormat f) => f switch
    {
        ReportFormat.Html => "text/html; charset=utf-8",
        ReportFormat.Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ReportFormat.Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "text/csv; charset=utf-8",
    };

    public static string Label(ReportFormat f) => f switch
    {
        ReportFormat.Html => "Web page (HTML, prints to PDF)",
        ReportFormat.Docx => "Word document (.docx)",
        ReportFormat.Xlsx => "Spreadsheet (.xlsx)",
        _ => "Comments (CSV)",
    };

    public static Task WriteAsync(ConsultationReport report, ReportFormat format, Stream output, CancellationToken ct = default) => format switch
    {
        ReportFormat.Html => HtmlReportWriter.WriteAsync(report, output, ct),
        ReportFormat.Docx => DocxReportWriter.WriteAsync(report, output, ct),
        ReportFormat.Xlsx => XlsxReportWriter.WriteAsync(report, output, ct),
        _ => CsvReportWriter.WriteAsync(report, output, ct),
    };
}

/// <summary>Loads a consultation's comments, optionally classifies those without a suggestion, and builds the report.</summary>
public sealed class ReportService(ConsultationStore consultations, ReportStore store, ThemeStore themes, SuggestionService suggestions, PersonalDataDetector detector,
    Campaigns.CampaignStore? campaigns = null)
{
    public async Task<ConsultationReport?> BuildAsync(string slug, bool classifyFirst = true, ReportOptions? options = null, CancellationToken ct = default)
    {
        var consultation = await consultations.FindBySlugAsync(slug);
        if (consultation is null) return null;
        return await BuildAsync(consultation, classifyFirst, options, ct);
    }

    public async Task<ConsultationReport> BuildAsync(Consultation consultation, bool classifyFirst = true, ReportOptions? options = null, CancellationToken ct = default)
    {
        var classified = classifyFirst ? await suggestions.BackfillAsync(consultation.Id, ct) : 0;
        var comments = await store.CommentsAsync(consultation.Id, ct);
        var districts = await store.SubmissionDistrictsAsync(consultation.Id, ct);
        var themeList = await themes.ListAsync(includeRetired: true);
        var edits = await store.LatestPointEditsAsync(consultation.Id, ct);
        // Campaigns count once. If nobody has looked for them yet, look now (the staff Campaigns page can re-run it).
        if (campaigns is not null && classifyFirst && !await campaigns.AnyAsync(consultation.Id)) await campaigns.DetectAsync(consultation.Id, ct: ct);
        var campaignList = campaigns is null ? [] : await campaigns.CampaignsForReportAsync(consultation.Id, ct);
        return ReportBuilder.Build(consultation, comments, districts, themeList, edits, detector,
            (options ?? new ReportOptions()) with { ClassifiedNow = classified, Campaigns = campaignList });
    }

    /// <summary>
    /// One point exactly as <see cref="BuildAsync(Consultation, bool, ReportOptions?, CancellationToken)"/> (without
    /// classifying first) would show it, with the other points of its theme group, for the point page. Reads only what
    /// can reach that group: its comments, every member of a campaign with a member there, every comment of an edit
    /// that covers one of them (and so on until nothing new comes in), and clusters and redacts only the group.
    /// </summary>
    public async Task<ReportPointView> BuildPointAsync(Consultation consultation, string key, ReportOptions? options = null, CancellationToken ct = default)
    {
        var districts = await store.SubmissionDistrictsAsync(consultation.Id, ct);
        var themeList = await themes.ListAsync(includeRetired: true);
        var edits = await store.LatestPointEditsAsync(consultation.Id, ct);
        var scope = new PointScope(consultation.Id, store, campaigns, edits);
        await scope.AddAsync(ReportBuilder.PointAnchors(key, edits), [], ct);
        var groupRows = new Dictionary<ReportGroup, IReadOnlyList<ReportComment>>();
        foreach (var group in ReportBuilder.PointGroups(key, scope.Placements, districts, themeList, edits, Scoped(options, scope)))
        {
            var rows = await store.GroupCommentsAsync(consultation.Id, group.OutcomeId, group.Partner, group.ThemeId, ct);
            groupRows[group] = rows;
            await scope.AddAsync([], rows, ct);
        }
        return await ReportBuilder.BuildPointAsync(consultation, key, scope.Placements, districts, themeList, edits, detector, Scoped(options, scope),
            g => groupRows.TryGetValue(g, out var rows) ? Task.FromResult(rows) : store.GroupCommentsAsync(consultation.Id, g.OutcomeId, g.Partner, g.ThemeId, ct),
            ids => store.CommentsByIdAsync(consultation.Id, ids, ct));
    }

    private static ReportOptions Scoped(ReportOptions? options, PointScope scope) => (options ?? new ReportOptions()) with { Campaigns = scope.Campaigns };

    /// <summary>
    /// The comments a point's group can depend on, grown until closed: with every comment come the other members of its
    /// campaigns and the other comments of the edits that cover it. Placements of the group's own comments are its full rows.
    /// </summary>
    private sealed class PointScope(long consultationId, ReportStore store, Campaigns.CampaignStore? campaignStore, IReadOnlyList<PointEdit> edits)
    {
        private readonly Dictionary<long, ReportComment> placements = [];
        private readonly HashSet<long> seen = [];
        private readonly Dictionary<long, Campaigns.ReportCampaign> campaigns = [];
        private readonly ILookup<long, PointEdit> editsOf = edits.SelectMany(e => e.CommentIdList.Select(id => (id, e))).ToLookup(x => x.id, x => x.e);

        public IReadOnlyList<ReportComment> Placements => placements.Values.OrderBy(c => c.Id).ToList();

        /// <summary>In the order the full report takes them (a comment claimed by two campaigns goes to the first).</summary>
        public IReadOnlyList<Campaigns.ReportCampaign> Campaigns => Engagement.Core.Campaigns.CampaignStore.InReportOrder(campaigns.Values);

        public async Task AddAsync(IReadOnlyCollection<long> ids, IReadOnlyList<ReportComment> rows, CancellationToken ct)
        {
            foreach (var row in rows) placements[row.Id] = row;
            var pending = ids.Concat(rows.Select(r => r.Id)).Where(seen.Add).ToList();
            while (pending.Count > 0)
            {
                var unread = pending.Where(id => !placements.ContainsKey(id)).ToList();
                if (unread.Count > 0)
                    foreach (var row in await store.CommentPlacementsAsync(consultationId, unread, ct)) placements[row.Id] = row;
                var next = new List<long>();
                if (campaignStore is not null)
                    foreach (var campaign in await campaignStore.CampaignsForReportAsync(consultationId, pending, ct))
                        if (campaigns.TryAdd(campaign.GroupId, campaign)) next.AddRange(campaign.CommentIds);
                foreach (var id in pending)
                    foreach (var edit in editsOf[id]) next.AddRange(edit.CommentIdList);
                pending = next.Where(seen.Add).ToList();
            }
        }
    }
}
