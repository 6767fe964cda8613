using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Triage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Engagement.Web.Pages.Staff.Triage;

/// <summary>Blind second coding of a sample of confirmed comments. The first coder's decision is not shown.</summary>
public sealed class DoubleCodingModel(ConsultationStore consultations, TriageStore triage, ThemeStore themeStore, IOptions<TriageOptions> options) : TriagePageModel
{
    public Consultation Consultation { get; private set; } = null!;
    public TriageItem? Next { get; private set; }
    public long SampleSize { get; private set; }
    public long Coded { get; private set; }
    public IReadOnlyList<Engagement.Core.Domain.Theme> Themes { get; private set; } = [];
    public int Percent => options.Value.DoubleCodingPercent;

    [BindProperty] public long CommentId { get; set; }
    [BindProperty] public string? ThemeId { get; set; }
    [TempData] public string? TriageMessage { get; set; }

    public async Task<IActionResult> OnGetAsync(string slug)
    {
        var found = await consultations.FindBySlugAsync(slug);
        if (found is null) return NotFound();
        Consultation = found;
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string slug)
    {
        var found = await consultations.FindBySlugAsync(slug);
        if (found is null) return NotFound();
        Consultation = found;
        var item = await triage.GetAsync(CommentId);
        if (item is null || item.ConsultationId != found.Id) return NotFound();
        if (string.IsNullOrEmpty(ThemeId))
        {
            Errors.Add("theme", "Choose a theme");
            await LoadAsync(item);
            return Page();
        }
        if (item.ConfirmedBy == UserEmail)
        {
            Errors.Add("theme", "You confirmed this comment yourself, so someone else must code it a second time");
            await LoadAsync();
            return Page();
        }
        TriageMessage = await triage.SaveSecondCodeAsync(CommentId, ThemeId, UserEmail)
            ? $"Second code saved for comment {CommentId}"
            : $"Comment {CommentId} already has a second code, or that theme does not exist";
        return LocalRedirect($"/staff/consultations/{slug}/double-coding");
    }

    private async Task LoadAsync(TriageItem? keep = null)
    {
        Themes = await themeStore.ListAsync();
        (Next, SampleSize, Coded) = await triage.NextForSecondCodingAsync(Consultation.Id, Percent, UserEmail);
        if (keep is not null) Next = keep;
    }
}
