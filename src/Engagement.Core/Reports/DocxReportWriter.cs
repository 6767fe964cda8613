using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Engagement.Core.Reports;

/// <summary>
/// The report as an editable Word document: real Title/Heading 1/Heading 2/Heading 3 styles (so the navigation pane
/// and a table of contents work), bulleted points, quotes, and tables with a repeating header row.
/// Comment text is only ever put in plain text runs.
/// </summary>
public static class DocxReportWriter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task WriteAsync(ConsultationReport report, Stream output, CancellationToken ct = default)
    {
        using var buffer = new MemoryStream();
        Write(report, buffer);
        buffer.Position = 0;
        await buffer.CopyToAsync(output, ct);
    }

    public static void Write(ConsultationReport report, Stream stream)
    {
        using var doc = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document);
        var main = doc.AddMainDocumentPart();
        var styles = main.AddNewPart<StyleDefinitionsPart>();
        styles.Styles = Styles();
        var numbering = main.AddNewPart<NumberingDefinitionsPart>();
        numbering.Numbering = Numbering();
        var body = new Body();
        main.Document = new Document(body);

        body.Append(Para(report.Consultation.Title, "Title"));
        body.Append(Para($"Findings from engagement and consultation. Report generated {report.GeneratedAt.ToString("d MMMM yyyy", Inv)}.", null));

        var t = report.Totals;
        body.Append(Para("Summary", "Heading1"));
        body.Append(Para($"We received {report.Method.Responses:N0} responses making {t.Comments:N0} comments: {t.Residents:N0} from residents, " +
            $"{t.Partners:N0} from partner organisations and {t.Staff:N0} from people who work in health or care.", null));
        body.Append(Table("Comments by outcome", "Outcome", report.ByOutcome));

        foreach (var s in report.Sections)
        {
            body.Append(Para(s.Heading, "Heading1"));
            if (!s.IsGeneral) body.Append(Para(s.Outcome.PlainEnglish, null));
            var c = s.Counts;
            if (c.Comments == 0) { body.Append(Para("No comments were about this outcome.", null)); continue; }
            body.Append(Para($"{c.Comments:N0} comments: {c.Residents:N0} from residents, {c.Partners:N0} from partners, {c.Staff:N0} from people who work in health or care. " +
                "By channel: " + string.Join(", ", c.ByChannel.Select(x => $"{x.Label} {x.Count:N0}")) + ".", null));
            foreach (var (heading, groups) in new[] { ("Partner feedback", s.PartnerFeedback), ("Public feedback", s.PublicFeedback) })
            {
                body.Append(Para(heading, "Heading2"));
                if (groups.Count == 0) { body.Append(Para("None.", null)); continue; }
                foreach (var g in groups)
                {
                    body.Append(Para($"{g.ThemeName} ({g.Count:N0} {(g.Count == 1 ? "response" : "responses")})", "Heading3"));
                    foreach (var p in g.Points)
                    {
                        var para = new Paragraph(new ParagraphProperties(new ParagraphStyleId { Val = "ListParagraph" },
                            new NumberingProperties(new NumberingLevelReference { Val = 0 }, new NumberingId { Val = 1 })));
                        para.Append(Run(p.Wording));
                        if (p.Codes.Count > 0) para.Append(Run(" " + p.CodesText, bold: true));
                        para.Append(Run($" – raised by {p.Count:N0}"));
                        body.Append(para);
                    }
                    if (g.MorePoints > 0) body.Append(Para($"And {g.MorePoints:N0} further points raised by fewer people (listed in the spreadsheet).", null));
                    foreach (var q in g.Quotes)
                    {
                        body.Append(Para("“" + q.Text + "”", "Quote"));
                        body.Append(Para("– " + q.Place, "Quote"));
                    }
                }
            }
        }

        var w = report.Who;
        body.Append(Para("Who we heard from", "Heading1"));
        body.Append(Para(w.UnderRepresentedSentence, null));
        body.Append(Para("Responses by area", "Heading2"));
        body.Append(Table("Responses by area", "Area", w.ByDistrict.Select(d => d with { Label = d.Key.Length > 0 ? $"{d.Label} ({d.Key})" : d.Label }).ToList()));
        body.Append(Para("Responses by respondent type", "Heading2"));
        body.Append(Table("Responses by respondent type", "Responding as", w.ByRespondentType));
        body.Append(Para("Responses by channel", "Heading2"));
        body.Append(Table("Responses by channel", "Channel", w.ByChannel));
        if (w.ByPartnerType.Any(p => p.Count > 0))
        {
            body.Append(Para("Partner organisations", "Heading2"));
            body.Append(Table("Partner responses by type of organisation", "Organisation type", w.ByPartnerType.Select(p => p with { Label = $"{p.Label} ({p.Key})" }).ToList()));
        }
        if (w.Equality.Count > 0)
        {
            body.Append(Para("Equality monitoring", "Heading2"));
            foreach (var e in w.Equality) body.Append(Table($"{e.Question} ({e.Answered:N0} answered)", e.Question, e.Answers));
        }

        var m = report.Method;
        body.Append(Para("How we did this", "Heading1"));
        body.Append(Para($"The consultation ran from {m.OpensOn.ToString("d MMMM yyyy", Inv)} to {m.ClosesOn.ToString("d MMMM yyyy", Inv)}." +
            (m.FirstResponse is { } f && m.LastResponse is { } l ? $" Responses are dated {f.ToString("d MMMM yyyy", Inv)} to {l.ToString("d MMMM yyyy", Inv)}." : ""), null));
        body.Append(Para("Channels: " + (m.Channels.Count == 0 ? "none" : string.Join(", ", m.Channels)) + ".", null));
        body.Append(Para($"{m.Responses:N0} responses and {m.Comments:N0} comments are included; {m.Excluded:N0} comments marked as spam or hidden are left out.", null));
        body.Append(Para($"{m.ConfirmedByPerson:N0} comments ({m.ConfirmedShare.ToString("P0", Inv)}) had their outcome and theme confirmed by a person; the rest carry the text classifier’s suggestion" +
            (m.ModelVersions.Count > 0 ? " (model " + string.Join(", ", m.ModelVersions) + ")." : "."), null));
        body.Append(Para("Personal details are removed automatically from all text. Quotes come only from people who agreed to be quoted.", null));
        body.Append(new SectionProperties(new PageSize { Width = 11906, Height = 16838 }, new PageMargin { Top = 1134, Bottom = 1134, Left = 1134, Right = 1134, Header = 709, Footer = 709 }));
        main.Document.Save();
    }

    private static Paragraph Para(string text, string? style)
    {
        var p = new Paragraph();
        if (style is not null) p.Append(new ParagraphProperties(new ParagraphStyleId { Val = style }));
        p.Append(Run(text));
        return p;
    }

    private static Run Run(string text, bool bold = false)
    {
        var run = new Run();
        if (bold) run.Append(new RunProperties(new Bold()));
        run.Append(new Text(XlsxReportWriter.CleanText(text)) { Space = SpaceProcessingModeValues.Preserve });
        return run;
    }

    private static Table Table(string caption, string header, IReadOnlyList<LabelledCount> rows)
    {
        var border = new TableBorders(
            new TopBorder { Val = BorderValues.Single, Size = 4 }, new BottomBorder { Val = BorderValues.Single, Size = 4 },
            new InsideHorizontalBorder { Val = BorderValues.Single, Size = 4 });
        var table = new Table(new TableProperties(new TableStyle { Val = "TableGrid" }, new TableWidth { Type = TableWidthUnitValues.Pct, Width = "3000" }, border,
            new TableCaption { Val = caption }));
        table.Append(new TableGrid(new GridColumn { Width = "5000" }, new GridColumn { Width = "1500" }));
        table.Append(new TableRow(new TableRowProperties(new TableHeader()), Cell(header, bold: true), Cell("Count", bold: true, right: true)));
        foreach (var r in rows) table.Append(new TableRow(Cell(r.Label), Cell(r.Count.ToString("N0", Inv), right: true)));
        return table;
    }

    private static TableCell Cell(string text, bool bold = false, bool right = false)
    {
        var p = new Paragraph();
        if (right) p.Append(new ParagraphProperties(new Justification { Val = JustificationValues.Right }));
        p.Append(Run(text, bold));
        return new TableCell(p);
    }

    private static Styles Styles()
    {
        Style Heading(string id, string name, int size, int level) => new(
            new StyleName { Val = name }, new BasedOn { Val = "Normal" }, new NextParagraphStyle { Val = "Normal" }, new UIPriority { Val = 9 },
            new PrimaryStyle(),
            new StyleParagraphProperties(new KeepNext(), new SpacingBetweenLines { Before = "360", After = "120" }, new OutlineLevel { Val = level }),
            new StyleRunProperties(new Bold(), new Color { Val = "0B0C0C" }, new FontSize { Val = (size * 2).ToString(Inv) }))
        { Type = StyleValues.Paragraph, StyleId = id };

        return new Styles(
            new DocDefaults(
                new RunPropertiesDefault(new RunPropertiesBaseStyle(new RunFonts { Ascii = "Arial", HighAnsi = "Arial", ComplexScript = "Arial" },
                    new FontSize { Val = "22" }, new Languages { Val = "en-GB" })),
                new ParagraphPropertiesDefault(new SpacingBetweenLines { After = "120", Line = "276", LineRule = LineSpacingRuleValues.Auto })),
            new Style(new StyleName { Val = "Normal" }, new PrimaryStyle()) { Type = StyleValues.Paragraph, StyleId = "Normal", Default = true },
            new Style(new StyleName { Val = "Title" }, new BasedOn { Val = "Normal" }, new NextParagraphStyle { Val = "Normal" }, new PrimaryStyle(),
                new StyleRunProperties(new Bold(), new FontSize { Val = "48" })) { Type = StyleValues.Paragraph, StyleId = "Title" },
            Heading("Heading1", "heading 1", 18, 0),
            Heading("Heading2", "heading 2", 15, 1),
            Heading("Heading3", "heading 3", 13, 2),
            new Style(new StyleName { Val = "List Paragraph" }, new BasedOn { Val = "Normal" },
                new StyleParagraphProperties(new Indentation { Left = "720" })) { Type = StyleValues.Paragraph, StyleId = "ListParagraph" },
            new Style(new StyleName { Val = "Quote" }, new BasedOn { Val = "Normal" },
                new StyleParagraphProperties(new Indentation { Left = "567" }),
                new StyleRunProperties(new Italic(), new Color { Val = "505A5F" })) { Type = StyleValues.Paragraph, StyleId = "Quote" },
            new Style(new StyleName { Val = "Table Grid" }, new StyleTableProperties(new TableBorders(
                new TopBorder { Val = BorderValues.Single, Size = 4 }, new BottomBorder { Val = BorderValues.Single, Size = 4 },
                new InsideHorizontalBorder { Val = BorderValues.Single, Size = 4 }))) { Type = StyleValues.Table, StyleId = "TableGrid" });
    }

    private static Numbering Numbering() => new(
        new AbstractNum(new Level(new NumberingFormat { Val = NumberFormatValues.Bullet }, new LevelText { Val = "•" },
            new PreviousParagraphProperties(new Indentation { Left = "720", Hanging = "360" })) { LevelIndex = 0 }) { AbstractNumberId = 1 },
        new NumberingInstance(new AbstractNumId { Val = 1 }) { NumberID = 1 });
}
