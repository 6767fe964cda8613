using Engagement.Core.Data;
using Engagement.Core.Domain;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Engagement.Web.Pages.Consultations;

public sealed class StartModel(ConsultationStore consultations) : PageModel
{
    public Consultation Consultation { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string slug)
    {
        var found = await consultations.FindBySlugAsync(slug);
        if (found is null || found.Status == ConsultationStatuses.Draft) return NotFound();
        Consultation = found;
        return Page();
    }
}
