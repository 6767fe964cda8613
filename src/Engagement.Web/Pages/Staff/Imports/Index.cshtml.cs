using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Import;
using Microsoft.AspNetCore.Mvc;

namespace Engagement.Web.Pages.Staff.Imports;

/// <summary>Step 1: upload a CSV or .xlsx file for a consultation. Lists recent imports with where each one is up to.</summary>
[RequestSizeLimit(IndexModel.RequestLimitBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = IndexModel.RequestLimitBytes)]
public sealed class IndexModel(ConsultationStore consultations, ImportStore imports, ImportOptions options) : ImportPageModel
{
    // Above the configurable limit, so a file a little too big still reaches the handler and gets a clear message.
    public const long RequestLimitBytes = 210L * 1024 * 1024;

    public IReadOnlyList<ConsultationSummary> Consultations { get; private set; } = [];
    public IReadOnlyList<ImportRecord> Recent { get; private set; } = [];
    public int MaxMegabytes => options.MaxUploadMegabytes;
    [TempData] public string? ImportMessage { get; set; }

    [BindProperty] public string? Consultation { get; set; }
    [BindProperty] public IFormFile? Upload { get; set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var consultation = string.IsNullOrWhiteSpace(Consultation) ? null : await consultations.FindBySlugAsync(Consultation);
        if (consultation is null) Errors.Add("consultation", "Choose the consultation the responses belong to");

        byte[]? content = null;
        if (Upload is null || Upload.Length == 0) Errors.Add("upload", "Choose a CSV or Excel (.xlsx) file to upload");
        else if (Upload.Length > options.MaxUploadMegabytes * 1024L * 1024) Errors.Add("upload", $"The file must be smaller than {options.MaxUploadMegabytes} MB");
        else
        {
            using var buffer = new MemoryStream();
            await Upload.CopyToAsync(buffer, ct);
            content = buffer.ToArray();
            try
            {
                var table = ImportTable.Read(Upload.FileName, content);
                if (table.Rows.Count == 0) Errors.Add("upload", "The file has a header row but no rows to import");
            }
            catch (ImportFileException ex)
            {
                Errors.Add("upload", "The selected file cannot be read: " + ex.Message);
            }
        }
        if (Errors.Count > 0) { await LoadAsync(); return Page(); }

        var hash = ImportService.Hash(content!);
        var previous = await imports.FindByHashAsync(consultation!.Id, hash, ct);
        if (previous is { Status: ImportStatuses.Completed })
        {
            Errors.Add("upload", $"This file was already imported into {consultation.Title} on {previous.CompletedAt:d MMMM yyyy}: importing it again would add nothing");
            await LoadAsync();
            return Page();
        }
        // The same file part-way through (uploaded earlier, or stopped): carry on with that import rather than start a second.
        if (previous is not null) return LocalRedirect(StepUrl(previous));

        var format = ImportTable.IsXlsx(content!) ? "xlsx" : "csv";
        var id = await imports.CreateAsync(consultation.Id, Path.GetFileName(Upload!.FileName), hash, content, format, UserEmail, ct: ct);
        return LocalRedirect($"/staff/imports/{id}/map");
    }

    private async Task LoadAsync()
    {
        Consultations = await consultations.ListWithCountsAsync();
        Recent = await imports.ListAsync(20);
    }
}
