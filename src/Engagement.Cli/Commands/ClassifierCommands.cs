using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Engagement.Classifier;

namespace Engagement.Cli.Commands;

/// <summary>engage train / classify / evaluate. Bad input files end with one line on stderr and exit code 2.</summary>
public static class ClassifierCommands
{
    private static readonly string[] Appended = ["outcome", "outcome_name", "theme", "confidence"];

    public static Task<int> TrainAsync(CliArgs options, CliIo io)
    {
        var dataDir = RepoPaths.Resolve(options.Get("data") ?? "data-samples/training");
        if (!Directory.Exists(dataDir)) throw new CliUsageException($"data folder not found: {dataDir}");
        if (!File.Exists(Path.Combine(dataDir, "train.csv"))) throw new CliUsageException($"{dataDir} has no train.csv");

        var command = new StringBuilder("dotnet run --project src/Engagement.Cli -c Release -- train");
        foreach (var name in new[] { "data", "output", "taxonomy", "trainer", "extra", "dev" })
            if (options.Get(name) is { } value) command.Append($" --{name} {value}");
        if (options.Has("compare")) command.Append(" --compare");
        if (options.Has("taxonomy-rows")) command.Append(" --taxonomy-rows");

        var extra = new List<LabelledComment>();
        if (options.Get("extra") is { } extraPath)
        {
            if (!File.Exists(extraPath)) throw new CliUsageException($"extra rows file not found: {extraPath}");
            extra = Guard(() => LabelledData.Read(extraPath), extraPath);
        }

        var training = new TrainingOptions
        {
            DataDir = dataDir,
            TaxonomyPath = options.Get("taxonomy"),
            OutputPath = options.Get("output") ?? new ClassifierOptions().ModelPath,
            Trainer = options.Get("trainer") is { } t ? ParseTrainer(t) : null,
            Compare = options.Has("compare"),
            LearnFromTaxonomy = options.Has("taxonomy-rows"),
            ExtraRows = extra,
            DevPath = options.Get("dev"),
            Command = command.ToString(),
        };

        TrainingReport report;
        try
        {
            report = ModelTrainer.Train(training, io.Out);
        }
        catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException or TaxonomyException or CsvHelperException)
        {
            throw new CliUsageException(OneLine(ex.Message));
        }

        io.Out.WriteLine();
        io.Out.WriteLine($"trainer {report.Info.Trainer}, temperature {report.Info.Temperature:0.00}, needs review below {report.Threshold.NeedsReviewBelow:0.00}");
        io.Out.Write(Evaluation.Format(report.TestOutcome, "test split, outcome", l => OutcomeName(report.Info, l)));
        io.Out.WriteLine($"  theme accuracy {report.TestTheme.Accuracy:0.0000}, theme macro-F1 {report.TestTheme.MacroF1:0.0000}, ECE {report.TestEce:0.0000}");
        io.Out.WriteLine($"wrote {report.ModelPath} ({report.ModelBytes / 1024.0 / 1024.0:0.0} MB) in {report.TotalSeconds:0.0} s, card {ModelCard.CardPath(report.ModelPath)}");
        return Task.FromResult(CliApp.Ok);
    }

    public static async Task<int> ClassifyAsync(CliArgs options, CliIo io)
    {
        var input = options.Require("input");
        var output = options.Require("output");
        // The model loads while the CSV is read: each takes a few hundred milliseconds on a 100k-row file.
        var loading = Task.Run(() => Load(options));
        var table = CsvTable.Read(input);
        var textColumn = table.Column("text")
            ?? throw new CliUsageException($"{input} has no 'text' column (columns: {string.Join(", ", table.Header)})");

        var classifier = await loading;
        if (!classifier.IsAvailable)
        {
            io.Error.WriteLine($"engage classify: {classifier.UnavailableReason}");
            return CliApp.Failure;
        }

        var suggestions = classifier.SuggestMany(table.Rows.Select(r => textColumn < r.Length ? r[textColumn] : "").ToList());
        try
        {
            await AtomicFile.WriteAsync(output, async (stream, ct) =>
            {
                await using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
                await using var csv = new CsvWriter(writer, new CsvConfiguration(CultureInfo.InvariantCulture));
                foreach (var h in table.Header.Concat(Appended)) csv.WriteField(h);
                csv.NextRecord();
                for (var i = 0; i < table.Rows.Count; i++)
                {
                    var row = table.Rows[i];
                    for (var c = 0; c < Math.Max(row.Length, table.Header.Length); c++) csv.WriteField(c < row.Length ? row[c] : "");
                    // Rows with no text get blank prediction cells rather than a guess.
                    if (suggestions[i] is { } s)
                    {
                        csv.WriteField(s.OutcomeId.ToString(CultureInfo.InvariantCulture));
                        csv.WriteField(classifier.OutcomeName(s.OutcomeId));
                        csv.WriteField(s.ThemeId);
                        csv.WriteField(s.Confidence.ToString("0.0000", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        foreach (var _ in Appended) csv.WriteField("");
                    }
                    csv.NextRecord();
                }
            });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"cannot write {output}: {OneLine(ex.Message)}");
        }
        io.Error.WriteLine($"classified {suggestions.Count(s => s is not null)} of {table.Rows.Count} rows with model {classifier.ModelVersion} -> {output}");
        return CliApp.Ok;
    }

    public static Task<int> EvaluateAsync(CliArgs options, CliIo io)
    {
        var input = options.Require("input");
        var table = CsvTable.Read(input);
        var textColumn = table.Column("text") ?? throw new CliUsageException($"{input} has no 'text' column");
        var outcomeColumn = table.Column("outcome") ?? throw new CliUsageException($"{input} has no 'outcome' column");
        var themeColumn = table.Column("theme");

        var texts = new List<string>();
        var outcomes = new List<int>();
        var themes = new List<string>();
        var skipped = 0;
        for (var i = 0; i < table.Rows.Count; i++)
        {
            var row = table.Rows[i];
            string Field(int c) => c < row.Length ? row[c].Trim() : "";
            if (Field(textColumn).Length == 0) { skipped++; continue; }
            if (!int.TryParse(Field(outcomeColumn), NumberStyles.Integer, CultureInfo.InvariantCulture, out var outcome) || outcome is < 0 or > 6)
                throw new CliUsageException($"{input} row {i + 2}: outcome '{Field(outcomeColumn)}' is not a number from 0 to 6");
            texts.Add(row[textColumn]);
            outcomes.Add(outcome);
            themes.Add(themeColumn is { } tc ? Field(tc) : "");
        }
        if (texts.Count == 0) throw new CliUsageException($"{input} has no rows with text to evaluate");

        var classifier = Load(options);
        if (!classifier.IsAvailable)
        {
            io.Error.WriteLine($"engage evaluate: {classifier.UnavailableReason}");
            return Task.FromResult(CliApp.Failure);
        }

        var suggestions = classifier.SuggestMany(texts);
        var predicted = suggestions.Select(s => s!.OutcomeId).ToList();
        var labels = classifier.Info!.Outcomes.Select(o => o.Id).Concat(outcomes).Distinct();
        var result = Evaluation.Compute(outcomes, predicted, labels);
        io.Out.WriteLine($"model {classifier.ModelVersion}{(skipped > 0 ? $"; skipped {skipped} rows with no text" : "")}");
        io.Out.Write(Evaluation.Format(result, $"outcome ({input})", l => OutcomeName(classifier.Info, l)));

        if (themeColumn is not null)
        {
            var labelled = Enumerable.Range(0, texts.Count).Where(i => themes[i].Length > 0).ToList();
            var theme = Evaluation.Compute(labelled.Select(i => themes[i]).ToList(), labelled.Select(i => suggestions[i]!.ThemeId).ToList());
            io.Out.WriteLine();
            io.Out.WriteLine($"theme: {theme.Count} rows, accuracy {theme.Accuracy:0.0000}, macro-F1 {theme.MacroF1:0.0000}");
        }
        var conf = suggestions.Select(s => s!.Confidence).ToList();
        var correct = predicted.Select((p, i) => p == outcomes[i]).ToList();
        io.Out.WriteLine($"expected calibration error (outcome confidence) {Evaluation.ExpectedCalibrationError(conf, correct):0.0000}");
        return Task.FromResult(CliApp.Ok);
    }

    private static PooledCommentClassifier Load(CliArgs options)
    {
        var defaults = new ClassifierOptions();
        return new PooledCommentClassifier(new ClassifierOptions
        {
            ModelPath = options.Get("model") ?? defaults.ModelPath,
            NeedsReviewBelow = defaults.NeedsReviewBelow,
        });
    }

    private static string OutcomeName(ModelInfo info, string label) =>
        int.TryParse(label, out var id) ? info.OutcomeName(id) : "";

    private static TrainerKind ParseTrainer(string value) => value.ToLowerInvariant() switch
    {
        "sdca" or "sdcamaxent" => TrainerKind.SdcaMaxEnt,
        "lbfgs" or "lbfgsmaxent" => TrainerKind.LbfgsMaxEnt,
        "ova" or "perceptron" or "ovaaveragedperceptron" => TrainerKind.OvaAveragedPerceptron,
        "lightgbm" or "lgbm" => TrainerKind.LightGbm,
        _ => throw new CliUsageException($"unknown trainer '{value}' (use sdca, lbfgs, ova or lightgbm)"),
    };

    private static T Guard<T>(Func<T> read, string path)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CsvHelperException)
        {
            throw new CliUsageException($"cannot read {path}: {OneLine(ex.Message)}");
        }
    }

    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>A whole CSV in memory: header plus records, quoted newlines and a BOM handled by CsvHelper.</summary>
    private sealed record CsvTable(string[] Header, List<string[]> Rows)
    {
        public int? Column(string name)
        {
            var i = Array.FindIndex(Header, h => string.Equals(h.Trim(), name, StringComparison.OrdinalIgnoreCase));
            return i < 0 ? null : i;
        }

        public static CsvTable Read(string path)
        {
            if (!File.Exists(path)) throw new CliUsageException($"input file not found: {path}");
            return Guard(() =>
            {
                using var stream = File.OpenRead(path);
                var sample = new byte[8192];
                sample = sample[..stream.ReadAtLeast(sample, sample.Length, throwOnEndOfStream: false)];
                if (LooksBinary(sample)) throw new CliUsageException($"{path} is not a text CSV file");
                stream.Position = 0;
                using var reader = new StreamReader(stream, IsUtf8(sample) ? Encoding.UTF8 : Encoding.Latin1, detectEncodingFromByteOrderMarks: true);
                using var parser = new CsvParser(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { BadDataFound = null });
                if (!parser.Read()) throw new CliUsageException($"{path} is empty");
                var header = parser.Record!.Select(h => h.TrimStart('\uFEFF')).ToArray();
                var rows = new List<string[]>();
                while (parser.Read()) rows.Add(parser.Record!);
                return new CsvTable(header, rows);
            }, path);
        }

        /// <summary>NUL bytes, or more than 5% control characters, in the first 8 KB mean this is not a text file.</summary>
        private static bool LooksBinary(byte[] sample)
        {
            if (Array.IndexOf(sample, (byte)0) >= 0) return true;
            var control = sample.Count(b => b < 0x09 || (b > 0x0D && b < 0x20));
            return control > sample.Length / 20;
        }

        /// <summary>Spreadsheets on Windows often save CSV as Windows-1252; read those as Latin-1 rather than mangling "£".</summary>
        private static bool IsUtf8(byte[] sample)
        {
            var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
            // A multi-byte character may be cut at the end of the sample: ignore up to three trailing bytes.
            for (var cut = 0; cut <= Math.Min(3, sample.Length); cut++)
            {
                try
                {
                    strict.GetCharCount(sample, 0, sample.Length - cut);
                    return true;
                }
                catch (DecoderFallbackException)
                {
                }
            }
            return false;
        }
    }
}
