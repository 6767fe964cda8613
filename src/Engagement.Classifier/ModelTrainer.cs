using System.Diagnostics;
using Microsoft.ML;

namespace Engagement.Classifier;

public sealed record TrainingOptions
{
    public string DataDir { get; init; } = "data-samples/training";
    public string? TaxonomyPath { get; init; }
    public string OutputPath { get; init; } = "models/outcome-theme-classifier.zip";
    /// <summary>Null: the compared winner when <see cref="Compare"/> is set, else <see cref="ModelTrainer.DefaultTrainer"/>.</summary>
    public TrainerKind? Trainer { get; init; }
    /// <summary>Cross-validate every trainer kind (slower) and record the comparison in the model card.</summary>
    public bool Compare { get; init; }
    public int Folds { get; init; } = 5;
    public FeatureSettings Features { get; init; } = FeatureSettings.Default;
    /// <summary>Confirmed comments from triage, added to train.csv.</summary>
    public IReadOnlyList<LabelledComment> ExtraRows { get; init; } = [];
    /// <summary>The command line that produced the model, written into the card.</summary>
    public string Command { get; init; } = "engage train";
    public bool WriteFiles { get; init; } = true;
    /// <summary>
    /// Also learn from each theme's description and example phrases as training rows (engage train --taxonomy-rows).
    /// Off by default: on CV it cost 1 point of outcome accuracy when the General themes had no comments yet, and
    /// re-checked with all 42 theme files it still cost about 1 point (0.714 against 0.722, 5-fold CV on train.csv).
    /// </summary>
    public bool LearnFromTaxonomy { get; init; }
    /// <summary>
    /// Weakly labelled development set (text,outcome): scored once for the card to show generalisation to text in another
    /// register. Never trained on and never used to choose anything. Null: ../dev/dev.csv beside the data folder, if present.
    /// </summary>
    public string? DevPath { get; init; }
}

/// <summary>Out-of-fold results for one trainer kind.</summary>
public sealed record CvResult(
    string Trainer,
    double ThemeAccuracy,
    double OutcomeAccuracyArgmax,
    double OutcomeAccuracySum,
    double OutcomeMacroF1Argmax,
    double OutcomeMacroF1Sum,
    double EceUncalibrated,
    double EceCalibrated,
    float Temperature,
    double FitSecondsPerFold,
    double ScoreMsPer1000);

public sealed record ThresholdChoice(float NeedsReviewBelow, double AcceptedShare, double AcceptedAccuracy, double ReviewShare);

public sealed record TrainingReport
{
    public required string ModelPath { get; init; }
    public required ModelInfo Info { get; init; }
    public required int TrainRows { get; init; }
    public required int ExtraRows { get; init; }
    public required int TestRows { get; init; }
    public required Dictionary<string, int> TrainSources { get; init; }
    public required Dictionary<string, int> TestSources { get; init; }
    public required List<CvResult> Comparison { get; init; }
    public required CvResult Chosen { get; init; }
    public required ThresholdChoice Threshold { get; init; }
    public required List<ReliabilityBin> CvReliability { get; init; }
    public required EvaluationResult TestOutcome { get; init; }
    public required EvaluationResult TestTheme { get; init; }
    public required double TestEce { get; init; }
    public required List<ReliabilityBin> TestReliability { get; init; }
    public string? DevPath { get; init; }
    public EvaluationResult? DevOutcome { get; init; }
    public required double TrainSeconds { get; init; }
    public required double TotalSeconds { get; init; }
    public required string Command { get; init; }
    public long ModelBytes { get; init; }
}

/// <summary>
/// Trains the outcome/theme model: k-fold cross-validation on train.csv (model selection, temperature
/// calibration and the needs-review threshold all come from out-of-fold predictions), a final fit on all of
/// train.csv plus any confirmed comments, one look at test.csv for the card, then the zip, card and metrics.
/// </summary>
public static class ModelTrainer
{
    public const int Seed = 20231122;
    // The winner of `engage train --compare` on the current corpus (see the model card), so that a plain
    // `engage train` reproduces the committed model and its metrics.
    public const TrainerKind DefaultTrainer = TrainerKind.LbfgsMaxEnt;
    /// <summary>Accepted (not flagged) suggestions should be right this often on cross-validation.</summary>
    public const double TargetAcceptedAccuracy = 0.85;

    public static TrainingReport Train(TrainingOptions options, TextWriter? log = null)
    {
        log ??= TextWriter.Null;
        var total = Stopwatch.StartNew();
        var dataDir = RepoPaths.Resolve(options.DataDir);
        var taxonomy = Taxonomy.Load(options.TaxonomyPath ?? FindTaxonomy(dataDir));
        var train = ReadChecked(Path.Combine(dataDir, "train.csv"), taxonomy).Concat(Checked(options.ExtraRows, taxonomy, "extra rows")).ToList();
        var testPath = Path.Combine(dataDir, "test.csv");
        var test = File.Exists(testPath) ? ReadChecked(testPath, taxonomy) : [];
        log.WriteLine($"train {train.Count} rows ({options.ExtraRows.Count} confirmed extra), test {test.Count} rows, {taxonomy.Themes.Count} themes");

        var kinds = options.Compare ? Enum.GetValues<TrainerKind>().ToList() : [options.Trainer ?? DefaultTrainer];
        var taxonomyRows = options.LearnFromTaxonomy ? TaxonomyRows(taxonomy) : [];
        var comparison = new List<CvResult>();
        var oof = new Dictionary<TrainerKind, List<float[]>>();
        foreach (var kind in kinds)
        {
            var (result, scores) = CrossValidate(taxonomy, kind, options.Features, train, options.Folds, taxonomyRows);
            comparison.Add(result);
            oof[kind] = scores;
            log.WriteLine($"cv {kind,-22} outcome acc {result.OutcomeAccuracySum:0.000} (argmax {result.OutcomeAccuracyArgmax:0.000})  macro-F1 {result.OutcomeMacroF1Sum:0.000}  theme acc {result.ThemeAccuracy:0.000}  ECE {result.EceCalibrated:0.000}  fit {result.FitSecondsPerFold:0.0}s/fold");
        }

        var chosenKind = options.Trainer ?? (options.Compare ? Pick(comparison) : DefaultTrainer);
        var chosen = comparison.Single(c => c.Trainer == chosenKind.ToString());
        var bySum = chosen.OutcomeAccuracySum >= chosen.OutcomeAccuracyArgmax;
        var reader = new ScoreReader(taxonomy.Themes.Select(t => t.OutcomeId).ToList(), ClassifierPipeline.ScoresAreProbabilities(chosenKind), chosen.Temperature, bySum);
        var truthOutcomes = train.Select(r => r.Outcome).ToList();
        var (confidence, correct) = Confidences(reader, oof[chosenKind], truthOutcomes);
        var threshold = ChooseThreshold(confidence, correct);

        var fitTimer = Stopwatch.StartNew();
        var ml = new MLContext(Seed);
        var pipeline = ClassifierPipeline.Build(ml, taxonomy, chosenKind, options.Features);
        var trainData = pipeline.LoadLabelled(train.Concat(taxonomyRows));
        var model = pipeline.Estimator().Fit(trainData);
        fitTimer.Stop();

        var info = new ModelInfo
        {
            Version = $"{DateTime.UtcNow:yyyyMMdd-HHmm}-{chosenKind.ToString().ToLowerInvariant()}-{Fingerprint(train)}",
            TrainedAt = DateTimeOffset.UtcNow,
            Trainer = chosenKind.ToString(),
            ScoresAreProbabilities = reader.ScoresAreProbabilities,
            Temperature = reader.Temperature,
            OutcomeBySum = reader.OutcomeBySum,
            RecommendedNeedsReviewBelow = threshold.NeedsReviewBelow,
            Themes = taxonomy.Themes.Select(t => new ThemeEntry(t.Id, t.Name, t.OutcomeId)).ToList(),
            Outcomes = taxonomy.Outcomes.Select(o => new OutcomeEntry(o.Id, o.Name)).ToList(),
            Keywords = pipeline.Keywords.Phrases.ToList(),
            CharNgramLengths = options.Features.CharNgramLengths,
            TagWeight = options.Features.TagWeight,
        };

        // The test split is looked at once, after every choice above was made on cross-validation.
        var testScores = test.Count == 0 ? [] : ClassifierPipeline.Scores(model, pipeline.LoadLabelled(test));
        var readings = testScores.Select(s => reader.Read(s)).ToList();
        var testOutcome = Evaluation.Compute(test.Select(r => r.Outcome).ToList(), readings.Select(r => r.Outcome).ToList());
        var testTheme = Evaluation.Compute(test.Select(r => r.Theme).ToList(), readings.Select(r => taxonomy.Themes[r.Theme].Id).ToList());
        var testConf = readings.Select(r => r.Confidence).ToList();
        var testCorrect = readings.Select((r, i) => r.Outcome == test[i].Outcome).ToList();

        // The development set is scored like the test split: once, after every choice was made.
        var devPath = options.DevPath is { } dp ? RepoPaths.Resolve(dp) : Path.GetFullPath(Path.Combine(dataDir, "..", "dev", "dev.csv"));
        EvaluationResult? devOutcome = null;
        if (File.Exists(devPath))
        {
            var dev = ReadDev(devPath);
            var devReadings = ClassifierPipeline.Scores(model, pipeline.LoadLabelled(dev.Select(d => new LabelledComment(d.Text, taxonomy.Themes[0].Id, d.Outcome))))
                .Select(sc => reader.Read(sc)).ToList();
            devOutcome = Evaluation.Compute(dev.Select(d => d.Outcome).ToList(), devReadings.Select(r => r.Outcome).ToList(), taxonomy.Outcomes.Select(o => o.Id));
            log.WriteLine($"dev (weak labels, not trained on) {dev.Count} rows: outcome acc {devOutcome.Accuracy:0.000}, macro-F1 {devOutcome.MacroF1:0.000}");
        }

        var outputPath = RepoPaths.Resolve(options.OutputPath);
        long bytes = 0;
        if (options.WriteFiles)
        {
            ModelFile.Save(ml, model, trainData.Schema, info, outputPath);
            bytes = new FileInfo(outputPath).Length;
        }

        var report = new TrainingReport
        {
            ModelPath = outputPath,
            Info = info,
            TrainRows = train.Count,
            ExtraRows = options.ExtraRows.Count,
            TestRows = test.Count,
            TrainSources = Sources(train),
            TestSources = Sources(test),
            Comparison = comparison,
            Chosen = chosen,
            Threshold = threshold,
            CvReliability = Evaluation.Reliability(confidence, correct).ToList(),
            TestOutcome = testOutcome,
            TestTheme = testTheme,
            TestEce = Evaluation.ExpectedCalibrationError(testConf, testCorrect),
            TestReliability = Evaluation.Reliability(testConf, testCorrect).ToList(),
            DevPath = devOutcome is null ? null : devPath,
            DevOutcome = devOutcome,
            TrainSeconds = fitTimer.Elapsed.TotalSeconds,
            TotalSeconds = total.Elapsed.TotalSeconds,
            Command = options.Command,
            ModelBytes = bytes,
        };
        if (options.WriteFiles) ModelCard.Write(report, taxonomy);
        return report;
    }

    /// <summary>Reads a text,outcome CSV (the weakly labelled development set); rows without text or a valid outcome are skipped.</summary>
    public static List<(string Text, int Outcome)> ReadDev(string path) =>
        LabelledData.ReadOutcomes(path).Where(r => r.Text.Trim().Length > 0 && r.Outcome is >= 0 and <= 6).ToList();

    /// <summary>Stratified k-fold: every theme is spread evenly over the folds, in a seeded random order.</summary>
    public static int[] Folds(IReadOnlyList<LabelledComment> rows, int k)
    {
        var fold = new int[rows.Count];
        var random = new Random(Seed);
        foreach (var group in Enumerable.Range(0, rows.Count).GroupBy(i => rows[i].Theme).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var members = group.ToArray();
            random.Shuffle(members);
            for (var n = 0; n < members.Length; n++) fold[members[n]] = n % k;
        }
        return fold;
    }

    /// <summary>Theme descriptions and example phrases as extra training rows (never held out: they are not comments).</summary>
    public static List<LabelledComment> TaxonomyRows(Taxonomy taxonomy) =>
        taxonomy.Themes.SelectMany(t => t.ExamplePhrases.Append(t.Description).Append(t.Name)
                .Where(x => !string.IsNullOrWhiteSpace(x))
                .Select(x => new LabelledComment(x, t.Id, t.OutcomeId, "taxonomy")))
            .ToList();

    public static (CvResult Result, List<float[]> Scores) CrossValidate(
        Taxonomy taxonomy, TrainerKind kind, FeatureSettings features, IReadOnlyList<LabelledComment> rows, int k,
        IReadOnlyList<LabelledComment>? alwaysTrain = null)
    {
        var folds = Folds(rows, k);
        var scores = new float[rows.Count][];
        var fitTime = TimeSpan.Zero;
        var scoreTime = TimeSpan.Zero;
        for (var f = 0; f < k; f++)
        {
            var ml = new MLContext(Seed);
            var pipeline = ClassifierPipeline.Build(ml, taxonomy, kind, features);
            var trainIdx = Enumerable.Range(0, rows.Count).Where(i => folds[i] != f).ToList();
            var holdIdx = Enumerable.Range(0, rows.Count).Where(i => folds[i] == f).ToList();
            var sw = Stopwatch.StartNew();
            var model = pipeline.Fit(trainIdx.Select(i => rows[i]).Concat(alwaysTrain ?? []));
            fitTime += sw.Elapsed;
            sw.Restart();
            var held = ClassifierPipeline.Scores(model, pipeline.LoadLabelled(holdIdx.Select(i => rows[i])));
            scoreTime += sw.Elapsed;
            for (var n = 0; n < holdIdx.Count; n++) scores[holdIdx[n]] = held[n];
        }

        var themeOutcomes = taxonomy.Themes.Select(t => t.OutcomeId).ToList();
        var raw = new ScoreReader(themeOutcomes, ClassifierPipeline.ScoresAreProbabilities(kind), 1f, outcomeBySum: true);
        var truthOutcome = rows.Select(r => r.Outcome).ToList();
        var truthTheme = rows.Select(r => r.Theme).ToList();
        var list = scores.ToList();

        var sum = list.Select(s => raw.Read(s)).ToList();
        var argmax = list.Select(s => raw.WithOutcomeBySum(false).Read(s)).ToList();
        var bySum = Acc(sum, truthOutcome) >= Acc(argmax, truthOutcome);
        var mode = raw.WithOutcomeBySum(bySum);

        var (rawConf, rawCorrect) = Confidences(mode, list, truthOutcome);
        var calibratedConf = CrossFittedConfidences(mode, list, truthOutcome, folds, k);
        var temperature = Calibration.FitTemperature(mode, list, truthOutcome);

        var result = new CvResult(
            kind.ToString(),
            argmax.Select((r, i) => taxonomy.Themes[r.Theme].Id == truthTheme[i]).Average(b => b ? 1.0 : 0.0),
            Acc(argmax, truthOutcome),
            Acc(sum, truthOutcome),
            Evaluation.Compute(truthOutcome, argmax.Select(r => r.Outcome).ToList()).MacroF1,
            Evaluation.Compute(truthOutcome, sum.Select(r => r.Outcome).ToList()).MacroF1,
            Evaluation.ExpectedCalibrationError(rawConf, rawCorrect),
            Evaluation.ExpectedCalibrationError(calibratedConf, rawCorrect),
            temperature,
            fitTime.TotalSeconds / k,
            scoreTime.TotalMilliseconds / rows.Count * 1000);
        return (result, list);
    }

    /// <summary>
    /// Calibrated confidences where each fold's temperature was fitted on the other folds' out-of-fold scores,
    /// so the reported calibration error is not measured on the data that set the temperature.
    /// </summary>
    private static List<float> CrossFittedConfidences(ScoreReader mode, List<float[]> scores, List<int> truth, int[] folds, int k)
    {
        var conf = new float[scores.Count];
        for (var f = 0; f < k; f++)
        {
            var fitIdx = Enumerable.Range(0, scores.Count).Where(i => folds[i] != f).ToList();
            var t = Calibration.FitTemperature(mode, fitIdx.Select(i => scores[i]).ToList(), fitIdx.Select(i => truth[i]).ToList());
            var r = mode.WithTemperature(t);
            for (var i = 0; i < scores.Count; i++)
                if (folds[i] == f) conf[i] = r.Read(scores[i]).Confidence;
        }
        return [.. conf];
    }

    private static (List<float> Confidence, List<bool> Correct) Confidences(ScoreReader reader, IReadOnlyList<float[]> scores, IReadOnlyList<int> truth)
    {
        var readings = scores.Select(s => reader.Read(s)).ToList();
        return (readings.Select(r => r.Confidence).ToList(), readings.Select((r, i) => r.Outcome == truth[i]).ToList());
    }

    /// <summary>Lowest threshold (0.05 steps) at which suggestions at or above it are right ≥ 85% of the time on CV
    /// (above the accuracy asked of the model on real consultations); 0.5 ("more likely wrong than right") if none is.</summary>
    public static ThresholdChoice ChooseThreshold(IReadOnlyList<float> confidence, IReadOnlyList<bool> correct)
    {
        for (var t = 0.05f; t < 0.999f; t += 0.05f)
        {
            var accepted = Enumerable.Range(0, confidence.Count).Where(i => confidence[i] >= t).ToList();
            if (accepted.Count == 0) break;
            var accuracy = accepted.Count(i => correct[i]) / (double)accepted.Count;
            if (accuracy >= TargetAcceptedAccuracy)
            {
                var share = accepted.Count / (double)confidence.Count;
                return new ThresholdChoice(MathF.Round(t, 2), share, accuracy, 1 - share);
            }
        }
        var even = Enumerable.Range(0, confidence.Count).Where(i => confidence[i] >= 0.5f).ToList();
        var evenShare = even.Count / (double)Math.Max(1, confidence.Count);
        return new ThresholdChoice(0.5f, evenShare, even.Count == 0 ? 0 : even.Count(i => correct[i]) / (double)even.Count, 1 - evenShare);
    }

    /// <summary>Best outcome macro-F1 on CV; within 0.005 of the best, the faster trainer wins.</summary>
    private static TrainerKind Pick(List<CvResult> results)
    {
        var best = results.Max(r => r.OutcomeMacroF1Sum);
        var pick = results.Where(r => r.OutcomeMacroF1Sum >= best - 0.005).MinBy(r => r.FitSecondsPerFold)!;
        return Enum.Parse<TrainerKind>(pick.Trainer);
    }

    private static double Acc(List<Reading> readings, List<int> truth) =>
        readings.Select((r, i) => r.Outcome == truth[i]).Average(b => b ? 1.0 : 0.0);

    public static string FindTaxonomy(string dataDir)
    {
        var beside = Path.GetFullPath(Path.Combine(dataDir, "..", "taxonomy.json"));
        return File.Exists(beside) ? beside : RepoPaths.Resolve(Taxonomy.DefaultPath);
    }

    private static List<LabelledComment> ReadChecked(string path, Taxonomy taxonomy)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Training data not found: {path}", path);
        return Checked(LabelledData.Read(path), taxonomy, Path.GetFileName(path)).ToList();
    }

    /// <summary>Rows must name a known theme; the outcome is taken from the taxonomy so the two can never disagree.</summary>
    private static IEnumerable<LabelledComment> Checked(IEnumerable<LabelledComment> rows, Taxonomy taxonomy, string what)
    {
        var n = 0;
        foreach (var row in rows)
        {
            n++;
            var theme = taxonomy.FindTheme(row.Theme)
                ?? throw new InvalidDataException($"{what} row {n}: theme '{row.Theme}' is not in the taxonomy.");
            if (string.IsNullOrWhiteSpace(row.Text)) continue;
            yield return row with { Outcome = theme.OutcomeId };
        }
    }

    private static Dictionary<string, int> Sources(IEnumerable<LabelledComment> rows) =>
        rows.GroupBy(r => string.IsNullOrEmpty(r.Source) ? "(none)" : r.Source)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());

    private static string Fingerprint(IEnumerable<LabelledComment> rows)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var r in rows) hash.AppendData(System.Text.Encoding.UTF8.GetBytes(r.Theme + "\u0001" + r.Text + "\u0002"));
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..8];
    }
}
