using Engagement.Core.Data;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Engagement.Web.Pages.Staff;

public sealed class IndexModel(ConsultationStore consultations) : PageModel
{
    public IReadOnlyList<ConsultationSummary> Consultations { get; private set; } = [];

    public async Task OnGetAsync() => Consultations = await consultations.ListWithCountsAsync();
}
