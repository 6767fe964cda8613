using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Emerging;
using Engagement.Core.Staff;
using Engagement.Core.Triage;
using Engagement.Web.Pages.Staff.Triage;
using Microsoft.AspNetCore.Mvc;

namespace Engagement.Web.Pages.Staff.EmergingThemes;

/// <summary>
/// Comments that fit no theme, clustered into candidate themes. The team reads them; an Admin (who owns the taxonomy)
/// promotes a cluster to a new theme, which confirms it on the chosen comments so the next retrain learns it.
/// Clustering runs in the background (EmergingThemeJob): the page shows the stored result, or says it is being worked out.
/// </summary>
public sealed class IndexModel(ConsultationStore consultations, EmergingThemeStore emerging, EmergingThemeJob job) : TriagePageModel
{
    /// <summary>Comments offered for labelling per cluster (closest to the centre first).</summary>
    public const int MaxListed = 300;

    public Consultation Consultation { get; private set; } = null!;
    public EmergingStatus Status { get; private set; } = null!;
    /// <summary>The result shown (current or older), or null while the first one is worked out.</summary>
    public EmergingResult? Result => Status.Shown?.Result;
    /// <summary>A promotion was refused because the groups had been worked out again since the form was shown.</summary>
    public bool Replaced { get; private set; }
    public double ConfidenceBelow => emerging.Options.ConfidenceBelow;
    public bool CanPromote => User.IsInRole(StaffRoles.Admin);
    public IReadOnlyDictionary<long, UnfittedComment> CommentsById { get; private set; } = new Dictionary<long, UnfittedComment>();
    [TempData] public string? EmergingMessage { get; set; }

    public sealed class PromoteInput
    {
        public int Cluster { get; set; }
        public string? Name { get; set; }
        public int? Outcome { get; set; }
        public string? Description { get; set; }
        public List<long> CommentIds { get; set; } = [];
        /// <summary>The fingerprint of the result the form was shown with, so a promotion never labels another result's group.</summary>
        public string? Fingerprint { get; set; }
    }

    [BindProperty] public PromoteInput Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct) => await LoadAsync(slug, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostPromoteAsync(string slug, CancellationToken ct)
    {
        if (!CanPromote) return StatusCode(StatusCodes.Status403Forbidden);
        if (!await LoadAsync(slug, ct)) return NotFound();
        var n = Input.Cluster;
        var name = Input.Name?.Trim();
        if (string.IsNullOrEmpty(name)) Errors.Add($"name-{n}", "Enter a name for the new theme");
        else if (name.Length > ThemeAdminStore.MaxNameLength) Errors.Add($"name-{n}", $"Name must be {ThemeAdminStore.MaxNameLength} characters or fewer");
        if (!Outcomes.IsValid(Input.Outcome)) Errors.Add($"outcome-{n}", "Choose the outcome the theme belongs to, or General");
        if (Input.CommentIds.Count == 0) Errors.Add($"comments-{n}", "Select the comments that belong to the new theme");
        if (Errors.Count > 0) return Page();
        if (Status.Shown is not { } shown || shown.Fingerprint != Input.Fingerprint)
        {
            Replaced = true;
            Errors.Add($"comments-{n}", "The groups have been worked out again since you opened this page, so nothing was changed. Check the comments in the group and try again");
            return Page();
        }
        var cluster = shown.Result.Clusters.FirstOrDefault(c => c.Number == n);
        if (cluster is null || !Input.CommentIds.All(cluster.CommentIds.Contains))
        {
            Errors.Add($"comments-{n}", $"Select only comments listed in group {n}");
            return Page();
        }

        var result = await emerging.PromoteAsync(Consultation.Id, Input.CommentIds, name!, Input.Outcome!.Value, Input.Description?.Trim() ?? "", UserEmail);
        if (result.Error is not null) { Errors.Add($"name-{n}", result.Error); return Page(); }
        EmergingMessage = $"Theme '{name}' created under {Outcomes.Find(Input.Outcome)!.ShortName}; {result.Labelled} {(result.Labelled == 1 ? "comment" : "comments")} confirmed with it. The next retrain will learn it.";
        return LocalRedirect($"/staff/consultations/{slug}/emerging-themes");
    }

    private async Task<bool> LoadAsync(string slug, CancellationToken ct)
    {
        var found = await consultations.FindBySlugAsync(slug);
        if (found is null) return false;
        Consultation = found;
        var unfitted = await emerging.UnfittedAsync(found.Id, ct);
        CommentsById = unfitted.ToDictionary(c => c.CommentId);
        Status = await job.StatusAsync(found.Id, unfitted, ct);
        return true;
    }

    /// <summary>A group's comments offered for labelling: those that still fit no theme (all of them while the result is current).</summary>
    public IReadOnlyList<long> Listed(EmergingCluster cluster) => cluster.CommentIds.Where(CommentsById.ContainsKey).Take(MaxListed).ToList();

    /// <summary>On a re-shown form, what the person ticked; first time (or for a group worked out again), every listed comment.</summary>
    public bool IsChecked(int cluster, long commentId) => Input.Cluster != cluster || Errors.Count == 0 || Replaced || Input.CommentIds.Contains(commentId);

    /// <summary>"about 40 seconds", from the benchmark figures for this many comments.</summary>
    public string EstimateText
    {
        get
        {
            var seconds = Status.Estimate.TotalSeconds;
            if (seconds < 55) return $"about {Math.Max(10, Math.Ceiling(seconds / 10) * 10):0} seconds";
            var minutes = Math.Ceiling(seconds / 60);
            return minutes == 1 ? "about a minute" : $"about {minutes:0} minutes";
        }
    }
}
