using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Engagement.Classifier;
using Engagement.Core.Domain;
using Engagement.Core.Privacy;
using Engagement.Core.Staff;
using Engagement.Core.Triage;
using Engagement.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Engagement.Web.Pages.Staff.Triage;

/// <summary>
/// Base for triage pages: only Admin and EngagementTeam may use them. Anyone else signed in gets 403 on GET and POST alike
/// (the /Staff folder convention has already sent signed-out visitors to sign in).
/// </summary>
[Authorize(Policy = StaffPolicies.Triage)] // declared as well as checked below, so the route scan test sees who may use each page
public abstract class TriagePageModel : PageModel
{
    protected virtual bool Allowed => User.IsInRole(StaffRoles.Admin) || User.IsInRole(StaffRoles.EngagementTeam);

    public string UserEmail => User.Identity?.Name ?? "unknown";

    public FieldErrors Errors { get; } = [];

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (!Allowed)
        {
            context.Result = new StatusCodeResult(StatusCodes.Status403Forbidden);
            return;
        }
        await next();
    }

    /// <summary>A local URL to go back to, or the fallback.</summary>
    protected string SafeReturnUrl(string? returnUrl, string fallback) =>
        !string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) && returnUrl.StartsWith("/staff/", StringComparison.Ordinal) ? returnUrl : fallback;
}

/// <summary>Everything one triage item needs to render.</summary>
public sealed record TriageItemView
{
    public required TriageItem Item { get; init; }
    public ThemeSuggestion? Live { get; init; }
    public required IReadOnlyList<PersonalDataMatch> PersonalData { get; init; }
    public required string SuggestedRedaction { get; init; }
    public required IReadOnlyList<Engagement.Core.Domain.Theme> Themes { get; init; }
    public required string ReturnUrl { get; init; }
    public bool Selectable { get; init; }
    public bool Expanded { get; init; }
    public int Position { get; init; }
    public string? SafeguardingLive { get; init; }

    public string ThemeName(string? id) => TriageText.ThemeName(Themes, id);
}

public static class TriageText
{
    public static string ThemeName(IReadOnlyList<Engagement.Core.Domain.Theme> themes, string? id) =>
        id is null ? "–" : themes.FirstOrDefault(t => t.Id == id)?.Name ?? id;

    public static string Percent(double? value) => value is null ? "–" : (value.Value * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    public static string KindLabel(PersonalDataKind kind) => kind switch
    {
        PersonalDataKind.Email => "email address",
        PersonalDataKind.Phone => "phone number",
        PersonalDataKind.Postcode => "postcode",
        PersonalDataKind.NhsNumber => "NHS number",
        PersonalDataKind.Date => "date",
        PersonalDataKind.Address => "street address",
        PersonalDataKind.Name => "name",
        _ => "personal data",
    };

    /// <summary>The comment, HTML-encoded, with each piece of detected personal data wrapped in a labelled mark.</summary>
    public static IHtmlContent Highlight(string text, IReadOnlyList<PersonalDataMatch> matches)
    {
        var enc = HtmlEncoder.Default;
        var sb = new StringBuilder(text.Length + matches.Count * 80);
        var at = 0;
        foreach (var m in matches.OrderBy(m => m.Start))
        {
            if (m.Start < at || m.End > text.Length) continue;
            sb.Append(enc.Encode(text[at..m.Start]));
            sb.Append("<mark class=\"app-personal-data\" title=\"").Append(enc.Encode(KindLabel(m.Kind))).Append("\">")
              .Append(enc.Encode(text[m.Start..m.End]))
              .Append("<span class=\"govuk-visually-hidden\"> (").Append(enc.Encode(KindLabel(m.Kind))).Append(")</span></mark>");
            at = m.End;
        }
        sb.Append(enc.Encode(text[at..]));
        return new HtmlString(sb.ToString());
    }

    public static string Field(string field) => field switch
    {
        "status" => "Status",
        "confirmed_theme" => "Theme",
        "confirmed_outcome" => "Outcome",
        "secondary_theme" => "Secondary theme",
        "flag_kind" => "Flag",
        "safeguarding" => "Safeguarding",
        "safeguarding_reason" => "Safeguarding reason",
        "redacted_text" => "Redacted text",
        "note" => "Note",
        _ => field,
    };

    public static string Status(TriageItem item) => item.Status switch
    {
        CommentStatuses.New => "Not yet triaged",
        CommentStatuses.Triaged => "Triaged",
        CommentStatuses.Spam => "Spam",
        CommentStatuses.Hidden => "Hidden (" + FlagKinds.LabelOf(item.FlagKind).ToLowerInvariant() + ")",
        _ => item.Status,
    };
}
