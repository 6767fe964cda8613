using System.Text;
using System.Text.RegularExpressions;

namespace Engagement.Core.Privacy;

public enum PersonalDataKind { Email, Phone, Postcode, NhsNumber, Date, Address, Name }

/// <summary>One piece of personal data found in a comment: where it is and what it says.</summary>
public sealed record PersonalDataMatch(PersonalDataKind Kind, int Start, int Length, string Value)
{
    public int End => Start + Length;
}

/// <summary>
/// Finds personal data people type into free-text comments: email addresses, UK phone numbers, postcodes,
/// NHS numbers (check digit verified), dates of birth and full dates, street addresses and names
/// ("my name is …", "I'm Sarah", "Mrs Khan"). Rules, not a model, so results are predictable and testable.
/// It errs towards redacting: a report must never print personal data.
/// </summary>
public sealed partial class PersonalDataDetector
{
    public static readonly PersonalDataDetector Instance = new();

    public static string Placeholder(PersonalDataKind kind) => kind switch
    {
        PersonalDataKind.Email => "[email removed]",
        PersonalDataKind.Phone => "[phone removed]",
        PersonalDataKind.Postcode => "[postcode removed]",
        PersonalDataKind.NhsNumber => "[NHS number removed]",
        PersonalDataKind.Date => "[date removed]",
        PersonalDataKind.Address => "[address removed]",
        PersonalDataKind.Name => "[name removed]",
        _ => "[removed]",
    };

    public bool Contains(string? text) => !string.IsNullOrEmpty(text) && Find(text).Count > 0;

    public IReadOnlyList<PersonalDataMatch> Find(string? text)
    {
        if (string.IsNullOrEmpty(text)) return [];
        var found = new List<(PersonalDataMatch Match, int Priority)>();

        // Most patterns need a digit or an @, and the name patterns a cue word: skip what cannot match (most comments).
        var hasDigit = text.AsSpan().IndexOfAnyInRange('0', '9') >= 0;
        if (text.Contains('@'))
            foreach (Match m in EmailPattern().Matches(text)) found.Add((Of(PersonalDataKind.Email, m), 0));
        if (hasDigit)
        {
            foreach (Match m in NhsPattern().Matches(text))
                if (IsValidNhsNumber(m.Value)) found.Add((Of(PersonalDataKind.NhsNumber, m), 1));
            foreach (Match m in PhonePattern().Matches(text))
                if (IsPlausiblePhone(m.Value)) found.Add((Of(PersonalDataKind.Phone, m), 2));
            foreach (Match m in PostcodePattern().Matches(text))
                if (IsPlausiblePostcode(m)) found.Add((Of(PersonalDataKind.Postcode, m), 3));
            foreach (Match m in BirthDatePattern().Matches(text)) found.Add((Of(PersonalDataKind.Date, m.Groups["date"]), 4));
            foreach (Match m in FullDatePattern().Matches(text)) found.Add((Of(PersonalDataKind.Date, m), 4));
            foreach (Match m in AddressPattern().Matches(text)) found.Add((Of(PersonalDataKind.Address, m), 5));
        }
        if (text.Contains("name", StringComparison.OrdinalIgnoreCase) || text.Contains("called", StringComparison.OrdinalIgnoreCase))
            foreach (Match m in MyNameIsPattern().Matches(text))
                if (NameAfterIntroduction(m.Groups["name"]) is { } name) found.Add((name, 6));
        if (text.Contains('I'))
            foreach (Match m in IAmPattern().Matches(text))
                if (IsLikelyName(m.Groups["first"].Value)) found.Add((Of(PersonalDataKind.Name, m.Groups["name"]), 6));
        if (text.Contains("my ", StringComparison.OrdinalIgnoreCase))
            foreach (Match m in RelativePattern().Matches(text))
                if (IsLikelyName(m.Groups["first"].Value)) found.Add((Of(PersonalDataKind.Name, m.Groups["name"]), 6));
        if (TitleCue().IsMatch(text))
            foreach (Match m in TitlePattern().Matches(text))
                if (IsLikelyName(m.Groups["first"].Value)) found.Add((Of(PersonalDataKind.Name, m), 6));

        // Earliest first; at the same start the longer (then higher-priority) match wins; overlaps are dropped.
        var result = new List<PersonalDataMatch>();
        foreach (var (match, _) in found.OrderBy(f => f.Match.Start).ThenByDescending(f => f.Match.Length).ThenBy(f => f.Priority))
        {
            if (result.Count > 0 && match.Start < result[^1].End) continue;
            result.Add(match);
        }
        return result;
    }

    public string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        var matches = Find(text);
        if (matches.Count == 0) return text;
        var sb = new StringBuilder(text.Length);
        var at = 0;
        foreach (var m in matches)
        {
            sb.Append(text, at, m.Start - at).Append(Placeholder(m.Kind));
            at = m.End;
        }
        sb.Append(text, at, text.Length - at);
        return sb.ToString();
    }

    private static PersonalDataMatch Of(PersonalDataKind kind, Group g) => new(kind, g.Index, g.Length, g.Value);

    /// <summary>NHS numbers carry a modulus 11 check digit: weights 10..2 over the first nine digits.</summary>
    public static bool IsValidNhsNumber(string value)
    {
        var digits = value.Where(char.IsAsciiDigit).Select(c => c - '0').ToArray();
        if (digits.Length != 10) return false;
        var sum = 0;
        for (var i = 0; i < 9; i++) sum += digits[i] * (10 - i);
        var check = 11 - sum % 11;
        if (check == 11) check = 0;
        return check != 10 && check == digits[9];
    }

    private static bool IsPlausiblePhone(string value)
    {
        var digits = new string(value.Where(char.IsAsciiDigit).ToArray());
        // +44 and 0044 replace the leading 0, which some people still write as "(0)".
        if (digits.StartsWith("0044", StringComparison.Ordinal)) digits = National(digits[4..]);
        else if (value.TrimStart().StartsWith('+')) digits = digits.StartsWith("44", StringComparison.Ordinal) ? National(digits[2..]) : "";
        if (digits.StartsWith("00", StringComparison.Ordinal)) return false;
        // UK numbers are 0 + 9 or 10 digits; the second digit is never 0 or 4 or 6.
        return digits.Length is 10 or 11 && digits[0] == '0' && digits[1] is '1' or '2' or '3' or '5' or '7' or '8' or '9';
    }

    private static string National(string rest) => rest.StartsWith('0') ? rest : "0" + rest;

    // Inward-code letters never use C, I, K, M, O or V; "3rd" in "B12 3rd dose" is not a postcode.
    private static bool IsPlausiblePostcode(Match m)
    {
        var inward = m.Groups["inward"].Value;
        var letters = inward[1..].ToUpperInvariant();
        if (letters.Any(c => "CIKMOV".Contains(c))) return false;
        if (inward[1..] is "st" or "nd" or "rd" or "th") return false;
        var outward = m.Groups["outward"].Value;
        // A lower-case postcode must be all lower case: "Me7 1aa" style mixtures are usually words.
        var all = outward + inward;
        return all.Where(char.IsLetter).All(char.IsUpper) || all.Where(char.IsLetter).All(char.IsLower);
    }

    private static PersonalDataMatch? NameAfterIntroduction(Group g)
    {
        var words = g.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0 || NotNames.Contains(words[0])) return null;
        // "my name is jo and" → only "jo"; capitalised second words are surnames.
        var take = 1;
        if (words.Length > 1 && char.IsUpper(words[1][0]) && !NotNames.Contains(words[1])) take = 2;
        var length = g.Value.IndexOf(words[take - 1], StringComparison.Ordinal) + words[take - 1].Length;
        return new PersonalDataMatch(PersonalDataKind.Name, g.Index, length, g.Value[..length]);
    }

    private static bool IsLikelyName(string word) =>
        word.Length >= 2 && char.IsUpper(word[0]) && word.Skip(1).Any(char.IsLower) && !NotNames.Contains(word);

    /// <summary>Capitalised words that follow "I am", "my name is" or a title without being a name.</summary>
    private static readonly HashSet<string> NotNames = new(StringComparer.OrdinalIgnoreCase)
    {
        // Feelings, states, roles
        "a", "an", "the", "not", "no", "so", "very", "really", "just", "also", "still", "now", "here", "there", "worried", "concerned",
        "happy", "unhappy", "sad", "angry", "frustrated", "disappointed", "pleased", "glad", "sure", "unsure", "afraid", "scared",
        "tired", "fed", "sick", "ill", "unwell", "well", "fine", "ok", "okay", "writing", "responding", "replying", "asking", "going",
        "trying", "lucky", "fortunate", "grateful", "thankful", "aware", "unable", "able", "retired", "disabled", "deaf", "blind",
        "autistic", "dyslexic", "diabetic", "pregnant", "single", "married", "divorced", "widowed", "unemployed", "employed",
        "homeless", "elderly", "old", "older", "young", "over", "under", "aged", "in", "on", "at", "from", "of", "with", "without",
        "carer", "parent", "mum", "mother", "dad", "father", "nurse", "doctor", "teacher", "gp", "patient", "resident", "volunteer",
        "member", "one", "part", "currently", "always", "never", "sometimes", "definitely", "totally", "completely", "strongly",
        "appalled", "shocked", "disgusted", "horrified", "amazed", "impressed", "confused", "struggling", "waiting", "living",
        "is", "was", "has", "had", "and", "but", "who", "went", "got", "can", "cannot", "can't", "needs", "waited", "lives", "uses",
        "based", "local", "born", "registered", "told", "sorry", "afraid", "this", "that", "it", "who", "what", "your", "my",
        "speaking", "responsible", "involved", "passionate", "keen", "hopeful", "optimistic", "pessimistic", "against", "for",
        // Identities and places people describe themselves with
        "british", "english", "welsh", "scottish", "irish", "european", "asian", "black", "white", "mixed", "christian", "muslim",
        "jewish", "hindu", "sikh", "buddhist", "catholic", "atheist", "gay", "lesbian", "bisexual", "trans", "lgbt", "lgbtq",
        "kent", "medway", "england", "london", "ashford", "canterbury", "dartford", "dover", "folkestone", "hythe", "gravesham",
        "gravesend", "maidstone", "sevenoaks", "swale", "sittingbourne", "thanet", "margate", "ramsgate", "tonbridge",
        "tunbridge", "chatham", "gillingham", "rochester", "nhs", "council", "monday", "tuesday", "wednesday", "thursday",
        "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december", "appointment", "appointments", "surgery", "practice", "services", "please",
    };

    private const string Month = "(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)";
    private const string NumericDate = @"\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})";
    private const string DayMonthYear = @"\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + Month + @",?\s+\d{4}";
    private const string MonthDayYear = Month + @"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}";
    private const string DayMonth = @"\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + Month + "|" + Month + @"\s+\d{1,2}(?:st|nd|rd|th)?";

    [GeneratedRegex(@"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"(?<![\d\w])\d{3}[ \-]?\d{3}[ \-]?\d{4}(?![\d\w])")]
    private static partial Regex NhsPattern();

    // +44 / 0044 / 0, then 9 or 10 more digits with single spaces, hyphens or brackets between groups.
    [GeneratedRegex(@"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|0044\s?|\(0|0)(?:\d[ \-)]?\s?){8,9}\d(?!\d)")]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"\b(?<outward>(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?))\s?(?<inward>\d[A-Z]{2})\b", RegexOptions.IgnoreCase)]
    private static partial Regex PostcodePattern();

    [GeneratedRegex(@"\b(?:born(?:\s+(?:on|in))?|DOB|D\.O\.B\.?|date\s+of\s+birth(?:\s+is)?|birthday(?:\s+is)?)[:\s]\s*(?<date>" + NumericDate + "|" + DayMonthYear + "|" + MonthDayYear + "|" + DayMonth + @"|\d{4})\b", RegexOptions.IgnoreCase)]
    private static partial Regex BirthDatePattern();

    [GeneratedRegex(@"\b(?:" + NumericDate + "|" + DayMonthYear + "|" + MonthDayYear + @")\b", RegexOptions.IgnoreCase)]
    private static partial Regex FullDatePattern();

    [GeneratedRegex(@"\b(?:(?:Flat|Apartment)\s+\d+[A-Za-z]?,?\s+)?\d{1,4}[A-Za-z]?,?\s+(?:[A-Z][A-Za-z'’\-]+\s+){1,3}(?:Road|Rd|Street|St|Avenue|Ave|Lane|Close|Drive|Way|Crescent|Gardens|Place|Court|Terrace|Grove|Hill|Park|Square|Mews|Rise|View|Walk|Row|Parade|Green|Vale)\b(?!\s+(?:surgery|practice|clinic|hospital|station))", RegexOptions.None)]
    private static partial Regex AddressPattern();

    [GeneratedRegex(@"\b(?:my\s+name\s+is|my\s+name'?s|i\s+am\s+called|i'?m\s+called|my\s+name\s*:)\s+(?<name>[A-Za-z][A-Za-z'’\-]+(?:\s+[A-Za-z][A-Za-z'’\-]+)?)", RegexOptions.IgnoreCase)]
    private static partial Regex MyNameIsPattern();

    // "I am" / "I'm" then a capitalised word (and an optional capitalised surname). Case matters: "I am worried" is not a name.
    [GeneratedRegex(@"\b(?:I\s+am|I'm|I’m|Im)\s+(?<name>(?<first>[A-Z][a-z][A-Za-z'’\-]*)(?:\s+[A-Z][a-z][A-Za-z'’\-]*)?)")]
    private static partial Regex IAmPattern();

    // "my son Jayden Price", "my mum, Maureen": people write about relatives by name far more often than about themselves.
    [GeneratedRegex(@"\b(?i:my)\s+(?i:son|daughter|husband|wife|partner|mum|mother|mam|dad|father|brother|sister|grandson|granddaughter|grandma|grandad|nan|nephew|niece|child|boy|girl|friend|neighbour|carer)(?:,|\s+(?i:called|named))?\s+(?<name>(?<first>[A-Z][a-z][A-Za-z'’\-]*)(?:\s+[A-Z][a-z][A-Za-z'’\-]*)?)")]
    private static partial Regex RelativePattern();

    [GeneratedRegex(@"(?:Mr|Ms|Miss|Mx|Dr|Prof)")]
    private static partial Regex TitleCue();

    [GeneratedRegex(@"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?\s+(?<first>[A-Z][A-Za-z\-]*(?:['’][A-Z][A-Za-z]+)?)(?:\s+[A-Z][A-Za-z\-]*(?:['’][A-Z][A-Za-z]+)?)?")]
    private static partial Regex TitlePattern();
}
