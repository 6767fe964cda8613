using Engagement.Core.Triage;
using Microsoft.AspNetCore.Mvc;

namespace Engagement.Web.Pages.Staff.Triage;

/// <summary>Model versions: start a retrain, watch its progress, compare, promote a candidate, roll back to any earlier version.</summary>
public sealed class ModelsModel(RetrainJob retrain, ModelVersionStore versions, ActiveModelClassifier classifier, IHostApplicationLifetime lifetime) : TriagePageModel
{
    public RetrainStatus Status { get; private set; } = RetrainStatus.Idle;
    /// <summary>Set when another instance of the site is retraining (it holds the retrain lease).</summary>
    public Engagement.Core.Data.JobLease? RunningElsewhere { get; private set; }
    public IReadOnlyList<ModelVersionRow> Versions { get; private set; } = [];
    public string? Serving => classifier.ModelVersion;
    public string? ServingPath => classifier.IsAvailable ? classifier.ModelPath : null;
    [TempData] public string? TriageMessage { get; set; }

    public async Task OnGetAsync()
    {
        await retrain.EnsureBaselineAsync();
        Status = retrain.Status;
        if (Status.State != RetrainState.Running) RunningElsewhere = await retrain.RunningElsewhereAsync();
        Versions = await versions.ListAsync();
    }

    public async Task<IActionResult> OnPostRetrainAsync()
    {
        TriageMessage = await retrain.TryStartAsync(UserEmail, lifetime.ApplicationStopping) switch
        {
            RetrainStart.Started => "Retraining started. This page shows its progress.",
            RetrainStart.RunningOnAnotherInstance => RunningElsewhereMessage,
            _ => "A retrain is already running.",
        };
        return LocalRedirect("/staff/models");
    }

    public async Task<IActionResult> OnPostPromoteAsync(long id)
    {
        var error = await retrain.PromoteAsync(id, UserEmail);
        if (error is not null)
        {
            Errors.Add($"promote-{id}", error);
            await OnGetAsync();
            return Page();
        }
        var row = await versions.GetAsync(id);
        TriageMessage = $"Version {row?.Version} is now serving suggestions.";
        return LocalRedirect("/staff/models");
    }

    public const string RunningElsewhereMessage =
        "A retrain is already running on another instance of the site. Its candidate appears in the list below when it finishes.";

    public static string Score(ModelScore? s) => s is null ? "–" : $"{s.OutcomeAccuracy:P1} outcome, {s.OutcomeMacroF1:0.000} macro-F1, {s.ThemeAccuracy:P1} theme ({s.Rows} rows)";
}
