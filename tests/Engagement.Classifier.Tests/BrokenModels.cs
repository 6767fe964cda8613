using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Engagement.Classifier.Tests;

/// <summary>The ways a model file goes wrong in operation. Also compiled into the core and web tests.</summary>
public enum ModelFault
{
    /// <summary>No file at the path.</summary>
    Missing,

    /// <summary>A good model cut in half, as an interrupted copy leaves it.</summary>
    Truncated,

    /// <summary>A readable zip of files that are not a model.</summary>
    GarbageEntries,

    /// <summary>Our model info, but the ML.NET entries overwritten with junk.</summary>
    GarbageModel,

    /// <summary>A sound ML.NET model made by something else (no model info).</summary>
    ForeignModel,

    /// <summary>A sound ML.NET model trained on a different input schema, carrying a copy of our model info.</summary>
    WrongSchema,
}

public static class BrokenModels
{
    public const string InfoEntry = "Engagement/model-info.json";

    public static readonly TheoryData<ModelFault> All = new(Enum.GetValues<ModelFault>());

    /// <summary>What the classifier's reason must say, so a person reading /health or the Models page knows what to fix.</summary>
    public static string ExpectedReason(ModelFault fault) => fault switch
    {
        ModelFault.Missing => "No model at",
        ModelFault.Truncated => "may be truncated or corrupt",
        ModelFault.GarbageEntries or ModelFault.ForeignModel => "not a model made by engage train",
        ModelFault.GarbageModel => "could not be loaded by ML.NET",
        ModelFault.WrongSchema => "trained on a different input schema",
        _ => throw new ArgumentOutOfRangeException(nameof(fault)),
    };

    /// <summary>Writes the broken file into <paramref name="folder"/> (nothing, for Missing) and returns its path.</summary>
    public static string Write(ModelFault fault, string goodModel, string folder)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{fault.ToString().ToLowerInvariant()}-{Guid.NewGuid():N}.zip");
        switch (fault)
        {
            case ModelFault.Missing:
                break;
            case ModelFault.Truncated:
                var bytes = File.ReadAllBytes(goodModel);
                File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
                break;
            case ModelFault.GarbageEntries:
                using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
                {
                    Entry(zip, "readme.txt", "Quarterly figures, not a model"u8.ToArray());
                    Entry(zip, "Model/Model.key", Junk(4096));
                }
                break;
            case ModelFault.GarbageModel:
                File.Copy(goodModel, path);
                using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
                {
                    foreach (var entry in zip.Entries.Where(e => e.FullName != InfoEntry && e.Length > 0).ToList())
                    {
                        var name = entry.FullName;
                        entry.Delete();
                        Entry(zip, name, Junk(512));
                    }
                }
                break;
            case ModelFault.ForeignModel:
                SaveOtherSchemaModel(path, themes: 3);
                break;
            case ModelFault.WrongSchema:
                byte[] info;
                using (var good = ZipFile.OpenRead(goodModel))
                using (var stream = good.GetEntry(InfoEntry)!.Open())
                using (var copy = new MemoryStream())
                {
                    stream.CopyTo(copy);
                    info = copy.ToArray();
                }
                // As many classes as the real model has themes, so its score vector passes the size check.
                SaveOtherSchemaModel(path, themes: System.Text.Json.JsonDocument.Parse(info).RootElement.GetProperty("Themes").GetArrayLength());
                using (var zip = ZipFile.Open(path, ZipArchiveMode.Update)) Entry(zip, InfoEntry, info);
                break;
        }
        return path;
    }

    private static void Entry(ZipArchive zip, string name, byte[] content)
    {
        using var stream = zip.CreateEntry(name).Open();
        stream.Write(content);
    }

    private static byte[] Junk(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }

    private sealed class Visit
    {
        public float Age { get; set; }
        public float Visits { get; set; }
        public string Label { get; set; } = "";
    }

    /// <summary>A real multiclass ML.NET model over two numeric columns: nothing like a comment.</summary>
    private static void SaveOtherSchemaModel(string path, int themes)
    {
        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, themes * 4).Select(i => new Visit { Age = i % 90, Visits = i % 7, Label = $"c{i % themes}" }).ToList();
        var data = ml.Data.LoadFromEnumerable(rows);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.Concatenate("Features", nameof(Visit.Age), nameof(Visit.Visits)))
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(maximumNumberOfIterations: 5));
        ml.Model.Save(pipeline.Fit(data), data.Schema, path);
    }
}
