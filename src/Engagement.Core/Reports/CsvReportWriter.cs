using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace Engagement.Core.Reports;

/// <summary>
/// Every included comment with its tags, one row each. Safe to open in a spreadsheet: any cell starting with
/// =, +, -, @, a tab or a carriage return is prefixed with ' so it is never run as a formula.
/// </summary>
public static class CsvReportWriter
{
    public static readonly string[] Header =
    [
        "comment_id", "reference", "submitted_at", "respondent_type", "organisation", "partner_code", "districts", "channel",
        "outcome", "outcome_name", "theme", "theme_name", "tagged_by", "confidence", "status", "point", "text",
    ];

    public static string Safe(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        return value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
    }

    public static async Task WriteAsync(ConsultationReport report, Stream output, CancellationToken ct = default)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(true), leaveOpen: true);
        await using var csv = new CsvWriter(writer, new CsvConfiguration(CultureInfo.InvariantCulture) { ShouldQuote = _ => true });
        foreach (var h in Header) csv.WriteField(h);
        await csv.NextRecordAsync();
        foreach (var r in report.Comments)
        {
            ct.ThrowIfCancellationRequested();
            string[] fields =
            [
                r.CommentId.ToString(CultureInfo.InvariantCulture), r.Reference, r.SubmittedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                r.RespondentType, r.Organisation ?? "", r.PartnerCode ?? "", r.Districts, r.Channel,
                r.Outcome.ToString(CultureInfo.InvariantCulture), r.OutcomeName, r.ThemeId, r.ThemeName, r.TaggedBy,
                r.Confidence?.ToString("0.####", CultureInfo.InvariantCulture) ?? "", r.Status, r.PointKey ?? "", r.Text,
            ];
            foreach (var f in fields) csv.WriteField(Safe(f));
            await csv.NextRecordAsync();
        }
        await csv.FlushAsync();
    }
}
