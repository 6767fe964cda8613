using Engagement.Core.Data;
using Microsoft.AspNetCore.Mvc;

namespace Engagement.Web.Pages.Staff.Imports;

/// <summary>
/// An import's progress, read from the database so it survives reloads and restarts. Without JavaScript the page
/// refreshes itself while the import runs; with it, a small script polls the Status handler and updates the bar.
/// </summary>
public sealed class ProgressModel(ImportStore imports) : ImportPageModel
{
    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        if (await imports.GetAsync(id, ct) is not { } record) return NotFound();
        Import = record;
        if (record.Status == ImportStatuses.Uploaded) return LocalRedirect(StepUrl(record));
        return Page();
    }

    public async Task<IActionResult> OnGetStatusAsync(long id, CancellationToken ct)
    {
        if (await imports.GetAsync(id, ct) is not { } r) return NotFound();
        return new JsonResult(new
        {
            status = r.Status, label = StatusLabel(r.Status), imported = r.ImportedRows, valid = r.ValidRows, classified = r.ClassifiedRows,
            rejected = r.RejectedRows, percent = r.PercentDone, active = r.IsActive, message = r.Message,
        });
    }
}
