namespace Engagement.Core.Reports;

/// <summary>A sparse, L2-normalised TF-IDF vector: term ids ascending, with their weights.</summary>
public sealed record SparseVector(int[] Terms, float[] Weights)
{
    public static readonly SparseVector Empty = new([], []);

    public double Dot(SparseVector other)
    {
        double sum = 0;
        int i = 0, j = 0;
        while (i < Terms.Length && j < other.Terms.Length)
        {
            var a = Terms[i];
            var b = other.Terms[j];
            if (a == b) { sum += Weights[i] * other.Weights[j]; i++; j++; }
            else if (a < b) i++;
            else j++;
        }
        return sum;
    }
}

/// <summary>One group of near-duplicate texts: indexes into the input, and the medoid (the member closest to the group's centre).</summary>
public sealed record TextCluster(IReadOnlyList<int> Members, int Medoid);

/// <summary>
/// Merges near-duplicate comments into points. Texts become TF-IDF vectors over stemmed word unigrams and bigrams
/// (stop words dropped); a text joins the existing cluster whose leader it is most similar to (cosine at or above
/// the threshold), otherwise it starts a new cluster. Deterministic: the same input in the same order always gives
/// the same clusters. Candidate leaders come from an inverted index over the less common terms and are then compared
/// exactly, so it stays fast on tens of thousands of texts.
/// </summary>
public static class TextClustering
{
    public const double DefaultThreshold = 0.4;

    public static IReadOnlyList<SparseVector> Vectorise(IReadOnlyList<string> texts)
    {
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        var docs = new List<Dictionary<int, int>>(texts.Count);
        foreach (var text in texts)
        {
            var counts = new Dictionary<int, int>();
            foreach (var feature in Features(text))
            {
                if (!vocabulary.TryGetValue(feature, out var id)) vocabulary[feature] = id = vocabulary.Count;
                counts[id] = counts.GetValueOrDefault(id) + 1;
            }
            docs.Add(counts);
        }

        var df = new int[vocabulary.Count];
        foreach (var d in docs) foreach (var t in d.Keys) df[t]++;
        var n = texts.Count;
        var vectors = new List<SparseVector>(n);
        foreach (var d in docs)
        {
            if (d.Count == 0) { vectors.Add(SparseVector.Empty); continue; }
            var terms = d.Keys.OrderBy(t => t).ToArray();
            var weights = new float[terms.Length];
            double norm = 0;
            for (var i = 0; i < terms.Length; i++)
            {
                var w = (1 + Math.Log(d[terms[i]])) * (Math.Log((1.0 + n) / (1.0 + df[terms[i]])) + 1);
                weights[i] = (float)w;
                norm += w * w;
            }
            norm = Math.Sqrt(norm);
            for (var i = 0; i < weights.Length; i++) weights[i] = (float)(weights[i] / norm);
            vectors.Add(new SparseVector(terms, weights));
        }
        return vectors;
    }

    public static IReadOnlyList<TextCluster> Cluster(IReadOnlyList<string> texts, double threshold = DefaultThreshold) =>
        Cluster(Vectorise(texts), threshold);

    /// <summary>How many leaders are checked exactly for each text, best partial matches first.</summary>
    private const int CandidatesChecked = 8;

    public static IReadOnlyList<TextCluster> Cluster(IReadOnlyList<SparseVector> vectors, double threshold = DefaultThreshold)
    {
        // Terms in more than 5% of texts (and more than 50) say little about near-duplication and would make
        // candidate lookup quadratic, so they only count in the exact comparison, not in finding candidates.
        var df = new Dictionary<int, int>();
        foreach (var v in vectors) foreach (var t in v.Terms) df[t] = df.GetValueOrDefault(t) + 1;
        var commonAbove = Math.Max(50, vectors.Count / 20);

        var leaders = new List<int>();
        var members = new List<List<int>>();
        var postings = new Dictionary<int, List<int>>(); // term -> cluster numbers whose leader has the term
        var partial = new Dictionary<int, double>();

        for (var i = 0; i < vectors.Count; i++)
        {
            var v = vectors[i];
            partial.Clear();
            for (var k = 0; k < v.Terms.Length; k++)
            {
                if (df[v.Terms[k]] > commonAbove || !postings.TryGetValue(v.Terms[k], out var list)) continue;
                foreach (var cluster in list)
                {
                    var leader = vectors[leaders[cluster]];
                    var idx = Array.BinarySearch(leader.Terms, v.Terms[k]);
                    partial[cluster] = partial.GetValueOrDefault(cluster) + v.Weights[k] * leader.Weights[idx];
                }
            }

            // The most similar leader at or above the threshold; ties go to the older cluster.
            var best = -1;
            var bestScore = 0.0;
            foreach (var (cluster, _) in partial.OrderByDescending(p => p.Value).ThenBy(p => p.Key).Take(CandidatesChecked))
            {
                var score = v.Dot(vectors[leaders[cluster]]);
                if (score < threshold) continue;
                if (best < 0 || score > bestScore || (score == bestScore && cluster < best)) { best = cluster; bestScore = score; }
            }

            if (best >= 0 && v.Terms.Length > 0)
            {
                members[best].Add(i);
                continue;
            }

            var number = leaders.Count;
            leaders.Add(i);
            members.Add([i]);
            foreach (var t in v.Terms)
            {
                if (df[t] > commonAbove) continue;
                if (!postings.TryGetValue(t, out var list)) postings[t] = list = [];
                list.Add(number);
            }
        }

        return members.Select(m => new TextCluster(m, Medoid(vectors, m))).ToList();
    }

    /// <summary>The member most similar to the cluster's centroid; ties go to the earliest member.</summary>
    public static int Medoid(IReadOnlyList<SparseVector> vectors, IReadOnlyList<int> members)
    {
        if (members.Count <= 2) return members[0];
        var centroid = Centroid(vectors, members);
        var best = members[0];
        var bestScore = double.MinValue;
        foreach (var m in members)
        {
            var score = Similarity(vectors[m], centroid);
            if (score > bestScore + 1e-9) { best = m; bestScore = score; }
        }
        return best;
    }

    public static Dictionary<int, double> Centroid(IReadOnlyList<SparseVector> vectors, IEnumerable<int> members)
    {
        var centroid = new Dictionary<int, double>();
        foreach (var m in members)
        {
            var v = vectors[m];
            for (var k = 0; k < v.Terms.Length; k++) centroid[v.Terms[k]] = centroid.GetValueOrDefault(v.Terms[k]) + v.Weights[k];
        }
        return centroid;
    }

    public static double Similarity(SparseVector v, Dictionary<int, double> centroid)
    {
        double sum = 0;
        for (var k = 0; k < v.Terms.Length; k++)
            if (centroid.TryGetValue(v.Terms[k], out var w)) sum += v.Weights[k] * w;
        return sum;
    }

    /// <summary>Stemmed content words and the bigrams of neighbouring content words.</summary>
    public static IEnumerable<string> Features(string text)
    {
        string? previous = null;
        foreach (var token in Tokens(text))
        {
            if (StopWords.Contains(token)) continue;
            var stem = Stem(token);
            yield return stem;
            if (previous is not null) yield return previous + "_" + stem;
            previous = stem;
        }
    }

    private static IEnumerable<string> Tokens(string text)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var isWord = i < text.Length && (char.IsLetterOrDigit(text[i]) || (text[i] is '\'' or '’' && start >= 0));
            if (isWord) { if (start < 0) start = i; continue; }
            if (start >= 0)
            {
                var token = text[start..i].Replace("’", "'", StringComparison.Ordinal).ToLowerInvariant();
                if (token.EndsWith("'s", StringComparison.Ordinal)) token = token[..^2];
                token = token.Replace("'", "", StringComparison.Ordinal);
                if (token.Length > 1 || char.IsDigit(token[0])) yield return token;
                start = -1;
            }
        }
    }

    /// <summary>A light suffix stripper: enough to meet "appointments"/"appointment" and "waiting"/"wait".</summary>
    public static string Stem(string word)
    {
        if (word.Length <= 3) return word;
        if (word.EndsWith("ies", StringComparison.Ordinal) && word.Length > 4) return word[..^3] + "y";
        if (word.EndsWith("ing", StringComparison.Ordinal) && word.Length > 5) return word[..^3];
        if (word.EndsWith("ed", StringComparison.Ordinal) && word.Length > 4) return word[..^2];
        if (word.EndsWith("es", StringComparison.Ordinal) && word.Length > 4 && word[^3] is 's' or 'x' or 'z' or 'h') return word[..^2];
        if (word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) && !word.EndsWith("us", StringComparison.Ordinal)) return word[..^1];
        return word;
    }

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "because", "been", "being",
        "but", "by", "can", "could", "did", "do", "does", "doing", "dont", "for", "from", "get", "got", "had", "has", "have", "having",
        "he", "her", "here", "him", "his", "how", "i", "if", "im", "in", "into", "is", "it", "its", "ive", "just", "me", "more", "most",
        "my", "of", "on", "or", "our", "out", "over", "she", "should", "so", "some", "such", "than", "that", "the", "their", "them",
        "then", "there", "these", "they", "this", "those", "to", "too", "up", "us", "very", "was", "we", "were", "what", "when",
        "where", "which", "who", "why", "will", "with", "would", "you", "your", "really", "please", "think", "feel", "need", "needs",
        "there's", "it's", "isnt", "wasnt", "cant", "wont", "one", "lot", "lots", "many", "much", "people",
    };
}
