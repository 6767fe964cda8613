using System.Text;
using Dapper;
using Engagement.Core.Domain;

namespace Engagement.Core.Data;

public sealed record CommentFilter
{
    public string? District { get; init; }
    public int? Outcome { get; init; }
    public string? RespondentType { get; init; }
    public string? Channel { get; init; }
    public string? Status { get; init; }
    public string? Search { get; init; }

    /// <summary>
    /// What the viewer may read of a comment (text, redacted text, safeguarding flag). When set, a search matches only
    /// those words, so a viewer who sees redacted text cannot find a comment by the name or number that was taken out.
    /// </summary>
    public Func<string, string?, bool, string>? VisibleText { get; init; }
}

public sealed record CommentPage(IReadOnlyList<CommentRow> Rows, long Total, long? NextBefore);

public sealed class CommentStore(Database db)
{
    private const string SelectRow = """
        SELECT m.id, m.submission_id AS SubmissionId, m.consultation_id AS ConsultationId, m.text, m.chosen_outcome AS ChosenOutcome,
               m.suggested_outcome AS SuggestedOutcome, m.suggested_theme AS SuggestedTheme, m.suggested_confidence AS SuggestedConfidence,
               m.suggestion_needs_review AS SuggestionNeedsReview, m.suggestion_model_version AS SuggestionModelVersion,
               m.confirmed_outcome AS ConfirmedOutcome, m.confirmed_theme AS ConfirmedTheme, m.status, m.district,
               m.respondent_type AS RespondentType, m.channel, s.reference, s.organisation, m.created_at AS CreatedAt,
               m.redacted_text AS RedactedText, m.safeguarding
        FROM comments m JOIN submissions s ON s.id = m.submission_id
        """;

    /// <summary>
    /// Newest first, keyset-paged on id: "WHERE id &lt; @before" uses the (consultation_id, ..., id) indexes,
    /// so page 500 costs the same as page 1 at 100k comments.
    /// </summary>
    public async Task<CommentPage> SearchAsync(long consultationId, CommentFilter filter, long? before, int pageSize = 50)
    {
        var where = new StringBuilder("m.consultation_id = @consultationId");
        var p = new DynamicParameters();
        p.Add("consultationId", consultationId);
        if (!string.IsNullOrEmpty(filter.District)) { where.Append(" AND m.district = @district"); p.Add("district", filter.District); }
        if (filter.Outcome is { } outcome)
        {
            // The outcome a person confirmed wins over the model's suggestion.
            where.Append(" AND COALESCE(m.confirmed_outcome, m.suggested_outcome) = @outcome");
            p.Add("outcome", outcome);
        }
        if (!string.IsNullOrEmpty(filter.RespondentType)) { where.Append(" AND m.respondent_type = @respondentType"); p.Add("respondentType", filter.RespondentType); }
        if (!string.IsNullOrEmpty(filter.Channel)) { where.Append(" AND m.channel = @channel"); p.Add("channel", filter.Channel); }
        if (!string.IsNullOrEmpty(filter.Status)) { where.Append(" AND m.status = @status"); p.Add("status", filter.Status); }
        if (!string.IsNullOrWhiteSpace(filter.Search) && filter.VisibleText is not null)
            return await SearchVisibleTextAsync(filter, filter.VisibleText, where, p, before, pageSize);
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            where.Append($" AND m.text LIKE @search {db.Dialect.LikeEscape}");
            p.Add("search", "%" + SqlDialect.EscapeLike(filter.Search.Trim()) + "%");
        }

        await using var c = await db.OpenAsync();
        var total = await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM comments m WHERE {where}", p);

        var pageWhere = new StringBuilder(where.ToString());
        if (before is { } b) { pageWhere.Append(" AND m.id < @before"); p.Add("before", b); }
        p.Add("take", pageSize + 1);
        var rows = (await c.QueryAsync<CommentRow>(
            $"{SelectRow} WHERE {pageWhere} ORDER BY m.id DESC {db.Dialect.Limit("take")}", p)).ToList();

        long? next = null;
        if (rows.Count > pageSize)
        {
            rows.RemoveAt(rows.Count - 1);
            next = rows[^1].Id;
        }
        return new CommentPage(rows, total, next);
    }

    // The automatic redaction is computed when shown, not stored, so SQL can only narrow the candidates: the final match
    // is made on exactly the text the viewer would see. Safeguarding comments are withheld from these viewers, so never match.
    private async Task<CommentPage> SearchVisibleTextAsync(
        CommentFilter filter, Func<string, string?, bool, string> visibleText, StringBuilder where, DynamicParameters p, long? before, int pageSize)
    {
        var term = filter.Search!.Trim();
        where.Append($" AND m.safeguarding = 0 AND COALESCE(m.redacted_text, m.text) LIKE @search {db.Dialect.LikeEscape}");
        p.Add("search", "%" + SqlDialect.EscapeLike(term) + "%");

        await using var c = await db.OpenAsync();
        var candidates = await c.QueryAsync<SearchCandidate>(
            $"SELECT m.id, m.text, m.redacted_text AS RedactedText FROM comments m WHERE {where} ORDER BY m.id DESC", p);
        var matching = candidates
            .Where(r => visibleText(r.Text, r.RedactedText, false).Contains(term, StringComparison.OrdinalIgnoreCase))
            .Select(r => r.Id).ToList();

        var pageIds = matching.Where(id => before is not { } b || id < b).Take(pageSize + 1).ToList();
        var rows = pageIds.Count == 0 ? [] : (await c.QueryAsync<CommentRow>(
            $"{SelectRow} WHERE m.id IN @ids ORDER BY m.id DESC", new { ids = pageIds.Take(pageSize).ToList() })).ToList();
        return new CommentPage(rows, matching.Count, pageIds.Count > pageSize ? rows[^1].Id : null);
    }

    private sealed record SearchCandidate(long Id, string Text, string? RedactedText);

    public async Task<CommentRow?> GetAsync(long id)
    {
        await using var c = await db.OpenAsync();
        return await c.QuerySingleOrDefaultAsync<CommentRow>($"{SelectRow} WHERE m.id = @id", new { id });
    }

    public async Task<IReadOnlyList<CommentRow>> ForSubmissionAsync(long submissionId)
    {
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<CommentRow>($"{SelectRow} WHERE m.submission_id = @submissionId ORDER BY m.id", new { submissionId })).ToList();
    }

    public async Task<IReadOnlyList<(long Id, string Text)>> WithoutSuggestionAsync(long? consultationId, int take)
    {
        await using var c = await db.OpenAsync();
        var rows = await c.QueryAsync<UnsuggestedComment>($"""
            SELECT id, text FROM comments
            WHERE suggested_theme IS NULL AND (@consultationId IS NULL OR consultation_id = @consultationId)
            ORDER BY id {db.Dialect.Limit("take")}
            """, new { consultationId, take });
        return rows.Select(r => (r.Id, r.Text)).ToList();
    }

    public async Task SetSuggestionsAsync(IEnumerable<(long CommentId, CommentSuggestion Suggestion)> suggestions)
    {
        await using var c = await db.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        foreach (var (id, s) in suggestions)
        {
            await c.ExecuteAsync("""
                UPDATE comments SET suggested_outcome = @OutcomeId, suggested_theme = @ThemeId, suggested_confidence = @Confidence,
                    suggestion_needs_review = @NeedsReview, suggestion_model_version = @ModelVersion
                WHERE id = @id
                """, new { id, s.OutcomeId, s.ThemeId, s.Confidence, s.NeedsReview, s.ModelVersion }, tx);
        }
        await tx.CommitAsync();
    }

    private sealed record UnsuggestedComment(long Id, string Text);
}
