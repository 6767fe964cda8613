using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Engagement.Classifier;

/// <summary>
/// Turns a comment into the token stream the model sees: abbreviations expanded, lower case, punctuation
/// dropped, stop words removed and plurals folded. Done in plain C# before the data enters ML.NET, so the
/// saved model needs no custom transform to load. <see cref="Version"/> is stored in the model: changing
/// the rules below means retraining.
/// </summary>
public static partial class TextNormaliser
{
    public const int Version = 2;

    /// <summary>
    /// Workshop-note abbreviations. The expansion is added after the abbreviation (the abbreviation itself is kept
    /// where it is a word people search for, e.g. "camhs") so a note and a resident's plain words share features.
    /// </summary>
    private static readonly Dictionary<string, string> Abbreviations = new(StringComparer.Ordinal)
    {
        ["gps"] = "gp",
        ["mh"] = "mental health",
        ["wdh"] = "wider determinants health",
        ["vcs"] = "voluntary community sector",
        ["vcse"] = "voluntary community sector",
        ["vcfs"] = "voluntary community sector",
        ["vcfse"] = "voluntary community sector",
        ["hcp"] = "health care partnership",
        ["hcps"] = "health care partnership",
        ["mdt"] = "multidisciplinary team",
        ["mdts"] = "multidisciplinary team",
        ["ld"] = "learning disability",
        ["asc"] = "adult social care",
        ["cyp"] = "children young people",
        ["ehcp"] = "ehcp education health care plan",
        ["ehcps"] = "ehcp education health care plan",
        ["camhs"] = "camhs child adolescent mental health service",
        ["pcn"] = "primary care network",
        ["pcns"] = "primary care network",
        ["ltc"] = "long term condition",
        ["ltcs"] = "long term condition",
        ["uec"] = "urgent emergency care",
        ["dtoc"] = "delayed transfer care discharge",
        ["icb"] = "integrated care board",
        ["icp"] = "integrated care partnership",
        ["ics"] = "integrated care system",
        ["dfg"] = "disabled facilities grant",
        ["dfgs"] = "disabled facilities grant",
        ["iapt"] = "talking therapies",
        ["grt"] = "gypsy roma traveller",
        ["asb"] = "antisocial behaviour",
        ["vawg"] = "violence women girls",
        ["neet"] = "not education employment training",
        ["mecc"] = "making every contact count",
        ["phm"] = "population health management",
        ["edi"] = "equality diversity inclusion",
        ["phb"] = "personal health budget",
        ["phbs"] = "personal health budget",
        ["chc"] = "continuing healthcare",
        ["d2a"] = "discharge assess",
        ["eol"] = "end life",
        ["cvd"] = "cardiovascular disease",
        ["hv"] = "health visitor",
        ["hvs"] = "health visitor",
        ["ahp"] = "allied health professional",
        ["ahps"] = "allied health professional",
        ["hca"] = "healthcare assistant",
        ["hcas"] = "healthcare assistant",
        ["ooh"] = "out hours",
        ["utc"] = "urgent treatment centre",
        ["miu"] = "minor injuries unit",
        ["kcc"] = "kent county council",
        ["cqc"] = "cqc care quality commission",
        ["rtt"] = "referral treatment waiting",
        ["asd"] = "autism",
        ["adhd"] = "adhd",
        ["dr"] = "doctor",
        ["drs"] = "doctor",
        ["docs"] = "doctor",
        ["doc"] = "doctor",
        ["appt"] = "appointment",
        ["appts"] = "appointment",
        ["govt"] = "government",
        ["ppl"] = "people",
        ["hosp"] = "hospital",
        ["dept"] = "department",
        ["mins"] = "minute",
        ["hrs"] = "hour",
        ["yrs"] = "year",
        ["ae"] = "ae emergency", // A&E, a and e
        ["buses"] = "bus",
        ["hwb"] = "health wellbeing board",
        ["hwbs"] = "health wellbeing board",
        ["jsna"] = "joint strategic needs assessment",
        ["bcf"] = "better care fund",
        ["cmht"] = "community mental health team",
        ["cmhts"] = "community mental health team",
        ["smi"] = "severe mental illness",
        ["msk"] = "musculoskeletal",
        ["arrs"] = "additional roles practice",
        ["yot"] = "youth offending",
        ["uasc"] = "unaccompanied asylum seeking children",
        ["idva"] = "domestic abuse advocate",
        ["idvas"] = "domestic abuse advocate",
        ["marac"] = "domestic abuse risk conference",
        ["csp"] = "community safety partnership",
        ["csps"] = "community safety partnership",
        ["senco"] = "senco special educational needs",
        ["sencos"] = "senco special educational needs",
        ["hmo"] = "house multiple occupation",
        ["hmos"] = "house multiple occupation",
        ["wres"] = "workforce race equality",
        ["wdes"] = "workforce disability equality",
        ["dv"] = "domestic abuse",
        ["dwp"] = "benefits jobcentre",
        ["eyfs"] = "early years",
        ["cvs"] = "voluntary community sector",
        ["haf"] = "holiday activities food",
    };

    /// <summary>
    /// District and partner codes that consultation appendices put after a workshop note, e.g.
    /// "More MDT capacity for frailty (TW)(T)(SW)". They say where the note came from, not what it is about,
    /// so a bracket holding only such codes is dropped before tokenising. Kept in step with
    /// Engagement.Core's ReferenceData (districts and partner-type codes); case-sensitive as printed.
    /// </summary>
    private static readonly HashSet<string> SourceCodes = new(StringComparer.Ordinal)
    {
        "A", "C", "Da", "D", "FH", "G", "M", "S", "SW", "T", "TMBC", "TM", "TW", "Med", "KW", "MW", "OUT",
        "DC", "LA", "VCS", "PCC", "HCP", "NHS", "OTH", "KCC", "MC",
    };

    /// <summary>Abbreviations that are also ordinary words ("send", "salt", "ed"): expanded only when written in capitals.</summary>
    private static readonly Dictionary<string, string> CapitalAbbreviations = new(StringComparer.Ordinal)
    {
        ["SEND"] = "send special educational needs disability",
        ["SEN"] = "special educational needs",
        ["SEMH"] = "social emotional mental health",
        ["ED"] = "emergency department",
        ["EDs"] = "emergency department",
        ["OT"] = "occupational therapy",
        ["OTs"] = "occupational therapy",
        ["SALT"] = "speech language therapy",
        ["LA"] = "local authority",
        ["LAs"] = "local authority",
        ["DA"] = "domestic abuse",
        ["PH"] = "public health",
        ["DP"] = "direct payments",
        ["DPs"] = "direct payments",
    };

    /// <summary>Common English words that carry no theme. Negations are kept: "no buses" and "buses" differ.</summary>
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "about", "above", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be",
        "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do", "does",
        "doing", "down", "during", "each", "few", "for", "from", "further", "get", "got", "had", "has", "have",
        "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into",
        "is", "it", "its", "itself", "just", "me", "more", "most", "my", "myself", "of", "off", "on", "once",
        "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "same", "she", "should", "so",
        "some", "such", "than", "that", "the", "their", "theirs", "them", "themselves", "then", "there", "these",
        "they", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "we", "were",
        "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your",
        "yours", "yourself", "yourselves", "im", "ive", "its", "youre", "theyre", "weve", "us", "really", "etc",
        "one", "even", "much", "many", "lot", "lots", "s", "t", "re", "ve", "ll", "d", "m",
    };

    // A&E in its many spellings, before punctuation is stripped.
    [GeneratedRegex(@"\b(?:a\s*&\s*e|a\s*\+\s*e|a\s+and\s+e)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AandE();

    // "(TW)", "(T, SW)", "(Med/KW)": a bracket of short codes; whether they are all source codes is checked in C#.
    // Each code must end at a word boundary and the engine must not backtrack: without both, "(" followed by a long run
    // of letters could be split into 1-4 letter codes in exponentially many ways, and one comment would hang the site.
    private static readonly Regex CodeBracketPattern = new(
        @"\(\s*[A-Za-z]{1,4}\b(?:\s*[,/;&]?\s*[A-Za-z]{1,4}\b)*\s*\)", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
    private static Regex CodeBracket() => CodeBracketPattern;

    /// <summary>Removes brackets that hold only district or partner codes; other brackets ("(SEND)", "(A&amp;E)") stay.</summary>
    public static string StripSourceCodes(string text) =>
        text.Contains('(')
            ? CodeBracket().Replace(text, m => m.Value.Trim('(', ')').Split([' ', ',', '/', ';', '&'], StringSplitOptions.RemoveEmptyEntries)
                .All(SourceCodes.Contains) ? " " : m.Value)
            : text;

    public static string Normalise(string? text) => string.Join(' ', Tokens(text));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot on 100k-row imports; skip the slow first JIT tier
    public static List<string> Tokens(string? text)
    {
        var tokens = new List<string>();
        if (string.IsNullOrWhiteSpace(text)) return tokens;
        text = StripSourceCodes(text);
        if (text.Contains('&') || text.Contains('+') || text.Contains(" and e", StringComparison.OrdinalIgnoreCase))
            text = AandE().Replace(text, " ae ");

        Span<char> word = stackalloc char[64];
        var length = 0;
        foreach (var ch in text)
        {
            if (char.IsLetterOrDigit(ch))
            {
                // A 64+ letter "word" is noise (a URL, a pasted hash): keep its start.
                if (length < word.Length) word[length++] = ch;
            }
            else if (ch is '\'' or '\u2019')
            {
                // "can't" -> "cant", "people's" -> "peoples"
            }
            else if (length > 0)
            {
                Add(word[..length], tokens);
                length = 0;
            }
        }
        if (length > 0) Add(word[..length], tokens);
        return tokens;
    }

    private static void Add(ReadOnlySpan<char> raw, List<string> tokens)
    {
        // Only short words with a capital can be a capitals-only abbreviation: avoid a string for the rest.
        if (raw.Length <= 5 && char.IsUpper(raw[0]) && CapitalAbbreviations.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(raw, out var capital))
        {
            AddAll(capital, tokens);
            return;
        }
        Span<char> lower = stackalloc char[raw.Length];
        raw.ToLowerInvariant(lower);
        if (Abbreviations.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(lower, out var expansion))
        {
            AddAll(expansion, tokens);
            return;
        }
        if (StopWords.GetAlternateLookup<ReadOnlySpan<char>>().Contains(lower)) return;
        tokens.Add(Stem(lower));
    }

    private static void AddAll(string words, List<string> tokens)
    {
        foreach (var w in words.Split(' '))
            if (!StopWords.Contains(w)) tokens.Add(w);
    }

    /// <summary>
    /// Harman's "S" stemmer: folds plurals only ("dentists" -> "dentist", "families" -> "family"). Heavier stemming
    /// merges words triagers tell apart (e.g. "care"/"carer").
    /// </summary>
    public static string Stem(string w) => Stem(w.AsSpan());

    private static string Stem(ReadOnlySpan<char> w)
    {
        if (w.Length <= 3 || !char.IsLetter(w[^1])) return w.ToString();
        if (w.EndsWith("ies") && !w.EndsWith("eies") && !w.EndsWith("aies"))
            return string.Concat(w[..^3], "y");
        if (w.EndsWith("es") && !w.EndsWith("aes") && !w.EndsWith("ees") && !w.EndsWith("oes"))
            return w[..^1].ToString();
        if (w.EndsWith("s") && !w.EndsWith("us") && !w.EndsWith("ss"))
            return w[..^1].ToString();
        return w.ToString();
    }
}
