using System.Diagnostics;
using Engagement.Classifier;
using Engagement.Core.Emerging;

/// <summary>Emerging-theme clustering: how long it takes, and whether it finds real themes the corpus already labels.</summary>
internal static class EmergingBench
{
    public static int Run(int count, int seed)
    {
        var corpus = LabelledData.Read(RepoPaths.Resolve("data-samples/training/train.csv"));
        var random = new Random(seed);

        // 1. Purity: every corpus comment of four unrelated themes, clustered blind; k chosen by silhouette. Feature
        //    settings are compared on the "dev" themes only; the "eval" themes are reported, never tuned on.
        string[] dev = ["send-support", "transport-to-services", "recruitment-and-retention", "healthy-lifestyles"];
        string[] eval = ["dentistry-pharmacy-and-eye-care", "housing", "volunteering", "dementia-and-ageing-well"];
        var variants = new (string Name, EmergingThemeOptions Options)[]
        {
            ("default", new EmergingThemeOptions()),
            ("words 1-2", new EmergingThemeOptions { WordNgrams = 2, CharNgrams = 0, LatentDimensions = 0 }),
            ("words 1", new EmergingThemeOptions { WordNgrams = 1, CharNgrams = 0, LatentDimensions = 0 }),
            ("words 1 + chars 3", new EmergingThemeOptions { WordNgrams = 1, CharNgrams = 3, LatentDimensions = 0 }),
            ("words 1-2 + chars 4", new EmergingThemeOptions { WordNgrams = 2, CharNgrams = 4, LatentDimensions = 0 }),
            ("words 1-2, LSA 50", new EmergingThemeOptions { WordNgrams = 2, CharNgrams = 0, LatentDimensions = 50 }),
            ("words 1 + chars 3, LSA 50", new EmergingThemeOptions { WordNgrams = 1, CharNgrams = 3, LatentDimensions = 50 }),
            ("words 1, LSA 20", new EmergingThemeOptions { WordNgrams = 1, CharNgrams = 0, LatentDimensions = 20 }),
            ("words 1 + chars 3, LSA 20", new EmergingThemeOptions { WordNgrams = 1, CharNgrams = 3, LatentDimensions = 20 }),
        };
        var which = Environment.GetEnvironmentVariable("EMERGING_SET") == "eval" ? eval : dev;
        Console.WriteLine($"theme set: {(which == eval ? "eval" : "dev")} ({string.Join(", ", which)})");
        foreach (var (name, options) in variants) Purity(corpus, which, name, options);

        // 2. Time on N comments of two or three corpus sentences each (k from 2 to 8, silhouette on at most 1,200).
        var texts = Enumerable.Range(0, count).Select(i => new UnfittedComment(i + 1,
            string.Join(". ", Enumerable.Range(0, 2 + random.Next(2)).Select(_ => corpus[random.Next(corpus.Count)].Text)), null)).ToList();
        var watch = Stopwatch.StartNew();
        var timed = EmergingThemeFinder.Find(texts, new EmergingThemeOptions());
        Console.WriteLine($"{count:N0} comments: {watch.Elapsed.TotalSeconds:0.0} s, k={timed.K}, tried " +
            string.Join(" ", timed.Tried.Select(t => $"{t.K}:{t.Silhouette:0.000}")));
        return 0;
    }

    private static void Purity(List<LabelledComment> corpus, string[] themes, string name, EmergingThemeOptions options)
    {
        var planted = corpus.Where(r => themes.Contains(r.Theme)).Select((r, i) => (Comment: new UnfittedComment(i + 1, r.Text, null), r.Theme)).ToList();
        var watch = Stopwatch.StartNew();
        var result = EmergingThemeFinder.Find(planted.Select(p => p.Comment).ToList(), options);
        var truth = planted.ToDictionary(p => p.Comment.CommentId, p => p.Theme);
        var majority = result.Clusters.Sum(c => c.CommentIds.GroupBy(id => truth[id]).Max(g => g.Count()));
        Console.WriteLine($"[{name}] {planted.Count} comments: k={result.K} (silhouette {result.Silhouette:0.000}), purity {(double)majority / planted.Count:0.000}, largest cluster {result.Clusters.Max(c => c.CommentIds.Count)}, {watch.Elapsed.TotalSeconds:0.0} s");
        if (Environment.GetEnvironmentVariable("EMERGING_DETAIL") == "1")
            foreach (var c in result.Clusters)
                Console.WriteLine($"  {c.Name} ({c.CommentIds.Count}): " + string.Join(", ", c.CommentIds.GroupBy(id => truth[id]).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}")));
    }
}
