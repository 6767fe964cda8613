using System.Runtime.CompilerServices;
using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Engagement.Classifier;

/// <summary>
/// Serves the trained model. The zip is loaded once; single predictions borrow a PredictionEngine from a pool
/// (an engine is not thread-safe), batches go through IDataView transforms split across cores. A missing or
/// unreadable model never throws: the classifier reports itself unavailable with the reason.
/// </summary>
public sealed class PooledCommentClassifier : ICommentClassifier
{
    private const int MinRowsPerChunk = 2000;

    private readonly MLContext ml = new(seed: ModelTrainer.Seed);
    private readonly ITransformer? model;
    private readonly ModelInfo? info;
    private readonly ScoreReader? reader;
    private readonly KeywordMatcher? keywords;
    private readonly TermExplainer? explainer;
    private readonly ObjectPool<PredictionEngine<ModelInput, ModelOutput>>? pool;
    private readonly float threshold;

    public PooledCommentClassifier(ClassifierOptions options)
    {
        threshold = options.NeedsReviewBelow;
        var path = RepoPaths.Resolve(options.ModelPath);
        ModelPath = path;
        try
        {
            (model, info, var inputSchema) = ModelFile.Load(ml, path);
            var output = model.GetOutputSchema(inputSchema);
            var scoreType = output.GetColumnOrNull(ClassifierPipeline.ScoreColumn)?.Type as VectorDataViewType;
            if (scoreType is null || scoreType.Size != info.Themes.Count)
                throw new InvalidDataException($"{path}: score vector does not match the {info.Themes.Count} themes in the model info.");
            reader = info.Reader();
            keywords = new KeywordMatcher(info.Keywords, info.Themes.Select(t => t.Id).ToList());
            explainer = TermExplainer.TryCreate(model, output);
            var engines = new EnginePolicy(ml, model);
            pool = new DefaultObjectPoolProvider { MaximumRetained = Environment.ProcessorCount * 2 }.Create(engines);
            Probe(path);
        }
        catch (Exception ex)
        {
            model = null;
            info = null;
            UnavailableReason = ex is FileNotFoundException
                ? $"No model at {path}: run 'engage train' to create one."
                : $"Model at {path} is unusable: {ex.Message}";
        }
    }

    // A sound ML.NET zip trained on other input columns loads, then fails on the first comment. Scoring one now makes
    // that "unavailable, with the reason" at load time instead of an exception in the middle of a resident's submission.
    private void Probe(string path)
    {
        try
        {
            _ = Suggest("probe: GP appointments");
        }
        catch (Exception ex)
        {
            throw new InvalidDataException($"{path} loads but cannot score a comment: it was trained on a different input schema ({ex.Message}).", ex);
        }
    }

    public string ModelPath { get; }
    public bool IsAvailable => model is not null;
    public string? ModelVersion => info?.Version;
    public string? UnavailableReason { get; }
    public ModelInfo? Info => info;

    public string OutcomeName(int outcome) => info?.OutcomeName(outcome) ?? "";

    public ThemeSuggestion? Suggest(string text)
    {
        if (!IsAvailable || string.IsNullOrWhiteSpace(text)) return null;
        var input = ClassifierPipeline.Prepare<ModelInput>(text, keywords!, info!.CharNgramLengths, info.TagWeight);
        var engine = pool!.Get();
        try
        {
            var output = engine.Predict(input);
            return Build(output.Score, output.WordGrams);
        }
        finally
        {
            pool.Return(engine);
        }
    }

    public IReadOnlyList<ThemeSuggestion?> SuggestMany(IReadOnlyList<string> texts)
    {
        var results = new ThemeSuggestion?[texts.Count];
        if (!IsAvailable || texts.Count == 0) return results;

        var chunks = Math.Clamp(texts.Count / MinRowsPerChunk, 1, Environment.ProcessorCount);
        var size = (texts.Count + chunks - 1) / chunks;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, c =>
        {
            var start = c * size;
            var end = Math.Min(texts.Count, start + size);
            if (start < end) ScoreRange(texts, start, end, results);
        });
        return results;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot on 100k-row imports; skip the slow first JIT tier
    private void ScoreRange(IReadOnlyList<string> texts, int start, int end, ThemeSuggestion?[] results)
    {
        // Blank rows get no suggestion; the rest are scored in one pass over an IDataView.
        var rows = new List<int>(end - start);
        var inputs = new List<ModelInput>(end - start);
        for (var i = start; i < end; i++)
        {
            if (string.IsNullOrWhiteSpace(texts[i])) continue;
            rows.Add(i);
            inputs.Add(ClassifierPipeline.Prepare<ModelInput>(texts[i], keywords!, info!.CharNgramLengths, info.TagWeight));
        }
        if (inputs.Count == 0) return;

        var scored = model!.Transform(ml.Data.LoadFromEnumerable(inputs));
        var scoreCol = scored.Schema[ClassifierPipeline.ScoreColumn];
        var wordCol = scored.Schema[ClassifierPipeline.WordColumn];
        using var cursor = scored.GetRowCursor([scoreCol, wordCol]);
        var getScore = cursor.GetGetter<VBuffer<float>>(scoreCol);
        var getWords = cursor.GetGetter<VBuffer<float>>(wordCol);
        VBuffer<float> score = default, words = default;
        var dense = new float[info!.Themes.Count];
        var n = 0;
        while (cursor.MoveNext())
        {
            getScore(ref score);
            getWords(ref words);
            score.CopyTo(dense);
            results[rows[n++]] = Build(dense, words);
        }
    }

    private ThemeSuggestion Build(ReadOnlySpan<float> scores, VBuffer<float> words)
    {
        var reading = reader!.Read(scores);
        var probs = reading.ThemeProbabilities;
        var top = new List<(string, float)>(3);
        foreach (var i in TopIndices(probs, 3)) top.Add((info!.Themes[i].Id, probs[i]));
        var terms = explainer?.TopTerms(words, reading.Theme) ?? [];
        return new ThemeSuggestion(info!.Themes[reading.Theme].Id, reading.Outcome, reading.Confidence, top, terms,
            reading.Confidence < threshold);
    }

    private static int[] TopIndices(float[] values, int n)
    {
        var top = new int[Math.Min(n, values.Length)];
        var taken = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var at = taken < top.Length ? taken++ : top.Length;
            if (at == top.Length && values[i] <= values[top[^1]]) continue;
            at = Math.Min(at, top.Length - 1);
            while (at > 0 && values[top[at - 1]] < values[i])
            {
                top[at] = top[at - 1];
                at--;
            }
            top[at] = i;
        }
        return top;
    }

    private sealed class EnginePolicy(MLContext ml, ITransformer model) : PooledObjectPolicy<PredictionEngine<ModelInput, ModelOutput>>
    {
        public override PredictionEngine<ModelInput, ModelOutput> Create() => ml.Model.CreatePredictionEngine<ModelInput, ModelOutput>(model);

        public override bool Return(PredictionEngine<ModelInput, ModelOutput> obj) => true;
    }
}
