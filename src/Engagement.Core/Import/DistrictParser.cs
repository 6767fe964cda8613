using System.Text;
using System.Text.RegularExpressions;
using Engagement.Core.Domain;

namespace Engagement.Core.Import;

/// <summary>The districts a cell names, or the parts nobody could recognise.</summary>
public sealed record DistrictParse(IReadOnlyList<string> Codes, IReadOnlyList<string> Unknown)
{
    public bool Ok => Unknown.Count == 0;
}

/// <summary>
/// Recognises districts the way people type them in spreadsheets: the council's report codes ("TW", and
/// "(TW)(T)(SW)" for three), names in any case or with "&amp;", common misspellings ("Tunbridge Wels", "Folkstone"),
/// old or town names ("Shepway", "Margate", "Chatham"), ONS codes (E07000116), and lists split by ; , / or |.
/// </summary>
public static partial class DistrictParser
{
    // Towns and old names people give instead of the district. Only towns that sit wholly in one district.
    private static readonly (string Alias, string Code)[] Aliases =
    [
        ("Shepway", "FH"), ("Folkestone", "FH"), ("Hythe", "FH"), ("Romney Marsh", "FH"), ("New Romney", "FH"),
        ("Royal Tunbridge Wells", "TW"), ("Tunbridge", "TW"), ("Cranbrook", "TW"), ("Paddock Wood", "TW"),
        ("Tonbridge", "TMBC"), ("Malling", "TMBC"), ("West Malling", "TMBC"), ("Tonbridge & Malling", "TMBC"), ("T&M", "TMBC"), ("TM", "TMBC"),
        ("Margate", "T"), ("Ramsgate", "T"), ("Broadstairs", "T"), ("Isle of Thanet", "T"),
        ("Sittingbourne", "SW"), ("Faversham", "SW"), ("Sheerness", "SW"), ("Sheppey", "SW"), ("Isle of Sheppey", "SW"),
        ("Deal", "D"), ("Sandwich", "D"), ("Whitstable", "C"), ("Herne Bay", "C"),
        ("Gravesend", "G"), ("Northfleet", "G"), ("Swanley", "S"), ("Edenbridge", "S"), ("Westerham", "S"),
        ("Tenterden", "A"), ("Swanscombe", "Da"), ("Greenhithe", "Da"),
        ("Chatham", "Med"), ("Gillingham", "Med"), ("Rochester", "Med"), ("Strood", "Med"), ("Rainham", "Med"),
        ("Medway Council", "Med"), ("Medway Towns", "Med"),
        ("Kent wide", "KW"), ("Kentwide", "KW"), ("All of Kent", "KW"), ("Across Kent", "KW"), ("Kent", "KW"), ("County-wide", "KW"),
        ("Medway wide", "MW"), ("All of Medway", "MW"), ("Kent and Medway", "KW"),
        ("Outside Kent", "OUT"), ("Outside", "OUT"), ("Out of area", "OUT"), ("Outside area", "OUT"),
        // ONS (GSS) codes, for files exported from other systems.
        ("E07000105", "A"), ("E07000106", "C"), ("E07000107", "Da"), ("E07000108", "D"), ("E07000109", "G"), ("E07000110", "M"),
        ("E07000111", "S"), ("E07000112", "FH"), ("E07000113", "SW"), ("E07000114", "T"), ("E07000115", "TMBC"), ("E07000116", "TW"),
        ("E06000035", "Med"),
    ];

    private static readonly Dictionary<string, string> ByKey = BuildKeys();

    private static Dictionary<string, string> BuildKeys()
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var d in Districts.All) keys.TryAdd(Key(d.Name), d.Code);
        foreach (var (alias, code) in Aliases) keys.TryAdd(Key(alias), code);
        foreach (var d in Districts.All) keys.TryAdd(Key(d.Name + " borough council"), d.Code);
        return keys;
    }

    /// <summary>Parses a cell: empty gives no districts; each part that cannot be recognised is reported.</summary>
    public static DistrictParse Parse(string? value)
    {
        var codes = new List<string>();
        var unknown = new List<string>();
        var v = value?.Trim() ?? "";
        if (v.Length == 0) return new DistrictParse(codes, unknown);

        void Add(string code) { if (!codes.Contains(code)) codes.Add(code); }

        // The council's own format: "(TW)(T)(SW)", possibly with spaces.
        if (BracketList().IsMatch(v))
        {
            foreach (Match m in BracketItem().Matches(v))
            {
                if (Resolve(m.Groups[1].Value) is { } code) Add(code);
                else unknown.Add(m.Groups[1].Value.Trim());
            }
            return new DistrictParse(codes, unknown);
        }

        if (Resolve(v) is { } whole) { Add(whole); return new DistrictParse(codes, unknown); }

        foreach (var part in v.Split([';', ',', '/', '|', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Resolve(part) is { } code) { Add(code); continue; }
            // "Thanet and Swale": only split on "and"/"&" when every piece is a district ("Tonbridge and Malling" is one).
            var pieces = AndSplit().Split(part).Where(p => p.Length > 0).ToList();
            var resolved = pieces.Count > 1 ? pieces.Select(Resolve).ToList() : [];
            if (resolved.Count > 1 && resolved.All(r => r is not null)) foreach (var r in resolved) Add(r!);
            else unknown.Add(part);
        }
        return new DistrictParse(codes, unknown);
    }

    /// <summary>One district: code, name, alias, or a near miss of a name. Null if nothing is close enough to be sure.</summary>
    public static string? Resolve(string value)
    {
        var v = value.Trim().Trim('(', ')', '.', '"', '\'').Trim();
        if (v.Length == 0) return null;
        // Codes are case-sensitive in print (D Dover, Da Dartford), so an exact code wins...
        if (Districts.FindByCode(v) is { } exact) return exact.Code;
        var key = Key(v);
        if (key.Length == 0) return null;
        if (ByKey.TryGetValue(key, out var named)) return named;
        // ...then a code in another case, which is unambiguous for the council's codes ("tw", "DA", "med").
        var byCode = Districts.All.Where(d => string.Equals(d.Code, v, StringComparison.OrdinalIgnoreCase)).ToList();
        if (byCode.Count == 1) return byCode[0].Code;
        return Misspelt(key);
    }

    /// <summary>The one name within a small edit distance (1 for short names, 2 for longer); none if two are equally close.</summary>
    private static string? Misspelt(string key)
    {
        if (key.Length < 4) return null;
        string? best = null;
        var bestDistance = int.MaxValue;
        var tie = false;
        foreach (var (candidate, code) in ByKey)
        {
            if (candidate.Length < 4 || candidate.StartsWith('e') && candidate.Any(char.IsDigit)) continue;
            var allowed = candidate.Length <= 6 ? 1 : 2;
            if (Math.Abs(candidate.Length - key.Length) > allowed) continue;
            var distance = Distance(key, candidate, allowed);
            if (distance > allowed) continue;
            if (distance < bestDistance) { bestDistance = distance; best = code; tie = false; }
            else if (distance == bestDistance && code != best) tie = true;
        }
        return tie ? null : best;
    }

    /// <summary>Lower-case letters and digits only, "&amp;" read as "and": "Folkestone & Hythe" and "folkestone and hythe" match.</summary>
    public static string Key(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var ch in value.Replace("&", " and ", StringComparison.Ordinal).ToLowerInvariant())
            if (char.IsLetterOrDigit(ch)) sb.Append(ch);
        return sb.ToString();
    }

    /// <summary>Optimal string alignment distance (a swap of two neighbouring letters counts as one), stopping early past max.</summary>
    public static int Distance(string a, string b, int max)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            var rowMin = int.MaxValue;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) value = Math.Min(value, d[i - 2, j - 2] + 1);
                d[i, j] = value;
                rowMin = Math.Min(rowMin, value);
            }
            if (rowMin > max) return max + 1;
        }
        return d[a.Length, b.Length];
    }

    [GeneratedRegex(@"^\s*(\(\s*[^()]+\s*\)\s*)+$")]
    private static partial Regex BracketList();

    [GeneratedRegex(@"\(\s*([^()]+?)\s*\)")]
    private static partial Regex BracketItem();

    [GeneratedRegex(@"\s+and\s+|\s*&\s*", RegexOptions.IgnoreCase)]
    private static partial Regex AndSplit();
}
