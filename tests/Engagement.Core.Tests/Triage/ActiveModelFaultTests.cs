using Engagement.Classifier;
using Engagement.Classifier.Tests;
using Engagement.Core.Triage;

namespace Engagement.Core.Tests.Triage;

/// <summary>
/// The version recorded as active has a broken file (at start-up, or promoted by another instance): the configured
/// model keeps serving, and the classifier says which file failed and why, so /health can report it.
/// </summary>
public sealed class ActiveModelFaultTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "active-model-faults-" + Guid.NewGuid().ToString("N"));
    private static string GoodModel => RepoPaths.Resolve(new ClassifierOptions().ModelPath);

    public void Dispose()
    {
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }

    public static TheoryData<ModelFault> Faults => BrokenModels.All;

    [Theory, MemberData(nameof(Faults))]
    public void A_broken_active_version_at_start_up_is_reported_while_the_configured_model_serves(ModelFault fault)
    {
        var broken = BrokenModels.Write(fault, GoodModel, folder);

        var classifier = new ActiveModelClassifier(new ClassifierOptions { ModelPath = GoodModel }, () => broken);

        Assert.True(classifier.IsAvailable);
        Assert.Equal(GoodModel, classifier.ModelPath);
        Assert.Contains("the active model version could not be loaded", classifier.ActiveVersionProblem);
        Assert.Contains(BrokenModels.ExpectedReason(fault), classifier.ActiveVersionProblem);
    }

    [Fact]
    public void Following_a_broken_active_version_keeps_the_served_model_reports_it_once_and_clears_when_a_good_one_is_served()
    {
        var classifier = new ActiveModelClassifier(new ClassifierOptions { ModelPath = GoodModel }, () => null);
        var serving = classifier.ModelVersion;
        Assert.Null(classifier.ActiveVersionProblem);
        var broken = BrokenModels.Write(ModelFault.Truncated, GoodModel, folder);

        var error = classifier.FollowActive(broken);

        Assert.Contains(BrokenModels.ExpectedReason(ModelFault.Truncated), error);
        Assert.Contains(BrokenModels.ExpectedReason(ModelFault.Truncated), classifier.ActiveVersionProblem);
        Assert.Equal((serving, GoodModel), (classifier.ModelVersion, classifier.ModelPath));
        Assert.Null(classifier.FollowActive(broken)); // the same unchanged file is not loaded again on every sync
        Assert.NotNull(classifier.ActiveVersionProblem);

        var fixedCopy = Path.Combine(folder, "fixed.zip");
        File.Copy(GoodModel, fixedCopy);
        Assert.Null(classifier.FollowActive(fixedCopy));
        Assert.Null(classifier.ActiveVersionProblem);
        Assert.Equal(fixedCopy, classifier.ModelPath);
    }
}
