using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Privacy;
using Engagement.Web.Pages.Staff.Triage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Engagement.Web.Pages.Staff.Consultations;

public sealed class ResponsesModel(ConsultationStore consultations, CommentStore comments, PersonalDataDetector personalData) : PageModel
{
    public const int PageSize = 50;

    public sealed class FilterInput
    {
        public string? District { get; set; }
        public int? Outcome { get; set; }
        public string? RespondentType { get; set; }
        public string? Channel { get; set; }
        public string? Status { get; set; }
        public string? Q { get; set; }
        public long? Before { get; set; }
    }

    [BindProperty(SupportsGet = true)]
    public FilterInput Filter { get; set; } = new();

    public Consultation Consultation { get; private set; } = null!;
    public CommentPage Results { get; private set; } = new([], 0, null);

    public async Task<IActionResult> OnGetAsync(string slug)
    {
        var found = await consultations.FindBySlugAsync(slug);
        if (found is null) return NotFound();
        Consultation = found;

        // Unknown filter values are ignored rather than matched literally.
        var filter = new CommentFilter
        {
            District = Districts.IsValid(Filter.District) ? Filter.District : null,
            Outcome = Outcomes.IsValid(Filter.Outcome) ? Filter.Outcome : null,
            RespondentType = RespondentTypes.IsValid(Filter.RespondentType) ? Filter.RespondentType : null,
            Channel = Channels.IsValid(Filter.Channel) ? Filter.Channel : null,
            Status = CommentStatuses.IsValid(Filter.Status) ? Filter.Status : null,
            Search = string.IsNullOrWhiteSpace(Filter.Q) ? null : Filter.Q.Trim()[..Math.Min(Filter.Q.Trim().Length, 200)],
            VisibleText = CommentAccess.SeesOriginal(User) ? null : (text, redacted, safeguarding) => CommentAccess.VisibleText(User, text, redacted, safeguarding, personalData),
        };
        Results = await comments.SearchAsync(found.Id, filter, Filter.Before, PageSize);
        return Page();
    }

    public string NextPageUrl() =>
        QueryString.Create(new Dictionary<string, string?>
        {
            ["District"] = Filter.District, ["Outcome"] = Filter.Outcome?.ToString(), ["RespondentType"] = Filter.RespondentType,
            ["Channel"] = Filter.Channel, ["Status"] = Filter.Status, ["Q"] = Filter.Q, ["Before"] = Results.NextBefore?.ToString(),
        }.Where(kv => !string.IsNullOrEmpty(kv.Value))).ToUriComponent();
}
