using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Engagement.Classifier;
using Engagement.Core.Data;
using Engagement.Core.Privacy;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Engagement.Core.Triage;

public enum RetrainState { Idle, Running, Succeeded, Failed }

public enum RetrainStart { Started, AlreadyRunning, RunningOnAnotherInstance }

public sealed record RetrainStatus(
    RetrainState State,
    string Stage,
    int Percent,
    string? StartedBy,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    string? Error,
    long? CandidateId,
    IReadOnlyList<string> Log)
{
    public static readonly RetrainStatus Idle = new(RetrainState.Idle, "Not started", 0, null, null, null, null, null, []);
}

/// <summary>Scores of one model on one labelled set.</summary>
public sealed record ModelScore(string? Version, int Rows, double OutcomeAccuracy, double OutcomeMacroF1, double ThemeAccuracy);

/// <summary>New model next to the model served when it was trained, on the held-back confirmed slice and the base test split.</summary>
public sealed record RetrainMetrics
{
    public ModelScore? HeldBackNew { get; init; }
    public ModelScore? HeldBackCurrent { get; init; }
    public ModelScore? TestNew { get; init; }
    public ModelScore? TestCurrent { get; init; }
    public int SkippedUnknownTheme { get; init; }
    public double TrainSeconds { get; init; }
    public double TotalSeconds { get; init; }
    public string? ComparedWith { get; init; }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    public string ToJson() => JsonSerializer.Serialize(this, Json);
    public static RetrainMetrics? FromJson(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try { return JsonSerializer.Deserialize<RetrainMetrics>(json, Json); }
        catch (JsonException) { return null; }
    }
}

/// <summary>
/// Retrains the classifier in the background on the base corpus plus every confirmed comment (redacted text, safeguarding
/// comments left out), except a held-back slice chosen by a hash of the comment id. The result is a candidate version:
/// evaluated side by side with the served model, promoted only by a person, and any version can be promoted again (rollback).
/// </summary>
public sealed class RetrainJob(
    TriageStore triage,
    ModelVersionStore versions,
    JobLeases leases,
    ActiveModelClassifier classifier,
    PersonalDataDetector redactor,
    IOptions<TriageOptions> triageOptions,
    IOptions<DatabaseOptions> databaseOptions,
    ILogger<RetrainJob> log,
    ThemeStore? siteThemes = null)
{
    /// <summary>The database lease that keeps a retrain to one instance of the site at a time.</summary>
    public const string LeaseName = "retrain";

    private readonly Lock gate = new();
    private readonly SemaphoreSlim starting = new(1, 1);
    private RetrainStatus status = RetrainStatus.Idle;
    private readonly List<string> lines = [];
    private Task? running;

    public RetrainStatus Status { get { lock (gate) return status with { Log = lines.ToList() }; } }

    public string ModelDirectory
    {
        get
        {
            var configured = triageOptions.Value.ModelDirectory;
            return string.IsNullOrWhiteSpace(configured)
                ? Path.Combine(RepoPaths.Resolve(databaseOptions.Value.DataDirectory), "models")
                : RepoPaths.Resolve(configured);
        }
    }

    /// <summary>Held back from training, by a stable hash of the id, to evaluate on confirmed comments the model never saw.</summary>
    public static bool IsHeldBack(long commentId, int percent)
    {
        Span<byte> id = stackalloc byte[8];
        BitConverter.TryWriteBytes(id, commentId);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(id, hash);
        return (hash[0] << 8 | hash[1]) * 100 < percent * 65536;
    }

    /// <summary>
    /// Starts a retrain unless one is running here, or on another instance of the site (it holds the database lease).
    /// </summary>
    public async Task<RetrainStart> TryStartAsync(string user, CancellationToken stopping = default)
    {
        if (!await starting.WaitAsync(0, CancellationToken.None)) return RetrainStart.AlreadyRunning;
        try
        {
            lock (gate) if (status.State == RetrainState.Running) return RetrainStart.AlreadyRunning;
            var lease = await leases.TryHoldAsync(LeaseName, stopping);
            if (lease is null) return RetrainStart.RunningOnAnotherInstance;
            lock (gate)
            {
                lines.Clear();
                status = new RetrainStatus(RetrainState.Running, "Starting", 1, user, DateTime.UtcNow, null, null, null, []);
                running = Task.Run(async () =>
                {
                    await using (lease) await RunAsync(user, stopping);
                }, CancellationToken.None);
            }
            return RetrainStart.Started;
        }
        finally
        {
            starting.Release();
        }
    }

    /// <summary>The lease of a retrain running on another instance, for the page to say so; null otherwise.</summary>
    public Task<JobLease?> RunningElsewhereAsync() => leases.HeldElsewhereAsync(LeaseName);

    /// <summary>Waits for the running retrain (tests and the command line).</summary>
    public Task WaitAsync() { lock (gate) return running ?? Task.CompletedTask; }

    private void Report(string stage, int percent, string? line = null)
    {
        lock (gate)
        {
            status = status with { Stage = stage, Percent = Math.Clamp(percent, 0, 100) };
            if (line is not null) lines.Add($"{DateTime.UtcNow:HH:mm:ss} {line}");
        }
    }

    /// <summary>Records the model served before any retrain as the first version, so it can be rolled back to.</summary>
    public async Task EnsureBaselineAsync()
    {
        if ((await versions.ListAsync()).Count > 0 || !classifier.IsAvailable || classifier.Info is null) return;
        await versions.AddAsync(new ModelVersionRow
        {
            Version = classifier.ModelVersion ?? "baseline", CreatedAt = classifier.Info.TrainedAt.UtcDateTime, CreatedBy = "engage train",
            Trainer = classifier.Info.Trainer, Status = ModelStatuses.Active, FilePath = classifier.ModelPath, MetricsJson = "{}",
        });
    }

    private async Task RunAsync(string user, CancellationToken ct)
    {
        var total = Stopwatch.StartNew();
        try
        {
            await EnsureBaselineAsync();
            var options = triageOptions.Value;
            var dataDir = RepoPaths.Resolve(options.TrainingDataDir);
            Report("Reading confirmed comments", 3, $"base corpus {dataDir}");
            var taxonomyPath = ModelTrainer.FindTaxonomy(dataDir);
            // Themes added in the site (e.g. promoted from emerging themes) are learnt too: see SiteThemes.
            if (siteThemes is not null) taxonomyPath = (await Emerging.SiteThemes.ExtendTaxonomyAsync(taxonomyPath, siteThemes, ModelDirectory)).Path;
            var taxonomy = Taxonomy.Load(taxonomyPath);
            var confirmed = await triage.ConfirmedForTrainingAsync(ct);
            var train = new List<LabelledComment>();
            var held = new List<LabelledComment>();
            var skipped = 0;
            foreach (var row in confirmed)
            {
                if (taxonomy.FindTheme(row.Theme) is not { } theme) { skipped++; continue; }
                // Train on the redacted text so no personal data ends up in the model's vocabulary.
                var text = row.RedactedText ?? redactor.Redact(row.Text);
                var labelled = new LabelledComment(text, theme.Id, theme.OutcomeId, "confirmed");
                (IsHeldBack(row.Id, options.HeldBackPercent) ? held : train).Add(labelled);
            }
            Report("Training", 8, $"{confirmed.Count} confirmed comments: {train.Count} to train on, {held.Count} held back, {skipped} skipped (theme not in the model's taxonomy)");

            Directory.CreateDirectory(ModelDirectory);
            var file = Path.Combine(ModelDirectory, $"model-{DateTime.UtcNow:yyyyMMdd-HHmmss}.zip");
            var progress = new ProgressWriter(line => Report("Training", Math.Min(70, Status.Percent + 8), line));
            var expected = Stopwatch.StartNew();
            using var ticker = new Timer(_ =>
            {
                // ModelTrainer reports per stage only; creep forward so the page shows it is alive.
                var s = Status;
                if (s.State == RetrainState.Running && s.Stage == "Training" && s.Percent < 70) Report("Training", s.Percent + 1);
            }, null, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
            var report = ModelTrainer.Train(new TrainingOptions
            {
                DataDir = dataDir,
                TaxonomyPath = taxonomyPath,
                OutputPath = file,
                ExtraRows = train,
                Folds = Math.Max(2, options.RetrainFolds),
                Command = $"retrain from the triage workspace by {user}",
            }, progress);
            await ticker.DisposeAsync();
            Report("Evaluating", 75, $"trained {report.Info.Version} in {expected.Elapsed.TotalSeconds:0.0} s ({report.TrainRows} rows)");

            var candidate = new PooledCommentClassifier(new ClassifierOptions { ModelPath = file });
            if (!candidate.IsAvailable) throw new InvalidOperationException(candidate.UnavailableReason);
            var testPath = Path.Combine(dataDir, "test.csv");
            var test = File.Exists(testPath) ? LabelledData.Read(testPath).Where(r => taxonomy.FindTheme(r.Theme) is not null)
                .Select(r => r with { Outcome = taxonomy.ThemeOutcome(r.Theme) }).ToList() : [];
            var metrics = new RetrainMetrics
            {
                HeldBackNew = Score(candidate, held),
                HeldBackCurrent = classifier.IsAvailable ? Score(classifier, held) : null,
                TestNew = Score(candidate, test),
                TestCurrent = classifier.IsAvailable ? Score(classifier, test) : null,
                SkippedUnknownTheme = skipped,
                TrainSeconds = report.TrainSeconds,
                TotalSeconds = total.Elapsed.TotalSeconds,
                ComparedWith = classifier.ModelVersion,
            };
            Report("Saving", 95, "evaluated on held-back and test rows");

            var existing = (await versions.ListAsync()).Select(v => v.Version).ToHashSet();
            var version = existing.Contains(report.Info.Version) ? $"{report.Info.Version}-{DateTime.UtcNow:HHmmss}" : report.Info.Version;
            var id = await versions.AddAsync(new ModelVersionRow
            {
                Version = version, CreatedAt = DateTime.UtcNow, CreatedBy = user, Trainer = report.Info.Trainer,
                MetricsJson = metrics.ToJson(), BaseRows = report.TrainRows - report.ExtraRows, ConfirmedRows = train.Count,
                HeldBackRows = held.Count, Status = ModelStatuses.Candidate, FilePath = file,
            });
            lock (gate)
            {
                lines.Add($"{DateTime.UtcNow:HH:mm:ss} candidate {version} saved in {total.Elapsed.TotalSeconds:0.0} s");
                status = status with { State = RetrainState.Succeeded, Stage = "Finished", Percent = 100, FinishedAt = DateTime.UtcNow, CandidateId = id };
            }
        }
        catch (Exception ex)
        {
            log.LogError(ex, "Retraining failed");
            lock (gate)
            {
                lines.Add($"{DateTime.UtcNow:HH:mm:ss} failed: {ex.Message}");
                status = status with { State = RetrainState.Failed, Stage = "Failed", FinishedAt = DateTime.UtcNow, Error = ex.Message };
            }
        }
    }

    public static ModelScore? Score(ICommentClassifier model, IReadOnlyList<LabelledComment> rows)
    {
        if (rows.Count == 0 || !model.IsAvailable) return null;
        var suggestions = model.SuggestMany(rows.Select(r => r.Text).ToList());
        var truthOutcome = rows.Select(r => r.Outcome.ToString(CultureInfo.InvariantCulture)).ToList();
        var predictedOutcome = suggestions.Select(s => s?.OutcomeId.ToString(CultureInfo.InvariantCulture) ?? "none").ToList();
        var outcome = Evaluation.Compute(truthOutcome, predictedOutcome);
        var themeAccuracy = rows.Where((r, i) => suggestions[i]?.ThemeId == r.Theme).Count() / (double)rows.Count;
        return new ModelScore(model.ModelVersion, rows.Count, outcome.Accuracy, outcome.MacroF1, themeAccuracy);
    }

    /// <summary>
    /// Promotes a version: loads its file first (a missing or broken file leaves everything as it was), then records it active.
    /// Returns an error message, or null on success. Rolling back is promoting an earlier version.
    /// </summary>
    public async Task<string?> PromoteAsync(long id, string user)
    {
        var row = await versions.GetAsync(id);
        if (row is null) return "That model version does not exist";
        var error = classifier.Switch(row.FilePath);
        if (error is not null) return $"Version {row.Version} could not be loaded: {error}";
        await versions.PromoteAsync(id, user);
        log.LogInformation("Model {Version} promoted by {User}", row.Version, user);
        return null;
    }

    /// <summary>Serves the active version if another instance (or the command line) promoted a different one.</summary>
    public async Task SyncActiveAsync()
    {
        var active = await versions.ActiveAsync();
        if (active is null) return;
        if (string.Equals(Path.GetFullPath(active.FilePath), Path.GetFullPath(classifier.ModelPath), StringComparison.Ordinal)) return;
        var error = classifier.FollowActive(active.FilePath);
        if (error is not null) log.LogWarning("Active model {Version} could not be loaded: {Error}", active.Version, error);
    }

    private sealed class ProgressWriter(Action<string> onLine) : TextWriter
    {
        private readonly System.Text.StringBuilder buffer = new();
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;
        public override void Write(char value)
        {
            if (value == '\n') { onLine(buffer.ToString().TrimEnd('\r')); buffer.Clear(); }
            else buffer.Append(value);
        }
        public override void WriteLine(string? value) => onLine(value ?? "");
    }
}
