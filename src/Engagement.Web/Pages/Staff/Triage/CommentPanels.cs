using Engagement.Core.Domain;
using Engagement.Core.Privacy;
using Engagement.Core.Staff;
using Engagement.Core.Triage;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;

namespace Engagement.Web.Pages.Staff.Triage;

/// <summary>
/// A comment's text as the viewer may see it: the original for Admin and EngagementTeam, otherwise the confirmed
/// redaction, or (not yet reviewed) the automatic one. Safeguarding comments are withheld from other roles entirely.
/// </summary>
public sealed class CommentTextViewComponent(TriageStore triage, PersonalDataDetector personalData) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(long commentId, string text)
    {
        var fullAccess = UserClaimsPrincipal.IsInRole(StaffRoles.Admin) || UserClaimsPrincipal.IsInRole(StaffRoles.EngagementTeam);
        if (fullAccess) return Content(text);
        var item = await triage.GetAsync(commentId);
        if (item?.Safeguarding == true) return Content("This comment is withheld: it has been flagged for safeguarding review.");
        return Content(item?.RedactedText ?? personalData.Redact(text));
    }
}

/// <summary>On the comment page: the link into triage, notes and the audit trail. Shown to Admin and EngagementTeam only.</summary>
public sealed class CommentTriagePanelViewComponent(TriageStore triage, AuditStore audit) : ViewComponent
{
    public sealed record PanelModel(TriageItem Item, IReadOnlyList<AuditEntry> History, IReadOnlyList<CommentNote> Notes);

    public async Task<IViewComponentResult> InvokeAsync(long commentId)
    {
        var fullAccess = UserClaimsPrincipal.IsInRole(StaffRoles.Admin) || UserClaimsPrincipal.IsInRole(StaffRoles.EngagementTeam);
        var item = fullAccess ? await triage.GetAsync(commentId) : null;
        if (item is null) return Content("");
        return View("~/Pages/Staff/Triage/_CommentPanel.cshtml",
            new PanelModel(item, await audit.ForCommentAsync(commentId), await audit.NotesAsync(commentId)));
    }
}
