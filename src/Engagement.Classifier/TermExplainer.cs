using System.Runtime.CompilerServices;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace Engagement.Classifier;

/// <summary>
/// Explains a linear model's choice with the comment's own word n-grams: contribution = feature value x
/// (weight for the chosen theme - mean weight over themes). Subtracting the mean removes what every class shares
/// (softmax only cares about differences), so "gp" scores for gp-access but not for every theme.
/// </summary>
internal sealed class TermExplainer
{
    private readonly string[] slotNames;
    private readonly float[][] contrast;

    private TermExplainer(string[] slotNames, float[][] contrast)
    {
        this.slotNames = slotNames;
        this.contrast = contrast;
    }

    /// <summary>Null when the model has no per-feature linear weights (e.g. trees), in which case TopTerms is empty.</summary>
    public static TermExplainer? TryCreate(ITransformer model, DataViewSchema output)
    {
        var last = model is TransformerChain<ITransformer> chain ? chain.LastTransformer : model;
        if ((last as IPredictionTransformer<object>)?.Model is not LinearMulticlassModelParametersBase linear) return null;
        var column = output.GetColumnOrNull(ClassifierPipeline.WordColumn);
        if (column is null || !column.Value.HasSlotNames()) return null;

        var names = default(VBuffer<ReadOnlyMemory<char>>);
        column.Value.GetSlotNames(ref names);
        var slots = names.DenseValues().Select(n => n.ToString().Replace('|', ' ')).ToArray();

        VBuffer<float>[] weights = [];
        linear.GetWeights(ref weights, out var classes);
        // The word block comes first in the concatenated Features vector, so word slot j is weight j.
        var dense = weights.Select(w => w.DenseValues().Take(slots.Length).ToArray()).ToArray();
        var mean = new float[slots.Length];
        foreach (var w in dense)
            for (var j = 0; j < slots.Length; j++) mean[j] += w[j] / classes;
        var contrast = dense.Select(w => w.Select((v, j) => v - mean[j]).ToArray()).ToArray();
        return new TermExplainer(slots, contrast);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot on 100k-row imports; skip the slow first JIT tier
    public IReadOnlyList<string> TopTerms(VBuffer<float> words, int cls, int max = 5)
    {
        if (cls < 0 || cls >= contrast.Length) return [];
        var weights = contrast[cls];
        var values = words.GetValues();
        var indices = words.GetIndices();
        // Keep the best few in a small sorted array: this runs for every row of a 100k-row import.
        var bestSlot = new int[max];
        var bestScore = new float[max];
        var count = 0;
        for (var k = 0; k < values.Length; k++)
        {
            var j = words.IsDense ? k : indices[k];
            if (j >= weights.Length) continue;
            var score = values[k] * weights[j];
            if (score <= 0 || (count == max && score <= bestScore[max - 1])) continue;
            var at = Math.Min(count, max - 1);
            while (at > 0 && bestScore[at - 1] < score)
            {
                bestScore[at] = bestScore[at - 1];
                bestSlot[at] = bestSlot[at - 1];
                at--;
            }
            bestScore[at] = score;
            bestSlot[at] = j;
            if (count < max) count++;
        }
        var terms = new string[count];
        for (var i = 0; i < count; i++) terms[i] = slotNames[bestSlot[i]];
        return terms;
    }
}
