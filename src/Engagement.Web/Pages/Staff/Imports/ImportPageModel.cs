using Engagement.Core.Data;
using Engagement.Web.Pages.Staff.Triage;

namespace Engagement.Web.Pages.Staff.Imports;

/// <summary>Import wizard pages: the engagement team and admins only (as triage), each step addressed by the import's id.</summary>
public abstract class ImportPageModel : TriagePageModel
{
    public ImportRecord Import { get; protected set; } = new();

    public static string StepUrl(ImportRecord r) => r.Status switch
    {
        ImportStatuses.Uploaded when r.Mapping is null => $"/staff/imports/{r.Id}/map",
        ImportStatuses.Uploaded => $"/staff/imports/{r.Id}/validate",
        _ => $"/staff/imports/{r.Id}",
    };

    public static string StatusLabel(string status) => status switch
    {
        ImportStatuses.Uploaded => "Not started",
        ImportStatuses.Queued => "Waiting to start",
        ImportStatuses.Running => "Importing",
        ImportStatuses.Completed => "Imported",
        ImportStatuses.Failed => "Stopped",
        ImportStatuses.Cancelled => "Nothing imported",
        _ => status,
    };

    public static string StatusTagClass(string status) => status switch
    {
        ImportStatuses.Completed => "govuk-tag--green",
        ImportStatuses.Failed => "govuk-tag--red",
        ImportStatuses.Cancelled => "govuk-tag--grey",
        ImportStatuses.Running or ImportStatuses.Queued => "govuk-tag--blue",
        _ => "govuk-tag--yellow",
    };
}
