using Engagement.Core.Data;
using Engagement.Core.Domain;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Engagement.Web.Pages.Consultations;

public sealed class ConfirmationModel(ConsultationStore consultations, SubmissionStore submissions) : PageModel
{
    public Consultation Consultation { get; private set; } = null!;
    public string Reference { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string slug, string? reference)
    {
        var consultation = await consultations.FindBySlugAsync(slug);
        if (consultation is null || string.IsNullOrEmpty(reference) || reference.Length > 20) return NotFound();
        var submission = await submissions.FindByReferenceAsync(reference);
        if (submission is null || submission.ConsultationId != consultation.Id) return NotFound();
        Consultation = consultation;
        Reference = submission.Reference;
        return Page();
    }
}
