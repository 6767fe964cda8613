using Engagement.Classifier;

namespace Engagement.Classifier.Tests;

public class CalibrationTests
{
    [Fact]
    public void Overconfident_scores_get_a_temperature_above_one_and_lower_error()
    {
        // Two themes in two outcomes; the model always says 0.99 for its pick but is right only 70% of the time.
        var reader = new ScoreReader([0, 1], scoresAreProbabilities: true, temperature: 1, outcomeBySum: true);
        var scores = new List<float[]>();
        var truth = new List<int>();
        for (var i = 0; i < 100; i++)
        {
            scores.Add([0.99f, 0.01f]);
            truth.Add(i < 70 ? 0 : 1);
        }

        var t = Calibration.FitTemperature(reader, scores, truth);
        var calibrated = reader.WithTemperature(t).Read(scores[0]).Confidence;

        Assert.True(t > 1, $"temperature {t}");
        Assert.InRange(calibrated, 0.65f, 0.75f);
    }

    [Fact]
    public void Outcome_by_sum_can_overrule_the_top_theme()
    {
        // Theme 0 (outcome 0) 0.4; themes 1 and 2 (outcome 1) 0.3 each: outcome 1 has 0.6.
        var reader = new ScoreReader([0, 1, 1], true, 1, outcomeBySum: true);
        var r = reader.Read([0.4f, 0.35f, 0.25f]);
        Assert.Equal(1, r.Outcome);
        Assert.Equal(1, r.Theme);
        Assert.Equal(0.6f, r.Confidence, 3);

        var argmax = reader.WithOutcomeBySum(false).Read([0.4f, 0.35f, 0.25f]);
        Assert.Equal(0, argmax.Outcome);
    }
}
