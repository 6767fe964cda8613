using Engagement.Core.Campaigns;
using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Web.Pages.Staff.Triage;
using Microsoft.AspNetCore.Mvc;

namespace Engagement.Web.Pages.Staff.Campaigns;

/// <summary>One group: confirm (and name) it, take out comments that do not belong, move some into a group of their own, or dissolve it.</summary>
public sealed class GroupModel(ConsultationStore consultations, CampaignStore campaigns) : TriagePageModel
{
    public const int MaxNameLength = 300;

    public Consultation Consultation { get; private set; } = null!;
    public DuplicateGroupSummary Group { get; private set; } = null!;
    public IReadOnlyList<DuplicateGroupMember> Members { get; private set; } = [];
    [TempData] public string? CampaignMessage { get; set; }

    public sealed class GroupInput
    {
        public string? Name { get; set; }
        public List<long> Selected { get; set; } = [];
    }

    [BindProperty] public GroupInput Input { get; set; } = new();

    /// <summary>Where a members error points: the first checkbox, as GOV.UK does for checkboxes, so the summary's link lands on one.</summary>
    public string MembersFieldId => Members.FirstOrDefault(m => !m.Removed) is { } first ? $"member-{first.CommentId}" : "members";

    public async Task<IActionResult> OnGetAsync(string slug, long id) => await LoadAsync(slug, id) ? Page() : NotFound();

    public async Task<IActionResult> OnPostConfirmAsync(string slug, long id)
    {
        if (!await LoadAsync(slug, id)) return NotFound();
        var name = Input.Name?.Trim();
        if (name is { Length: > MaxNameLength }) { Errors.Add("name", $"Name must be {MaxNameLength} characters or fewer"); return Page(); }
        await campaigns.ConfirmAsync(id, name, UserEmail);
        CampaignMessage = "Group confirmed";
        return Back(slug, id);
    }

    public async Task<IActionResult> OnPostRemoveAsync(string slug, long id)
    {
        if (!await LoadAsync(slug, id)) return NotFound();
        var selected = SelectedMembers();
        if (selected.Count == 0) { Errors.Add(MembersFieldId, "Select the comments to take out of the group"); return Page(); }
        var removed = await campaigns.RemoveMembersAsync(id, selected, UserEmail);
        CampaignMessage = $"{removed} {(removed == 1 ? "comment" : "comments")} taken out of the group. They will not be grouped again.";
        return Back(slug, id);
    }

    public async Task<IActionResult> OnPostSplitOffAsync(string slug, long id)
    {
        if (!await LoadAsync(slug, id)) return NotFound();
        var selected = SelectedMembers();
        if (selected.Count < 2) { Errors.Add(MembersFieldId, "Select at least 2 comments to move into a new group"); return Page(); }
        var newId = await campaigns.SplitOffAsync(id, selected, UserEmail);
        if (newId is null) { Errors.Add(MembersFieldId, "Select at least 2 comments to move into a new group"); return Page(); }
        CampaignMessage = $"{selected.Count} comments moved into a new group";
        return LocalRedirect($"/staff/consultations/{slug}/campaigns/{newId}");
    }

    public async Task<IActionResult> OnPostDissolveAsync(string slug, long id)
    {
        if (!await LoadAsync(slug, id)) return NotFound();
        await campaigns.DissolveAsync(id, UserEmail);
        CampaignMessage = "Group dissolved: its comments count as separate comments and will not be grouped again.";
        return LocalRedirect($"/staff/consultations/{slug}/campaigns");
    }

    /// <summary>Only ids of comments still in the group count; anything else posted is ignored.</summary>
    private List<long> SelectedMembers()
    {
        var active = Members.Where(m => !m.Removed).Select(m => m.CommentId).ToHashSet();
        return Input.Selected.Where(active.Contains).Distinct().ToList();
    }

    private IActionResult Back(string slug, long id) => LocalRedirect($"/staff/consultations/{slug}/campaigns/{id}");

    private async Task<bool> LoadAsync(string slug, long id)
    {
        var consultation = await consultations.FindBySlugAsync(slug);
        var group = await campaigns.GetAsync(id);
        if (consultation is null || group is null || group.ConsultationId != consultation.Id) return false;
        Consultation = consultation;
        Group = group;
        Members = await campaigns.MembersAsync(id);
        return true;
    }
}
