using Engagement.Classifier;
using Microsoft.ML;

namespace Engagement.Classifier.Tests;

[Collection("model")]
public class PipelineTests(ModelFixture fixture)
{
    [Fact]
    public void Learns_a_small_synthetic_taxonomy()
    {
        var taxonomy = Synthetic.Taxonomy();
        var pipeline = ClassifierPipeline.Build(new MLContext(1), taxonomy, TrainerKind.SdcaMaxEnt);
        var model = pipeline.Fit(Synthetic.Rows(30, seed: 5, labelNoise: 0.08));
        var held = Synthetic.Rows(10, seed: 6);

        var scores = ClassifierPipeline.Scores(model, pipeline.LoadLabelled(held));
        var predicted = scores.Select(s => taxonomy.Themes[Array.IndexOf(s, s.Max())].Id).ToList();
        var accuracy = Evaluation.Compute(held.Select(h => h.Theme).ToList(), predicted).Accuracy;

        Assert.True(accuracy >= 0.8, $"theme accuracy {accuracy} (chance is 0.2)");
    }

    [Fact]
    public void Trainer_reports_cross_validation_and_test_metrics_and_writes_card()
    {
        var r = fixture.Report;
        Assert.True(r.TestOutcome.Accuracy >= 0.9, $"outcome accuracy {r.TestOutcome.Accuracy}");
        Assert.Single(r.Comparison);
        Assert.InRange(r.Info.Temperature, 0.05f, 20f);
        Assert.True(File.Exists(fixture.ModelPath));
        var card = File.ReadAllText(ModelCard.CardPath(fixture.ModelPath));
        Assert.Contains("cross-validation", card);
        Assert.Contains("Outcome accuracy", card);
        Assert.True(File.Exists(ModelCard.MetricsPath(fixture.ModelPath)));
    }

    [Fact]
    public void Confidence_rises_with_more_on_theme_words()
    {
        var c = fixture.Classifier;
        string[] texts =
        [
            "the people in town week",
            "the people in town week dentist",
            "the people in town week dentist toothache",
            "the people in town week dentist toothache filling orthodontist",
        ];
        var confidences = texts.Select(t => c.Suggest(t)!.Confidence).ToList();
        var dental = c.Suggest(texts[^1])!;

        Assert.Equal("dental", dental.ThemeId);
        Assert.Equal(1, dental.OutcomeId);
        for (var i = 1; i < confidences.Count; i++)
            Assert.True(confidences[i] > confidences[i - 1], $"confidences {string.Join(", ", confidences)}");
        Assert.False(dental.NeedsReview);
        Assert.All(texts, t => Assert.Equal(c.Suggest(t)!.Confidence < 0.6f, c.Suggest(t)!.NeedsReview));
        var strict = new PooledCommentClassifier(new ClassifierOptions { ModelPath = fixture.ModelPath, NeedsReviewBelow = 1.01f });
        Assert.True(strict.Suggest(texts[^1])!.NeedsReview);
    }

    [Fact]
    public void Suggestion_explains_itself_with_the_comments_own_words()
    {
        var s = fixture.Classifier.Suggest("the damp and mould in my flat is awful, landlord ignores it")!;

        Assert.Equal("housing", s.ThemeId);
        Assert.Equal(3, s.Top3.Count);
        Assert.Equal("housing", s.Top3[0].ThemeId);
        Assert.True(s.Top3[0].Score >= s.Top3[1].Score && s.Top3[1].Score >= s.Top3[2].Score);
        Assert.NotEmpty(s.TopTerms);
        Assert.All(s.TopTerms, t => Assert.Contains(t.Split(' ')[0], "damp mould flat landlord awful ignores"));
    }

    [Fact]
    public void Batch_and_single_paths_agree_and_keep_order()
    {
        var c = fixture.Classifier;
        var texts = Synthetic.Rows(3, seed: 9).Select(r => r.Text).Append("").Append("   ").ToList();
        var batch = c.SuggestMany(texts);

        Assert.Equal(texts.Count, batch.Count);
        Assert.Null(batch[^1]);
        Assert.Null(batch[^2]);
        for (var i = 0; i < texts.Count - 2; i++)
        {
            var single = c.Suggest(texts[i])!;
            Assert.Equal(single.ThemeId, batch[i]!.ThemeId);
            Assert.Equal(single.Confidence, batch[i]!.Confidence, 5);
        }
    }

    [Fact]
    public void Suggest_is_safe_from_many_threads()
    {
        var c = fixture.Classifier;
        var expected = c.Suggest("bus route timetable fare")!.ThemeId;
        var results = new string?[200];
        Parallel.For(0, results.Length, i => results[i] = c.Suggest("bus route timetable fare")?.ThemeId);
        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Fact]
    public void Training_is_deterministic()
    {
        var taxonomy = Synthetic.Taxonomy();
        var rows = Synthetic.Rows(20, seed: 3);
        var probe = Synthetic.Rows(2, seed: 4);
        float[] Run()
        {
            var p = ClassifierPipeline.Build(new MLContext(ModelTrainer.Seed), taxonomy, TrainerKind.SdcaMaxEnt);
            return ClassifierPipeline.Scores(p.Fit(rows), p.LoadLabelled(probe)).SelectMany(s => s).ToArray();
        }
        Assert.Equal(Run(), Run());
    }
}
