using System.Text.Json;
using Engagement.Core.Data;

namespace Engagement.Core;

/// <summary>Reads the theme list from data-samples/taxonomy.json for seeding the database.</summary>
public static class TaxonomyFile
{
    public const string DefaultPath = "data-samples/taxonomy.json";

    public static IReadOnlyList<ThemeSeed> ReadThemes(string path)
    {
        using var stream = File.OpenRead(path);
        using var doc = JsonDocument.Parse(stream);
        return doc.RootElement.GetProperty("themes").EnumerateArray().Select(t => new ThemeSeed(
            t.GetProperty("id").GetString()!,
            t.GetProperty("name").GetString()!,
            t.GetProperty("outcome").GetInt32(),
            t.TryGetProperty("description", out var d) ? d.GetString() ?? "" : "",
            t.TryGetProperty("examplePhrases", out var e) && e.ValueKind == JsonValueKind.Array
                ? e.EnumerateArray().Select(x => x.GetString() ?? "").ToList() : [],
            t.TryGetProperty("reasoning", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null)).ToList();
    }
}
