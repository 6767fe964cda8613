using System.Runtime.CompilerServices;

namespace Engagement.Classifier;

/// <summary>What a score vector means: calibrated theme probabilities, summed into outcome probabilities.</summary>
public readonly record struct Reading(int Theme, int Outcome, float Confidence, float[] ThemeProbabilities);

/// <summary>
/// Turns raw trainer scores (theme order) into calibrated probabilities. Scores are treated as logits
/// (log-probabilities for probabilistic trainers) and divided by a temperature fitted on out-of-fold
/// predictions; outcome probability is the sum of its themes' probabilities.
/// </summary>
public sealed class ScoreReader
{
    private readonly int[] themeOutcomes;
    private readonly int[] outcomes;

    public ScoreReader(IReadOnlyList<int> themeOutcomes, bool scoresAreProbabilities, float temperature, bool outcomeBySum)
    {
        this.themeOutcomes = [.. themeOutcomes];
        outcomes = [.. themeOutcomes.Distinct().Order()];
        ScoresAreProbabilities = scoresAreProbabilities;
        Temperature = temperature;
        OutcomeBySum = outcomeBySum;
    }

    public bool ScoresAreProbabilities { get; }
    public float Temperature { get; }
    public bool OutcomeBySum { get; }

    public int ThemeOutcome(int theme) => themeOutcomes[theme];

    public ScoreReader WithTemperature(float t) => new(themeOutcomes, ScoresAreProbabilities, t, OutcomeBySum);
    public ScoreReader WithOutcomeBySum(bool bySum) => new(themeOutcomes, ScoresAreProbabilities, Temperature, bySum);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot on 100k-row imports; skip the slow first JIT tier
    public float[] ThemeProbabilities(ReadOnlySpan<float> scores)
    {
        var p = new float[scores.Length];
        var max = double.NegativeInfinity;
        var logits = new double[scores.Length];
        for (var i = 0; i < scores.Length; i++)
        {
            var s = float.IsFinite(scores[i]) ? scores[i] : 0f;
            logits[i] = (ScoresAreProbabilities ? Math.Log(Math.Max(s, 1e-9f)) : s) / Temperature;
            max = Math.Max(max, logits[i]);
        }
        double sum = 0;
        for (var i = 0; i < logits.Length; i++) sum += logits[i] = Math.Exp(logits[i] - max);
        for (var i = 0; i < logits.Length; i++) p[i] = (float)(logits[i] / sum);
        return p;
    }

    public Reading Read(ReadOnlySpan<float> scores)
    {
        var probs = ThemeProbabilities(scores);
        var outcomeProb = new float[outcomes[^1] + 1];
        for (var i = 0; i < probs.Length; i++) outcomeProb[themeOutcomes[i]] += probs[i];

        int bestTheme, outcome;
        if (OutcomeBySum)
        {
            outcome = outcomes[0];
            foreach (var o in outcomes)
                if (outcomeProb[o] > outcomeProb[outcome]) outcome = o;
            bestTheme = ArgMax(probs, outcome);
        }
        else
        {
            bestTheme = ArgMax(probs, -1);
            outcome = themeOutcomes[bestTheme];
        }
        return new Reading(bestTheme, outcome, Math.Clamp(outcomeProb[outcome], 0f, 1f), probs);
    }

    /// <summary>Index of the largest probability, among one outcome's themes when <paramref name="outcome"/> ≥ 0.</summary>
    private int ArgMax(float[] values, int outcome)
    {
        var best = -1;
        for (var i = 0; i < values.Length; i++)
            if ((outcome < 0 || themeOutcomes[i] == outcome) && (best < 0 || values[i] > values[best])) best = i;
        return best;
    }
}

public static class Calibration
{
    /// <summary>
    /// Temperature that minimises the negative log-likelihood of the true outcome on out-of-fold scores
    /// (golden-section search over log T). One parameter keeps the ranking and cannot overfit much.
    /// </summary>
    public static float FitTemperature(ScoreReader reader, IReadOnlyList<float[]> scores, IReadOnlyList<int> trueOutcomes)
    {
        double Nll(double logT)
        {
            var r = reader.WithTemperature((float)Math.Exp(logT));
            double total = 0;
            for (var i = 0; i < scores.Count; i++)
            {
                var probs = r.ThemeProbabilities(scores[i]);
                double p = 0;
                for (var k = 0; k < probs.Length; k++)
                    if (reader.ThemeOutcome(k) == trueOutcomes[i]) p += probs[k];
                total -= Math.Log(Math.Max(p, 1e-9));
            }
            return total;
        }

        double lo = Math.Log(0.05), hi = Math.Log(20);
        var phi = (Math.Sqrt(5) - 1) / 2;
        double a = hi - phi * (hi - lo), b = lo + phi * (hi - lo);
        double fa = Nll(a), fb = Nll(b);
        for (var it = 0; it < 40; it++)
        {
            if (fa < fb) { hi = b; b = a; fb = fa; a = hi - phi * (hi - lo); fa = Nll(a); }
            else { lo = a; a = b; fa = fb; b = lo + phi * (hi - lo); fb = Nll(b); }
        }
        return (float)Math.Exp((lo + hi) / 2);
    }
}
