using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms.Text;

namespace Engagement.Core.Emerging;

/// <summary>A comment that fits no theme well.</summary>
public sealed record UnfittedComment(long CommentId, string Text, string? District);

public sealed record EmergingCluster
{
    public int Number { get; init; }
    /// <summary>How many comments the cluster has (a stored result keeps only the first ids of a big cluster).</summary>
    public int Size { get; init; }
    /// <summary>The words that most set the cluster apart from the other unfitted comments.</summary>
    public required IReadOnlyList<string> TopTerms { get; init; }
    /// <summary>The members, closest to the centre first: every one when just found, at most EmergingThemeOptions.StoredCommentIds when stored.</summary>
    public required IReadOnlyList<long> CommentIds { get; init; }
    /// <summary>The members closest to the centre (5 by default).</summary>
    public required IReadOnlyList<UnfittedComment> Typical { get; init; }
    /// <summary>District code (or "" for not given) → comments, most first.</summary>
    public required IReadOnlyList<(string District, int Comments)> Districts { get; init; }

    public string Name => string.Join(", ", TopTerms);
}

public sealed record EmergingResult(IReadOnlyList<EmergingCluster> Clusters, int K, double Silhouette, IReadOnlyList<(int K, double Silhouette)> Tried, int Comments);

public sealed record EmergingThemeOptions
{
    public const string Section = "EmergingThemes";

    /// <summary>A comment with no confirmed theme whose suggestion is less certain than this is "unfitted".</summary>
    public double ConfidenceBelow { get; set; } = 0.5;
    public int MinClusters { get; set; } = 2;
    public int MaxClusters { get; set; } = 8;
    /// <summary>Fewer unfitted comments than this are listed, not clustered.</summary>
    public int MinComments { get; set; } = 12;
    public int TypicalComments { get; set; } = 5;
    public int TopTerms { get; set; } = 3;
    /// <summary>Word n-grams up to this length (1 = single words only).</summary>
    public int WordNgrams { get; set; } = 1;
    /// <summary>Character n-grams of this length as extra features (0 = none).</summary>
    public int CharNgrams { get; set; } = 3;
    /// <summary>Latent dimensions (PCA over the TF-IDF vectors, as in LSA) k-means runs in; 0 clusters the raw vectors.</summary>
    public int LatentDimensions { get; set; } = 20;
    /// <summary>Silhouette is computed on at most this many comments (it is quadratic).</summary>
    public int SilhouetteSample { get; set; } = 1200;
    /// <summary>
    /// Comment ids kept per cluster in the stored result (closest to the centre first), which bounds its size; the page
    /// offers at most 300 per cluster for promoting.
    /// </summary>
    public int StoredCommentIds { get; set; } = 1000;
}

/// <summary>
/// Clusters comments that fit no existing theme: ML.NET TF-IDF features over words and character trigrams (stop words
/// removed), projected to 20 latent dimensions by PCA (as in latent semantic analysis) and L2-normalised; k-means++ for
/// each k in a small range, and the k with the best mean silhouette (cosine distance) wins. The feature settings were
/// chosen on four "dev" corpus themes (bench/Engagement.CampaignBench emerging; figures in docs/campaigns.md). Each cluster is named by its most distinctive words and shown by the comments nearest its centre.
/// Deterministic for the same input (fixed seed, one thread).
/// </summary>
public static class EmergingThemeFinder
{
    private sealed class TextRow
    {
        public string Text { get; set; } = "";
    }

    private sealed class ScoredRow
    {
        public uint PredictedLabel { get; set; }
        public float[] Score { get; set; } = [];
    }

    public static EmergingResult Find(IReadOnlyList<UnfittedComment> comments, EmergingThemeOptions? options = null)
    {
        options ??= new EmergingThemeOptions();
        if (comments.Count < Math.Max(options.MinComments, options.MinClusters * 2)) return new EmergingResult([], 0, 0, [], comments.Count);

        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(comments.Select(c => new TextRow { Text = c.Text }));
        var featurizer = ml.Transforms.Text.FeaturizeText("Features", new TextFeaturizingEstimator.Options
        {
            CaseMode = TextNormalizingEstimator.CaseMode.Lower,
            KeepDiacritics = false,
            KeepPunctuations = false,
            KeepNumbers = false,
            StopWordsRemoverOptions = new StopWordsRemovingEstimator.Options { Language = TextFeaturizingEstimator.Language.English },
            WordFeatureExtractor = new WordBagEstimator.Options { NgramLength = options.WordNgrams, UseAllLengths = true, Weighting = NgramExtractingEstimator.WeightingCriteria.TfIdf },
            CharFeatureExtractor = options.CharNgrams > 0
                ? new WordBagEstimator.Options { NgramLength = options.CharNgrams, UseAllLengths = false, Weighting = NgramExtractingEstimator.WeightingCriteria.TfIdf }
                : null,
            Norm = TextFeaturizingEstimator.NormFunction.L2,
        }, nameof(TextRow.Text));
        var featurized = featurizer.Fit(data).Transform(data);
        if (options.LatentDimensions > 0)
        {
            // Short comments share few exact words; a low-rank projection lets "dentist" and "dental" pull together.
            var rank = Math.Min(options.LatentDimensions, comments.Count - 1);
            var latent = ml.Transforms.CopyColumns("Sparse", "Features")
                .Append(ml.Transforms.ProjectToPrincipalComponents("Projected", "Sparse", rank: rank, seed: 1))
                .Append(ml.Transforms.NormalizeLpNorm("Features", "Projected"));
            featurized = latent.Fit(featurized).Transform(featurized);
        }
        var features = ml.Data.Cache(featurized);
        var vectors = features.GetColumn<VBuffer<float>>("Features").Select(Sparse).ToList();

        var sample = Sample(comments.Count, options.SilhouetteSample);
        var tried = new List<(int K, double Silhouette)>();
        (int K, double Silhouette, List<ScoredRow> Rows)? best = null;
        var maxK = Math.Min(options.MaxClusters, comments.Count / 3);
        for (var k = options.MinClusters; k <= maxK; k++)
        {
            var trainer = ml.Clustering.Trainers.KMeans(new KMeansTrainer.Options
            {
                FeatureColumnName = "Features", NumberOfClusters = k, NumberOfThreads = 1,
                InitializationAlgorithm = KMeansTrainer.InitializationAlgorithm.KMeansPlusPlus, MaximumNumberOfIterations = 100,
            });
            var rows = ml.Data.CreateEnumerable<ScoredRow>(trainer.Fit(features).Transform(features), reuseRowObject: false).ToList();
            var score = Silhouette(vectors, rows.Select(r => (int)r.PredictedLabel).ToArray(), sample);
            tried.Add((k, score));
            if (best is null || score > best.Value.Silhouette + 1e-9) best = (k, score, rows);
        }
        if (best is null) return new EmergingResult([], 0, 0, tried, comments.Count);

        var chosen = best.Value;
        var tokens = comments.Select(c => Words(c.Text).ToHashSet(StringComparer.Ordinal)).ToList();
        var clusters = new List<EmergingCluster>();
        foreach (var group in chosen.Rows.Select((row, index) => (row, index)).GroupBy(x => x.row.PredictedLabel))
        {
            var ordered = group.OrderBy(x => x.row.Score[(int)group.Key - 1]).ThenBy(x => comments[x.index].CommentId).Select(x => x.index).ToList();
            clusters.Add(new EmergingCluster
            {
                Size = ordered.Count,
                TopTerms = TopTerms(ordered, tokens, options.TopTerms),
                CommentIds = ordered.Select(i => comments[i].CommentId).ToList(),
                Typical = ordered.Take(options.TypicalComments).Select(i => comments[i]).ToList(),
                Districts = ordered.GroupBy(i => comments[i].District ?? "").Select(g => (g.Key, g.Count()))
                    .OrderByDescending(d => d.Item2).ThenBy(d => d.Key, StringComparer.Ordinal).ToList(),
            });
        }
        var numbered = clusters.OrderByDescending(c => c.CommentIds.Count).ThenBy(c => c.CommentIds[0])
            .Select((c, i) => c with { Number = i + 1 }).ToList();
        return new EmergingResult(numbered, chosen.K, chosen.Silhouette, tried, comments.Count);
    }

    private static (int[] Indices, float[] Values) Sparse(VBuffer<float> v)
    {
        if (v.IsDense)
        {
            var dense = v.GetValues();
            var idx = new List<int>();
            var val = new List<float>();
            for (var i = 0; i < dense.Length; i++) if (dense[i] != 0) { idx.Add(i); val.Add(dense[i]); }
            return (idx.ToArray(), val.ToArray());
        }
        return (v.GetIndices().ToArray(), v.GetValues().ToArray());
    }

    private static double Dot((int[] Indices, float[] Values) a, (int[] Indices, float[] Values) b)
    {
        double sum = 0;
        int i = 0, j = 0;
        while (i < a.Indices.Length && j < b.Indices.Length)
        {
            if (a.Indices[i] == b.Indices[j]) { sum += a.Values[i] * b.Values[j]; i++; j++; }
            else if (a.Indices[i] < b.Indices[j]) i++;
            else j++;
        }
        return sum;
    }

    /// <summary>Evenly spaced indices, so the sample is the same every time.</summary>
    private static int[] Sample(int count, int max) =>
        count <= max ? Enumerable.Range(0, count).ToArray() : Enumerable.Range(0, max).Select(i => (int)((long)i * count / max)).ToArray();

    /// <summary>Mean silhouette over the sample with cosine distance (the vectors are L2-normalised).</summary>
    public static double Silhouette(IReadOnlyList<(int[] Indices, float[] Values)> vectors, int[] labels, int[] sample)
    {
        var clusterIds = sample.Select(i => labels[i]).Distinct().ToList();
        if (clusterIds.Count < 2) return -1;
        double total = 0;
        foreach (var i in sample)
        {
            var sums = new Dictionary<int, (double Sum, int Count)>();
            foreach (var j in sample)
            {
                if (i == j) continue;
                var d = 1 - Dot(vectors[i], vectors[j]);
                var s = sums.GetValueOrDefault(labels[j]);
                sums[labels[j]] = (s.Sum + d, s.Count + 1);
            }
            if (!sums.TryGetValue(labels[i], out var own) || own.Count == 0) continue; // a singleton scores 0
            var a = own.Sum / own.Count;
            var b = sums.Where(kv => kv.Key != labels[i]).Select(kv => kv.Value.Sum / kv.Value.Count).DefaultIfEmpty(0).Min();
            var max = Math.Max(a, b);
            total += max == 0 ? 0 : (b - a) / max;
        }
        return total / sample.Length;
    }

    /// <summary>Words in many of the cluster's comments and few of the others (difference of document shares).</summary>
    private static IReadOnlyList<string> TopTerms(List<int> members, List<HashSet<string>> tokens, int take)
    {
        var inside = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var i in members) foreach (var w in tokens[i]) inside[w] = inside.GetValueOrDefault(w) + 1;
        var memberSet = members.ToHashSet();
        var outside = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < tokens.Count; i++) if (!memberSet.Contains(i)) foreach (var w in tokens[i]) outside[w] = outside.GetValueOrDefault(w) + 1;
        var others = Math.Max(1, tokens.Count - members.Count);
        return inside.Select(kv => (Word: kv.Key, Score: (double)kv.Value / members.Count - (double)outside.GetValueOrDefault(kv.Key) / others))
            .OrderByDescending(x => x.Score).ThenBy(x => x.Word, StringComparer.Ordinal).Take(take).Select(x => x.Word).ToList();
    }

    private static IEnumerable<string> Words(string text)
    {
        foreach (var raw in Campaigns.NearDuplicateGrouper.Normalise(text).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            if (raw.Length > 2 && !raw.All(char.IsDigit) && !StopWords.Contains(raw)) yield return raw;
    }

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "the", "and", "for", "are", "but", "not", "you", "all", "any", "can", "had", "her", "was", "one", "our", "out", "has", "have",
        "him", "his", "how", "its", "may", "now", "own", "she", "too", "use", "who", "why", "with", "this", "that", "they", "them",
        "then", "than", "there", "their", "these", "those", "what", "when", "where", "which", "will", "would", "could", "should",
        "from", "into", "about", "after", "again", "also", "been", "being", "does", "doing", "dont", "just", "more", "most", "much",
        "only", "other", "over", "same", "some", "such", "very", "were", "your", "yours", "really", "please", "think", "feel",
        "need", "needs", "get", "got", "lot", "lots", "many", "people", "because", "even", "still", "like", "want", "make",
        "every", "never", "ive", "im", "cant", "wont", "isnt", "there's", "here", "well", "able", "way", "things", "thing",
    };
}
