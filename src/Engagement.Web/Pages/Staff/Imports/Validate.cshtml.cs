using System.Text;
using Engagement.Core.Data;
using Engagement.Core.Import;
using Microsoft.AspNetCore.Mvc;

namespace Engagement.Web.Pages.Staff.Imports;

/// <summary>Step 4: every rejected row with its line and reason (downloadable), then "import the valid rows" or "import nothing".</summary>
public sealed class ValidateModel(ImportStore imports, ImportService importer, ImportQueue queue) : ImportPageModel
{
    public const int RejectedShown = 100;

    public ValidationResult Result { get; private set; } = new([], []);
    public int AlreadyStored { get; private set; }
    [TempData] public string? ImportMessage { get; set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } result) return result;
        return Page();
    }

    /// <summary>The validation report as CSV: line and reason for every rejected row.</summary>
    public async Task<IActionResult> OnGetDownloadAsync(long id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } result) return result;
        var name = Path.GetFileNameWithoutExtension(Import.FileName);
        return File(new UTF8Encoding(true).GetBytes(Result.RejectedCsv()), "text/csv", $"{name}-rejected-rows.csv");
    }

    public async Task<IActionResult> OnPostImportAsync(long id, CancellationToken ct)
    {
        if (await imports.GetAsync(id, ct) is not { } record) return NotFound();
        // Only from "not started": a second click (or a refreshed POST) finds it queued and just shows the progress.
        if (await imports.TransitionAsync(id, ImportStatuses.Uploaded, ImportStatuses.Queued, ct: ct)
            || await imports.TransitionAsync(id, ImportStatuses.Failed, ImportStatuses.Queued, ct: ct))
            queue.Enqueue(id);
        return LocalRedirect($"/staff/imports/{record.Id}");
    }

    public async Task<IActionResult> OnPostCancelAsync(long id, CancellationToken ct)
    {
        if (await imports.GetAsync(id, ct) is not { } record) return NotFound();
        if (record.Status is ImportStatuses.Uploaded or ImportStatuses.Failed)
        {
            await imports.FinishAsync(id, ImportStatuses.Cancelled, "Nothing imported: cancelled by " + UserEmail, ct);
            ImportMessage = record.ImportedRows > 0
                ? $"{record.FileName}: stopped. The {record.ImportedRows:N0} rows already imported stay; nothing more will be added."
                : $"{record.FileName}: nothing was imported.";
        }
        return LocalRedirect("/staff/imports");
    }

    private async Task<IActionResult?> LoadAsync(long id, CancellationToken ct)
    {
        if (await imports.GetAsync(id, ct) is not { } record) return NotFound();
        Import = record;
        if (record.Status is not (ImportStatuses.Uploaded or ImportStatuses.Failed)) return LocalRedirect(StepUrl(record));
        if (record.Mapping is null) return LocalRedirect($"/staff/imports/{id}/map");
        try
        {
            (_, _, var validation) = await importer.InspectStoredAsync(record, validate: true, ct);
            Result = validation!;
        }
        catch (ImportFileException ex)
        {
            Errors.Add("mapping", "The rows cannot be checked: " + ex.Message);
            return null;
        }
        AlreadyStored = (await imports.ImportedLinesAsync(record.ConsultationId, ImportService.SourcePrefix(record.FileHash), ct)).Count;
        await imports.SaveValidationAsync(id, Result.RowsRead, Result.Valid.Count, Result.Rejected.Count, ct);
        return null;
    }
}
