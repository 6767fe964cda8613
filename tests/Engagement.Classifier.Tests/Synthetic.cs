using System.Globalization;
using System.Text;
using System.Text.Json;
using Engagement.Classifier;

namespace Engagement.Classifier.Tests;

/// <summary>A tiny made-up taxonomy whose themes have their own words, for fast training in tests.</summary>
internal static class Synthetic
{
    public static readonly (string Id, int Outcome, string[] Words)[] Themes =
    [
        ("dental", 1, ["dentist", "tooth", "filling", "braces", "orthodontist", "toothache"]),
        ("gp", 1, ["gp", "appointment", "receptionist", "surgery", "doctor", "callback"]),
        ("buses", 2, ["bus", "route", "timetable", "fare", "stop", "driver"]),
        ("housing", 2, ["damp", "mould", "landlord", "rent", "flat", "eviction"]),
        ("general", 0, ["strategy", "consultation", "vision", "document", "ambition", "survey"]),
    ];

    private static readonly string[] Filler = ["the", "really", "need", "kent", "please", "people", "local", "better", "always", "town", "week", "family"];

    public static Taxonomy Taxonomy() => new(
        [
            new Outcome(0, "General", "General", "About the strategy", []),
            new Outcome(1, "Primary care", "Primary", "Seeing a professional", []),
            new Outcome(2, "Places", "Places", "Where people live", []),
        ],
        Themes.Select(t => new Theme(t.Id, t.Id + " theme", t.Outcome, "", [t.Words[0] + " " + t.Words[1]], null)).ToList());

    public static List<LabelledComment> Rows(int perTheme, int seed, double labelNoise = 0)
    {
        var random = new Random(seed);
        var rows = new List<LabelledComment>();
        for (var n = 0; n < perTheme; n++)
        {
            foreach (var (id, outcome, words) in Themes)
            {
                var picked = Enumerable.Range(0, random.Next(2, 5)).Select(_ => words[random.Next(words.Length)])
                    .Concat(Enumerable.Range(0, random.Next(2, 5)).Select(_ => Filler[random.Next(Filler.Length)]))
                    .ToList();
                // Like real comments, some mention another theme in passing, and a few are mislabelled,
                // so the model cannot be certain and calibration has something to do.
                if (random.NextDouble() < 0.3) picked.Add(OtherWord(random, id));
                picked = picked.OrderBy(_ => random.Next()).ToList();
                var label = random.NextDouble() < labelNoise ? Themes[random.Next(Themes.Length)] : (id, outcome, words);
                rows.Add(new LabelledComment(string.Join(' ', picked), label.Item1, label.Item2, "synthetic"));
            }
        }
        return rows;
    }

    private static string OtherWord(Random random, string id)
    {
        var others = Themes.Where(t => t.Id != id).ToArray();
        var words = others[random.Next(others.Length)].Words;
        return words[random.Next(words.Length)];
    }

    /// <summary>Writes taxonomy.json and training/{train,test}.csv into a fresh temp folder; returns the training folder.</summary>
    public static string WriteDataDir(int perTheme = 40)
    {
        var root = Path.Combine(Path.GetTempPath(), "engage-tests-" + Guid.NewGuid().ToString("N"));
        var training = Path.Combine(root, "training");
        Directory.CreateDirectory(training);
        var taxonomy = new
        {
            outcomes = new object[]
            {
                new { id = 0, name = "General", shortName = "General", plainEnglish = "", priorities = Array.Empty<string>() },
                new { id = 1, name = "Primary care", shortName = "Primary", plainEnglish = "", priorities = Array.Empty<string>() },
                new { id = 2, name = "Places", shortName = "Places", plainEnglish = "", priorities = Array.Empty<string>() },
            },
            themes = Themes.Select(t => new { id = t.Id, name = t.Id + " theme", outcome = t.Outcome, description = "", examplePhrases = new[] { t.Words[0] + " " + t.Words[1] }, reasoning = "" }),
        };
        File.WriteAllText(Path.Combine(root, "taxonomy.json"), JsonSerializer.Serialize(taxonomy));
        WriteCsv(Path.Combine(training, "train.csv"), Rows(perTheme, 1, labelNoise: 0.08));
        WriteCsv(Path.Combine(training, "test.csv"), Rows(perTheme / 4, 2));
        return training;
    }

    public static void WriteCsv(string path, IEnumerable<LabelledComment> rows)
    {
        var s = new StringBuilder("text,theme,outcome,source\n");
        foreach (var r in rows) s.Append(CultureInfo.InvariantCulture, $"\"{r.Text.Replace("\"", "\"\"")}\",{r.Theme},{r.Outcome},{r.Source}\n");
        File.WriteAllText(path, s.ToString());
    }
}
