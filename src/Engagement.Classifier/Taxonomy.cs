using System.Text.Json;

namespace Engagement.Classifier;

public sealed record Outcome(int Id, string Name, string ShortName, string PlainEnglish, IReadOnlyList<string> Priorities);

public sealed record Theme(
    string Id,
    string Name,
    int OutcomeId,
    string Description,
    IReadOnlyList<string> ExamplePhrases,
    string? Reasoning);

public sealed class TaxonomyException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The two-level label set: six shared outcomes plus "General" (0), and ~42 themes each owned by one outcome.</summary>
public sealed record Taxonomy(IReadOnlyList<Outcome> Outcomes, IReadOnlyList<Theme> Themes)
{
    public const string DefaultPath = "data-samples/taxonomy.json";

    private Dictionary<string, Theme>? byId;

    private Dictionary<string, Theme> ById => byId ??= Themes.ToDictionary(t => t.Id, StringComparer.Ordinal);

    public Theme? FindTheme(string themeId) => ById.GetValueOrDefault(themeId);

    /// <summary>The outcome a theme belongs to; throws for an unknown theme because that means data and taxonomy disagree.</summary>
    public int ThemeOutcome(string themeId) =>
        FindTheme(themeId)?.OutcomeId ?? throw new KeyNotFoundException($"Theme '{themeId}' is not in the taxonomy.");

    public string OutcomeName(int outcomeId) =>
        Outcomes.FirstOrDefault(o => o.Id == outcomeId)?.Name ?? $"Outcome {outcomeId}";

    public static Taxonomy Load(string path)
    {
        var full = RepoPaths.Resolve(path);
        if (!File.Exists(full)) throw new TaxonomyException($"Taxonomy file not found: {full}");
        try
        {
            using var stream = File.OpenRead(full);
            return Parse(stream);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new TaxonomyException($"Taxonomy file {full} is not valid: {ex.Message}", ex);
        }
    }

    public static Taxonomy Parse(Stream json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var outcomes = root.GetProperty("outcomes").EnumerateArray().Select(o => new Outcome(
            o.GetProperty("id").GetInt32(),
            o.GetProperty("name").GetString() ?? "",
            Str(o, "shortName"),
            Str(o, "plainEnglish"),
            Strings(o, "priorities"))).ToList();
        var themes = root.GetProperty("themes").EnumerateArray().Select(t => new Theme(
            t.GetProperty("id").GetString() ?? throw new TaxonomyException("A theme has no id."),
            Str(t, "name"),
            t.GetProperty("outcome").GetInt32(),
            Str(t, "description"),
            Strings(t, "examplePhrases"),
            t.TryGetProperty("reasoning", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null)).ToList();
        var taxonomy = new Taxonomy(outcomes, themes);
        taxonomy.Validate();
        return taxonomy;
    }

    private void Validate()
    {
        if (Themes.Count == 0) throw new TaxonomyException("The taxonomy has no themes.");
        var dup = Themes.GroupBy(t => t.Id).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new TaxonomyException($"Theme id '{dup.Key}' appears twice.");
        if (Outcomes.Any(o => o.Id < 0)) throw new TaxonomyException("Outcome ids must be 0 or more.");
        var outcomeIds = Outcomes.Select(o => o.Id).ToHashSet();
        var orphan = Themes.FirstOrDefault(t => !outcomeIds.Contains(t.OutcomeId));
        if (orphan is not null) throw new TaxonomyException($"Theme '{orphan.Id}' names outcome {orphan.OutcomeId}, which is not defined.");
    }

    private static string Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : "";

    private static IReadOnlyList<string> Strings(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString() ?? "").ToList()
            : [];
}
