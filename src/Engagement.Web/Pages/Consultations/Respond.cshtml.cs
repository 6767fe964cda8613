using Engagement.Core;
using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Engagement.Web.Pages.Consultations;

[EnableRateLimiting(RateLimitPolicies.PublicPost)]
[CutBlankForm]
public sealed class RespondModel(
    ConsultationStore consultations, RecentConsultations recentConsultations, BlankFormTemplates blankForms,
    SubmissionStore submissions, SuggestionService suggestions, ILogger<RespondModel> log) : PageModel
{
    public const string SendButtonId = "send-response";
    public const string CouldNotSaveMessage =
        "We could not save your response just now. Your answers are below. Try sending it again in a few minutes.";

    public const int MaxCommentLength = 5000;
    public const int MaxComments = 7;
    public const int MaxOrganisationLength = 200;
    public const string NotSure = "not-sure";

    public sealed class CommentInput
    {
        public string? Outcome { get; set; }
        public string? Text { get; set; }
    }

    public sealed class ResponseInput
    {
        public string? IdempotencyKey { get; set; }
        public string? RespondentType { get; set; }
        public string? Organisation { get; set; }
        public string? PartnerType { get; set; }
        public string? District { get; set; }
        public List<CommentInput> Comments { get; set; } = [];
        public string? ConsentToQuote { get; set; }
        public string? AgeBand { get; set; }
        public string? Sex { get; set; }
        public string? EthnicGroup { get; set; }
        public string? Disability { get; set; }
        public string? UnpaidCarer { get; set; }
    }

    [BindProperty]
    public ResponseInput Input { get; set; } = new();

    public Consultation Consultation { get; private set; } = null!;
    public FieldErrors Errors { get; } = [];
    public bool CheckingAnswers { get; private set; }

    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        // A browser sends each of this form's fields once. Two values for one field is a crafted request, and keeping
        // either would store an answer nobody can be said to have chosen.
        if (HttpMethods.IsPost(Request.Method) && Request.HasFormContentType && Request.Form.FirstOrDefault(f => f.Value.Count > 1) is { Key: { } repeated })
        {
            HttpContext.Items[RequestLimits.ErrorDetailKey] = $"The form sent more than one answer for the same question ({repeated}). Go back to the form and send it again.";
            context.Result = BadRequest();
        }
    }

    // The blank form is the same page for every resident but for three per-request values, so it is served from a
    // template (BlankFormTemplates) rather than rendered each time.
    public async Task<IActionResult> OnGetAsync(string slug)
    {
        if (!Use(await recentConsultations.FindBySlugAsync(slug))) return NotFound();
        Input = new ResponseInput { IdempotencyKey = Guid.NewGuid().ToString("N"), Comments = [new CommentInput()] };
        return blankForms.Serve(this, slug, Consultation, Input.IdempotencyKey);
    }

    public async Task<IActionResult> OnPostCheckAsync(string slug)
    {
        if (!await LoadAsync(slug)) return NotFound();
        Validate();
        CheckingAnswers = Errors.Count == 0;
        return Page();
    }

    public async Task<IActionResult> OnPostChangeAsync(string slug)
    {
        if (!await LoadAsync(slug)) return NotFound();
        Tidy();
        return Page();
    }

    public async Task<IActionResult> OnPostAddCommentAsync(string slug)
    {
        if (!await LoadAsync(slug)) return NotFound();
        Tidy();
        if (Input.Comments.Count < MaxComments) Input.Comments.Add(new CommentInput());
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveCommentAsync(string slug, int index)
    {
        if (!await LoadAsync(slug)) return NotFound();
        Tidy();
        if (Input.Comments.Count > 1 && index >= 0 && index < Input.Comments.Count) Input.Comments.RemoveAt(index);
        return Page();
    }

    public async Task<IActionResult> OnPostSubmitAsync(string slug)
    {
        if (!await LoadAsync(slug)) return NotFound();
        Validate();
        if (Errors.Count > 0) return Page();

        var comments = Input.Comments.Select(c =>
        {
            var text = NormaliseNewlines(c.Text!);
            return new NewComment(text, ParseOutcome(c.Outcome)) { Suggestion = suggestions.Suggest(text) };
        }).ToList();

        SubmissionResult result;
        try
        {
            result = await submissions.CreateAsync(ToSubmission(comments));
        }
        catch (Exception ex) when (DatabaseFaults.Classify(ex) is var fault and not DatabaseFault.None)
        {
            // Nothing was stored (the transaction rolled back), and the answers go back to the resident with the same
            // idempotency key, so sending again later stores the response exactly once.
            log.LogWarning(ex, "Could not store a response to {Slug}: database {Fault}.", slug, fault);
            Errors.Add(SendButtonId, CouldNotSaveMessage);
            CheckingAnswers = true;
            ErrorPages.SetServiceUnavailable(Response);
            return Page();
        }
        return RedirectToPage("Confirmation", new { slug, reference = result.Reference });
    }

    private NewSubmission ToSubmission(List<NewComment> comments) => new()
    {
        ConsultationId = Consultation.Id,
        RespondentType = Input.RespondentType!,
        Organisation = Input.RespondentType == RespondentTypes.Partner ? Input.Organisation!.Trim() : null,
        PartnerType = Input.RespondentType == RespondentTypes.Partner ? Input.PartnerType : null,
        District = Input.District,
        Channel = Channels.Online,
        ConsentToQuote = Input.ConsentToQuote == "yes",
        AboutYou = new AboutYouAnswers(Empty(Input.AgeBand), Empty(Input.Sex), Empty(Input.EthnicGroup), Empty(Input.Disability), Empty(Input.UnpaidCarer)),
        IdempotencyKey = ValidKey(Input.IdempotencyKey),
        Comments = comments,
    };

    // Answers are always checked against the database itself; only the blank form may use a recently read row.
    private async Task<bool> LoadAsync(string slug) => Use(await consultations.FindBySlugAsync(slug));

    private bool Use(Consultation? found)
    {
        if (found is null || !found.IsOpen) return false;
        Consultation = found;
        return true;
    }

    private void Tidy()
    {
        if (Input.Comments.Count == 0) Input.Comments.Add(new CommentInput());
        if (Input.Comments.Count > MaxComments) Input.Comments = Input.Comments.Take(MaxComments).ToList();
        Input.IdempotencyKey = ValidKey(Input.IdempotencyKey) ?? Guid.NewGuid().ToString("N");
    }

    private void Validate()
    {
        if (Input.Comments.Count > MaxComments)
            Errors.Add("comments-0-text", $"You can add up to {MaxComments} comments in one response");
        Tidy();

        if (!RespondentTypes.IsValid(Input.RespondentType))
            Errors.Add("respondent-type", "Select who you are responding as");

        if (Input.RespondentType == RespondentTypes.Partner)
        {
            if (string.IsNullOrWhiteSpace(Input.Organisation)) Errors.Add("organisation", "Enter the name of your organisation");
            else if (Input.Organisation.Trim().Length > MaxOrganisationLength)
                Errors.Add("organisation", $"Organisation name must be {MaxOrganisationLength} characters or fewer");
            if (!PartnerTypes.IsValid(Input.PartnerType)) Errors.Add("partner-type", "Select the type of organisation");
        }

        if (string.IsNullOrEmpty(Input.District)) Errors.Add("district", "Select the area you live in, or where your organisation works");
        else if (!Districts.IsValid(Input.District)) Errors.Add("district", "Select an area from the list");

        var many = Input.Comments.Count > 1;
        for (var i = 0; i < Input.Comments.Count; i++)
        {
            var prefix = many ? $"Comment {i + 1}: " : "";
            var c = Input.Comments[i];
            if (c.Outcome is null || (c.Outcome != NotSure && ParseOutcome(c.Outcome) is null))
                Errors.Add($"comments-{i}-outcome", prefix + "Select what your comment is mainly about, or select ‘Not sure or more than one’");
            var text = c.Text is null ? "" : NormaliseNewlines(c.Text);
            if (!HasVisibleText(text)) Errors.Add($"comments-{i}-text", prefix + "Enter your comment");
            else if (text.Length > MaxCommentLength)
                Errors.Add($"comments-{i}-text", prefix + $"Your comment must be {MaxCommentLength:N0} characters or fewer. It has {text.Length:N0}");
        }

        if (Input.ConsentToQuote is not ("yes" or "no"))
            Errors.Add("consent", "Select yes if we can quote your words without your name");

        CheckChoice(AboutYou.AgeBands, Input.AgeBand, "age-band");
        CheckChoice(AboutYou.Sexes, Input.Sex, "sex");
        CheckChoice(AboutYou.EthnicGroups, Input.EthnicGroup, "ethnic-group");
        CheckChoice(AboutYou.YesNo, Input.Disability, "disability");
        CheckChoice(AboutYou.YesNo, Input.UnpaidCarer, "unpaid-carer");
        ViewData["HasErrors"] = Errors.Count > 0;
    }

    private void CheckChoice(IReadOnlyList<Choice> choices, string? value, string fieldId)
    {
        if (!AboutYou.IsValidOrEmpty(choices, value)) Errors.Add(fieldId, "Select an option from the list");
    }

    public static int? ParseOutcome(string? value) => int.TryParse(value, out var id) && Outcomes.IsValid(id) ? id : null;

    // Browsers send CRLF for a textarea's newlines while the character count script sees LF, so count as the script does.
    public static string NormaliseNewlines(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');

    // Whitespace, no-break spaces and zero-width characters alone are not a comment.
    public static bool HasVisibleText(string text) =>
        text.Any(ch => !char.IsWhiteSpace(ch) && ch is not ('\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF'));

    private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string? ValidKey(string? key) => key is { Length: 32 } && key.All(char.IsAsciiHexDigit) ? key : null;
}
