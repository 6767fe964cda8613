using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Engagement.Classifier;

/// <summary>A comment with its confirmed theme (training corpus rows, or comments a triager has confirmed).</summary>
public sealed record LabelledComment(string Text, string Theme, int Outcome, string Source = "");

public static class LabelledData
{
    /// <summary>Reads a text,theme,outcome,source CSV (header names case-insensitive; outcome and source optional).</summary>
    public static List<LabelledComment> Read(string path)
    {
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        using var csv = new CsvParser(reader, new CsvConfiguration(CultureInfo.InvariantCulture));
        if (!csv.Read()) throw new InvalidDataException($"{path} is empty.");
        var header = csv.Record!.Select(h => h.Trim().ToLowerInvariant()).ToList();
        int Col(string name) => header.IndexOf(name);
        int text = Col("text"), theme = Col("theme"), outcome = Col("outcome"), source = Col("source");
        if (text < 0 || theme < 0) throw new InvalidDataException($"{path} needs 'text' and 'theme' columns.");

        var rows = new List<LabelledComment>();
        while (csv.Read())
        {
            var r = csv.Record!;
            string Field(int i) => i >= 0 && i < r.Length ? r[i] : "";
            var o = int.TryParse(Field(outcome), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : -1;
            rows.Add(new LabelledComment(Field(text), Field(theme).Trim(), o, Field(source)));
        }
        return rows;
    }

    /// <summary>Reads text and outcome columns only (e.g. the development set, which has no theme).</summary>
    public static List<(string Text, int Outcome)> ReadOutcomes(string path)
    {
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        using var csv = new CsvParser(reader, new CsvConfiguration(CultureInfo.InvariantCulture));
        if (!csv.Read()) throw new InvalidDataException($"{path} is empty.");
        var header = csv.Record!.Select(h => h.Trim().ToLowerInvariant()).ToList();
        int text = header.IndexOf("text"), outcome = header.IndexOf("outcome");
        if (text < 0 || outcome < 0) throw new InvalidDataException($"{path} needs 'text' and 'outcome' columns.");
        var rows = new List<(string, int)>();
        while (csv.Read())
        {
            var r = csv.Record!;
            var o = outcome < r.Length && int.TryParse(r[outcome], NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : -1;
            rows.Add((text < r.Length ? r[text] : "", o));
        }
        return rows;
    }
}
