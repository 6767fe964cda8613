using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Triage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Engagement.Web.Pages.Staff.Triage;

/// <summary>How far the team agrees with the model, and with itself (Cohen's kappa on the double-coded sample).</summary>
public sealed class AgreementModel(ConsultationStore consultations, TriageStore triage, IOptions<TriageOptions> options) : TriagePageModel
{
    public Consultation Consultation { get; private set; } = null!;
    public AgreementReport Report { get; private set; } = null!;
    public int DoubleCodingPercent => options.Value.DoubleCodingPercent;

    public async Task<IActionResult> OnGetAsync(string slug)
    {
        var found = await consultations.FindBySlugAsync(slug);
        if (found is null) return NotFound();
        Consultation = found;
        Report = Agreement.Build(await triage.ConfirmedDecisionsAsync(found.Id), await triage.DoubleCodesAsync(found.Id));
        return Page();
    }

    public static string Outcome(string label) =>
        int.TryParse(label, out var id) ? $"{id}. {Outcomes.Find(id)?.ShortName}" : label;
}
