using System.Text.Json;
using System.Text.Json.Nodes;
using Engagement.Classifier;
using Engagement.Core.Data;

namespace Engagement.Core.Emerging;

/// <summary>
/// Themes added in the site (by an Admin, or promoted from an emerging cluster) are in the database but not in the
/// taxonomy file the trainer reads. A retrain writes an extended copy of the file with them appended, so confirmed
/// comments tagged with a new theme are learnt instead of skipped.
/// </summary>
public static class SiteThemes
{
    /// <summary>
    /// Writes the file's taxonomy plus every non-retired database theme it lacks into <paramref name="outputDirectory"/>.
    /// Returns the path to train with (the original when nothing is missing) and how many themes were added.
    /// </summary>
    public static async Task<(string Path, int Added)> ExtendTaxonomyAsync(string taxonomyPath, ThemeStore themes, string outputDirectory)
    {
        var root = JsonNode.Parse(await File.ReadAllTextAsync(taxonomyPath))!.AsObject();
        var list = root["themes"]!.AsArray();
        var known = list.Select(t => (string?)t!["id"]).Where(id => id is not null).ToHashSet(StringComparer.Ordinal);
        var outcomes = root["outcomes"]!.AsArray().Select(o => (int)o!["id"]!).ToHashSet();
        var added = 0;
        foreach (var theme in await themes.ListAsync())
        {
            if (known.Contains(theme.Id) || !outcomes.Contains(theme.OutcomeId)) continue;
            list.Add(new JsonObject
            {
                ["id"] = theme.Id, ["name"] = theme.Name, ["outcome"] = theme.OutcomeId, ["description"] = theme.Description,
                ["examplePhrases"] = new JsonArray(), ["reasoning"] = "Added in the site",
            });
            added++;
        }
        if (added == 0) return (taxonomyPath, 0);
        Directory.CreateDirectory(outputDirectory);
        var path = Path.Combine(outputDirectory, $"taxonomy-{DateTime.UtcNow:yyyyMMdd-HHmmss-fff}.json");
        await AtomicFile.WriteAllTextAsync(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return (path, added);
    }
}
