using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Import;
using Microsoft.AspNetCore.Mvc;

namespace Engagement.Web.Pages.Staff.Imports;

/// <summary>Steps 2 and 3: preview the first rows, then say which column feeds which field (guessed from the headers).</summary>
public sealed class MapModel(ImportStore imports, ImportService importer) : ImportPageModel
{
    public const int PreviewRows = 10;

    public ImportTable Table { get; private set; } = new([], [], "", "", []);
    public ImportMapping Mapping { get; private set; } = new();

    /// <summary>Field JSON name to the chosen column header ("" for none).</summary>
    [BindProperty] public Dictionary<string, string?> Columns { get; set; } = [];
    [BindProperty] public string? DefaultChannel { get; set; }
    [BindProperty] public string? Sheet { get; set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } result) return result;
        return Page();
    }

    public async Task<IActionResult> OnPostSheetAsync(long id, CancellationToken ct)
    {
        if (await imports.GetAsync(id, ct) is not { Status: ImportStatuses.Uploaded } record) return NotFound();
        await imports.SaveMappingAsync(record.Id, null, Sheet, ct);
        return LocalRedirect($"/staff/imports/{id}/map");
    }

    public async Task<IActionResult> OnPostAsync(long id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } result) return result;
        var mapping = new ImportMapping();
        foreach (var info in ImportFields.All)
        {
            var column = Columns.GetValueOrDefault(info.JsonName);
            if (string.IsNullOrWhiteSpace(column)) continue;
            if (ImportMapping.IndexOf(Table.Headers, column) < 0) Errors.Add("column-" + info.JsonName, $"{info.Label}: choose a column from the file");
            else mapping = mapping.With(info.Field, column);
        }
        if (mapping.ColumnFor(ImportField.Text) is null && !Errors.Has("column-text")) Errors.Add("column-text", "Choose the column that holds the comment text");
        if (!string.IsNullOrEmpty(DefaultChannel))
        {
            if (Channels.IsValid(DefaultChannel)) mapping = mapping with { DefaultChannel = DefaultChannel };
            else Errors.Add("default-channel", "Choose a channel from the list");
        }
        Mapping = mapping;
        if (Errors.Count > 0) return Page();

        await imports.SaveMappingAsync(id, mapping.ToJson(), Import.Sheet, ct);
        return LocalRedirect($"/staff/imports/{id}/validate");
    }

    private async Task<IActionResult?> LoadAsync(long id, CancellationToken ct)
    {
        if (await imports.GetAsync(id, ct) is not { } record) return NotFound();
        Import = record;
        if (record.Status != ImportStatuses.Uploaded) return LocalRedirect(StepUrl(record));
        try
        {
            (Table, Mapping, _) = await importer.InspectStoredAsync(record, validate: false, ct);
        }
        catch (ImportFileException ex)
        {
            Errors.Add("sheet", "The file cannot be read: " + ex.Message);
            Table = new ImportTable([], [], "", "", record.Format == "xlsx" ? XlsxSheetNames(await imports.ReadFileAsync(id, ct)) : []);
        }
        return null;
    }

    private static IReadOnlyList<string> XlsxSheetNames(byte[]? content)
    {
        if (content is null) return [];
        try { return XlsxReader.SheetNames(content); }
        catch (ImportFileException) { return []; }
    }

    public string? Chosen(ImportFieldInfo info) =>
        Columns.TryGetValue(info.JsonName, out var posted) && Request.Method == "POST" ? posted : Mapping.ColumnFor(info.Field);
}
