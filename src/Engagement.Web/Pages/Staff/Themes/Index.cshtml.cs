using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Staff;
using Engagement.Core.Triage;
using Engagement.Web.Pages.Staff.Triage;
using Engagement.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Engagement.Web.Pages.Staff.Themes;

/// <summary>Admins edit the theme taxonomy: add, rename, retire or restore, move to another outcome.</summary>
[Authorize(Policy = StaffPolicies.Admin)]
public sealed class IndexModel(ThemeStore themes, ThemeAdminStore admin) : TriagePageModel
{
    protected override bool Allowed => User.IsInRole(StaffRoles.Admin);

    public IReadOnlyList<Theme> Themes { get; private set; } = [];
    public IReadOnlyList<ThemeAuditEntry> History { get; private set; } = [];
    [TempData] public string? TriageMessage { get; set; }

    public sealed class ThemeInput
    {
        public string? Id { get; set; }
        public string? Name { get; set; }
        public string? Description { get; set; }
        public int? Outcome { get; set; }
    }

    [BindProperty] public ThemeInput Input { get; set; } = new();

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAddAsync()
    {
        var name = Input.Name?.Trim();
        if (string.IsNullOrEmpty(name)) Errors.Add("new-name", "Enter a name for the theme");
        else if (name.Length > ThemeAdminStore.MaxNameLength) Errors.Add("new-name", $"Name must be {ThemeAdminStore.MaxNameLength} characters or fewer");
        if (!Outcomes.IsValid(Input.Outcome)) Errors.Add("new-outcome", "Choose the outcome the theme belongs to");
        var id = string.IsNullOrWhiteSpace(Input.Id) ? ThemeAdminStore.IdFromName(name ?? "") : Input.Id.Trim();
        if (Errors.Count == 0 && !ThemeAdminStore.IsValidId(id)) Errors.Add("new-id", "Theme id must use lower-case letters, numbers and hyphens only");
        if (Errors.Count == 0 && await admin.AddAsync(id, name!, Input.Outcome!.Value, Input.Description?.Trim() ?? "", UserEmail) is { } error)
            Errors.Add("new-id", error);
        if (Errors.Count > 0) { await LoadAsync(); return Page(); }
        TriageMessage = $"Theme '{name}' added";
        return LocalRedirect("/staff/themes");
    }

    public async Task<IActionResult> OnPostRenameAsync(string id)
    {
        var name = Input.Name?.Trim();
        if (string.IsNullOrEmpty(name)) Errors.Add($"name-{id}", "Enter a name for the theme");
        else if (name.Length > ThemeAdminStore.MaxNameLength) Errors.Add($"name-{id}", $"Name must be {ThemeAdminStore.MaxNameLength} characters or fewer");
        if (Errors.Count > 0) { await LoadAsync(); return Page(); }
        if (!await admin.RenameAsync(id, name!, Input.Description?.Trim() ?? "", UserEmail)) return NotFound();
        TriageMessage = $"Theme renamed to '{name}'";
        return LocalRedirect("/staff/themes#theme-" + id);
    }

    public async Task<IActionResult> OnPostMoveAsync(string id)
    {
        if (!Outcomes.IsValid(Input.Outcome)) { Errors.Add($"outcome-{id}", "Choose an outcome"); await LoadAsync(); return Page(); }
        var moved = await admin.MoveAsync(id, Input.Outcome!.Value, UserEmail);
        if (moved is null) return NotFound();
        TriageMessage = $"Theme moved to outcome {Input.Outcome}. {moved} confirmed {(moved == 1 ? "comment follows" : "comments follow")} it. Suggestions change once the model is retrained on an updated taxonomy.";
        return LocalRedirect("/staff/themes#theme-" + id);
    }

    public async Task<IActionResult> OnPostRetireAsync(string id, bool retired)
    {
        if (!await admin.SetRetiredAsync(id, retired, UserEmail)) return NotFound();
        TriageMessage = retired ? "Theme retired: it is no longer offered in triage. Comments already tagged keep it." : "Theme restored";
        return LocalRedirect("/staff/themes#theme-" + id);
    }

    private async Task LoadAsync()
    {
        Themes = await themes.ListAsync(includeRetired: true);
        History = await admin.HistoryAsync();
    }
}
