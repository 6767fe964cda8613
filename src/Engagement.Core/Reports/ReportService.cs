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
    /// classifying first) would show it, with the other points of its theme group, for the point page. Reads every
    /// comment's tags but only the point's group's text, and clusters and redacts only that group.
    /// </summary>
    public async Task<ReportPointView> BuildPointAsync(Consultation consultation, string key, ReportOptions? options = null, CancellationToken ct = default)
    {
        // The two big reads (every comment's tags, every campaign's members) are independent: read them side by side.
        var placementsRead = Task.Run(() => store.CommentPlacementsAsync(consultation.Id, ct), ct);
        var campaignsRead = campaigns is null ? Task.FromResult<IReadOnlyList<Campaigns.ReportCampaign>>([])
            : Task.Run(() => campaigns.CampaignsForReportAsync(consultation.Id, ct), ct);
        var districts = await store.SubmissionDistrictsAsync(consultation.Id, ct);
        var themeList = await themes.ListAsync(includeRetired: true);
        var edits = await store.LatestPointEditsAsync(consultation.Id, ct);
        var placements = await placementsRead;
        return await ReportBuilder.BuildPointAsync(consultation, key, placements, districts, themeList, edits, detector,
            (options ?? new ReportOptions()) with { Campaigns = await campaignsRead },
            g => store.GroupCommentsAsync(consultation.Id, g.OutcomeId, g.Partner, g.ThemeId, ct),
            ids => store.CommentsByIdAsync(consultation.Id, ids, ct));
    }
}
