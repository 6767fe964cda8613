using System.Text.RegularExpressions;

namespace Engagement.Core.Triage;

public enum SafeguardingCategory { SelfHarm, Abuse, DomesticAbuse, Neglect, ChildAtRisk }

public sealed record SafeguardingMatch(SafeguardingCategory Category, int Start, int Length, string Phrase);

public sealed record SafeguardingResult(IReadOnlyList<SafeguardingMatch> Matches)
{
    public bool Flagged => Matches.Count > 0;

    /// <summary>Short reason for staff, e.g. "Self-harm or suicidal thoughts; Domestic abuse".</summary>
    public string? Reason => Flagged
        ? string.Join("; ", Matches.Select(m => SafeguardingDetector.LabelOf(m.Category)).Distinct())
        : null;
}

/// <summary>
/// Flags comments that disclose a risk of harm to a person: self-harm or suicidal thoughts, abuse, domestic abuse,
/// neglect, a child at risk. Rules look for a disclosure about someone (I, my partner, he, she, my mum...), not a topic:
/// "we need more domestic abuse services" is policy, "my husband hits me" is a disclosure. A negation in the same
/// clause before the phrase ("I am not suicidal", "I have never self-harmed") cancels a match, except for phrases
/// that are themselves negative ("I don't want to live any more"). It errs towards flagging: a person reviews every flag.
/// </summary>
public sealed partial class SafeguardingDetector
{
    public static readonly SafeguardingDetector Instance = new();

    public static string LabelOf(SafeguardingCategory c) => c switch
    {
        SafeguardingCategory.SelfHarm => "Self-harm or suicidal thoughts",
        SafeguardingCategory.Abuse => "Abuse or violence",
        SafeguardingCategory.DomesticAbuse => "Domestic abuse",
        SafeguardingCategory.Neglect => "Neglect",
        SafeguardingCategory.ChildAtRisk => "A child at risk",
        _ => "Risk of harm",
    };

    /// <param name="NegationInside">Also look for a negator inside the phrase ("I am not suicidal"). Off where the negative is the risk ("not being fed").</param>
    private sealed record Rule(SafeguardingCategory Category, Regex Pattern, bool NegationCancels = true, bool NegationInside = true);

    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;
    private const string I = @"(?:i|i'm|i’m|im|i've|i’ve|i'd|i’d)";
    private const string Family = @"(?:partner|husband|wife|boyfriend|girlfriend|ex|ex-partner|ex-husband|ex-wife|fiance|fiancé|spouse)";
    private const string Relative = @"(?:dad|father|mum|mom|mother|stepdad|stepfather|stepmum|stepmother|brother|sister|son|daughter|uncle|aunt|grandad|grandfather|nan|gran|grandmother|carer|care worker|neighbour|landlord|cousin|friend)";
    private const string Someone = @"(?:he|she|they|my\s+" + Family + @"|my\s+" + Relative + @"|our\s+" + Relative + @")";
    private const string Victim = @"(?:me|us|my\s+(?:kids|children|child|son|daughter|baby|mum|dad|mother|father|wife|husband|partner|sister|brother))";
    private const string Child = @"(?:child|children|kids|kid|baby|toddler|son|daughter|grandson|granddaughter|boy|girl|\d{1,2}[- ]year[- ]old)";
    private const string Clause = @"[^.!?;:\n]";

    private static readonly Rule[] Rules =
    [
        // Self-harm and suicidal thoughts about the writer: reflexive phrases are first person by themselves.
        new(SafeguardingCategory.SelfHarm, new Regex(
            @"\b(?:(?:want|wanted|going|planning|plan|tried|try|trying|thinking about|thought about|thoughts of|feel like)\s+(?:to\s+)?)?(?:kill(?:ing)?\s+myself|end(?:ed|ing)?\s+my\s+(?:own\s+)?life|tak(?:e|ing)\s+my\s+(?:own\s+)?life|cut(?:ting)?\s+myself|harm(?:ing)?\s+myself|hurt(?:ing)?\s+myself)\b", Options)),
        // Bare terms count only with "I" earlier in the same clause: "self-harm among teenagers is rising" is a topic.
        new(SafeguardingCategory.SelfHarm, new Regex(
            @"\b" + I + @"\b" + Clause + @"{0,40}?\b(?:suicidal|self[- ]?harm(?:ing|ed)?|attempted\s+suicide|overdosed|took\s+an\s+overdose|end\s+it\s+all)\b", Options)),
        // Phrases that carry their own negation: a negator must not cancel them.
        new(SafeguardingCategory.SelfHarm, new Regex(
            @"\b(?:(?:don't|dont|don’t|do not|no longer)\s+want\s+to\s+(?:live|be alive|be here|wake up|go on)|(?:no|nothing)\s+(?:reason|point)\s+(?:to|in)\s+(?:live|living|going on|carry on|carrying on)|can(?:'|’)?t\s+go\s+on(?:\s+like\s+this)?(?:\s*any\s?more)?|(?:better|be better)\s+off\s+(?:dead|without\s+me)|wish\s+i\s+(?:was|were)\s+dead|want\s+to\s+die|wanting\s+to\s+die)\b", Options),
            NegationCancels: false),
        // Someone else at risk of suicide or self-harm.
        new(SafeguardingCategory.SelfHarm, new Regex(
            @"\b" + Someone + @"\s+(?:is|are|was|has been|have been|keeps|kept|has|had)\s+(?:talking about\s+|threatening\s+|been\s+)?(?:suicid(?:e|al)|self[- ]?harm(?:ing)?|cutting\s+(?:himself|herself|themselves)|killing\s+(?:himself|herself|themselves)|tried\s+to\s+kill\s+(?:himself|herself|themselves))\b|\b(?:threaten(?:s|ed|ing)?|tried|wants?|going)\s+to\s+(?:kill|hurt|harm)\s+(?:himself|herself|themselves)\b", Options)),
        // Domestic abuse: a partner hurting, threatening or controlling the writer or their family.
        new(SafeguardingCategory.DomesticAbuse, new Regex(
            @"\b(?:my\s+" + Family + @"|(?:he|she))\s+(?:\w+\s+)?(?:hits|hit|beats|beat|punches|punched|kicks|kicked|slaps|slapped|strangled|chokes|choked|pushes|pushed|hurts|hurt|threatens|threatened|controls|abuses|abused|rapes|raped|assaults|assaulted|attacks|attacked)\s+" + Victim + @"\b" +
            @"|\bmy\s+" + Family + @"\s+(?:is|was|has been)\s+(?:violent|abusive|controlling)\b" +
            @"|\b(?:scared|afraid|frightened|terrified)\s+(?:of|to go home to)\s+my\s+" + Family + @"\b" +
            @"|\b" + I + @"\b(?:\s+(?:am|was|have been|been|being|live|living|'ve been))?\s+(?:in\s+)?(?:living\s+with\s+|fleeing\s+|escaping\s+|experiencing\s+|a\s+victim\s+of\s+|suffering\s+)?(?:domestic\s+(?:abuse|violence)|(?:an?\s+)?(?:abusive|violent|controlling)\s+(?:relationship|partner|marriage|husband|wife|boyfriend|girlfriend))\b", Options)),
        // Abuse of the writer (passive: "I was assaulted") or by someone they name.
        new(SafeguardingCategory.Abuse, new Regex(
            @"\b" + I + @"\b\s*(?:am|was|were|have been|has been|been|being|got|get|keep getting)?\s+(?:being\s+)?(?:sexually\s+|physically\s+|financially\s+)?(?:abused|assaulted|raped|beaten|attacked|groomed|exploited|molested)\b" +
            @"|\b" + Someone + @"\s+(?:\w+\s+)?(?:abuses|abused|beats|beat|hits|hit|rapes|raped|molested|molests|grooms|groomed|assaulted|attacks|attacked)\s+" + Victim + @"\b" +
            @"|\bmy\s+(?:mum|dad|mother|father|nan|gran|grandad|grandmother|grandfather|sister|brother|son|daughter|aunt|uncle)\s+(?:is|was|has been)\s+(?:being\s+)?(?:abused|hit|beaten|exploited|financially\s+abused|robbed)\b", Options)),
        // Neglect of a person: the negative wording is the risk, so only a negator before the phrase cancels it.
        new(SafeguardingCategory.Neglect, new Regex(
            @"\b(?:was|is|were|are|been|being|keeps? being|gets?)\s+left\s+(?:alone\s+)?(?:for\s+(?:hours|days)\s+)?(?:alone|on\s+(?:his|her|their)\s+own|unattended|without\s+(?:food|water|heating|medication|medicine|care))\b" +
            @"|\b(?:lying|left|sitting)\s+in\s+(?:soiled|dirty|wet|urine|faeces|her own|his own)\b" +
            @"|\b(?:is|was|are|were|has been|have been|isn't|wasn't|hasn't been|aren't)\s+(?:not\s+)?(?:being\s+)?(?:fed|washed|changed|given\s+(?:food|water|medication|medicine))\s+(?:for\s+(?:hours|days)|properly|at all)\b" +
            @"|\bno\s+food\s+in\s+the\s+(?:house|flat|home)\b" +
            @"|\b(?:my|our|the)\s+(?:\w+\s+)?(?:mum|dad|mother|father|nan|gran|grandad|grandmother|grandfather|child|children|kids|son|daughter|neighbour|baby|brother|sister)\s+(?:is|was|are|were|has been|have been)\s+(?:being\s+)?neglected\b", Options),
            NegationInside: false),
        // A child at risk.
        new(SafeguardingCategory.ChildAtRisk, new Regex(
            @"\b(?:my|our|the|a|this|that|her|his)\s+(?:\w+\s+)?" + Child + @"(?:\s+\w+){0,3}?\s+(?:is|are|was|were|has been|have been|isn't|aren't|is not|are not)\s+(?:being\s+)?(?:abused|hit|beaten|groomed|exploited|not\s+safe|unsafe|in\s+danger|at\s+risk|neglected|left\s+alone|starving|scared\s+to\s+go\s+home|safe)\b", Options),
            NegationInside: false),
    ];

    [GeneratedRegex(@"\b(?:not|never|no|nobody|no one|none|without)\b|n['’]t\b|\bcannot\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Negator();

    // A clause ends at sentence punctuation or a contrast ("but", "although"), so "I'm not ill but I want to die" still flags.
    [GeneratedRegex(@"[.!?;:\n,]|\bbut\b|\balthough\b|\bhowever\b|\bthough\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ClauseBreak();

    [GeneratedRegex(@"\b(?:not|never)\s+safe\b|n['’]t\s+safe\b|\bunsafe\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UnsafeWording();

    public SafeguardingResult Check(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return new SafeguardingResult([]);
        var found = new List<SafeguardingMatch>();
        foreach (var rule in Rules)
        {
            foreach (Match m in rule.Pattern.Matches(text))
            {
                // "my child is safe" is the opposite of a risk; "isn't safe" is one.
                if (rule.Category == SafeguardingCategory.ChildAtRisk && m.Value.EndsWith("safe", StringComparison.OrdinalIgnoreCase)
                    && !UnsafeWording().IsMatch(m.Value))
                    continue;
                if (rule.NegationCancels && IsNegated(text, m, rule.NegationInside)) continue;
                if (found.Any(f => f.Start < m.Index + m.Length && m.Index < f.Start + f.Length)) continue;
                found.Add(new SafeguardingMatch(rule.Category, m.Index, m.Length, m.Value));
            }
        }
        return new SafeguardingResult(found.OrderBy(f => f.Start).ToList());
    }

    /// <summary>A negator between the start of the clause and the phrase (or, where allowed, inside it) cancels the match.</summary>
    private static bool IsNegated(string text, Match m, bool inside)
    {
        var clauseStart = 0;
        foreach (Match b in ClauseBreak().Matches(text[..m.Index])) clauseStart = b.Index + b.Length;
        var before = text[clauseStart..m.Index];
        return Negator().IsMatch(before) || (inside && Negator().IsMatch(m.Value));
    }
}
