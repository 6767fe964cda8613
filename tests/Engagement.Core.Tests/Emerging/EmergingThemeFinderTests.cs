using Engagement.Core.Emerging;

namespace Engagement.Core.Tests.Emerging;

public sealed class EmergingThemeFinderTests
{
    // Four planted topics, each with its own vocabulary, written in varied sentences with shared filler words.
    private static readonly string[][] Topics =
    [
        ["pharmacy", "pharmacist", "prescription", "opening", "hours", "medicines", "chemist", "counter"],
        ["parking", "car", "park", "charges", "spaces", "blue", "badge", "ticket"],
        ["veterans", "armed", "forces", "military", "service", "covenant", "regiment", "ptsd"],
        ["hearing", "aids", "audiology", "deaf", "batteries", "ears", "sign", "language"],
    ];

    private static readonly string[] Filler = ["local", "problem", "always", "seems", "nobody", "told", "months", "town", "family", "worse", "better", "help"];
    private static readonly string[] Districts = ["T", "SW", "D", "A", "M"];

    private static (List<UnfittedComment> Comments, Dictionary<long, int> Truth) Planted(int seed, int perTopic)
    {
        var random = new Random(seed);
        var list = new List<(string Text, int Topic)>();
        for (var t = 0; t < Topics.Length; t++)
            for (var n = 0; n < perTopic; n++)
            {
                var words = Enumerable.Range(0, 4 + random.Next(4)).Select(_ => Topics[t][random.Next(Topics[t].Length)])
                    .Concat(Enumerable.Range(0, 3 + random.Next(4)).Select(_ => Filler[random.Next(Filler.Length)]))
                    .OrderBy(_ => random.Next());
                list.Add(("The " + string.Join(' ', words) + ".", t));
            }
        var shuffled = list.OrderBy(_ => random.Next()).ToList();
        var comments = shuffled.Select((x, i) => new UnfittedComment(i + 1, x.Text, Districts[(i + x.Topic) % Districts.Length])).ToList();
        var truth = shuffled.Select((x, i) => (Id: (long)(i + 1), x.Topic)).ToDictionary(x => x.Id, x => x.Topic);
        return (comments, truth);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Clustering_recovers_the_planted_topics_and_silhouette_picks_their_number(int seed)
    {
        var (comments, truth) = Planted(seed, 40);
        var result = EmergingThemeFinder.Find(comments);

        Assert.Equal(4, result.K);
        Assert.Equal(4, result.Clusters.Count);
        Assert.True(result.Tried.Count >= 5, "tried a range of k");
        // Each cluster is (almost) one topic, and each topic has its own cluster.
        var majority = result.Clusters.Select(c => c.CommentIds.GroupBy(id => truth[id]).OrderByDescending(g => g.Count()).First()).ToList();
        Assert.Equal(4, majority.Select(g => g.Key).Distinct().Count());
        var purity = (double)majority.Sum(g => g.Count()) / comments.Count;
        Assert.True(purity >= 0.95, $"purity {purity:0.000}");

        foreach (var cluster in result.Clusters)
        {
            var topic = truth[cluster.CommentIds[0]];
            Assert.Equal(3, cluster.TopTerms.Count);
            Assert.All(cluster.TopTerms, term => Assert.Contains(term, Topics[topic]));
            Assert.Equal(5, cluster.Typical.Count);
            Assert.All(cluster.Typical, c => Assert.Equal(topic, truth[c.CommentId]));
            Assert.Equal(cluster.CommentIds.Count, cluster.Districts.Sum(d => d.Comments));
        }
    }

    [Fact]
    public void Too_few_comments_are_not_clustered()
    {
        var (comments, _) = Planted(3, 2);
        var result = EmergingThemeFinder.Find(comments);
        Assert.Empty(result.Clusters);
        Assert.Equal(8, result.Comments);
    }

    [Fact]
    public void The_same_input_gives_the_same_clusters()
    {
        var (comments, _) = Planted(4, 25);
        var a = EmergingThemeFinder.Find(comments).Clusters.Select(c => string.Join(',', c.CommentIds));
        var b = EmergingThemeFinder.Find(comments).Clusters.Select(c => string.Join(',', c.CommentIds));
        Assert.Equal(a, b);
    }
}
