using Engagement.Classifier;

namespace Engagement.Classifier.Tests;

/// <summary>Trains one small synthetic model per test run (a couple of seconds) and shares it.</summary>
public sealed class ModelFixture : IDisposable
{
    public ModelFixture()
    {
        DataDir = Synthetic.WriteDataDir(40);
        ModelPath = Path.Combine(DataDir, "..", "model.zip");
        Report = ModelTrainer.Train(new TrainingOptions { DataDir = DataDir, OutputPath = ModelPath, Folds = 3 });
        Classifier = new PooledCommentClassifier(new ClassifierOptions { ModelPath = ModelPath, NeedsReviewBelow = 0.6f });
    }

    public string DataDir { get; }
    public string ModelPath { get; }
    public TrainingReport Report { get; }
    public PooledCommentClassifier Classifier { get; }

    public void Dispose()
    {
        try { Directory.Delete(Path.GetDirectoryName(Path.GetFullPath(ModelPath))!, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition("model")]
public sealed class ModelCollection : ICollectionFixture<ModelFixture>;
