using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml;
using System.IO.Compression;
using DocumentFormat.OpenXml.Spreadsheet;
using System.Xml;

namespace Engagement.Core.Reports;

/// <summary>
/// The workbook: a Summary sheet, all comments with their tags, one sheet per outcome, and every point.
/// Sheets are written as XML straight into a streamed package, so 100,000 rows stay fast and small in memory.
/// User text goes in as inline strings: a cell is never a formula.
/// </summary>
/// <remarks>ClosedXML 0.95 cannot run against DocumentFormat.OpenXml 3 (it fails in XLWorkbook's type initializer), so this uses the SDK directly.</remarks>
public static class XlsxReportWriter
{
    public const string CommentsSheet = "Comments";
    public const string PointsSheet = "Points";
    public const string SummarySheet = "Summary";

    public static string OutcomeSheetName(OutcomeSection s) => s.IsGeneral ? "General" : "Outcome " + s.Outcome.Id.ToString(CultureInfo.InvariantCulture);

    private static readonly string[] CommentHeader =
        ["Comment id", "Reference", "Submitted", "Respondent type", "Organisation", "Partner code", "Districts", "Channel",
         "Outcome", "Outcome name", "Theme id", "Theme", "Tagged by", "Confidence", "Status", "Point", "Comment (personal details removed)"];

    public static async Task WriteAsync(ConsultationReport report, Stream output, CancellationToken ct = default)
    {
        // The zip is written forwards only, so it can go straight to any stream; buffered in case the caller's is slow.
        // Not disposed: disposing a BufferedStream closes the caller's stream (the web page's buffer, then a 500).
#pragma warning disable CA2000
        var buffered = new BufferedStream(output, 1 << 16);
#pragma warning restore CA2000
        Write(report, buffered);
        await buffered.FlushAsync(ct);
    }

    private const string MainNs = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string RelNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    /// <summary>
    /// Writes the workbook as a stream of zip entries (each part compressed as it is written, nothing held back), with
    /// the sheet XML written directly rather than built from Open XML element objects: a 100,000-comment workbook has
    /// several hundred thousand rows. The styles come from the Open XML SDK's types; tests read the file back with the SDK.
    /// </summary>
    public static void Write(ConsultationReport report, Stream stream)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        var sheets = new List<string>();

        void Part(string path, Action<XmlWriter> write)
        {
            using var entry = zip.CreateEntry(path, CompressionLevel.Fastest).Open();
            using var w = XmlWriter.Create(entry, new XmlWriterSettings { Encoding = new UTF8Encoding(false), CheckCharacters = false });
            w.WriteStartDocument(true);
            write(w);
            w.WriteEndDocument();
        }

        void AddSheet(string name, IReadOnlyList<string> header, IEnumerable<object?[]> rows, double[] widths)
        {
            sheets.Add(name);
            Part($"xl/worksheets/sheet{sheets.Count.ToString(CultureInfo.InvariantCulture)}.xml", w =>
            {
                w.WriteStartElement("worksheet", MainNs);
                w.WriteStartElement("sheetViews", MainNs);
                w.WriteStartElement("sheetView", MainNs);
                w.WriteAttributeString("workbookViewId", "0");
                w.WriteStartElement("pane", MainNs);
                w.WriteAttributeString("ySplit", "1");
                w.WriteAttributeString("topLeftCell", "A2");
                w.WriteAttributeString("activePane", "bottomLeft");
                w.WriteAttributeString("state", "frozen");
                w.WriteEndElement();
                w.WriteEndElement();
                w.WriteEndElement();
                w.WriteStartElement("cols", MainNs);
                for (var i = 0; i < widths.Length; i++)
                {
                    w.WriteStartElement("col", MainNs);
                    var index = (i + 1).ToString(CultureInfo.InvariantCulture);
                    w.WriteAttributeString("min", index);
                    w.WriteAttributeString("max", index);
                    w.WriteAttributeString("width", widths[i].ToString(CultureInfo.InvariantCulture));
                    w.WriteAttributeString("customWidth", "1");
                    w.WriteEndElement();
                }
                w.WriteEndElement();
                w.WriteStartElement("sheetData", MainNs);
                var r = 1;
                WriteRow(w, MainNs, r++, header.Cast<object?>().ToArray(), bold: true);
                foreach (var row in rows) WriteRow(w, MainNs, r++, row, bold: false);
                w.WriteEndElement();
                w.WriteEndElement();
            });
        }

        var m = report.Method;
        AddSheet(SummarySheet, ["Item", "Value"],
        [
            ["Consultation", report.Consultation.Title],
            ["Generated", report.GeneratedAt.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)],
            ["Responses", m.Responses], ["Comments", m.Comments], ["Left out (spam or hidden)", m.Excluded],
            ["Confirmed by a person", m.ConfirmedByPerson], ["Share confirmed", Math.Round(m.ConfirmedShare, 4)],
            ["Model version(s)", string.Join(", ", m.ModelVersions)],
            .. report.ByOutcome.Select(o => new object?[] { "Comments: " + o.Label, o.Count }),
        ], [40, 60]);

        AddSheet(CommentsSheet, CommentHeader, report.Comments.Select(CommentRow), CommentWidths);
        foreach (var section in report.Sections)
            AddSheet(OutcomeSheetName(section), CommentHeader,
                report.Comments.Where(c => c.Outcome == section.Outcome.Id).Select(CommentRow), CommentWidths);

        AddSheet(PointsSheet, ["Outcome", "Outcome name", "Feedback from", "Theme", "Point", "Codes", "Raised by", "Edited", "Point key", "Comment ids"],
            report.AllPoints.Select(p => new object?[]
            {
                p.OutcomeId, p.OutcomeName, p.Audience, p.ThemeName, p.Point.Wording, p.Point.CodesText, p.Point.Count,
                p.Point.Edited ? "yes" : "", p.Point.Key, string.Join(" ", p.Point.CommentIds.Take(500)),
            }), [9, 22, 16, 30, 80, 24, 10, 8, 12, 30]);

        using (var styles = new StreamWriter(zip.CreateEntry("xl/styles.xml", CompressionLevel.Fastest).Open(), new UTF8Encoding(false)))
            styles.Write("<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>" + Styles().OuterXml);
        Part("xl/workbook.xml", w =>
        {
            w.WriteStartElement("workbook", MainNs);
            w.WriteAttributeString("xmlns", "r", null, RelNs);
            w.WriteStartElement("sheets", MainNs);
            for (var i = 0; i < sheets.Count; i++)
            {
                w.WriteStartElement("sheet", MainNs);
                w.WriteAttributeString("name", sheets[i]);
                w.WriteAttributeString("sheetId", (i + 1).ToString(CultureInfo.InvariantCulture));
                w.WriteAttributeString("id", RelNs, "rId" + (i + 1).ToString(CultureInfo.InvariantCulture));
                w.WriteEndElement();
            }
            w.WriteEndElement();
            w.WriteEndElement();
        });
        const string packageRels = "http://schemas.openxmlformats.org/package/2006/relationships";
        Part("xl/_rels/workbook.xml.rels", w =>
        {
            w.WriteStartElement("Relationships", packageRels);
            for (var i = 0; i < sheets.Count; i++)
                Relationship(w, packageRels, "rId" + (i + 1).ToString(CultureInfo.InvariantCulture),
                    RelNs + "/worksheet", $"worksheets/sheet{(i + 1).ToString(CultureInfo.InvariantCulture)}.xml");
            Relationship(w, packageRels, "rIdStyles", RelNs + "/styles", "styles.xml");
            w.WriteEndElement();
        });
        Part("_rels/.rels", w =>
        {
            w.WriteStartElement("Relationships", packageRels);
            Relationship(w, packageRels, "rIdWorkbook", RelNs + "/officeDocument", "xl/workbook.xml");
            w.WriteEndElement();
        });
        const string typesNs = "http://schemas.openxmlformats.org/package/2006/content-types";
        Part("[Content_Types].xml", w =>
        {
            w.WriteStartElement("Types", typesNs);
            w.WriteStartElement("Default", typesNs);
            w.WriteAttributeString("Extension", "rels");
            w.WriteAttributeString("ContentType", "application/vnd.openxmlformats-package.relationships+xml");
            w.WriteEndElement();
            w.WriteStartElement("Default", typesNs);
            w.WriteAttributeString("Extension", "xml");
            w.WriteAttributeString("ContentType", "application/xml");
            w.WriteEndElement();
            void Override(string part, string type)
            {
                w.WriteStartElement("Override", typesNs);
                w.WriteAttributeString("PartName", part);
                w.WriteAttributeString("ContentType", type);
                w.WriteEndElement();
            }
            Override("/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml");
            Override("/xl/styles.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml");
            for (var i = 0; i < sheets.Count; i++)
                Override($"/xl/worksheets/sheet{(i + 1).ToString(CultureInfo.InvariantCulture)}.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml");
            w.WriteEndElement();
        });
    }

    private static void Relationship(XmlWriter w, string ns, string id, string type, string target)
    {
        w.WriteStartElement("Relationship", ns);
        w.WriteAttributeString("Id", id);
        w.WriteAttributeString("Type", type);
        w.WriteAttributeString("Target", target);
        w.WriteEndElement();
    }

    private static readonly double[] CommentWidths = [11, 14, 18, 14, 24, 9, 12, 12, 9, 22, 22, 28, 11, 10, 9, 10, 90];

    private static object?[] CommentRow(ReportCommentRow c) =>
    [
        c.CommentId, c.Reference, c.SubmittedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), c.RespondentType, c.Organisation,
        c.PartnerCode, c.Districts, c.Channel, c.Outcome, c.OutcomeName, c.ThemeId, c.ThemeName, c.TaggedBy, c.Confidence, c.Status,
        c.PointKey, c.Text,
    ];

    private static void WriteRow(XmlWriter w, string ns, int index, object?[] values, bool bold)
    {
        var rowNumber = index.ToString(CultureInfo.InvariantCulture);
        w.WriteStartElement("row", ns);
        w.WriteAttributeString("r", rowNumber);
        for (var i = 0; i < values.Length; i++)
        {
            var value = values[i];
            if (value is null) continue;
            w.WriteStartElement("c", ns);
            w.WriteAttributeString("r", ColumnName(i) + rowNumber);
            if (bold) w.WriteAttributeString("s", "1");
            else if (value is string) w.WriteAttributeString("s", "2");
            switch (value)
            {
                case int or long or double:
                    w.WriteElementString("v", ns, Convert.ToString(value, CultureInfo.InvariantCulture));
                    break;
                default:
                    // An inline string: the cell holds text, never a formula.
                    w.WriteAttributeString("t", "inlineStr");
                    w.WriteStartElement("is", ns);
                    w.WriteStartElement("t", ns);
                    w.WriteAttributeString("xml", "space", null, "preserve");
                    w.WriteString(CleanText(Convert.ToString(value, CultureInfo.InvariantCulture)));
                    w.WriteEndElement();
                    w.WriteEndElement();
                    break;
            }
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }

    /// <summary>
    /// Drops characters XML cannot hold (control characters, and half of a surrogate pair, which an import of a damaged
    /// file can carry and which would otherwise stop the whole export) and keeps within Excel's 32,767-character cell limit.
    /// </summary>
    public static string CleanText(string? s)
    {
        if (string.IsNullOrEmpty(s)) return "";
        var kept = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            var ch = s[i];
            if (char.IsHighSurrogate(ch) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) { kept.Append(ch).Append(s[++i]); continue; }
            if (char.IsSurrogate(ch)) continue;
            if (ch is '\t' or '\n' or '\r' || (ch >= 0x20 && ch != 0xFFFE && ch != 0xFFFF)) kept.Append(ch);
        }
        var clean = kept.ToString();
        return clean.Length > 32000 ? clean[..32000] + "…" : clean;
    }

    public static string ColumnName(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26) name = (char)('A' + (n - 1) % 26) + name;
        return name;
    }

    // 0: default, 1: bold header, 2: text at the top of its cell, quote-prefixed.
    private static Stylesheet Styles() => new(
        new Fonts(new Font(new FontSize { Val = 11 }, new FontName { Val = "Calibri" }),
            new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "Calibri" })) { Count = 2 },
        new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
        new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder())) { Count = 1 },
        new CellFormats(
            new CellFormat { FontId = 0, FillId = 0, BorderId = 0 },
            new CellFormat { FontId = 1, FillId = 0, BorderId = 0, ApplyFont = true },
            // Quote prefix: Excel keeps the text as text even if someone edits the cell, so "=..." never becomes a formula.
            new CellFormat(new Alignment { WrapText = false, Vertical = VerticalAlignmentValues.Top }) { FontId = 0, FillId = 0, BorderId = 0, ApplyAlignment = true, QuotePrefix = true })
        { Count = 3 });
}
