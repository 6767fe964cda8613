namespace Engagement.Classifier;

public sealed record ClassMetrics(string Label, int Support, int Predicted, double Precision, double Recall, double F1);

/// <summary>Metrics for one labelling. Confusion[i][j] counts rows whose truth is Labels[i] and prediction Labels[j].</summary>
public sealed record EvaluationResult(
    int Count,
    double Accuracy,
    double MacroF1,
    IReadOnlyList<ClassMetrics> PerClass,
    IReadOnlyList<string> Labels,
    int[][] Confusion);

public sealed record ReliabilityBin(double From, double To, int Count, double MeanConfidence, double Accuracy);

/// <summary>Classification metrics shared by training, <c>engage evaluate</c> and the site.</summary>
public static class Evaluation
{
    /// <summary>
    /// Accuracy, per-class precision/recall/F1 and macro-F1. Classes are <paramref name="labels"/> when given, else
    /// every label seen in truth or prediction (as scikit-learn does): a class never predicted has precision 0.
    /// </summary>
    public static EvaluationResult Compute<T>(IReadOnlyList<T> truth, IReadOnlyList<T> predicted, IEnumerable<T>? labels = null)
        where T : notnull
    {
        if (truth.Count != predicted.Count)
            throw new ArgumentException($"{truth.Count} truths but {predicted.Count} predictions.");
        var classes = (labels ?? truth.Concat(predicted)).Distinct().Order().ToList();
        var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
        var confusion = classes.Select(_ => new int[classes.Count]).ToArray();
        var correct = 0;
        for (var r = 0; r < truth.Count; r++)
        {
            if (EqualityComparer<T>.Default.Equals(truth[r], predicted[r])) correct++;
            if (index.TryGetValue(truth[r], out var i) && index.TryGetValue(predicted[r], out var j)) confusion[i][j]++;
        }

        var perClass = new List<ClassMetrics>();
        for (var i = 0; i < classes.Count; i++)
        {
            var tp = confusion[i][i];
            var support = confusion[i].Sum();
            var predictedCount = confusion.Sum(row => row[i]);
            var precision = predictedCount == 0 ? 0 : (double)tp / predictedCount;
            var recall = support == 0 ? 0 : (double)tp / support;
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perClass.Add(new ClassMetrics(classes[i].ToString() ?? "", support, predictedCount, precision, recall, f1));
        }

        return new EvaluationResult(
            truth.Count,
            truth.Count == 0 ? 0 : (double)correct / truth.Count,
            perClass.Count == 0 ? 0 : perClass.Average(c => c.F1),
            perClass,
            classes.Select(c => c.ToString() ?? "").ToList(),
            confusion);
    }

    /// <summary>Equal-width confidence bins: how often the model was right at each stated confidence.</summary>
    public static IReadOnlyList<ReliabilityBin> Reliability(IReadOnlyList<float> confidence, IReadOnlyList<bool> correct, int bins = 10)
    {
        var result = new List<ReliabilityBin>();
        for (var b = 0; b < bins; b++)
        {
            double from = (double)b / bins, to = (double)(b + 1) / bins;
            var members = Enumerable.Range(0, confidence.Count)
                .Where(i => confidence[i] >= from && (confidence[i] < to || (b == bins - 1 && confidence[i] <= to)))
                .ToList();
            result.Add(new ReliabilityBin(from, to, members.Count,
                members.Count == 0 ? 0 : members.Average(i => (double)confidence[i]),
                members.Count == 0 ? 0 : members.Count(i => correct[i]) / (double)members.Count));
        }
        return result;
    }

    /// <summary>Expected calibration error: the row-weighted gap between confidence and accuracy over the bins.</summary>
    public static double ExpectedCalibrationError(IReadOnlyList<float> confidence, IReadOnlyList<bool> correct, int bins = 10)
    {
        if (confidence.Count == 0) return 0;
        return Reliability(confidence, correct, bins)
            .Sum(b => b.Count * Math.Abs(b.Accuracy - b.MeanConfidence)) / confidence.Count;
    }

    /// <summary>A plain-text report: accuracy, macro-F1, per-class table and confusion matrix.</summary>
    public static string Format(EvaluationResult r, string title, Func<string, string>? describe = null)
    {
        var w = new StringWriter();
        w.WriteLine($"{title}: {r.Count} rows");
        w.WriteLine($"  accuracy  {r.Accuracy:0.0000}");
        w.WriteLine($"  macro-F1  {r.MacroF1:0.0000}");
        w.WriteLine();
        w.WriteLine($"  {"class",-8} {"precision",9} {"recall",9} {"F1",9} {"support",8}");
        foreach (var c in r.PerClass)
            w.WriteLine($"  {c.Label,-8} {c.Precision,9:0.0000} {c.Recall,9:0.0000} {c.F1,9:0.0000} {c.Support,8}{(describe is null ? "" : "  " + describe(c.Label))}");
        w.WriteLine();
        w.WriteLine("  confusion matrix (rows = truth, columns = predicted)");
        var width = Math.Max(5, r.Labels.DefaultIfEmpty("").Max(l => l.Length) + 1);
        w.WriteLine("  " + "".PadLeft(width) + string.Concat(r.Labels.Select(l => l.PadLeft(width))));
        for (var i = 0; i < r.Labels.Count; i++)
            w.WriteLine("  " + r.Labels[i].PadLeft(width) + string.Concat(r.Confusion[i].Select(n => n.ToString().PadLeft(width))));
        return w.ToString();
    }
}
