using Engagement.Classifier;
using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Privacy;
using Engagement.Core.Triage;
using Microsoft.AspNetCore.Mvc;

namespace Engagement.Web.Pages.Staff.Triage;

/// <summary>The triage queue of one consultation: comments not yet triaged, least certain or newest first, filtered and keyset-paged.</summary>
public sealed class QueueModel(
    ConsultationStore consultations, TriageStore triage, ThemeStore themeStore,
    ICommentClassifier classifier, PersonalDataDetector personalData) : TriagePageModel
{
    public const int PageSize = 20;

    public sealed class QueueInput
    {
        public string? Order { get; set; }
        public string? District { get; set; }
        public string? RespondentType { get; set; }
        public string? Channel { get; set; }
        public int? Outcome { get; set; }
        public string? Band { get; set; }
        public string? After { get; set; }
    }

    [BindProperty(SupportsGet = true)]
    public QueueInput Q { get; set; } = new();

    [BindProperty]
    public List<string> Selected { get; set; } = [];

    [BindProperty]
    public string? BulkAct { get; set; }

    [BindProperty]
    public string? BulkThemeId { get; set; }

    [TempData]
    public string? TriageMessage { get; set; }

    public Consultation Consultation { get; private set; } = null!;
    public QueuePage Results { get; private set; } = new([], 0, null);
    public IReadOnlyList<TriageItemView> Items { get; private set; } = [];
    public IReadOnlyList<Engagement.Core.Domain.Theme> Themes { get; private set; } = [];
    public long SafeguardingCount { get; private set; }
    public QueueOrder Order => Q.Order == "newest" ? QueueOrder.Newest : QueueOrder.LeastCertain;

    public async Task<IActionResult> OnGetAsync(string slug)
    {
        var found = await consultations.FindBySlugAsync(slug);
        if (found is null) return NotFound();
        Consultation = found;
        await LoadAsync();
        return Page();
    }

    /// <summary>Bulk actions on the checked comments: accept, flag as spam, abusive or off-topic, or set one theme. Works without JavaScript.</summary>
    public async Task<IActionResult> OnPostBulkAsync(string slug)
    {
        var found = await consultations.FindBySlugAsync(slug);
        if (found is null) return NotFound();
        Consultation = found;

        var selection = Selected.Select(SelectedComment.Decode).OfType<SelectedComment>().ToList();
        if (selection.Count == 0) Errors.Add("bulk-actions", "Select at least one comment");
        var kind = BulkAct switch
        {
            "accept" => TriageActionKind.Accept,
            "theme" => TriageActionKind.SetTheme,
            FlagKinds.Spam or FlagKinds.Abusive or FlagKinds.OffTopic => TriageActionKind.Flag,
            _ => (TriageActionKind?)null,
        };
        if (kind is null && selection.Count > 0) Errors.Add("bulk-actions", "Choose what to do with the selected comments");
        if (kind == TriageActionKind.SetTheme && string.IsNullOrEmpty(BulkThemeId)) Errors.Add("bulk-theme", "Choose a theme for the selected comments");
        if (Errors.Count > 0)
        {
            await LoadAsync();
            return Page();
        }

        // Only comments of this consultation: ids from another consultation are skipped, not changed.
        var own = new List<SelectedComment>();
        foreach (var s in selection)
            if ((await triage.GetAsync(s.CommentId))?.ConsultationId == found.Id) own.Add(s);
        var result = await triage.BulkAsync(kind!.Value, kind == TriageActionKind.Flag ? BulkAct : null, own, UserEmail,
            themeId: kind == TriageActionKind.SetTheme ? BulkThemeId : null);
        var verb = kind switch
        {
            TriageActionKind.Accept => "accepted",
            TriageActionKind.SetTheme => "given the theme " + TriageText.ThemeName(await themeStore.ListAsync(includeRetired: true), BulkThemeId),
            _ => "marked as " + FlagKinds.LabelOf(BulkAct).ToLowerInvariant(),
        };
        var message = $"{result.Saved.Count} {(result.Saved.Count == 1 ? "comment" : "comments")} {verb}.";
        if (result.Conflicts.Count > 0)
            message += $" Not changed because someone else changed them while you were looking: {string.Join(", ", result.Conflicts.Select(id => "comment " + id))}.";
        var skipped = result.Skipped.Count + selection.Count - own.Count;
        if (skipped > 0)
            message += kind == TriageActionKind.SetTheme
                ? $" {skipped} skipped (that theme cannot be used, or not found)."
                : $" {skipped} skipped (no suggestion to accept, or not found).";
        TriageMessage = message;
        return LocalRedirect(QueueUrl(Q.After));
    }

    private async Task LoadAsync()
    {
        Themes = await themeStore.ListAsync(includeRetired: true);
        var filter = new QueueFilter
        {
            District = Districts.IsValid(Q.District) ? Q.District : null,
            RespondentType = RespondentTypes.IsValid(Q.RespondentType) ? Q.RespondentType : null,
            Channel = Channels.IsValid(Q.Channel) ? Q.Channel : null,
            SuggestedOutcome = Outcomes.IsValid(Q.Outcome) ? Q.Outcome : null,
            Band = ConfidenceBands.IsValid(Q.Band) ? Q.Band : null,
        };
        Results = await triage.QueueAsync(Consultation.Id, filter, Order, QueueCursor.Decode(Q.After), PageSize);
        SafeguardingCount = await triage.SafeguardingCountAsync(Consultation.Id);
        var live = classifier.IsAvailable
            ? classifier.SuggestMany(Results.Items.Select(i => i.Text).ToList())
            : Results.Items.Select(_ => (ThemeSuggestion?)null).ToList();
        var returnUrl = QueueUrl(Q.After);
        Items = Results.Items.Select((item, n) => new TriageItemView
        {
            Item = item,
            Live = live[n],
            PersonalData = personalData.Find(item.Text),
            SuggestedRedaction = personalData.Redact(item.Text),
            Themes = Themes,
            ReturnUrl = returnUrl,
            Selectable = true,
            Position = n,
            // Stored comments are scanned in the background within seconds; check on display too so nothing waits for it.
            SafeguardingLive = item.Safeguarding ? null : SafeguardingDetector.Instance.Check(item.Text).Reason,
        }).ToList();
        ViewData["Errors"] = Errors;
    }

    public string QueueUrl(string? after, string? order = null) =>
        $"/staff/consultations/{Consultation.Slug}/triage" + QueryString.Create(new Dictionary<string, string?>
        {
            ["Q.Order"] = order ?? Q.Order, ["Q.District"] = Q.District, ["Q.RespondentType"] = Q.RespondentType, ["Q.Channel"] = Q.Channel,
            ["Q.Outcome"] = Q.Outcome?.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Q.Band"] = Q.Band, ["Q.After"] = after,
        }.Where(kv => !string.IsNullOrEmpty(kv.Value))).ToUriComponent();
}
