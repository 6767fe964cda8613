using Engagement.Core.Data;
using Engagement.Core.Domain;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Engagement.Web.Pages.Staff.Comments;

public sealed class DetailModel(CommentStore comments, SubmissionStore submissions, ConsultationStore consultations, ThemeStore themes) : PageModel
{
    public CommentRow Comment { get; private set; } = null!;
    public Submission Submission { get; private set; } = null!;
    public IReadOnlyList<CommentRow> OtherComments { get; private set; } = [];
    public Consultation? Consultation { get; private set; }
    public IReadOnlyDictionary<string, string> ThemeNames { get; private set; } = new Dictionary<string, string>();

    public async Task<IActionResult> OnGetAsync(long id)
    {
        var comment = await comments.GetAsync(id);
        if (comment is null) return NotFound();
        Comment = comment;
        Submission = (await submissions.GetAsync(comment.SubmissionId))!;
        OtherComments = (await comments.ForSubmissionAsync(comment.SubmissionId)).Where(c => c.Id != id).ToList();
        Consultation = (await consultations.ListPublicAsync()).FirstOrDefault(c => c.Id == comment.ConsultationId);
        ThemeNames = (await themes.ListAsync(includeRetired: true)).ToDictionary(t => t.Id, t => t.Name);
        return Page();
    }

    public string ThemeName(string? id) => id is null ? "–" : ThemeNames.TryGetValue(id, out var name) ? name : id;
}
