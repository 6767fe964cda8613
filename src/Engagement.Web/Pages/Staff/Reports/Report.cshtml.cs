using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Reports;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Engagement.Web.Pages.Staff.Reports;

/// <summary>The consultation report for any signed-in staff role (the /Staff folder requires sign-in), with downloads.</summary>
public sealed class ReportModel(ConsultationStore consultations, ReportService reports) : PageModel
{
    public Consultation Consultation { get; private set; } = null!;
    public ConsultationReport Report { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        var found = await consultations.FindBySlugAsync(slug);
        if (found is null) return NotFound();
        Consultation = found;
        // Viewing does not classify (that can take a while on a big consultation); the CLI and downloads do.
        Report = await reports.BuildAsync(found, classifyFirst: false, ct: ct);
        return Page();
    }

    public async Task<IActionResult> OnGetDownloadAsync(string slug, string? format, CancellationToken ct)
    {
        var found = await consultations.FindBySlugAsync(slug);
        if (found is null) return NotFound();
        if (ReportFormats.Parse(format) is not { } f) return NotFound();
        var report = await reports.BuildAsync(found, classifyFirst: true, ct: ct);
        var buffer = new MemoryStream();
        await ReportFormats.WriteAsync(report, f, buffer, ct);
        buffer.Position = 0;
        var name = $"{found.Slug}-report-{report.GeneratedAt:yyyy-MM-dd}.{ReportFormats.Extension(f)}";
        return File(buffer, ReportFormats.ContentType(f), name);
    }

    public bool CanEdit => User.IsInRole(Engagement.Core.Staff.StaffRoles.StrategyAuthor) || User.IsInRole(Engagement.Core.Staff.StaffRoles.Admin);

    public string PointUrl(string key) => $"/staff/consultations/{Uri.EscapeDataString(Consultation.Slug)}/report/points/{Uri.EscapeDataString(key)}";

    public string DownloadUrl(ReportFormat f) => $"/staff/consultations/{Uri.EscapeDataString(Consultation.Slug)}/report?handler=Download&format={ReportFormats.Extension(f)}";
}
