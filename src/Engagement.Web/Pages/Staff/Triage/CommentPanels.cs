using System.Security.Claims;
using Engagement.Core.Domain;
using Engagement.Core.Privacy;
using Engagement.Core.Staff;
using Engagement.Core.Triage;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;

namespace Engagement.Web.Pages.Staff.Triage;

/// <summary>
/// Who may read a comment's original words. Admin and EngagementTeam see the original; everyone else sees the confirmed
/// redaction, or (not yet reviewed) the automatic one, and safeguarding comments are withheld from them entirely.
/// </summary>
public static class CommentAccess
{
    public const string Withheld = "This comment is withheld: it has been flagged for safeguarding review.";

    public static bool SeesOriginal(ClaimsPrincipal user) => user.IsInRole(StaffRoles.Admin) || user.IsInRole(StaffRoles.EngagementTeam);

    public static string VisibleText(ClaimsPrincipal user, string text, string? redactedText, bool safeguarding, PersonalDataDetector personalData) =>
        SeesOriginal(user) ? text
        : safeguarding ? Withheld
        : redactedText ?? personalData.Redact(text);

    public static string VisibleText(ClaimsPrincipal user, CommentRow comment, PersonalDataDetector personalData) =>
        VisibleText(user, comment.Text, comment.RedactedText, comment.Safeguarding, personalData);

    /// <summary>The first <paramref name="length"/> characters of what the viewer may see, for lists.</summary>
    public static string Preview(ClaimsPrincipal user, CommentRow comment, PersonalDataDetector personalData, int length)
    {
        var text = VisibleText(user, comment, personalData);
        return text.Length > length ? text[..length] + "…" : text;
    }
}

/// <summary>On the comment page: the link into triage, notes and the audit trail. Shown to Admin and EngagementTeam only.</summary>
public sealed class CommentTriagePanelViewComponent(TriageStore triage, AuditStore audit, Engagement.Core.Data.ThemeStore themes) : ViewComponent
{
    public sealed record PanelModel(TriageItem Item, IReadOnlyList<AuditEntry> History, IReadOnlyList<CommentNote> Notes);

    public async Task<IViewComponentResult> InvokeAsync(long commentId)
    {
        var item = CommentAccess.SeesOriginal(UserClaimsPrincipal) ? await triage.GetAsync(commentId) : null;
        if (item is null) return Content("");
        ViewData["ThemeList"] = await themes.ListAsync(includeRetired: true);
        return View("~/Pages/Staff/Triage/_CommentPanel.cshtml",
            new PanelModel(item, await audit.ForCommentAsync(commentId), await audit.NotesAsync(commentId)));
    }
}
