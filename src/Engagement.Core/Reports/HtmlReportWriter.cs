using System.Globalization;
using System.Net;
using System.Text;

namespace Engagement.Core.Reports;

/// <summary>
/// The report as accessible HTML: real headings in order, tables with captions and header cells, SVG charts with
/// text alternatives, and print styles so "Print to PDF" gives a clean document. All comment text is HTML-encoded.
/// </summary>
public static class HtmlReportWriter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static string E(string? s) => WebUtility.HtmlEncode(s ?? "");

    public const string Styles = """
        .app-report { font-family: Arial, Helvetica, sans-serif; color: #0b0c0c; line-height: 1.4; }
        .app-report h1 { font-size: 2rem; margin: 0 0 0.5rem; }
        .app-report h2 { font-size: 1.5rem; margin: 2rem 0 0.75rem; border-top: 2px solid #1d70b8; padding-top: 0.75rem; }
        .app-report h3 { font-size: 1.25rem; margin: 1.5rem 0 0.5rem; }
        .app-report h4 { font-size: 1.1rem; margin: 1.25rem 0 0.4rem; }
        .app-report table { border-collapse: collapse; margin: 0.5rem 0 1.25rem; min-width: 50%; }
        .app-report caption { text-align: left; font-weight: bold; padding-bottom: 0.25rem; }
        .app-report th, .app-report td { border-bottom: 1px solid #b1b4b6; padding: 0.3rem 0.75rem 0.3rem 0; text-align: left; vertical-align: top; }
        .app-report td.num, .app-report th.num { text-align: right; }
        .app-report .app-point-codes { font-weight: bold; white-space: nowrap; }
        .app-report .app-point-count { color: #505a5f; }
        .app-report blockquote { border-left: 5px solid #b1b4b6; margin: 0.5rem 0 1rem; padding: 0.25rem 0 0.25rem 1rem; }
        .app-chart { max-width: 100%; height: auto; }
        .app-report .app-chart-pair { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
        .app-report .app-muted { color: #505a5f; }
        @media print {
          .app-report nav, .app-no-print { display: none; }
          .app-report h2 { break-before: page; border-top: none; }
          .app-report h2.app-first { break-before: avoid; }
          .app-report h3, .app-report h4 { break-after: avoid; }
          .app-report table, .app-report blockquote, .app-report svg, .app-report li { break-inside: avoid; }
          .app-report a { color: inherit; text-decoration: none; }
        }
        """;

    public static async Task WriteAsync(ConsultationReport report, Stream output, CancellationToken ct = default)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), leaveOpen: true);
        await writer.WriteAsync(RenderDocument(report).AsMemory(), ct);
    }

    public static string RenderDocument(ConsultationReport report)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        sb.Append("<title>").Append(E(report.Consultation.Title)).Append(": findings from engagement and consultation</title>\n<style>\n")
            .Append(Styles).Append("\nbody { margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }\n</style>\n</head>\n<body>\n<main class=\"app-report\">\n");
        sb.Append("<h1>").Append(E(report.Consultation.Title)).Append("</h1>\n<p class=\"app-muted\">Findings from engagement and consultation. Report generated ")
            .Append(E(report.GeneratedAt.ToString("d MMMM yyyy", Inv))).Append(".</p>\n");
        sb.Append(RenderBody(report));
        sb.Append("</main>\n</body>\n</html>\n");
        return sb.ToString();
    }

    /// <summary>
    /// The report's body (h2 and below), shared by the standalone file and the staff page. On the staff page
    /// <paramref name="pointUrl"/> links every point to its comments and edits, and hidden points are listed so they can be shown again.
    /// </summary>
    public static string RenderBody(ConsultationReport report, Func<ReportPoint, string>? pointUrl = null)
    {
        var sb = new StringBuilder();
        sb.Append("<nav aria-label=\"Contents\"><h2 class=\"app-first\" id=\"contents\">Contents</h2><ol>");
        sb.Append("<li><a href=\"#summary\">Summary</a></li>");
        foreach (var s in report.Sections) sb.Append(Inv, $"<li><a href=\"#{Anchor(s)}\">{E(s.Heading)}</a></li>");
        sb.Append("<li><a href=\"#who\">Who we heard from</a></li><li><a href=\"#method\">How we did this</a></li></ol></nav>\n");

        var t = report.Totals;
        sb.Append("<h2 id=\"summary\">Summary</h2>\n");
        sb.Append(Inv, $"<p>We received <strong>{report.Method.Responses:N0}</strong> responses making <strong>{t.Comments:N0}</strong> comments: ")
            .Append(Inv, $"{t.Residents:N0} from residents, {t.Partners:N0} from partner organisations and {t.Staff:N0} from people who work in health or care.</p>\n");
        sb.Append("<div class=\"app-chart-pair\">").Append(Charts.Bar("chart-outcomes", "Comments by outcome", report.ByOutcome));
        sb.Append(Table("Comments by outcome", "Outcome", report.ByOutcome)).Append("</div>\n");

        foreach (var section in report.Sections) Section(sb, section, pointUrl);
        Who(sb, report);
        Method(sb, report);
        return sb.ToString();
    }

    public static string Anchor(OutcomeSection s) => s.IsGeneral ? "general" : "outcome-" + s.Outcome.Id.ToString(Inv);

    private static void Section(StringBuilder sb, OutcomeSection s, Func<ReportPoint, string>? pointUrl)
    {
        var c = s.Counts;
        sb.Append(Inv, $"<h2 id=\"{Anchor(s)}\">{E(s.Heading)}</h2>\n");
        if (!s.IsGeneral) sb.Append("<p class=\"app-muted\">").Append(E(s.Outcome.PlainEnglish)).Append("</p>\n");
        if (c.Comments == 0)
        {
            sb.Append("<p>No comments were about this outcome.</p>\n");
            return;
        }
        sb.Append(Inv, $"<p><strong>{c.Comments:N0}</strong> comments: {c.Residents:N0} from residents, {c.Partners:N0} from partners, {c.Staff:N0} from people who work in health or care. ")
            .Append("By channel: ").Append(E(string.Join(", ", c.ByChannel.Select(x => $"{x.Label} {x.Count:N0}")))).Append(".</p>\n");

        Audience(sb, "Partner feedback", s.PartnerFeedback, Anchor(s) + "-partner", pointUrl);
        Audience(sb, "Public feedback", s.PublicFeedback, Anchor(s) + "-public", pointUrl);
    }

    private static void Audience(StringBuilder sb, string heading, IReadOnlyList<ThemeGroup> groups, string id, Func<ReportPoint, string>? pointUrl)
    {
        sb.Append(Inv, $"<h3 id=\"{id}\">{E(heading)}</h3>\n");
        if (groups.Count == 0)
        {
            sb.Append("<p>None.</p>\n");
            return;
        }
        foreach (var g in groups)
        {
            sb.Append(Inv, $"<h4>{E(g.ThemeName)} <span class=\"app-muted\">({g.Count:N0} {(g.Count == 1 ? "response" : "responses")})</span></h4>\n<ul class=\"app-points\">\n");
            foreach (var p in g.Points)
            {
                sb.Append("<li>");
                if (pointUrl is null) sb.Append(E(p.Wording));
                else sb.Append("<a class=\"govuk-link\" href=\"").Append(E(pointUrl(p))).Append("\">").Append(E(p.Wording)).Append("</a>");
                if (pointUrl is not null && p.Edited) sb.Append(" <strong class=\"govuk-tag govuk-tag--grey app-no-print\">Edited</strong>");
                if (p.Codes.Count > 0) sb.Append(" <span class=\"app-point-codes\">").Append(E(p.CodesText)).Append("</span>");
                sb.Append(Inv, $" <span class=\"app-point-count\">– raised by {p.Count:N0}</span></li>\n");
            }
            sb.Append("</ul>\n");
            if (g.MorePoints > 0)
                sb.Append(Inv, $"<p class=\"app-muted\">And {g.MorePoints:N0} further {(g.MorePoints == 1 ? "point" : "points")} raised by fewer people (listed in the spreadsheet).</p>\n");
            if (pointUrl is not null)
            {
                PointLinks(sb, "Further points", g.FurtherPoints, pointUrl);
                PointLinks(sb, "Hidden points", g.HiddenPoints, pointUrl);
            }
            foreach (var q in g.Quotes)
                sb.Append("<blockquote><p>“").Append(E(q.Text)).Append("”</p><footer class=\"app-muted\">").Append(E(q.Place)).Append("</footer></blockquote>\n");
        }
    }

    /// <summary>A collapsed list of links (a details element, so it works without JavaScript), left out when printing.</summary>
    private static void PointLinks(StringBuilder sb, string title, IReadOnlyList<ReportPoint> points, Func<ReportPoint, string> pointUrl)
    {
        if (points.Count == 0) return;
        sb.Append(Inv, $"<details class=\"govuk-details app-no-print\"><summary class=\"govuk-details__summary\"><span class=\"govuk-details__summary-text\">{E(title)} ({points.Count:N0})</span></summary><div class=\"govuk-details__text\"><ul class=\"govuk-list\">");
        const int shown = 200; // a theme with thousands of one-off points would make the page unusable; the spreadsheet has them all
        foreach (var p in points.Take(shown))
            sb.Append("<li><a class=\"govuk-link\" href=\"").Append(E(pointUrl(p))).Append("\">").Append(E(p.Wording)).Append("</a>")
                .Append(Inv, $" <span class=\"app-point-count\">– raised by {p.Count:N0}</span></li>");
        sb.Append("</ul>");
        if (points.Count > shown) sb.Append(Inv, $"<p>And {points.Count - shown:N0} more, listed in the spreadsheet.</p>");
        sb.Append("</div></details>\n");
    }

    private static void Who(StringBuilder sb, ConsultationReport report)
    {
        var w = report.Who;
        sb.Append("<h2 id=\"who\">Who we heard from</h2>\n");
        sb.Append("<p>").Append(E(w.UnderRepresentedSentence)).Append("</p>\n");
        var local = w.ByDistrict.Where(d => Charts.TilePositions.ContainsKey(d.Key)).ToDictionary(d => d.Key, d => d.Count);
        sb.Append("<h3>Responses by area</h3>\n<div class=\"app-chart-pair\">")
            .Append(Charts.TileMap("chart-districts", "Responses by area of Kent and Medway", local))
            .Append(Table("Responses by area", "Area", w.ByDistrict.Select(d => d with { Label = d.Key.Length > 0 ? $"{d.Label} ({d.Key})" : d.Label }).ToList()))
            .Append("</div>\n");
        sb.Append("<h3>Responses by respondent type</h3>\n<div class=\"app-chart-pair\">")
            .Append(Charts.Bar("chart-types", "Responses by respondent type", w.ByRespondentType))
            .Append(Table("Responses by respondent type", "Responding as", w.ByRespondentType)).Append("</div>\n");
        sb.Append("<h3>Responses by channel</h3>\n").Append(Table("Responses by channel", "Channel", w.ByChannel));
        if (w.ByPartnerType.Any(p => p.Count > 0))
            sb.Append("<h3>Partner organisations</h3>\n").Append(Table("Partner responses by type of organisation", "Organisation type",
                w.ByPartnerType.Select(p => p with { Label = $"{p.Label} ({p.Key})" }).ToList()));
        if (w.Equality.Count > 0)
        {
            sb.Append("<h3>Equality monitoring</h3>\n<p>From the optional ‘About you’ questions. Counts are of responses that answered.</p>\n");
            foreach (var e in w.Equality) sb.Append(Table($"{e.Question} ({e.Answered:N0} answered)", e.Question, e.Answers));
        }
        else
        {
            sb.Append("<p>No responses answered the equality monitoring questions.</p>\n");
        }
    }

    private static void Method(StringBuilder sb, ConsultationReport report)
    {
        var m = report.Method;
        sb.Append("<h2 id=\"method\">How we did this</h2>\n<ul>\n");
        sb.Append(Inv, $"<li>The consultation ran from {m.OpensOn:d MMMM yyyy} to {m.ClosesOn:d MMMM yyyy}.");
        if (m.FirstResponse is { } first && m.LastResponse is { } last) sb.Append(Inv, $" Responses are dated {first:d MMMM yyyy} to {last:d MMMM yyyy}.");
        sb.Append("</li>\n");
        sb.Append("<li>Channels: ").Append(E(m.Channels.Count == 0 ? "none" : string.Join(", ", m.Channels))).Append(".</li>\n");
        sb.Append(Inv, $"<li>{m.Responses:N0} responses and {m.Comments:N0} comments are included. {m.Excluded:N0} comments marked as spam or hidden by the engagement team are left out.</li>\n");
        sb.Append(Inv, $"<li>Each comment is tagged with an outcome and theme. {m.ConfirmedByPerson:N0} comments ({m.ConfirmedShare:P0}) were confirmed by a person; the rest carry the text classifier’s suggestion");
        sb.Append(m.ModelVersions.Count > 0 ? " (model " + E(string.Join(", ", m.ModelVersions)) + ")" : "").Append(".");
        if (m.ClassifiedNow > 0) sb.Append(Inv, $" {m.ClassifiedNow:N0} comments were classified when this report was generated.");
        sb.Append("</li>\n");
        sb.Append("<li>Comments saying much the same thing are merged into one point by text similarity; the wording shown is the comment most typical of the point. ")
            .Append("The codes after each point are the areas and partner organisation types of everyone who raised it.</li>\n");
        sb.Append("<li>Personal details (names, contact details, addresses, dates of birth, NHS numbers) are removed automatically from all text. ")
            .Append("Quotes come only from people who agreed to be quoted.</li>\n</ul>\n");
        sb.Append("<h3>Codes used</h3>\n<p>");
        sb.Append(E(string.Join("; ", Domain.Districts.All.Select(d => $"{d.Code} {d.Name}")))).Append(". ");
        sb.Append(E(string.Join("; ", Domain.PartnerTypes.All.Select(p => $"{p.Code} {p.Label}")))).Append(".</p>\n");
    }

    private static string Table(string caption, string header, IReadOnlyList<LabelledCount> rows)
    {
        var sb = new StringBuilder();
        sb.Append("<table><caption>").Append(E(caption)).Append("</caption><thead><tr><th scope=\"col\">").Append(E(header))
            .Append("</th><th scope=\"col\" class=\"num\">Count</th></tr></thead><tbody>");
        foreach (var r in rows) sb.Append("<tr><th scope=\"row\">").Append(E(r.Label)).Append(Inv, $"</th><td class=\"num\">{r.Count:N0}</td></tr>");
        sb.Append("</tbody></table>");
        return sb.ToString();
    }
}
