using System.Globalization;
using Engagement.Core.Campaigns;
using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Web.Pages.Staff.Triage;
using Microsoft.AspNetCore.Mvc;

namespace Engagement.Web.Pages.Staff.Campaigns;

/// <summary>A consultation's campaigns and duplicate groups, and the button that looks for them again.</summary>
public sealed class IndexModel(ConsultationStore consultations, CampaignStore campaigns) : TriagePageModel
{
    public Consultation Consultation { get; private set; } = null!;
    public IReadOnlyList<DuplicateGroupSummary> Campaigns { get; private set; } = [];
    public IReadOnlyList<DuplicateGroupSummary> Duplicates { get; private set; } = [];
    public bool EverRun { get; private set; }
    [TempData] public string? CampaignMessage { get; set; }

    public async Task<IActionResult> OnGetAsync(string slug)
    {
        var found = await consultations.FindBySlugAsync(slug);
        if (found is null) return NotFound();
        Consultation = found;
        // Groups are all that is stored of a look, so one that found none is known only on the page it redirects to.
        EverRun = CampaignMessage is not null || await campaigns.AnyAsync(found.Id);
        var groups = await campaigns.ListAsync(found.Id);
        Campaigns = groups.Where(g => g.IsCampaign).ToList();
        Duplicates = groups.Where(g => !g.IsCampaign).ToList();
        return Page();
    }

    public async Task<IActionResult> OnPostDetectAsync(string slug, CancellationToken ct)
    {
        var found = await consultations.FindBySlugAsync(slug);
        if (found is null) return NotFound();
        var result = await campaigns.DetectAsync(found.Id, ct: ct);
        CampaignMessage = string.Create(CultureInfo.InvariantCulture,
            $"Checked {result.CommentsScanned:N0} {(result.CommentsScanned == 1 ? "comment" : "comments")} in {result.TotalTime.TotalSeconds:0.0} seconds: {result.Groups:N0} suggested {(result.Groups == 1 ? "group" : "groups")}, {result.Campaigns:N0} of them {(result.Campaigns == 1 ? "a campaign" : "campaigns")}. {result.AddedToReviewed:N0} new {(result.AddedToReviewed == 1 ? "comment" : "comments")} joined groups already reviewed.");
        return LocalRedirect($"/staff/consultations/{slug}/campaigns");
    }

    public static string StatusLabel(string status) => status switch
    {
        DuplicateGroupStatuses.Confirmed => "Confirmed",
        DuplicateGroupStatuses.Split => "Changed by the team",
        _ => "Suggested",
    };

    public static string StatusTag(string status) => status switch
    {
        DuplicateGroupStatuses.Confirmed => "govuk-tag--green",
        DuplicateGroupStatuses.Split => "govuk-tag--blue",
        _ => "govuk-tag--grey",
    };

    public static string DistrictsText(DuplicateGroupSummary g) => g.Districts.Count == 0 ? "None given"
        : string.Join(", ", g.Districts.Select(d => $"{Districts.FindByCode(d.District)?.Name ?? d.District} {d.Respondents}"));
}
