using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Engagement.Core.Import;

/// <summary>The file cannot be imported at all (unreadable, empty, not CSV or .xlsx). The message is shown to the user as is.</summary>
public sealed class ImportFileException(string message) : Exception(message);

/// <summary>One data row as it was in the file: the line (CSV) or sheet row (.xlsx) it started on, and its cells.</summary>
public sealed record SourceRow(int Line, IReadOnlyList<string> Cells);

/// <summary>
/// A file read into a header and rows, whatever it was: CSV in UTF-8 (with or without BOM), UTF-16 or Windows-1252
/// with comma, semicolon or tab, or an .xlsx sheet. Blank rows are dropped; the line numbers stay those of the file.
/// </summary>
public sealed record ImportTable(IReadOnlyList<string> Headers, IReadOnlyList<SourceRow> Rows, string Format, string Description,
    IReadOnlyList<string> SheetNames)
{
    public static ImportTable Read(string fileName, byte[] content, string? sheet = null)
    {
        if (content.Length == 0) throw new ImportFileException("the file is empty: expected a header row and at least one row.");
        if (content.AsSpan().StartsWith(new byte[] { 0xD0, 0xCF, 0x11, 0xE0 }))
            throw new ImportFileException("this is an old Excel 97-2003 (.xls) file: save it as .xlsx or CSV and upload that.");
        if (IsXlsx(content)) return XlsxReader.Read(content, sheet);
        if (fileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase))
            throw new ImportFileException("the file is named .xlsx but is not an Excel workbook: save it from Excel as .xlsx or as CSV.");
        return CsvTableReader.Read(content);
    }

    public static ImportTable ReadFile(string path, string? sheet = null)
    {
        if (!File.Exists(path)) throw new ImportFileException($"file not found: {path}");
        return Read(Path.GetFileName(path), File.ReadAllBytes(path), sheet);
    }

    /// <summary>.xlsx is a zip: trust the magic number over the name, so a renamed file still reads.</summary>
    public static bool IsXlsx(byte[] content) =>
        content.Length >= 4 && content[0] == 0x50 && content[1] == 0x4B && content[2] == 0x03 && content[3] == 0x04;
}

public static class CsvTableReader
{
    private static readonly char[] Delimiters = [',', ';', '\t'];

    static CsvTableReader() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Windows-1252: what Excel on a UK Windows PC writes when asked for "CSV" (not "CSV UTF-8").</summary>
    public static Encoding Windows1252 => Encoding.GetEncoding(1252);

    public static (string Text, string EncodingName) Decode(byte[] content)
    {
        if (content.AsSpan().StartsWith(new byte[] { 0xEF, 0xBB, 0xBF })) return (new UTF8Encoding(false).GetString(content, 3, content.Length - 3), "UTF-8 with BOM");
        if (content.AsSpan().StartsWith(new byte[] { 0xFF, 0xFE })) return (Encoding.Unicode.GetString(content, 2, content.Length - 2), "UTF-16");
        if (content.AsSpan().StartsWith(new byte[] { 0xFE, 0xFF })) return (Encoding.BigEndianUnicode.GetString(content, 2, content.Length - 2), "UTF-16 big-endian");
        try
        {
            // Valid UTF-8 is almost never accidental for text with accents or £ signs; invalid UTF-8 is 1252 in practice.
            return (new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(content), "UTF-8");
        }
        catch (DecoderFallbackException)
        {
            return (Windows1252.GetString(content), "Windows-1252");
        }
    }

    public static ImportTable Read(byte[] content)
    {
        var (text, encoding) = Decode(content);
        if (text.Contains('\0')) throw new ImportFileException("this is not a CSV or .xlsx file (it contains binary data).");
        if (string.IsNullOrWhiteSpace(text)) throw new ImportFileException("the file is empty: expected a header row and at least one row.");
        var delimiter = DetectDelimiter(text);
        var records = Parse(text, delimiter);
        if (records.Count == 0) throw new ImportFileException("the file is empty: expected a header row and at least one row.");
        var header = records[0].Cells.Select(h => h.Trim()).ToList();
        if (header.All(h => h.Length == 0)) throw new ImportFileException("the first row (the header) is blank.");
        var name = delimiter switch { ',' => "comma", ';' => "semicolon", _ => "tab" };
        return new ImportTable(header, records.Skip(1).ToList(), "csv", $"CSV, {encoding}, {name}-separated", []);
    }

    /// <summary>
    /// The delimiter that splits the first records into the most columns consistently: a comma inside quoted text
    /// does not count, and a semicolon file whose comments contain commas is not mistaken for comma-separated.
    /// </summary>
    public static char DetectDelimiter(string text)
    {
        var sample = text.Length > 64_000 ? text[..64_000] : text;
        var best = ',';
        var bestScore = -1.0;
        foreach (var d in Delimiters)
        {
            List<SourceRow> rows;
            try { rows = Parse(sample, d, maxRecords: 30); }
            catch (ImportFileException) { continue; }
            if (rows.Count == 0) continue;
            var headerCount = rows[0].Cells.Count;
            if (headerCount < 2) continue;
            // The last sampled row may be cut off mid-way; leave it out of the consistency check.
            var body = rows.Skip(1).Take(Math.Max(0, rows.Count - 2)).ToList();
            var consistent = body.Count == 0 ? 1.0 : body.Count(r => r.Cells.Count == headerCount) / (double)body.Count;
            var score = consistent * 100 + Math.Min(headerCount, 50);
            if (score > bestScore) { bestScore = score; best = d; }
        }
        return best;
    }

    private static List<SourceRow> Parse(string text, char delimiter, int maxRecords = int.MaxValue)
    {
        var rows = new List<SourceRow>();
        using var reader = new StringReader(text);
        using var parser = new CsvParser(reader, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = delimiter.ToString(), BadDataFound = null, DetectDelimiter = false, IgnoreBlankLines = false,
        });
        try
        {
            var lastLine = 0;
            while (rows.Count < maxRecords && parser.Read())
            {
                var line = lastLine + 1;
                lastLine = parser.RawRow;
                var record = parser.Record!;
                if (record.All(string.IsNullOrWhiteSpace)) continue;
                rows.Add(new SourceRow(line, record));
            }
        }
        catch (CsvHelperException ex)
        {
            throw new ImportFileException($"the file is not valid CSV near line {ex.Context?.Parser?.RawRow ?? 0}.");
        }
        return rows;
    }
}

/// <summary>Reads one sheet of an .xlsx with the OpenXML SDK: shared and inline strings, numbers, booleans and dates.</summary>
public static class XlsxReader
{
    public static IReadOnlyList<string> SheetNames(byte[] content)
    {
        using var document = Open(content);
        return Sheets(document).Select(s => s.Name?.Value ?? "").ToList();
    }

    public static ImportTable Read(byte[] content, string? sheetName = null)
    {
        using var document = Open(content);
        var workbook = document.WorkbookPart ?? throw new ImportFileException("the .xlsx file has no workbook.");
        var sheets = Sheets(document);
        if (sheets.Count == 0) throw new ImportFileException("the .xlsx file has no sheets.");
        var sheet = string.IsNullOrWhiteSpace(sheetName)
            ? sheets[0]
            : sheets.FirstOrDefault(s => string.Equals(s.Name?.Value, sheetName.Trim(), StringComparison.OrdinalIgnoreCase))
              ?? throw new ImportFileException($"the workbook has no sheet called '{sheetName}'. Sheets: {string.Join(", ", sheets.Select(s => s.Name?.Value))}.");
        if (workbook.GetPartById(sheet.Id!.Value!) is not WorksheetPart part) throw new ImportFileException($"sheet '{sheet.Name}' cannot be read.");

        var shared = workbook.SharedStringTablePart?.SharedStringTable?.Elements<SharedStringItem>().Select(i => i.InnerText).ToArray() ?? [];
        var dateStyles = DateStyleIndexes(workbook);

        var rows = new List<SourceRow>();
        using (var reader = OpenXmlReader.Create(part))
        {
            while (reader.Read())
            {
                if (reader.ElementType != typeof(Row) || !reader.IsStartElement) continue;
                var row = (Row)reader.LoadCurrentElement()!;
                var number = (int)(row.RowIndex?.Value ?? (uint)(rows.Count + 1));
                var cells = new List<string>();
                foreach (var cell in row.Elements<Cell>())
                {
                    var column = cell.CellReference?.Value is { } reference ? ColumnIndex(reference) : cells.Count;
                    while (cells.Count < column) cells.Add("");
                    cells.Add(CellText(cell, shared, dateStyles));
                }
                if (cells.All(string.IsNullOrWhiteSpace)) continue;
                rows.Add(new SourceRow(number, cells));
            }
        }
        if (rows.Count == 0) throw new ImportFileException($"sheet '{sheet.Name}' is empty: expected a header row and at least one row.");
        var header = rows[0].Cells.Select(h => h.Trim()).ToList();
        return new ImportTable(header, rows.Skip(1).ToList(), "xlsx", $"Excel workbook, sheet '{sheet.Name}'",
            sheets.Select(s => s.Name?.Value ?? "").ToList());
    }

    private static SpreadsheetDocument Open(byte[] content)
    {
        try
        {
            return SpreadsheetDocument.Open(new MemoryStream(content, writable: false), false);
        }
        catch (Exception ex) when (ex is OpenXmlPackageException or InvalidDataException or FileFormatException or IOException)
        {
            throw new ImportFileException("the file is not a readable .xlsx workbook (save it from Excel as .xlsx or as CSV).");
        }
    }

    private static List<Sheet> Sheets(SpreadsheetDocument document) =>
        document.WorkbookPart?.Workbook?.Sheets?.Elements<Sheet>().ToList() ?? [];

    /// <summary>"BC12" to 54 (zero-based).</summary>
    public static int ColumnIndex(string reference)
    {
        var index = 0;
        foreach (var ch in reference)
        {
            if (!char.IsLetter(ch)) break;
            index = index * 26 + (char.ToUpperInvariant(ch) - 'A' + 1);
        }
        return index - 1;
    }

    private static string CellText(Cell cell, string[] shared, HashSet<uint> dateStyles)
    {
        var type = cell.DataType?.Value;
        if (type == CellValues.InlineString) return cell.InlineString?.InnerText ?? "";
        var raw = cell.CellValue?.Text ?? "";
        if (type == CellValues.SharedString)
            return int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) && i >= 0 && i < shared.Length ? shared[i] : "";
        if (type == CellValues.Boolean) return raw == "1" ? "TRUE" : "FALSE";
        if (type == CellValues.String || type == CellValues.Error) return raw;
        if (type == CellValues.Date) return raw;
        if (raw.Length > 0 && cell.StyleIndex?.Value is { } style && dateStyles.Contains(style)
            && double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) && serial is > 0 and < 2958466)
        {
            var date = DateTime.FromOADate(serial);
            return date.TimeOfDay == TimeSpan.Zero ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : date.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        }
        return raw;
    }

    /// <summary>Cell styles whose number format is a date: the built-in date formats, or a custom one with d/m/y in it.</summary>
    private static HashSet<uint> DateStyleIndexes(WorkbookPart workbook)
    {
        var result = new HashSet<uint>();
        var stylesheet = workbook.WorkbookStylesPart?.Stylesheet;
        if (stylesheet?.CellFormats is null) return result;
        var custom = stylesheet.NumberingFormats?.Elements<NumberingFormat>()
            .Where(f => f.NumberFormatId is not null)
            .ToDictionary(f => f.NumberFormatId!.Value, f => f.FormatCode?.Value ?? "") ?? [];
        uint index = 0;
        foreach (var format in stylesheet.CellFormats.Elements<CellFormat>())
        {
            var id = format.NumberFormatId?.Value ?? 0;
            var isDate = id is >= 14 and <= 22 or >= 45 and <= 47
                || custom.TryGetValue(id, out var code) && LooksLikeDate(code);
            if (isDate) result.Add(index);
            index++;
        }
        return result;
    }

    private static bool LooksLikeDate(string code)
    {
        // Strip quoted literals and colour/condition brackets before looking for date letters.
        var plain = System.Text.RegularExpressions.Regex.Replace(code, "\"[^\"]*\"|\\[[^\\]]*\\]", "");
        return plain.IndexOfAny(['d', 'D', 'y', 'Y']) >= 0 || plain.Contains("mmm", StringComparison.OrdinalIgnoreCase);
    }
}
