using Engagement.Classifier;
using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Privacy;
using Engagement.Core.Triage;
using Microsoft.AspNetCore.Mvc;

namespace Engagement.Web.Pages.Staff.Triage;

/// <summary>
/// One comment in the triage workspace, with its history. Every triage action (from here or from the queue) posts here,
/// carrying the row version the triager saw; a stale version shows who changed what instead of overwriting it.
/// </summary>
public sealed class CommentModel(
    TriageStore triage, AuditStore audit, ThemeStore themeStore,
    ICommentClassifier classifier, PersonalDataDetector personalData) : TriagePageModel
{
    public const string ConflictMessage =
        "Someone else changed this comment while you were looking at it. Your change was not saved. Check the comment as it is now and try again";

    public sealed class ActionInput
    {
        public string? Act { get; set; }
        public int RowVersion { get; set; }
        public string? ThemeId { get; set; }
        public string? SecondaryThemeId { get; set; }
        public string? Note { get; set; }
        public string? Redacted { get; set; }
        public string? SafeguardingReason { get; set; }
        public string? ReturnUrl { get; set; }
    }

    [BindProperty]
    public ActionInput Input { get; set; } = new();

    public TriageItemView View { get; private set; } = null!;
    public IReadOnlyList<AuditEntry> History { get; private set; } = [];
    public IReadOnlyList<CommentNote> Notes { get; private set; } = [];
    public Consultation? Consultation { get; private set; }
    public bool Conflict { get; private set; }
    public string? AttemptedAction { get; private set; }

    [TempData]
    public string? TriageMessage { get; set; }

    public async Task<IActionResult> OnGetAsync(long id)
    {
        var item = await triage.GetAsync(id);
        if (item is null) return NotFound();
        await LoadAsync(item);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long id)
    {
        var command = ToCommand(id);
        if (command is null)
        {
            var item = await triage.GetAsync(id);
            if (item is null) return NotFound();
            Errors.Add($"actions-{id}", "Choose what to do with this comment");
            await LoadAsync(item);
            return Page();
        }

        var result = await triage.ApplyAsync(command, UserEmail);
        switch (result.Kind)
        {
            case TriageOutcomeKind.NotFound:
                return NotFound();
            case TriageOutcomeKind.Saved:
                themeList = await themeStore.ListAsync(includeRetired: true);
                TriageMessage = Describe(command, result.Current!);
                return LocalRedirect(SafeReturnUrl(Input.ReturnUrl, $"/staff/triage/comments/{id}"));
            case TriageOutcomeKind.Conflict:
                Conflict = true;
                AttemptedAction = DescribeAttempt(command);
                Errors.Add($"item-{id}", ConflictMessage);
                await LoadAsync(result.Current!);
                Response.StatusCode = StatusCodes.Status409Conflict;
                return Page();
            default:
                Errors.Add(FieldFor(command, id), result.Message ?? "Check your answer");
                await LoadAsync(result.Current!);
                return Page();
        }
    }

    private TriageCommand? ToCommand(long id)
    {
        TriageCommand Make(TriageActionKind kind) => new() { CommentId = id, ExpectedRowVersion = Input.RowVersion, Kind = kind };
        return Input.Act switch
        {
            "accept" => Make(TriageActionKind.Accept),
            "theme" => Make(TriageActionKind.SetTheme) with { ThemeId = Input.ThemeId },
            "secondary" => Make(TriageActionKind.SetSecondaryTheme) with { ThemeId = Input.SecondaryThemeId },
            "spam" or "abusive" or "off-topic" => Make(TriageActionKind.Flag) with { FlagKind = Input.Act },
            "safeguarding" => Make(TriageActionKind.SetSafeguarding) with { Safeguarding = true, Text = Input.SafeguardingReason },
            "safeguarding-clear" => Make(TriageActionKind.SetSafeguarding) with { Safeguarding = false },
            "redact" => Make(TriageActionKind.ConfirmRedaction) with { Text = Input.Redacted },
            "note" => Make(TriageActionKind.AddNote) with { Text = Input.Note },
            "requeue" => Make(TriageActionKind.ReturnToQueue),
            _ => null,
        };
    }

    private static string FieldFor(TriageCommand c, long id) => c.Kind switch
    {
        TriageActionKind.SetTheme => $"theme-{id}",
        TriageActionKind.SetSecondaryTheme => $"secondary-{id}",
        TriageActionKind.AddNote => $"note-{id}",
        TriageActionKind.ConfirmRedaction => $"redaction-{id}",
        _ => $"actions-{id}",
    };

    private string Describe(TriageCommand c, TriageItem now) => c.Kind switch
    {
        TriageActionKind.Accept or TriageActionKind.SetTheme => $"Comment {now.Id} confirmed as {ThemeNameCache(now.ConfirmedTheme)}",
        TriageActionKind.SetSecondaryTheme => now.SecondaryTheme is null ? $"Secondary theme removed from comment {now.Id}" : $"Comment {now.Id} also tagged {ThemeNameCache(now.SecondaryTheme)}",
        TriageActionKind.Flag => $"Comment {now.Id} marked as {FlagKinds.LabelOf(c.FlagKind).ToLowerInvariant()}",
        TriageActionKind.SetSafeguarding => c.Safeguarding ? $"Comment {now.Id} flagged as a safeguarding concern" : $"Safeguarding flag removed from comment {now.Id}",
        TriageActionKind.ConfirmRedaction => $"Redaction of comment {now.Id} confirmed",
        TriageActionKind.AddNote => $"Note added to comment {now.Id}",
        TriageActionKind.ReturnToQueue => $"Comment {now.Id} returned to the queue",
        _ => "Saved",
    };

    private static string DescribeAttempt(TriageCommand c) => c.Kind switch
    {
        TriageActionKind.Accept => "accept the suggestion",
        TriageActionKind.SetTheme => $"set the theme to {c.ThemeId}",
        TriageActionKind.SetSecondaryTheme => c.ThemeId is null ? "remove the secondary theme" : $"add the secondary theme {c.ThemeId}",
        TriageActionKind.Flag => $"mark it as {FlagKinds.LabelOf(c.FlagKind).ToLowerInvariant()}",
        TriageActionKind.SetSafeguarding => c.Safeguarding ? "flag a safeguarding concern" : "remove the safeguarding flag",
        TriageActionKind.ConfirmRedaction => "confirm the redaction",
        TriageActionKind.ReturnToQueue => "return it to the queue",
        _ => "change it",
    };

    private IReadOnlyList<Engagement.Core.Domain.Theme> themeList = [];
    private string ThemeNameCache(string? id) => TriageText.ThemeName(themeList, id);

    private async Task LoadAsync(TriageItem item)
    {
        themeList = await themeStore.ListAsync(includeRetired: true);
        Consultation = await triage.ConsultationAsync(item.ConsultationId);
        History = await audit.ForCommentAsync(item.Id);
        Notes = await audit.NotesAsync(item.Id);
        var matches = personalData.Find(item.Text);
        var safeguarding = item.Safeguarding ? null : SafeguardingDetector.Instance.Check(item.Text).Reason;
        View = new TriageItemView
        {
            Item = item,
            Live = classifier.IsAvailable ? classifier.Suggest(item.Text) : null,
            PersonalData = matches,
            SuggestedRedaction = personalData.Redact(item.Text),
            Themes = themeList,
            ReturnUrl = SafeReturnUrl(Input.ReturnUrl, $"/staff/triage/comments/{item.Id}"),
            Expanded = true,
            SafeguardingLive = safeguarding,
        };
        ViewData["Errors"] = Errors;
        ViewData["ThemeList"] = themeList;
    }
}
