using Engagement.Core.Privacy;
using Engagement.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Engagement.Web.Pages.Staff.Privacy;

/// <summary>
/// Erasure on request (UK GDPR Art 17): an admin enters the reference number the respondent quoted, checks it is the
/// right response, then confirms. Three states on one page: enter, check, done.
/// </summary>
[Authorize(Policy = StaffPolicies.Admin)]
public sealed class EraseModel(PrivacyStore privacy) : PageModel
{
    public const int MaxReferenceLength = 40;

    [BindProperty] public string? Reference { get; set; }

    public FieldErrors Errors { get; } = [];
    public SubmissionSummary? Found { get; private set; }
    public ErasureResult? Done { get; private set; }

    public void OnGet() { }

    /// <summary>Step 1 to 2: find the response and show it for checking. Nothing changes yet.</summary>
    public async Task<IActionResult> OnPostAsync()
    {
        Found = await FindAsync();
        return Page();
    }

    /// <summary>Step 2 to 3: the admin confirmed.</summary>
    public async Task<IActionResult> OnPostEraseAsync()
    {
        if (await FindAsync() is null) return Page();
        Done = await privacy.EraseAsync(Reference!, User.Identity?.Name ?? "unknown", ErasureReasons.Request);
        return Page();
    }

    private async Task<SubmissionSummary?> FindAsync()
    {
        var reference = PrivacyStore.NormaliseReference(Reference);
        if (reference.Length == 0) Errors.Add("reference", "Enter the reference number");
        else if (reference.Length > MaxReferenceLength) Errors.Add("reference", $"Reference number must be {MaxReferenceLength} characters or fewer");
        else if (await privacy.FindAsync(reference) is { } found) return found;
        else Errors.Add("reference", "No response has that reference number. Check it and try again");
        return null;
    }
}
