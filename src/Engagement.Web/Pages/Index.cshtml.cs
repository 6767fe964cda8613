using Engagement.Core.Data;
using Engagement.Core.Domain;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Engagement.Web.Pages;

public sealed class IndexModel(ConsultationStore consultations) : PageModel
{
    public IReadOnlyList<Consultation> Consultations { get; private set; } = [];

    public async Task OnGetAsync() => Consultations = await consultations.ListPublicAsync();
}
