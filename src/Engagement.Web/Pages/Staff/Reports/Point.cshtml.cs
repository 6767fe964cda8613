using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Reports;
using Engagement.Core.Staff;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Engagement.Web.Pages.Staff.Reports;

/// <summary>
/// One report point: the comments it summarises, its edit history, and (for strategy authors and admins) forms to
/// reword, hide or show, move, merge and split it. Plain form posts, so it works without JavaScript.
/// </summary>
public sealed class PointModel(ConsultationStore consultations, ReportService reports, ReportStore store, ReportAuthoring authoring) : PageModel
{
    public sealed record PointInput
    {
        public int Version { get; init; }
        public string? Wording { get; init; }
        public string? Into { get; init; }
        public List<long> Move { get; init; } = [];
        public string? NewWording { get; init; }
    }

    [BindProperty] public PointInput Input { get; set; } = new();
    [TempData] public string? ReportMessage { get; set; }

    public Consultation Consultation { get; private set; } = null!;
    /// <summary>The point's theme group as the full report has it (the page builds only that group).</summary>
    public ReportPointView Report { get; private set; } = null!;
    public PointRow? Row { get; private set; }
    public IReadOnlyList<ReportCommentRow> Comments { get; private set; } = [];
    public IReadOnlyList<PointEdit> History { get; private set; } = [];
    public IReadOnlyList<PointRow> Siblings { get; private set; } = [];
    public string? MergedInto { get; private set; }
    public FieldErrors Errors { get; } = [];

    public bool CanEdit => User.IsInRole(StaffRoles.StrategyAuthor) || User.IsInRole(StaffRoles.Admin);
    public bool SeesFlaggedText => User.IsInRole(StaffRoles.Admin) || User.IsInRole(StaffRoles.EngagementTeam);
    private string UserEmail => User.Identity?.Name ?? "unknown";

    public string ReportUrl => $"/staff/consultations/{Uri.EscapeDataString(Consultation.Slug)}/report";
    public string PointUrl(string key) => $"{ReportUrl}/points/{Uri.EscapeDataString(key)}";

    public async Task<IActionResult> OnGetAsync(string slug, string key, CancellationToken ct)
    {
        if (!await LoadAsync(slug, key, ct)) return NotFound();
        if (Row is null && MergedInto is null && History.Count == 0) return NotFound();
        Input = new PointInput { Version = Row?.Point.Version ?? 0, Wording = Row?.Point.Wording };
        return Page();
    }

    public Task<IActionResult> OnPostRewordAsync(string slug, string key, CancellationToken ct) =>
        ActAsync(slug, key, "Input.Wording", r => authoring.RewordAsync(r, key, Input.Version, Input.Wording, UserEmail), ct);

    public Task<IActionResult> OnPostResetWordingAsync(string slug, string key, CancellationToken ct) =>
        ActAsync(slug, key, "Input.Wording", r => authoring.ResetWordingAsync(r, key, Input.Version, UserEmail), ct);

    public Task<IActionResult> OnPostHideAsync(string slug, string key, CancellationToken ct) =>
        ActAsync(slug, key, "hide", r => authoring.SetHiddenAsync(r, key, Input.Version, hidden: true, UserEmail), ct);

    public Task<IActionResult> OnPostShowAsync(string slug, string key, CancellationToken ct) =>
        ActAsync(slug, key, "hide", r => authoring.SetHiddenAsync(r, key, Input.Version, hidden: false, UserEmail), ct);

    public Task<IActionResult> OnPostMoveUpAsync(string slug, string key, CancellationToken ct) =>
        ActAsync(slug, key, "move", r => authoring.MoveAsync(r, key, Input.Version, up: true, UserEmail), ct);

    public Task<IActionResult> OnPostMoveDownAsync(string slug, string key, CancellationToken ct) =>
        ActAsync(slug, key, "move", r => authoring.MoveAsync(r, key, Input.Version, up: false, UserEmail), ct);

    public Task<IActionResult> OnPostMergeAsync(string slug, string key, CancellationToken ct) =>
        ActAsync(slug, key, "Input.Into", r => authoring.MergeAsync(r, key, Input.Version, Input.Into, UserEmail), ct);

    public Task<IActionResult> OnPostSplitAsync(string slug, string key, CancellationToken ct) =>
        ActAsync(slug, key, "split-comments", r => authoring.SplitAsync(r, key, Input.Version, Input.Move, Input.NewWording, UserEmail), ct);

    /// <summary>Runs one change; on success back to the point (post-redirect-get), otherwise the page again with the reason.</summary>
    private async Task<IActionResult> ActAsync(string slug, string key, string fieldId, Func<IReportPoints, Task<AuthoringResult>> change, CancellationToken ct)
    {
        if (!CanEdit) return StatusCode(StatusCodes.Status403Forbidden);
        if (!await LoadAsync(slug, key, ct)) return NotFound();
        if (Row is null) return NotFound();
        var result = await change(Report);
        if (result.Saved)
        {
            ReportMessage = result.Message;
            return Redirect(PointUrl(result.PointKey ?? key));
        }
        if (result.Status == AuthoringStatus.NotFound) return NotFound();
        if (result.Status == AuthoringStatus.Conflict)
        {
            // Show the point as it is now; the author's attempted wording stays in the box so nothing typed is lost.
            Errors.Add("point-summary", result.Message);
            Input = Input with { Version = Row.Point.Version };
        }
        else Errors.Add(fieldId, result.Message);
        return Page();
    }

    private async Task<bool> LoadAsync(string slug, string key, CancellationToken ct)
    {
        var found = await consultations.FindBySlugAsync(slug);
        if (found is null) return false;
        Consultation = found;
        Report = await reports.BuildPointAsync(found, key, ct: ct);
        Row = ReportAuthoring.Find(Report, key);
        History = await store.PointHistoryAsync(found.Id, key);
        if (Row is null)
        {
            MergedInto = History.FirstOrDefault()?.MergedInto;
            return true;
        }
        Comments = Report.Comments;
        Siblings = ReportAuthoring.VisibleSiblings(Report, Row);
        return true;
    }

    /// <summary>Flagged, or not yet scanned and the safeguarding detector flags it now.</summary>
    public static bool Flagged(ReportCommentRow c) =>
        c.Safeguarding || (c.SafeguardingUnchecked && Engagement.Core.Triage.SafeguardingDetector.Instance.Check(c.Text).Flagged);

    public string Place(ReportCommentRow c)
    {
        var districts = c.Districts.Split(';', StringSplitOptions.RemoveEmptyEntries);
        var where = districts.Length == 0 ? "Place not given" : string.Join(", ", districts.Select(d => Districts.NameOf(d)));
        return c.PartnerCode is null ? where : $"{where} ({c.PartnerCode})";
    }
}
