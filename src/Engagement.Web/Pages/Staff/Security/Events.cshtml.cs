using Engagement.Core.Staff;
using Engagement.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Engagement.Web.Pages.Staff.Security;

/// <summary>Admins read the append-only security log: newest first, by kind, 50 a page.</summary>
[Authorize(Policy = StaffPolicies.Admin)]
public sealed class EventsModel(SecurityEventStore events) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }
    [BindProperty(SupportsGet = true, Name = "page")] public int PageNumber { get; set; } = 1;

    public IReadOnlyList<SecurityEvent> Events { get; private set; } = [];
    public long Total { get; private set; }
    public int PageCount => (int)Math.Max(1, (Total + PageSize - 1) / PageSize);

    public async Task OnGetAsync()
    {
        // Anything not on the list (a typo, or something crafted) shows every kind rather than an error.
        if (Kind is not null && !SecurityEventKinds.All.Contains(Kind)) Kind = null;
        Total = await events.CountAsync(Kind);
        PageNumber = Math.Clamp(PageNumber, 1, PageCount);
        Events = await events.ListAsync(Kind, PageSize, (PageNumber - 1) * PageSize);
    }

    public string PageUrl(int page) => $"/staff/security-events?page={page}" + (Kind is null ? "" : "&kind=" + Uri.EscapeDataString(Kind));
}
