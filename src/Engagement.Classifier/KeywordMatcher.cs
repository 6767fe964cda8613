namespace Engagement.Classifier;

/// <summary>One taxonomy phrase reduced to its normalised content words.</summary>
public sealed record KeywordPhrase(string ThemeId, int OutcomeId, string[] Tokens);

/// <summary>
/// Taxonomy knowledge as features: for each example phrase (and theme name) whose content words all occur in a
/// comment, counts one for the phrase's theme and one for its outcome. Word order is ignored on purpose so
/// "appointments at my GP" still matches "GP appointment". The phrases are saved inside the model so serving
/// does not depend on taxonomy.json staying unchanged.
/// </summary>
public sealed class KeywordMatcher
{
    private readonly IReadOnlyList<KeywordPhrase> phrases;
    private readonly int[] themeIndex;
    private readonly Dictionary<string, List<int>> byFirstToken = new(StringComparer.Ordinal);

    /// <param name="themeIds">Theme order of the model, which fixes each theme's slot in the tag vector.</param>
    public KeywordMatcher(IReadOnlyList<KeywordPhrase> phrases, IReadOnlyList<string> themeIds)
    {
        this.phrases = phrases;
        var order = themeIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i, StringComparer.Ordinal);
        themeIndex = phrases.Select(p => order.GetValueOrDefault(p.ThemeId, -1)).ToArray();
        for (var i = 0; i < phrases.Count; i++)
        {
            // Index each phrase under its rarest-looking (longest) word: a cheap filter before the full check.
            var key = phrases[i].Tokens.MaxBy(t => t.Length)!;
            if (!byFirstToken.TryGetValue(key, out var list)) byFirstToken[key] = list = [];
            list.Add(i);
        }
    }

    public IReadOnlyList<KeywordPhrase> Phrases => phrases;

    public static KeywordMatcher FromTaxonomy(Taxonomy taxonomy)
    {
        var phrases = new List<KeywordPhrase>();
        foreach (var theme in taxonomy.Themes)
        {
            foreach (var phrase in theme.ExamplePhrases.Append(theme.Name))
            {
                var tokens = TextNormaliser.Tokens(phrase).Distinct().ToArray();
                // One very common word ("care", "health") says little on its own.
                if (tokens.Length == 0 || (tokens.Length == 1 && tokens[0].Length < 4)) continue;
                if (phrases.Any(p => p.ThemeId == theme.Id && p.Tokens.SequenceEqual(tokens))) continue;
                phrases.Add(new KeywordPhrase(theme.Id, theme.OutcomeId, tokens));
            }
        }
        return new KeywordMatcher(phrases, taxonomy.Themes.Select(t => t.Id).ToList());
    }

    /// <summary>Each matched phrase as (theme slot, outcome id), from already-normalised tokens.</summary>
    public List<(int Theme, int Outcome)> Matches(IReadOnlyList<string> tokens)
    {
        var found = new List<(int, int)>();
        // Most comments match no phrase: only build the word set when some word indexes a candidate.
        if (!tokens.Any(byFirstToken.ContainsKey)) return found;
        var present = new HashSet<string>(tokens, StringComparer.Ordinal);
        foreach (var token in present)
        {
            if (!byFirstToken.TryGetValue(token, out var candidates)) continue;
            foreach (var i in candidates)
                if (themeIndex[i] >= 0 && phrases[i].Tokens.All(present.Contains)) found.Add((themeIndex[i], phrases[i].OutcomeId));
        }
        return found;
    }
}
