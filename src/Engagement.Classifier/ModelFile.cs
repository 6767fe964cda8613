using System.IO.Compression;
using System.Text.Json;
using Microsoft.ML;

namespace Engagement.Classifier;

public sealed record ThemeEntry(string Id, string Name, int Outcome);

public sealed record OutcomeEntry(int Id, string Name);

/// <summary>
/// Everything besides the ML.NET transformer chain that serving needs, stored as an extra entry in the same zip:
/// theme order of the score vector, calibration, keyword phrases and the text normaliser version.
/// </summary>
public sealed record ModelInfo
{
    public int FormatVersion { get; init; } = ModelFile.FormatVersion;
    public int NormaliserVersion { get; init; } = TextNormaliser.Version;
    public string Version { get; init; } = "";
    public DateTimeOffset TrainedAt { get; init; }
    public string Trainer { get; init; } = "";
    public bool ScoresAreProbabilities { get; init; }
    public float Temperature { get; init; } = 1;
    public bool OutcomeBySum { get; init; }
    public float RecommendedNeedsReviewBelow { get; init; }
    public List<ThemeEntry> Themes { get; init; } = [];
    public List<OutcomeEntry> Outcomes { get; init; } = [];
    public List<KeywordPhrase> Keywords { get; init; } = [];
    public int[] CharNgramLengths { get; init; } = [];
    public float TagWeight { get; init; } = 1;

    public ScoreReader Reader() =>
        new(Themes.Select(t => t.Outcome).ToList(), ScoresAreProbabilities, Temperature, OutcomeBySum);

    public string OutcomeName(int id) => Outcomes.FirstOrDefault(o => o.Id == id)?.Name ?? "";
}

public static class ModelFile
{
    public const int FormatVersion = 1;
    private const string InfoEntry = "Engagement/model-info.json";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Writes the ML.NET model and its info next to each other in one zip, replacing any previous file whole.</summary>
    public static void Save(MLContext ml, ITransformer model, DataViewSchema inputSchema, ModelInfo info, string path) =>
        AtomicFile.Write(path, temp =>
        {
            ml.Model.Save(model, inputSchema, temp);
            using var zip = ZipFile.Open(temp, ZipArchiveMode.Update);
            var entry = zip.CreateEntry(InfoEntry, CompressionLevel.Optimal);
            using var stream = entry.Open();
            JsonSerializer.Serialize(stream, info, Json);
        });

    /// <summary>Loads model and info; throws <see cref="InvalidDataException"/> with a readable reason when the file is unusable.</summary>
    public static (ITransformer Model, ModelInfo Info, DataViewSchema InputSchema) Load(MLContext ml, string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Model file not found: {path}", path);
        byte[]? infoJson;
        try
        {
            using var zip = ZipFile.OpenRead(path);
            using var buffer = new MemoryStream();
            if (zip.GetEntry(InfoEntry) is { } entry)
            {
                using var stream = entry.Open();
                stream.CopyTo(buffer);
                infoJson = buffer.ToArray();
            }
            else infoJson = null;
        }
        catch (Exception ex)
        {
            throw new InvalidDataException($"{path} is not a readable zip: it may be truncated or corrupt ({ex.Message}).", ex);
        }
        if (infoJson is null) throw new InvalidDataException($"{path} has no {InfoEntry}: not a model made by engage train.");
        ModelInfo info;
        try
        {
            info = JsonSerializer.Deserialize<ModelInfo>(infoJson, Json) ?? throw new JsonException("it is null");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path} has an unreadable {InfoEntry} ({ex.Message}).", ex);
        }
        if (info.FormatVersion != FormatVersion || info.NormaliserVersion != TextNormaliser.Version)
            throw new InvalidDataException(
                $"{path} was made by a different version (format {info.FormatVersion}, normaliser {info.NormaliserVersion}); retrain with engage train.");

        ITransformer model;
        DataViewSchema schema;
        try
        {
            model = ml.Model.Load(path, out schema);
        }
        catch (Exception ex)
        {
            throw new InvalidDataException($"{path} could not be loaded by ML.NET ({ex.Message}).", ex);
        }
        return (model, info, schema);
    }
}
