using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using CsvHelper;
using Engagement.Classifier;

// Benchmarks for the classifier targets (see bench/README.md). Run from the repository root with
//   dotnet run --project bench/Engagement.Bench -c Release -- <command> [args]
var command = args.FirstOrDefault() ?? "help";
var rest = args.Skip(1).ToArray();
return command switch
{
    "make-csv" => Bench.MakeCsv(rest),
    "make-import-csv" => Bench.MakeImportCsv(rest),
    "latency" => Bench.Latency(rest),
    "classify-wall" => Bench.ClassifyWall(rest),
    "train-time" => Bench.TrainTime(),
    "bdn" => Bench.RunBenchmarkDotNet(rest),
    "batch" => Bench.Batch(rest),
    "cv" => Bench.CrossValidate(rest),
    _ => Bench.Help(),
};

internal static class Bench
{
    private static readonly string[] Places = ["Margate", "Sheerness", "Dartford", "Chatham", "Folkestone", "Ashford", "Tunbridge Wells", "Gravesend", "Dover", "Maidstone"];

    public static int Help()
    {
        Console.WriteLine("""
            commands:
              make-csv N OUT.csv [TRAIN]  N rows (id,text,ward) sampled from the corpus with light perturbation
                                          (corpus: TRAIN, else $BENCH_CORPUS, else data-samples/training/train.csv)
              make-import-csv N OUT.csv   N rows in the `engage import` layout (text,district,respondent_type,organisation,
                                          channel,outcome): perturbed corpus texts, districts as names, codes and (TW)(T) lists,
                                          and every 50th row invalid (unknown district) so validation is exercised
              latency [N] [MODEL]         single Suggest() latency percentiles over N calls (default 20000)
              classify-wall IN.csv [RUNS] wall time of the Release engage.dll classify, start-up included
              train-time                  wall time of one default training run (no files written)
              bdn                         BenchmarkDotNet run of Suggest() (slower, for a second opinion)
            """);
        return 2;
    }

    public static List<string> CorpusTexts(string? path = null)
    {
        path = RepoPaths.Resolve(path ?? Environment.GetEnvironmentVariable("BENCH_CORPUS") ?? "data-samples/training/train.csv");
        return LabelledData.Read(path).Select(r => r.Text).Where(t => t.Length > 0).ToList();
    }

    public static int MakeCsv(string[] args)
    {
        if (args.Length < 2) return Help();
        var n = int.Parse(args[0], CultureInfo.InvariantCulture);
        var texts = CorpusTexts(args.Length > 2 ? args[2] : null);
        var random = new Random(7);
        using var writer = new StreamWriter(args[1]);
        using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
        csv.WriteField("id"); csv.WriteField("text"); csv.WriteField("ward"); csv.NextRecord();
        for (var i = 0; i < n; i++)
        {
            csv.WriteField(i + 1);
            csv.WriteField(Perturb(texts[random.Next(texts.Count)], random));
            csv.WriteField(Places[random.Next(Places.Length)]);
            csv.NextRecord();
        }
        Console.WriteLine($"wrote {n} rows to {args[1]}");
        return 0;
    }

    public static int MakeImportCsv(string[] args)
    {
        if (args.Length < 2) return Help();
        var n = int.Parse(args[0], CultureInfo.InvariantCulture);
        var texts = CorpusTexts(args.Length > 2 ? args[2] : null);
        var random = new Random(11);
        string[] districts = ["Thanet", "T", "(TW)(T)(SW)", "Swale;Dover", "Medway", "Tunbridge Wels", "FH", "Maidstone", "Da", "Canterbury", "Kent-wide", "Gravesham"];
        string[] channels = ["online", "event", "paper", "email", "focus group", ""];
        string[] organisations = ["Age UK Medway", "Swale Borough Council", "Kent Community Health NHS Foundation Trust", "Thanet Carers Network"];
        using var writer = new StreamWriter(args[1]);
        using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
        foreach (var h in new[] { "text", "district", "respondent_type", "organisation", "channel", "outcome" }) csv.WriteField(h);
        csv.NextRecord();
        for (var i = 1; i <= n; i++)
        {
            var partner = random.Next(10) == 0;
            csv.WriteField(Perturb(texts[random.Next(texts.Count)], random));
            csv.WriteField(i % 50 == 0 ? "Narnia" : districts[random.Next(districts.Length)]);
            csv.WriteField(partner ? "partner" : "resident");
            csv.WriteField(partner ? organisations[random.Next(organisations.Length)] : "");
            csv.WriteField(channels[random.Next(channels.Length)]);
            csv.WriteField(random.Next(4) == 0 ? random.Next(7).ToString(CultureInfo.InvariantCulture) : "");
            csv.NextRecord();
        }
        Console.WriteLine($"wrote {n} rows to {args[1]} ({n / 50} of them with an unknown district)");
        return 0;
    }

    /// <summary>Lower-cases, drops a word, swaps two letters or adds a place, so rows are not exact corpus copies.</summary>
    private static string Perturb(string text, Random random)
    {
        var words = text.Split(' ').ToList();
        switch (random.Next(5))
        {
            case 0: return text.ToLowerInvariant();
            case 1 when words.Count > 3: words.RemoveAt(random.Next(words.Count)); break;
            case 2:
                var w = random.Next(words.Count);
                if (words[w].Length > 3)
                {
                    var c = words[w].ToCharArray();
                    var p = random.Next(c.Length - 1);
                    (c[p], c[p + 1]) = (c[p + 1], c[p]);
                    words[w] = new string(c);
                }
                break;
            case 3: words.Add("in " + Places[random.Next(Places.Length)]); break;
        }
        return string.Join(' ', words);
    }

    public static int Latency(string[] args)
    {
        var n = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20000;
        var model = args.Length > 1 ? args[1] : new ClassifierOptions().ModelPath;
        var load = Stopwatch.StartNew();
        var classifier = new PooledCommentClassifier(new ClassifierOptions { ModelPath = model });
        if (!classifier.IsAvailable) { Console.Error.WriteLine(classifier.UnavailableReason); return 1; }
        Console.WriteLine($"model load {load.ElapsedMilliseconds} ms");
        var texts = CorpusTexts();
        var random = new Random(3);
        var first = Stopwatch.StartNew();
        classifier.Suggest(texts[0]);
        Console.WriteLine($"first prediction (engine creation, JIT) {first.Elapsed.TotalMilliseconds:0.0} ms");
        for (var i = 0; i < 2000; i++) classifier.Suggest(texts[random.Next(texts.Count)]); // warm-up, tiering

        var times = new double[n];
        var sw = new Stopwatch();
        for (var i = 0; i < n; i++)
        {
            var text = Perturb(texts[random.Next(texts.Count)], random);
            sw.Restart();
            classifier.Suggest(text);
            times[i] = sw.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        double P(double q) => times[Math.Min(n - 1, (int)Math.Ceiling(q * n) - 1)];
        Console.WriteLine($"Suggest() over {n} calls: p50 {P(0.5):0.000} ms, p90 {P(0.9):0.000} ms, p99 {P(0.99):0.000} ms, max {times[^1]:0.000} ms");
        return 0;
    }

    public static int ClassifyWall(string[] args)
    {
        if (args.Length < 1) return Help();
        var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        var dll = RepoPaths.Resolve("src/Engagement.Cli/bin/Release/net10.0/engage.dll");
        if (!File.Exists(dll)) { Console.Error.WriteLine($"build first: dotnet build src/Engagement.Cli -c Release ({dll} missing)"); return 1; }
        var output = Path.Combine(Path.GetTempPath(), "engage-bench-out.csv");
        var times = new List<double>();
        for (var r = 0; r < runs; r++)
        {
            var sw = Stopwatch.StartNew();
            using var p = Process.Start(new ProcessStartInfo("dotnet", ["exec", dll, "classify", "--input", args[0], "--output", output]) { RedirectStandardError = true })!;
            var err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            times.Add(sw.Elapsed.TotalSeconds);
            Console.WriteLine($"run {r + 1}: {sw.Elapsed.TotalSeconds:0.00} s (exit {p.ExitCode}) {err.Trim()}");
        }
        Console.WriteLine($"classify wall time: best {times.Min():0.00} s, median {times.Order().ElementAt(times.Count / 2):0.00} s");
        return 0;
    }

    /// <summary>In-process SuggestMany over a CSV's text column, split into its stages.</summary>
    public static int Batch(string[] args)
    {
        var model = args.Length > 1 ? args[1] : new ClassifierOptions().ModelPath;
        var texts = new List<string>();
        using (var reader = new StreamReader(args[0]))
        using (var parser = new CsvParser(reader, CultureInfo.InvariantCulture))
        {
            parser.Read();
            var col = Array.FindIndex(parser.Record!, h => h.Equals("text", StringComparison.OrdinalIgnoreCase));
            while (parser.Read()) texts.Add(parser.Record![col]);
        }
        var classifier = new PooledCommentClassifier(new ClassifierOptions { ModelPath = model });
        var keywords = new KeywordMatcher(classifier.Info!.Keywords, classifier.Info.Themes.Select(t => t.Id).ToList());
        for (var run = 0; run < 3; run++)
        {
            var sw = Stopwatch.StartNew();
            var prepared = texts.AsParallel().Select(t => ClassifierPipeline.Prepare<ModelInput>(t, keywords, classifier.Info.CharNgramLengths, classifier.Info.TagWeight)).ToList();
            var prep = sw.ElapsedMilliseconds;
            sw.Restart();
            var results = classifier.SuggestMany(texts);
            Console.WriteLine($"run {run + 1}: prepare (parallel) {prep} ms; SuggestMany {sw.ElapsedMilliseconds} ms for {results.Count} rows");
        }
        return 0;
    }

    /// <summary>Model selection experiments: cv DATA_DIR TRAINER [word=2] [chars=3,5] [bits=15] [l2=0.5] [kw=true].</summary>
    public static int CrossValidate(string[] args)
    {
        var dataDir = RepoPaths.Resolve(args[0]);
        var kind = Enum.Parse<TrainerKind>(args[1], ignoreCase: true);
        var f = FeatureSettings.Default;
        string? dump = null;
        var learnTaxonomy = true;
        var outcomeOnly = false;
        foreach (var kv in args.Skip(2).Select(a => a.Split('=')))
        {
            if (kv[0] == "dump") { dump = kv[1]; continue; }
            if (kv[0] == "tax") { learnTaxonomy = bool.Parse(kv[1]); continue; }
            if (kv[0] == "outcomeonly") { outcomeOnly = bool.Parse(kv[1]); continue; }
            f = kv[0] switch
            {
                "word" => f with { WordNgramLength = int.Parse(kv[1], CultureInfo.InvariantCulture) },
                "chars" => f with { CharNgramLengths = kv[1] == "none" ? [] : kv[1].Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray() },
                "l2" => f with { L2 = float.Parse(kv[1], CultureInfo.InvariantCulture) },
                "kw" => f with { Keywords = bool.Parse(kv[1]) },
                "tagw" => f with { TagWeight = float.Parse(kv[1], CultureInfo.InvariantCulture) },
                "idf" => f with { Weighting = bool.Parse(kv[1]) ? Microsoft.ML.Transforms.Text.NgramExtractingEstimator.WeightingCriteria.TfIdf : Microsoft.ML.Transforms.Text.NgramExtractingEstimator.WeightingCriteria.Tf },
                _ => throw new ArgumentException(kv[0]),
            };
        }
        var taxonomy = Taxonomy.Load(ModelTrainer.FindTaxonomy(dataDir));
        var rows = LabelledData.Read(Path.Combine(dataDir, "train.csv")).Where(r => r.Text.Length > 0)
            .Select(r => r with { Outcome = taxonomy.ThemeOutcome(r.Theme) }).ToList();
        if (outcomeOnly)
        {
            // One pseudo-theme per outcome, carrying all its themes' phrases: a flat 7-class model.
            var themes = taxonomy.Outcomes.Select(o => new Theme("o" + o.Id, o.Name, o.Id, o.Name,
                taxonomy.Themes.Where(t => t.OutcomeId == o.Id).SelectMany(t => t.ExamplePhrases.Append(t.Name)).ToList(), null)).ToList();
            taxonomy = new Taxonomy(taxonomy.Outcomes, themes);
            rows = rows.Select(r => r with { Theme = "o" + r.Outcome }).ToList();
        }
        var sw = Stopwatch.StartNew();
        var (cv, scores) = ModelTrainer.CrossValidate(taxonomy, kind, f, rows, 5, learnTaxonomy ? ModelTrainer.TaxonomyRows(taxonomy) : []);
        if (dump is not null)
        {
            var reader = new ScoreReader(taxonomy.Themes.Select(t => t.OutcomeId).ToList(), ClassifierPipeline.ScoresAreProbabilities(kind), cv.Temperature, true);
            using var w = new StreamWriter(dump);
            using var csv = new CsvWriter(w, CultureInfo.InvariantCulture);
            csv.WriteField("text"); csv.WriteField("theme"); csv.WriteField("outcome"); csv.WriteField("pred_theme"); csv.WriteField("pred_outcome"); csv.WriteField("conf"); csv.NextRecord();
            for (var i = 0; i < rows.Count; i++)
            {
                var r = reader.Read(scores[i]);
                csv.WriteField(rows[i].Text); csv.WriteField(rows[i].Theme); csv.WriteField(rows[i].Outcome);
                csv.WriteField(taxonomy.Themes[r.Theme].Id); csv.WriteField(r.Outcome); csv.WriteField(r.Confidence); csv.NextRecord();
            }
        }
        Console.WriteLine($"{string.Join(' ', args.Skip(1))}: outcome acc {cv.OutcomeAccuracySum:0.000} (argmax {cv.OutcomeAccuracyArgmax:0.000}) F1 {cv.OutcomeMacroF1Sum:0.000} theme {cv.ThemeAccuracy:0.000} ECE {cv.EceUncalibrated:0.000}->{cv.EceCalibrated:0.000} T {cv.Temperature:0.00} fit {cv.FitSecondsPerFold:0.0}s score {cv.ScoreMsPer1000:0}ms/1k [{sw.Elapsed.TotalSeconds:0}s]");
        return 0;
    }

    public static int TrainTime()
    {
        var sw = Stopwatch.StartNew();
        var report = ModelTrainer.Train(new TrainingOptions { WriteFiles = false });
        Console.WriteLine($"train (5-fold CV for calibration + final fit + test scoring): {sw.Elapsed.TotalSeconds:0.0} s; final fit alone {report.TrainSeconds:0.0} s; test outcome accuracy {report.TestOutcome.Accuracy:0.000}");
        return 0;
    }

    public static int RunBenchmarkDotNet(string[] args)
    {
        BenchmarkRunner.Run<SuggestBenchmark>(args: args);
        return 0;
    }
}

[MemoryDiagnoser]
public class SuggestBenchmark
{
    private PooledCommentClassifier classifier = null!;
    private string[] texts = [];
    private int next;

    [GlobalSetup]
    public void Setup()
    {
        classifier = new PooledCommentClassifier(new ClassifierOptions { ModelPath = RepoPaths.Resolve("models/outcome-theme-classifier.zip") });
        texts = [.. Bench.CorpusTexts().Take(500)];
    }

    [Benchmark]
    public ThemeSuggestion? Suggest() => classifier.Suggest(texts[next++ % texts.Length]);
}
