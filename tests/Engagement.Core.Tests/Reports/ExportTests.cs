using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Reports;
using W = DocumentFormat.OpenXml.Wordprocessing;
using static Engagement.Core.Tests.Reports.ReportTestData;

namespace Engagement.Core.Tests.Reports;

public sealed class ExportTests
{
    private const string Pii = "jane.doe@example.org";

    private static ConsultationReport Sample() => Build(
    [
        Comment(1, "Evening GP appointments are hard to get for working parents", "SW"),
        Comment(2, "It is hard to get evening GP appointments as a working parent, email " + Pii, "T"),
        Comment(3, "=HYPERLINK(\"http://evil.example\",\"click\")", "Da", outcome: 2, theme: "transport"),
        Comment(4, "+cmd|' /C calc'!A0", "Med", RespondentTypes.Partner, partnerType: "vcse", outcome: 2, theme: "transport"),
        Comment(5, "@SUM(1+1)*cmd|' /C calc'!A0", "G", outcome: 4, theme: "dentistry"),
        Comment(6, "-1+1", "TW", outcome: 4, theme: "dentistry"),
        Comment(7, "<script>alert('x')</script> dentists are all closed, my name is Jane Doe", "T", outcome: 4, theme: "dentistry"),
    ]);

    private static async Task<byte[]> Write(ConsultationReport report, ReportFormat format)
    {
        using var stream = new MemoryStream();
        await ReportFormats.WriteAsync(report, format, stream);
        return stream.ToArray();
    }

    [Theory]
    [InlineData("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")")]
    [InlineData("+cmd", "'+cmd")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("-1", "'-1")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\rx", "'\rx")]
    [InlineData("plain", "plain")]
    [InlineData("a=b", "a=b")]
    public void Csv_cells_that_could_run_as_formulas_are_prefixed(string value, string expected) =>
        Assert.Equal(expected, CsvReportWriter.Safe(value));

    [Fact]
    public async Task Csv_export_escapes_formulas_and_holds_only_redacted_text()
    {
        var csv = Encoding.UTF8.GetString(await Write(Sample(), ReportFormat.Csv));
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\"", csv);
        Assert.Contains("\"'+cmd|' /C calc'!A0\"", csv);
        Assert.Contains("\"'@SUM(1+1)", csv);
        Assert.Contains("\"'-1+1\"", csv);
        Assert.DoesNotContain(",\"=", csv);
        Assert.DoesNotContain(Pii, csv);
        Assert.DoesNotContain("Jane Doe", csv);
        Assert.Contains("[email removed]", csv);
        Assert.StartsWith("\uFEFF\"comment_id\"", csv);
        Assert.Equal(8, csv.Trim().Split('\n').Length);
    }

    [Fact]
    public async Task Html_export_encodes_user_text_and_has_charts_with_table_alternatives()
    {
        var html = Encoding.UTF8.GetString(await Write(Sample(), ReportFormat.Html));
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;", html);
        Assert.DoesNotContain(Pii, html);
        Assert.DoesNotContain("Jane Doe", html);
        Assert.Contains("<h2 id=\"outcome-1\">Outcome 1: Give children and young people the best start in life</h2>", html);
        Assert.Contains("<h2 id=\"general\">General feedback</h2>", html);
        Assert.Contains("<h2 id=\"who\">Who we heard from</h2>", html);
        Assert.Contains("@media print", html);
        // The tile map: 13 tiles, each with a title, and an accessible name; and its data table.
        Assert.Contains("role=\"img\" aria-labelledby=\"chart-districts-title chart-districts-desc\"", html);
        Assert.Equal(13, html.Split("class=\"app-tile\"").Length - 1);
        Assert.Contains("<title>Swale: 1 response</title>", html);
        Assert.Contains("<caption>Responses by area</caption>", html);
        Assert.Contains("<caption>Comments by outcome</caption>", html);
        Assert.Contains("(SW)(T)", html);
    }

    [Fact]
    public async Task Docx_opens_with_real_heading_styles_tables_and_redacted_text()
    {
        var bytes = await Write(Sample(), ReportFormat.Docx);
        using var doc = WordprocessingDocument.Open(new MemoryStream(bytes), false);
        var body = doc.MainDocumentPart!.Document!.Body!;
        var headings = body.Elements<W.Paragraph>()
            .Where(p => p.ParagraphProperties?.ParagraphStyleId?.Val?.Value is "Heading1")
            .Select(p => p.InnerText).ToList();

        Assert.Equal(["Summary", .. Outcomes.Shared.Select(o => $"Outcome {o.Id}: {o.Name}"), "General feedback", "Who we heard from", "How we did this"], headings);
        Assert.Contains(body.Elements<W.Paragraph>(), p => p.ParagraphProperties?.ParagraphStyleId?.Val?.Value == "Heading2" && p.InnerText == "Public feedback");
        Assert.Contains(doc.MainDocumentPart.StyleDefinitionsPart!.Styles!.Elements<W.Style>(), s => s.StyleId?.Value == "Heading1" && s.StyleName?.Val?.Value == "heading 1");
        Assert.True(body.Elements<W.Table>().Count() >= 4);
        Assert.DoesNotContain(Pii, body.InnerText);
        Assert.DoesNotContain("Jane Doe", body.InnerText);
        Assert.Contains("=HYPERLINK", body.InnerText); // plain text run, not a field
        Assert.Empty(body.Descendants<W.FieldCode>());
    }

    [Fact]
    public async Task Xlsx_opens_with_a_sheet_per_outcome_points_and_text_cells()
    {
        var bytes = await Write(Sample(), ReportFormat.Xlsx);
        using var doc = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        Assert.Empty(new DocumentFormat.OpenXml.Validation.OpenXmlValidator().Validate(doc).Select(e => $"{e.Part?.Uri} {e.Path?.XPath}: {e.Description}"));
        var wb = doc.WorkbookPart!;
        var sheets = wb.Workbook!.Sheets!.Elements<Sheet>().ToList();
        Assert.Equal(["Summary", "Comments", "Outcome 1", "Outcome 2", "Outcome 3", "Outcome 4", "Outcome 5", "Outcome 6", "General", "Points"],
            sheets.Select(s => s.Name!.Value));

        List<List<string>> Rows(string name)
        {
            var part = (WorksheetPart)wb.GetPartById(sheets.Single(s => s.Name == name).Id!);
            return part.Worksheet!.Descendants<Row>().Select(r => r.Elements<Cell>().Select(c => c.InlineString?.InnerText ?? c.CellValue?.Text ?? "").ToList()).ToList();
        }

        var comments = Rows("Comments");
        Assert.Equal(8, comments.Count);
        Assert.Equal("Comment (personal details removed)", comments[0][^1]);
        Assert.Equal(2, Rows("Outcome 2").Count - 1);
        Assert.Equal(3, Rows("Outcome 4").Count - 1);
        Assert.Equal(2, Rows("Outcome 5").Count - 1);
        Assert.Contains(Rows("Points").Skip(1), r => r[5] == "(SW)(T)" && r[6] == "2");

        var all = string.Concat(wb.WorksheetParts.Select(p => p.Worksheet!.InnerText));
        Assert.DoesNotContain(Pii, all);
        Assert.DoesNotContain("Jane Doe", all);
        Assert.Empty(wb.WorksheetParts.SelectMany(p => p.Worksheet!.Descendants<CellFormula>()));
        var hyperlink = wb.WorksheetParts.SelectMany(p => p.Worksheet!.Descendants<Cell>()).First(c => c.InnerText.StartsWith("=HYPERLINK", StringComparison.Ordinal));
        Assert.Equal(CellValues.InlineString, hyperlink.DataType!.Value);
        var format = wb.WorkbookStylesPart!.Stylesheet!.CellFormats!.Elements<CellFormat>().ElementAt((int)hyperlink.StyleIndex!.Value);
        Assert.True(format.QuotePrefix?.Value);
    }

    [Fact]
    public void Tile_map_places_all_thirteen_areas_on_distinct_tiles()
    {
        var positions = Districts.LocalAreas.Select(d => Charts.TilePositions[d.Code]).ToList();
        Assert.Equal(13, positions.Count);
        Assert.Equal(13, positions.Distinct().Count());
        var svg = Charts.TileMap("m", "Map", new Dictionary<string, int> { ["T"] = 10, ["Med"] = 3 });
        Assert.Contains("<title>Thanet: 10 responses</title>", svg);
        Assert.Contains("<title>Dover: 0 responses</title>", svg);
        Assert.Contains("#144e81", svg); // the highest count gets the darkest colour
    }
}
