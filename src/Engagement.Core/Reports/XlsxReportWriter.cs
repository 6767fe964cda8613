using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Engagement.Core.Reports;

/// <summary>
/// The workbook: a Summary sheet, all comments with their tags, one sheet per outcome, and every point.
/// Written with the Open XML SDK's streaming writer, so 100,000 rows stay fast and small in memory.
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
        using var buffer = new MemoryStream();
        Write(report, buffer);
        buffer.Position = 0;
        await buffer.CopyToAsync(output, ct);
    }

    public static void Write(ConsultationReport report, Stream stream)
    {
        using var doc = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook);
        var workbookPart = doc.AddWorkbookPart();
        var stylesPart = workbookPart.AddNewPart<WorkbookStylesPart>();
        stylesPart.Stylesheet = Styles();
        var sheets = new List<(string Name, string Id)>();

        void AddSheet(string name, IReadOnlyList<string> header, IEnumerable<object?[]> rows, double[] widths)
        {
            var part = workbookPart.AddNewPart<WorksheetPart>();
            using (var w = OpenXmlWriter.Create(part))
            {
                w.WriteStartElement(new Worksheet());
                w.WriteElement(new SheetViews(new SheetView(new Pane
                {
                    VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen,
                }) { WorkbookViewId = 0 }));
                w.WriteStartElement(new Columns());
                for (var i = 0; i < widths.Length; i++)
                    w.WriteElement(new Column { Min = (uint)i + 1, Max = (uint)i + 1, Width = widths[i], CustomWidth = true });
                w.WriteEndElement();
                w.WriteStartElement(new SheetData());
                uint r = 1;
                WriteRow(w, r++, header.Cast<object?>().ToArray(), bold: true);
                foreach (var row in rows) WriteRow(w, r++, row, bold: false);
                w.WriteEndElement();
                w.WriteEndElement();
            }
            sheets.Add((name, workbookPart.GetIdOfPart(part)));
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

        workbookPart.Workbook = new Workbook(new Sheets(sheets.Select((s, i) => new Sheet { Name = s.Name, SheetId = (uint)i + 1, Id = s.Id })));
        workbookPart.Workbook.Save();
    }

    private static readonly double[] CommentWidths = [11, 14, 18, 14, 24, 9, 12, 12, 9, 22, 22, 28, 11, 10, 9, 10, 90];

    private static object?[] CommentRow(ReportCommentRow c) =>
    [
        c.CommentId, c.Reference, c.SubmittedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), c.RespondentType, c.Organisation,
        c.PartnerCode, c.Districts, c.Channel, c.Outcome, c.OutcomeName, c.ThemeId, c.ThemeName, c.TaggedBy, c.Confidence, c.Status,
        c.PointKey, c.Text,
    ];

    private static void WriteRow(OpenXmlWriter w, uint index, object?[] values, bool bold)
    {
        w.WriteStartElement(new Row { RowIndex = index });
        for (var i = 0; i < values.Length; i++)
        {
            var reference = ColumnName(i) + index.ToString(CultureInfo.InvariantCulture);
            Cell cell = values[i] switch
            {
                null => new Cell { CellReference = reference },
                int n => new Cell { CellReference = reference, DataType = CellValues.Number, CellValue = new CellValue(n) },
                long n => new Cell { CellReference = reference, DataType = CellValues.Number, CellValue = new CellValue((double)n) },
                double d => new Cell { CellReference = reference, DataType = CellValues.Number, CellValue = new CellValue(d) },
                var v => new Cell(new InlineString(new Text(CleanText(Convert.ToString(v, CultureInfo.InvariantCulture))) { Space = SpaceProcessingModeValues.Preserve }))
                    { CellReference = reference, DataType = CellValues.InlineString },
            };
            if (bold) cell.StyleIndex = 1;
            else if (values[i] is string) cell.StyleIndex = 2;
            w.WriteElement(cell);
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
