using Dapper;
using Engagement.Core.Campaigns;
using Engagement.Core.Data;

/// <summary>
/// Synthetic consultation comments with a known answer. Organic comments are two to four short corpus sentences (a few recur
/// by chance: those are real duplicates and the truth says so); campaigns are two-passage templates
/// sent by 3 to 2,000 respondents each, personalised (greeting, town, capitals, a typo, a sign-off).
/// </summary>
internal sealed record SyntheticSet(List<DuplicateCandidate> Comments, Dictionary<long, string> TruthKey, int Campaigns, int CampaignComments, string[] Districts)
{
    private static readonly string[] Towns = ["Dover", "Ashford", "Deal", "Margate", "Sittingbourne", "Tonbridge", "Maidstone", "Gravesend"];
    private static readonly string[] Names = ["Sam", "Priya", "John", "Aisha", "Tom", "Margaret", "Chris", "Olu"];
    private static readonly string[] DistrictCodes = ["A", "C", "Da", "D", "FH", "G", "M", "S", "SW", "T", "TMBC", "TW", "Me"];
    private static readonly int[] CampaignSizes = [2000, 1200, 800, 500, 400, 300, 200, 150, 100, 80, 60, 40, 30, 20, 15, 10, 8, 6, 5, 4, 3, 3, 3];

    public static SyntheticSet Make(IReadOnlyList<string> corpus, int count, int seed)
    {
        var random = new Random(seed);
        // Campaign letters are built from the corpus's long passages and organic comments from its short sentences, so an
        // organic comment never contains a whole campaign paragraph (that would be a genuine near-duplicate the truth misses).
        static int Words(string s) => s.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        var passages = corpus.Where(s => Words(s) > 25).ToList();
        var sentences = corpus.Where(s => Words(s) is >= 5 and <= 25).ToList();
        var texts = new List<(string Text, string Key)>(count);
        var campaignBudget = count / 10;
        var campaigns = 0;
        foreach (var size in CampaignSizes)
        {
            var scaled = Math.Max(3, size * count / 100_000);
            if (texts.Count + scaled > campaignBudget && campaigns > 0) break;
            var template = string.Join(". ", Enumerable.Range(0, 2).Select(_ => passages[random.Next(passages.Count)])) + ".";
            for (var i = 0; i < scaled; i++) texts.Add((Personalise(template, random), "c" + campaigns));
            campaigns++;
        }
        var campaignComments = texts.Count;
        while (texts.Count < count)
        {
            var picks = Enumerable.Range(0, 2 + random.Next(3)).Select(_ => random.Next(sentences.Count)).ToList();
            var text = string.Join(". ", picks.Select(p => sentences[p])) + ".";
            if (random.Next(4) == 0) text = text.ToLowerInvariant();
            texts.Add((text, "o" + string.Join(",", picks)));
        }
        var shuffled = texts.OrderBy(_ => random.Next()).ToList();
        var comments = shuffled.Select((t, i) => new DuplicateCandidate(i + 1, i + 1, t.Text)).ToList();
        var truth = shuffled.Select((t, i) => (Id: (long)(i + 1), t.Key)).ToDictionary(x => x.Id, x => x.Key);
        var districts = shuffled.Select(_ => DistrictCodes[random.Next(DistrictCodes.Length)]).ToArray();
        return new SyntheticSet(comments, truth, campaigns, campaignComments, districts);
    }

    private static string Personalise(string template, Random random)
    {
        var text = template;
        switch (random.Next(5))
        {
            case 0: text = "Dear sir or madam, " + text; break;
            case 1: text += $" I live in {Towns[random.Next(Towns.Length)]}."; break;
            case 2: text = text.ToUpperInvariant(); break;
            case 3:
                var words = text.Split(' ');
                var w = random.Next(words.Length);
                if (words[w].Length > 2) words[w] = words[w][1] + words[w][0].ToString() + words[w][2..];
                text = string.Join(' ', words);
                break;
        }
        if (random.Next(3) == 0) text += $" Regards, {Names[random.Next(Names.Length)]}";
        return text;
    }

    /// <summary>
    /// Pairwise precision and recall: a pair of comments is "together" in the truth when they share a key (same campaign,
    /// or the same organic sentences), counted without enumerating pairs. Organic texts under 5 words are outside the
    /// grouper's scope (too generic to call duplicates) and are left out of both sides.
    /// </summary>
    public static (double Precision, double Recall) PairwiseScores(SyntheticSet set, IReadOnlyList<DuplicateGroup> groups)
    {
        static long Pairs(long k) => k * (k - 1) / 2;
        var inScope = set.Comments.Where(c => NearDuplicateGrouper.Normalise(c.Text).Split(' ').Length >= 5).Select(c => c.CommentId).ToHashSet();
        var truthPairs = set.TruthKey.Where(kv => inScope.Contains(kv.Key)).GroupBy(kv => kv.Value).Sum(g => Pairs(g.Count()));
        var foundPairs = groups.Sum(g => Pairs(g.CommentIds.Count));
        var bothPairs = groups.Sum(g => g.CommentIds.GroupBy(id => set.TruthKey[id]).Sum(k => Pairs(k.Count())));
        return ((double)bothPairs / foundPairs, (double)bothPairs / truthPairs);
    }

    /// <summary>One response and comment per synthetic comment, inserted directly (bulk) rather than through the form's store.</summary>
    public static async Task InsertAsync(Database db, long consultationId, SyntheticSet set)
    {
        await using var c = await db.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        var now = DateTime.UtcNow;
        for (var i = 0; i < set.Comments.Count; i++)
        {
            var submissionId = await c.ExecuteScalarAsync<long>("""
                INSERT INTO submissions (consultation_id, reference, respondent_type, district, channel, submitted_at, created_at)
                VALUES (@consultationId, @reference, 'resident', @district, 'online', @now, @now); SELECT last_insert_rowid();
                """, new { consultationId, reference = $"KM-B{i:000000}", district = set.Districts[i], now }, tx);
            await c.ExecuteAsync("""
                INSERT INTO comments (submission_id, consultation_id, text, status, district, respondent_type, channel, created_at)
                VALUES (@submissionId, @consultationId, @text, 'new', @district, 'resident', 'online', @now)
                """, new { submissionId, consultationId, text = set.Comments[i].Text, district = set.Districts[i], now }, tx);
        }
        await tx.CommitAsync();
    }
}
