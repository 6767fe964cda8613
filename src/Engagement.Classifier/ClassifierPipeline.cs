using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.LightGbm;
using Microsoft.ML.Transforms.Text;

namespace Engagement.Classifier;

public enum TrainerKind
{
    SdcaMaxEnt,
    LbfgsMaxEnt,
    OvaAveragedPerceptron,
    LightGbm,
}

/// <summary>What the model sees for one comment, all made in C#: normalised text, character n-grams and knowledge tags.</summary>
public class ModelInput
{
    /// <summary>Slots of <see cref="Tags"/>: themes from 0, outcomes from 512, concepts from 576.</summary>
    public const int TagSize = 1024;
    public const int OutcomeSlots = 512;
    public const int ConceptSlots = 576;

    public string Text { get; set; } = "";

    [VectorType(TagSize)]
    public VBuffer<float> Tags { get; set; }

    [VectorType(Classifier.CharGrams.Size)]
    public VBuffer<float> CharGrams { get; set; }
}

internal sealed class LabelledInput : ModelInput
{
    public string Theme { get; set; } = "";
}

/// <summary>Columns read back from the model: class scores in taxonomy theme order and the word n-gram vector (for TopTerms).</summary>
public sealed class ModelOutput
{
    public float[] Score { get; set; } = [];
    public VBuffer<float> WordGrams { get; set; }
}

/// <summary>Feature settings, chosen by cross-validation on train.csv (see models/outcome-theme-classifier.md).</summary>
public sealed record FeatureSettings
{
    public int WordNgramLength { get; init; } = 2;
    public int[] CharNgramLengths { get; init; } = [4];
    /// <summary>Regularisation strength (scaled per trainer): the main guard against learning corpus quirks.</summary>
    public float L2 { get; init; } = 0.02f;
    public bool Keywords { get; init; } = true;
    /// <summary>Value of one keyword or concept tag, against L2-normalised word and character blocks.</summary>
    public float TagWeight { get; init; } = 0.5f;
    public NgramExtractingEstimator.WeightingCriteria Weighting { get; init; } = NgramExtractingEstimator.WeightingCriteria.Tf;
    public static FeatureSettings Default { get; } = new();
}

/// <summary>
/// The one place the model is defined, used by training, cross-validation, serving and tests alike.
/// <see cref="Prepare{T}"/> runs in C# (normalised text, hashed character n-grams, taxonomy-phrase and concept tags),
/// so the saved model needs no custom transform; the ML.NET part is word 1-2 grams (dictionary, TF, L2-normalised)
/// concatenated with those vectors into a multiclass trainer over theme labels.
/// </summary>
public sealed class ClassifierPipeline
{
    public const string ScoreColumn = "Score";
    public const string WordColumn = "WordGrams";
    private const string LabelColumn = "Label";

    private ClassifierPipeline(MLContext ml, Taxonomy taxonomy, TrainerKind trainer, FeatureSettings features, KeywordMatcher keywords)
    {
        Ml = ml;
        Taxonomy = taxonomy;
        Trainer = trainer;
        Features = features;
        Keywords = keywords;
    }

    public MLContext Ml { get; }
    public Taxonomy Taxonomy { get; }
    public TrainerKind Trainer { get; }
    public FeatureSettings Features { get; }
    public KeywordMatcher Keywords { get; }

    public static ClassifierPipeline Build(MLContext ml, Taxonomy taxonomy, TrainerKind trainer, FeatureSettings? features = null) =>
        new(ml, taxonomy, trainer, features ?? FeatureSettings.Default,
            features?.Keywords == false ? new KeywordMatcher([], []) : KeywordMatcher.FromTaxonomy(taxonomy));

    /// <summary>Whether the trainer's Score column is already a probability distribution (else it is a margin).</summary>
    public static bool ScoresAreProbabilities(TrainerKind trainer) => trainer is not TrainerKind.OvaAveragedPerceptron;

    public static T Prepare<T>(string? text, KeywordMatcher keywords, int[] charLengths, float tagWeight) where T : ModelInput, new()
    {
        var tokens = TextNormaliser.Tokens(text);
        return new T
        {
            Text = string.Join(' ', tokens),
            Tags = TagVector(tokens, keywords, tagWeight),
            CharGrams = Engagement.Classifier.CharGrams.Vector(tokens, charLengths),
        };
    }

    /// <summary>Counts of taxonomy-phrase matches per theme and per outcome, plus concept flags, times the tag weight.</summary>
    public static VBuffer<float> TagVector(IReadOnlyList<string> tokens, KeywordMatcher keywords, float weight)
    {
        var slots = new SortedDictionary<int, float>();
        foreach (var (theme, outcome) in keywords.Matches(tokens))
        {
            if (theme < ModelInput.OutcomeSlots) slots[theme] = slots.GetValueOrDefault(theme) + weight;
            var o = ModelInput.OutcomeSlots + outcome;
            if (o < ModelInput.ConceptSlots) slots[o] = slots.GetValueOrDefault(o) + weight;
        }
        foreach (var c in Concepts.Find(tokens))
            if (ModelInput.ConceptSlots + c < ModelInput.TagSize) slots[ModelInput.ConceptSlots + c] = weight;
        return new VBuffer<float>(ModelInput.TagSize, slots.Count, [.. slots.Values], [.. slots.Keys]);
    }

    public ModelInput Prepare(string? text) => Prepare<ModelInput>(text, Keywords, Features.CharNgramLengths, Features.TagWeight);

    public IEstimator<ITransformer> FeatureEstimator()
    {
        var t = Ml.Transforms;
        IEstimator<ITransformer> est = t.Text.ProduceWordBags(WordColumn, nameof(ModelInput.Text),
                ngramLength: Features.WordNgramLength, useAllLengths: true, weighting: Features.Weighting)
            .Append(t.NormalizeLpNorm(WordColumn));
        return est.Append(t.Concatenate("Features", WordColumn, nameof(ModelInput.CharGrams), nameof(ModelInput.Tags)));
    }

    public IEstimator<ITransformer> TrainerEstimator()
    {
        var c = Ml.MulticlassClassification.Trainers;
        return Trainer switch
        {
            TrainerKind.SdcaMaxEnt => c.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = LabelColumn, FeatureColumnName = "Features",
                L2Regularization = Features.L2 * 1e-3f, L1Regularization = 0f, MaximumNumberOfIterations = 30, NumberOfThreads = 1,
            }),
            TrainerKind.LbfgsMaxEnt => c.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = LabelColumn, FeatureColumnName = "Features",
                L2Regularization = Features.L2, L1Regularization = 0f, OptimizationTolerance = 1e-4f, NumberOfThreads = 1,
            }),
            TrainerKind.OvaAveragedPerceptron => c.OneVersusAll(
                Ml.BinaryClassification.Trainers.AveragedPerceptron(labelColumnName: LabelColumn, featureColumnName: "Features", numberOfIterations: 10),
                labelColumnName: LabelColumn, useProbabilities: false),
            TrainerKind.LightGbm => c.LightGbm(new LightGbmMulticlassTrainer.Options
            {
                LabelColumnName = LabelColumn, FeatureColumnName = "Features",
                NumberOfIterations = 100, NumberOfLeaves = 8, MinimumExampleCountPerLeaf = 5, LearningRate = 0.1,
                NumberOfThreads = 1, Seed = 20231122, UseSoftmax = true,
            }),
            _ => throw new ArgumentOutOfRangeException(nameof(Trainer)),
        };
    }

    public IEstimator<ITransformer> Estimator() => FeatureEstimator().Append(TrainerEstimator());

    /// <summary>Prepared rows with the theme mapped to a key in taxonomy order, so score slot i is theme i.</summary>
    public IDataView LoadLabelled(IEnumerable<LabelledComment> rows)
    {
        var prepared = rows.AsParallel().AsOrdered().Select(r =>
        {
            var input = Prepare<LabelledInput>(r.Text, Keywords, Features.CharNgramLengths, Features.TagWeight);
            input.Theme = r.Theme;
            return input;
        }).ToList();
        var data = Ml.Data.LoadFromEnumerable(prepared);
        var themeIds = Ml.Data.LoadFromEnumerable(Taxonomy.Themes.Select(t => new ThemeKey { Theme = t.Id }));
        return Ml.Transforms.Conversion.MapValueToKey(LabelColumn, nameof(LabelledInput.Theme), keyData: themeIds)
            .Fit(data).Transform(data);
    }

    public ITransformer Fit(IEnumerable<LabelledComment> rows) => Estimator().Fit(LoadLabelled(rows));

    /// <summary>Raw score vectors (theme order) for prepared rows, in row order.</summary>
    public static List<float[]> Scores(ITransformer model, IDataView data)
    {
        var scored = model.Transform(data);
        var result = new List<float[]>();
        using var cursor = scored.GetRowCursor([scored.Schema[ScoreColumn]]);
        var getter = cursor.GetGetter<VBuffer<float>>(scored.Schema[ScoreColumn]);
        var buffer = default(VBuffer<float>);
        while (cursor.MoveNext())
        {
            getter(ref buffer);
            result.Add(buffer.DenseValues().ToArray());
        }
        return result;
    }

    private sealed class ThemeKey
    {
        public string Theme { get; set; } = "";
    }
}
