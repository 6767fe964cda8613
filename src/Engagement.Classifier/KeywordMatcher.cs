namespace Engagement.Classifier;

/// <summary>One taxonomy phrase reduced to its normalised content words.</summary>
public sealed record KeywordPhrase(string ThemeId, int OutcomeId, string[] Tokens);

/// <summary>
/// Taxonomy knowledge as features: for each example phrase (and theme name) whose content words all occur in a
/// comment, emits a tag for the phrase's theme and one for its outcome. Word order is ignored on purpose so
/// "appointments at my GP" still matches "GP appointment". The phrases are saved inside the model so serving
/// does not depend on taxonomy.json staying unchanged.
/// </summary>
public sealed class KeywordMatcher
{
    private readonly IReadOnlyList<KeywordPhrase> phrases;
    private readonly Dictionary<string, List<int>> byFirstToken = new(StringComparer.Ordinal);

    public KeywordMatcher(IReadOnlyList<KeywordPhrase> phrases)
    {
        this.phrases = phrases;
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
        return new KeywordMatcher(phrases);
    }

    /// <summary>Space-separated tags ("t:housing o:2 ...") for the phrases found in already-normalised tokens.</summary>
    public string Tags(IReadOnlyList<string> tokens)
    {
        if (tokens.Count == 0) return "";
        var present = new HashSet<string>(tokens, StringComparer.Ordinal);
        var tags = new List<string>();
        foreach (var token in present)
        {
            if (!byFirstToken.TryGetValue(token, out var candidates)) continue;
            foreach (var i in candidates)
            {
                var p = phrases[i];
                if (p.Tokens.All(present.Contains))
                {
                    tags.Add("t:" + p.ThemeId);
                    tags.Add("o:" + p.OutcomeId);
                }
            }
        }
        tags.Sort(StringComparer.Ordinal); // deterministic regardless of hash-set order
        return string.Join(' ', tags);
    }

    /// <summary>Words of the given theme's phrases that occur in the tokens; used to explain non-linear models.</summary>
    public IEnumerable<string> MatchedWords(IReadOnlyList<string> tokens, string themeId)
    {
        var present = new HashSet<string>(tokens, StringComparer.Ordinal);
        return phrases.Where(p => p.ThemeId == themeId && p.Tokens.All(present.Contains))
            .SelectMany(p => p.Tokens).Distinct();
    }
}
