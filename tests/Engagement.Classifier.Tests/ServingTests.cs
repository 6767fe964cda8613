using Engagement.Classifier;

namespace Engagement.Classifier.Tests;

public class ServingTests
{
    [Fact]
    public void Missing_model_is_unavailable_not_an_exception()
    {
        var c = new PooledCommentClassifier(new ClassifierOptions { ModelPath = "/nonexistent/model.zip" });

        Assert.False(c.IsAvailable);
        Assert.Contains("No model", c.UnavailableReason);
        Assert.Null(c.ModelVersion);
        Assert.Null(c.Suggest("GP appointments"));
        Assert.All(c.SuggestMany(["a", "b"]), Assert.Null);
    }

    [Theory]
    [InlineData(new byte[] { 0x50, 0x4B, 0x03, 0x04, 1, 2, 3 })] // zip signature, then nonsense
    [InlineData(new byte[] { 0x7B, 0x7D })]
    [InlineData(new byte[0])]
    public void Corrupt_model_is_unavailable_with_a_reason(byte[] content)
    {
        var path = Path.GetTempFileName();
        File.WriteAllBytes(path, content);
        var c = new PooledCommentClassifier(new ClassifierOptions { ModelPath = path });

        Assert.False(c.IsAvailable);
        Assert.Contains("unusable", c.UnavailableReason);
        Assert.Null(c.Suggest("GP appointments"));
    }
}

[Collection("model")]
public class TruncatedModelTests(ModelFixture fixture)
{
    [Fact]
    public void Truncated_real_model_is_unavailable()
    {
        var bytes = File.ReadAllBytes(fixture.ModelPath);
        var path = Path.GetTempFileName();
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var c = new PooledCommentClassifier(new ClassifierOptions { ModelPath = path });
        Assert.False(c.IsAvailable);
        Assert.NotNull(c.UnavailableReason);
    }
}
