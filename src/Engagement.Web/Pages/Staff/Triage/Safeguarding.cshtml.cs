using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Triage;
using Microsoft.AspNetCore.Mvc;

namespace Engagement.Web.Pages.Staff.Triage;

/// <summary>Comments that disclose a risk of harm, for immediate human review. They are never quoted in reports.</summary>
public sealed class SafeguardingModel(ConsultationStore consultations, TriageStore triage) : TriagePageModel
{
    public Consultation Consultation { get; private set; } = null!;
    public IReadOnlyList<TriageItem> Items { get; private set; } = [];
    public long Total { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug)
    {
        var found = await consultations.FindBySlugAsync(slug);
        if (found is null) return NotFound();
        Consultation = found;
        // Catch anything stored since the last background pass, so the list is never behind.
        await triage.ScanSafeguardingAsync(SafeguardingDetector.Instance);
        (Items, Total) = await triage.SafeguardingAsync(found.Id);
        return Page();
    }
}
