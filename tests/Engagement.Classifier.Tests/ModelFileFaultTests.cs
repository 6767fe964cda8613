namespace Engagement.Classifier.Tests;

/// <summary>Every way a model file can be broken leaves the classifier unavailable with a reason a person can act on, and never throws.</summary>
[Collection("model")]
public sealed class ModelFileFaultTests(ModelFixture fixture) : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "model-faults-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }

    public static TheoryData<ModelFault> Faults => BrokenModels.All;

    [Theory, MemberData(nameof(Faults))]
    public void A_broken_model_file_is_unavailable_with_a_clear_reason_and_never_throws(ModelFault fault)
    {
        var path = BrokenModels.Write(fault, fixture.ModelPath, folder);

        var classifier = new PooledCommentClassifier(new ClassifierOptions { ModelPath = path });

        Assert.False(classifier.IsAvailable);
        Assert.Contains(BrokenModels.ExpectedReason(fault), classifier.UnavailableReason);
        Assert.Contains(path, classifier.UnavailableReason);
        Assert.Null(classifier.ModelVersion);
        Assert.Null(classifier.Suggest("I waited three weeks for a GP appointment"));
        Assert.All(classifier.SuggestMany(["GP appointments", "bus routes"]), Assert.Null);
    }

    [Fact]
    public void The_good_model_passes_the_same_checks() =>
        Assert.True(new PooledCommentClassifier(new ClassifierOptions { ModelPath = fixture.ModelPath }).IsAvailable);
}
