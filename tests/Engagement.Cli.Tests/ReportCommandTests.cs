using System.Text;
using DocumentFormat.OpenXml.Packaging;
using Engagement.Cli;
using Engagement.Cli.Commands;
using Engagement.Core.Data;
using Engagement.Core.Staff;
using W = DocumentFormat.OpenXml.Wordprocessing;

namespace Engagement.Cli.Tests;

/// <summary>
/// engage import and engage report end to end on a temporary SQLite file. The database and model are passed as
/// configuration overrides (the same keys as ConnectionStrings__Engagement and Classifier__ModelPath), so the
/// tests never touch the developer's database or each other's.
/// </summary>
public class ReportCommandTests(SyntheticModelFixture fixture) : IClassFixture<SyntheticModelFixture>
{
    private string Temp(string name) => fixture.Temp(name);

    private KeyValuePair<string, string?>[] Config(string dbFile) => fixture.Config(dbFile);

    private static Task<(int Code, string Out, string Err)> Run(Func<CliArgs, CliIo, Task<int>> command, params string[] args) =>
        SyntheticModelFixture.RunCommand(command, args);

    [Fact]
    public async Task Import_then_report_in_every_format()
    {
        var db = Temp("engage.db");
        var config = Config(db);
        var input = Temp("responses.csv");
        await File.WriteAllTextAsync(input, """
            text,district,respondent_type,organisation,channel,outcome
            "my dentist closed, no toothache help for my son",SW;T;Da,resident,,online,1
            "the dentist has no NHS filling appointments, my dentist closed",Thanet,resident,,event,not sure
            "the bus route has no timetable, call 07700 900123",Medway,partner,Age UK Medway,email,
            "=HYPERLINK(""http://evil.example"")",FH,resident,,online,
            "",T,resident,,online,
            "unknown place",Narnia,resident,,online,
            """, new UTF8Encoding(true));

        var import = await Run((a, io) => ReportCommands.ImportAsync(a, io, config), "--input", input, "--consultation", "dental-review");
        Assert.True(import.Code == 0, import.Err);
        Assert.Contains("Created consultation 'dental-review'", import.Out);
        Assert.Contains("Read 6 rows: 4 added, 0 already imported, 2 skipped. Classified 4 comments.", import.Out);
        Assert.Contains("line 6: text is empty", import.Err);
        Assert.Contains("line 7: unknown district 'Narnia'", import.Err);

        var again = await Run((a, io) => ReportCommands.ImportAsync(a, io, config), "--input", input, "--consultation", "dental-review");
        Assert.Contains("4 already imported", again.Out);

        foreach (var format in new[] { "html", "docx", "xlsx", "csv" })
        {
            var output = Temp("report." + format);
            var result = await Run((a, io) => ReportCommands.ReportAsync(a, io, config),
                "--consultation", "dental-review", "--format", format, "--output", output);
            Assert.True(result.Code == 0, result.Err);
            Assert.Contains("4 responses, 4 comments", result.Out);
            Assert.DoesNotContain("07700", result.Out + result.Err);
            Assert.True(new FileInfo(output).Length > 0);
        }

        var exports = await new SecurityEventStore(new Database(DatabaseProvider.Sqlite, $"Data Source={db}")).ListAsync(SecurityEventKinds.Export, 10);
        Assert.Equal(["csv", "xlsx", "docx", "html"], exports.Select(e => e.Detail!.Split(' ')[2]));
        Assert.All(exports, e => Assert.Equal("engage report", e.Path));

        var html = await File.ReadAllTextAsync(Directory.GetFiles(fixture.Root, "*report.html").Single());
        Assert.Contains("(SW)(T)(Da)", html);
        Assert.Contains("(Med)(VCS)", html);
        Assert.DoesNotContain("07700 900123", html);
        Assert.Contains("[phone removed]", html);

        var csv = await File.ReadAllTextAsync(Directory.GetFiles(fixture.Root, "*report.csv").Single());
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil.example\"\")\"", csv);
        Assert.DoesNotContain("07700", csv);
        Assert.Contains(",\"dental\",\"Dental\",\"suggested\"", csv);

        using (var docx = WordprocessingDocument.Open(Directory.GetFiles(fixture.Root, "*report.docx").Single(), false))
            Assert.Contains(docx.MainDocumentPart!.Document!.Body!.Elements<W.Paragraph>(),
                p => p.ParagraphProperties?.ParagraphStyleId?.Val?.Value == "Heading1" && p.InnerText == "General feedback");
        using (var xlsx = SpreadsheetDocument.Open(Directory.GetFiles(fixture.Root, "*report.xlsx").Single(), false))
            Assert.Contains(xlsx.WorkbookPart!.Workbook!.Sheets!.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>(), s => s.Name == "Points");
    }

    [Fact]
    public async Task Import_of_a_file_without_a_text_column_exits_2_with_one_line()
    {
        var input = Temp("notext.csv");
        await File.WriteAllTextAsync(input, "comment,district\nhello,T\n");
        var (code, _, err) = await SyntheticModelFixture.Run("import", "--input", input, "--consultation", "x");
        Assert.Equal(2, code);
        Assert.Contains("no 'text' column", err);
        Assert.Single(err.Trim().Split('\n'));

        var missing = await SyntheticModelFixture.Run("import", "--input", Temp("missing.csv"), "--consultation", "x");
        Assert.Equal(2, missing.Code);
        Assert.Contains("not found", missing.Err);
    }

    [Fact]
    public async Task Report_rejects_an_unknown_format_or_consultation_with_exit_2()
    {
        var format = await SyntheticModelFixture.Run("report", "--consultation", "x", "--format", "pdf", "--output", Temp("r.pdf"));
        Assert.Equal(2, format.Code);
        Assert.Contains("unknown format 'pdf'", format.Err);
        Assert.Single(format.Err.Trim().Split('\n'));

        var db = Temp("empty.db");
        var slug = await Run((a, io) => ReportCommands.ReportAsync(a, io, Config(db)), "--consultation", "nope", "--format", "html", "--output", Temp("r.html"));
        Assert.Equal(2, slug.Code);
        Assert.Contains("no consultation with the slug 'nope'", slug.Err);
    }
}
