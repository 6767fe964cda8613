namespace Engagement.Web.Pages;

/// <summary>One validation message, linked from the error summary to the field by its id.</summary>
public sealed record FieldError(string FieldId, string Message);

public sealed class FieldErrors : List<FieldError>
{
    public void Add(string fieldId, string message) => Add(new FieldError(fieldId, message));
    public string? For(string fieldId) => this.FirstOrDefault(e => e.FieldId == fieldId)?.Message;
    public bool Has(string fieldId) => this.Any(e => e.FieldId == fieldId);
}
