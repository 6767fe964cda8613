using Engagement.Classifier;

namespace Engagement.Classifier.Tests;

public class EvaluationTests
{
    [Fact]
    public void Computes_hand_checked_metrics()
    {
        // truth:     A A A B B C
        // predicted: A A B B C C
        // A: tp 2, predicted 2, support 3 -> P 1, R 2/3, F1 0.8
        // B: tp 1, predicted 2, support 2 -> P 0.5, R 0.5, F1 0.5
        // C: tp 1, predicted 2, support 1 -> P 0.5, R 1, F1 2/3
        var r = Evaluation.Compute(["A", "A", "A", "B", "B", "C"], ["A", "A", "B", "B", "C", "C"]);

        Assert.Equal(4.0 / 6, r.Accuracy, 10);
        Assert.Equal((0.8 + 0.5 + 2.0 / 3) / 3, r.MacroF1, 10);
        Assert.Equal(["A", "B", "C"], r.Labels);
        Assert.Equal(1.0, r.PerClass[0].Precision, 10);
        Assert.Equal(2.0 / 3, r.PerClass[0].Recall, 10);
        Assert.Equal(0.5, r.PerClass[1].F1, 10);
        Assert.Equal(2.0 / 3, r.PerClass[2].F1, 10);
        Assert.Equal([2, 1, 0], r.Confusion[0]);
        Assert.Equal([0, 1, 1], r.Confusion[1]);
        Assert.Equal([0, 0, 1], r.Confusion[2]);
    }

    [Fact]
    public void A_class_never_predicted_has_zero_precision_and_counts_in_macro_f1()
    {
        var r = Evaluation.Compute([1, 2], [1, 1], labels: [1, 2, 3]);
        Assert.Equal(0.5, r.Accuracy, 10);
        // 1: P 0.5 R 1 F1 2/3; 2: 0; 3: no support, no predictions -> 0
        Assert.Equal(2.0 / 3 / 3, r.MacroF1, 10);
        Assert.Equal(0, r.PerClass[1].Precision);
    }

    [Fact]
    public void Expected_calibration_error_is_the_weighted_gap()
    {
        // Bin 0.9-1.0: confidences 0.95 x4, 3 right -> gap |0.75-0.95| = 0.2, weight 4/5
        // Bin 0.5-0.6: confidence 0.5, right -> gap 0.5, weight 1/5
        float[] conf = [0.95f, 0.95f, 0.95f, 0.95f, 0.5f];
        bool[] correct = [true, true, true, false, true];
        Assert.Equal(0.8 * 0.2 + 0.2 * 0.5, Evaluation.ExpectedCalibrationError(conf, correct), 5);
    }
}
