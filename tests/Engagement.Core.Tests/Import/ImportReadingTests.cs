using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Engagement.Core.Import;

namespace Engagement.Core.Tests.Import;

/// <summary>Reading CSV in every encoding and delimiter people send, and .xlsx, into the same table.</summary>
public class ImportReadingTests
{
    private const string Sample = "text,district,respondent_type\n\"Café opening hours £5, too short\",Tunbridge Wells,resident\n\"Bus to Margate\nstops at 6pm\",T,partner\n";

    private static byte[] Encode(string text, Encoding encoding, bool bom)
    {
        var body = encoding.GetBytes(text);
        return bom ? [.. encoding.GetPreamble(), .. body] : body;
    }

    public static IEnumerable<object[]> Encodings()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        yield return ["utf8-bom", new UTF8Encoding(true), true, "UTF-8 with BOM"];
        yield return ["utf8", new UTF8Encoding(false), false, "UTF-8"];
        yield return ["windows-1252", Encoding.GetEncoding(1252), false, "Windows-1252"];
        yield return ["utf16", new UnicodeEncoding(false, true), true, "UTF-16"];
    }

    [Theory, MemberData(nameof(Encodings))]
    public void Every_encoding_reads_accents_and_pound_signs(string name, Encoding encoding, bool bom, string expected)
    {
        var table = ImportTable.Read(name + ".csv", Encode(Sample, encoding, bom));

        Assert.Contains(expected, table.Description);
        Assert.Equal(["text", "district", "respondent_type"], table.Headers);
        Assert.Equal("Café opening hours £5, too short", table.Rows[0].Cells[0]);
        Assert.Equal(2, table.Rows.Count);
    }

    [Theory]
    [InlineData(',', "comma")]
    [InlineData(';', "semicolon")]
    [InlineData('\t', "tab")]
    public void Every_delimiter_is_detected_even_when_the_text_holds_the_others(char delimiter, string name)
    {
        var d = delimiter.ToString();
        var csv = $"text{d}district{d}channel\n\"Hard to park, costly; slow\"{d}Swale{d}event\n\"Two; three, four\"{d}Dover{d}email\nplain text{d}T{d}online\n";
        var table = ImportTable.Read("x.csv", Encoding.UTF8.GetBytes(csv));

        Assert.Contains(name, table.Description);
        Assert.Equal(["text", "district", "channel"], table.Headers);
        Assert.Equal("Hard to park, costly; slow", table.Rows[0].Cells[0]);
        Assert.Equal(["plain text", "T", "online"], table.Rows[2].Cells);
    }

    [Fact]
    public void Quoted_newlines_stay_in_the_cell_and_line_numbers_are_where_each_row_starts()
    {
        var table = ImportTable.Read("x.csv", Encoding.UTF8.GetBytes(Sample + "\nlast,Dover,resident\n"));

        Assert.Equal("Bus to Margate\nstops at 6pm", table.Rows[1].Cells[0]);
        Assert.Equal([2, 3, 6], table.Rows.Select(r => r.Line));
    }

    [Fact]
    public void Ragged_rows_short_ones_are_padded_long_ones_with_extra_values_are_rejected()
    {
        var csv = "text,district,channel\nshort row only\nfull row,T,online\ntoo, many,T,online\ntrailing empties,T,online,,\n";
        var table = ImportTable.Read("x.csv", Encoding.UTF8.GetBytes(csv));
        var result = ImportValidator.Validate(table, ImportMapping.ByName(table.Headers), "import:x");

        Assert.Equal([2, 3, 5], result.Valid.Select(r => r.Line));
        var rejected = Assert.Single(result.Rejected);
        Assert.Equal(4, rejected.Line);
        Assert.Contains("4 cells but the header has 3", rejected.Message);
    }

    [Fact]
    public void Windows_1252_smart_quotes_become_the_right_characters()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var bytes = Encoding.GetEncoding(1252).GetBytes("text\n\u201CWe\u2019re waiting\u201D \u2013 3 weeks\n");
        var table = ImportTable.Read("x.csv", bytes);
        Assert.Equal("\u201CWe\u2019re waiting\u201D \u2013 3 weeks", table.Rows[0].Cells[0]);
    }

    [Theory]
    [InlineData(new byte[0], "empty")]
    [InlineData(new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1 }, "Excel 97-2003")]
    [InlineData(new byte[] { 0x50, 0x4B, 0x03, 0x04, 0x00, 0x00 }, "not a readable .xlsx")]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x00, 0x00, 0x1A }, "binary")]
    public void A_bad_file_gets_a_clear_error(byte[] content, string expected)
    {
        var ex = Assert.Throws<ImportFileException>(() => ImportTable.Read("upload.bin", content));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Xlsx_first_or_chosen_sheet_with_shared_inline_numbers_and_dates()
    {
        var bytes = Workbook(Sheet("Notes", [S("ignore me")]), Sheet("Responses",
            [S("text"), S("district"), S("date"), S("count")],
            [S("Shared string comment"), Inline("(TW)(T)(SW)"), Date(new DateTime(2026, 3, 14)), Number(42)],
            [],
            [Inline("Inline after a blank row"), S("Medway"), Date(new DateTime(2026, 1, 2)), Number(1.5)]));

        var first = ImportTable.Read("book.xlsx", bytes);
        Assert.Equal(["ignore me"], first.Headers);
        Assert.Equal(["Notes", "Responses"], first.SheetNames);

        var table = ImportTable.Read("book.xlsx", bytes, "responses");
        Assert.Equal(["text", "district", "date", "count"], table.Headers);
        Assert.Equal(["Shared string comment", "(TW)(T)(SW)", "2026-03-14", "42"], table.Rows[0].Cells);
        Assert.Equal(4, table.Rows[1].Line);
        Assert.Equal(["Inline after a blank row", "Medway", "2026-01-02", "1.5"], table.Rows[1].Cells);

        var missing = Assert.Throws<ImportFileException>(() => ImportTable.Read("book.xlsx", bytes, "Sheet9"));
        Assert.Contains("no sheet called 'Sheet9'", missing.Message);
    }

    // A tiny .xlsx writer for the tests: cells are (kind, value) with kinds s (shared), i (inline), n (number), d (date).
    private static (char, object) S(string v) => ('s', v);
    private static (char, object) Inline(string v) => ('i', v);
    private static (char, object) Number(double v) => ('n', v);
    private static (char, object) Date(DateTime v) => ('d', v);

    public static (string Name, (char Kind, object Value)[][] Rows) Sheet(string name, params (char Kind, object Value)[][] rows) => (name, rows);

    public static byte[] Workbook(params (string Name, (char Kind, object Value)[][] Rows)[] sheets)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook(new Sheets());
            var styles = workbook.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = new Stylesheet(
                new Fonts(new Font()), new Fills(new Fill()), new Borders(new Border()),
                new CellFormats(new CellFormat(), new CellFormat { NumberFormatId = 14, ApplyNumberFormat = true }));
            var shared = workbook.AddNewPart<SharedStringTablePart>();
            shared.SharedStringTable = new SharedStringTable();
            var strings = new List<string>();
            uint id = 1;
            foreach (var (name, rows) in sheets)
            {
                var part = workbook.AddNewPart<WorksheetPart>();
                var data = new SheetData();
                for (var r = 0; r < rows.Length; r++)
                {
                    if (rows[r].Length == 0) continue; // a missing row, as Excel writes a blank one
                    var row = new Row { RowIndex = (uint)(r + 1) };
                    for (var c = 0; c < rows[r].Length; c++)
                    {
                        var reference = $"{(char)('A' + c)}{r + 1}";
                        var (kind, value) = rows[r][c];
                        row.Append(kind switch
                        {
                            's' => new Cell { CellReference = reference, DataType = CellValues.SharedString, CellValue = new CellValue(SharedIndex((string)value)) },
                            'i' => new Cell { CellReference = reference, DataType = CellValues.InlineString, InlineString = new InlineString(new Text((string)value)) },
                            'd' => new Cell { CellReference = reference, StyleIndex = 1, CellValue = new CellValue(((DateTime)value).ToOADate()) },
                            _ => new Cell { CellReference = reference, CellValue = new CellValue((double)value) },
                        });
                    }
                    data.Append(row);
                }
                part.Worksheet = new Worksheet(data);
                workbook.Workbook.Sheets!.Append(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = id++, Name = name });
            }
            foreach (var s in strings) shared.SharedStringTable.Append(new SharedStringItem(new Text(s)));

            int SharedIndex(string value)
            {
                var i = strings.IndexOf(value);
                if (i >= 0) return i;
                strings.Add(value);
                return strings.Count - 1;
            }
        }
        return stream.ToArray();
    }
}
