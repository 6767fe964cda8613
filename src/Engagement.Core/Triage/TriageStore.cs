using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;
using Engagement.Core.Data;
using Engagement.Core.Domain;

namespace Engagement.Core.Triage;

/// <summary>
/// All SQL behind triage: the queue, the actions (optimistic concurrency on comments.row_version, an audit row per
/// changed field), safeguarding flags, double coding and the data for agreement and retraining.
/// </summary>
public sealed class TriageStore(Database db)
{
    public const int MaxNoteLength = 2000;

    private const string ItemColumns = """
        m.id, m.submission_id AS SubmissionId, m.consultation_id AS ConsultationId, m.text, m.chosen_outcome AS ChosenOutcome,
        m.suggested_outcome AS SuggestedOutcome, m.suggested_theme AS SuggestedTheme, m.suggested_confidence AS SuggestedConfidence,
        m.suggestion_model_version AS SuggestionModelVersion, m.confirmed_outcome AS ConfirmedOutcome, m.confirmed_theme AS ConfirmedTheme,
        m.secondary_theme AS SecondaryTheme, m.status, m.flag_kind AS FlagKind, m.safeguarding, m.safeguarding_reason AS SafeguardingReason,
        m.redacted_text AS RedactedText, m.redaction_confirmed_by AS RedactionConfirmedBy, m.redaction_confirmed_at AS RedactionConfirmedAt,
        m.confirmed_by AS ConfirmedBy, m.confirmed_at AS ConfirmedAt, m.district, m.respondent_type AS RespondentType, m.channel,
        s.reference, m.created_at AS CreatedAt, m.row_version AS RowVersion
        """;

    private const string FromItems = "FROM comments m JOIN submissions s ON s.id = m.submission_id";

    // ---------------------------------------------------------------- queue

    /// <summary>The two statements behind a queue page (count, then the page itself) and their parameters.</summary>
    public sealed record QueueQuery(string CountSql, string PageSql, DynamicParameters Parameters);

    /// <summary>
    /// Builds the queue's SQL. Public so the triage benchmark can ask the database for its query plans
    /// (EXPLAIN QUERY PLAN) on exactly the statements the page runs.
    /// </summary>
    public QueueQuery BuildQueueQuery(long consultationId, QueueFilter filter, QueueOrder order, QueueCursor? after, int pageSize)
    {
        var where = new StringBuilder("m.consultation_id = @consultationId AND m.status = 'new'");
        var p = new DynamicParameters();
        p.Add("consultationId", consultationId);
        if (!string.IsNullOrEmpty(filter.District)) { where.Append(" AND m.district = @district"); p.Add("district", filter.District); }
        if (!string.IsNullOrEmpty(filter.RespondentType)) { where.Append(" AND m.respondent_type = @respondentType"); p.Add("respondentType", filter.RespondentType); }
        if (!string.IsNullOrEmpty(filter.Channel)) { where.Append(" AND m.channel = @channel"); p.Add("channel", filter.Channel); }
        if (filter.SuggestedOutcome is { } o) { where.Append(" AND m.suggested_outcome = @suggestedOutcome"); p.Add("suggestedOutcome", o); }
        switch (filter.Band)
        {
            case ConfidenceBands.None: where.Append(" AND m.suggested_confidence IS NULL"); break;
            case ConfidenceBands.Low: where.Append(" AND m.suggested_confidence < @mediumFrom"); break;
            case ConfidenceBands.Medium: where.Append(" AND m.suggested_confidence >= @mediumFrom AND m.suggested_confidence < @highFrom"); break;
            case ConfidenceBands.High: where.Append(" AND m.suggested_confidence >= @highFrom"); break;
        }
        p.Add("mediumFrom", ConfidenceBands.MediumFrom);
        p.Add("highFrom", ConfidenceBands.HighFrom);
        var countSql = $"SELECT COUNT(*) FROM comments m WHERE {where}";

        var page = new StringBuilder(where.ToString());
        string orderBy;
        if (order == QueueOrder.Newest)
        {
            if (after is not null) { page.Append(" AND m.id < @afterId"); p.Add("afterId", after.Id); }
            orderBy = "m.id DESC";
        }
        else
        {
            // NULL (no suggestion) first, then ascending confidence; ties broken by id.
            if (after is { HasConfidence: false })
            {
                page.Append(" AND ((m.suggested_confidence IS NULL AND m.id > @afterId) OR m.suggested_confidence IS NOT NULL)");
                p.Add("afterId", after.Id);
            }
            else if (after is { HasConfidence: true })
            {
                page.Append(" AND m.suggested_confidence >= @afterConfidence AND (m.suggested_confidence > @afterConfidence OR m.id > @afterId)");
                p.Add("afterConfidence", after.Confidence);
                p.Add("afterId", after.Id);
            }
            orderBy = "m.suggested_confidence, m.id";
        }
        p.Add("take", pageSize + 1);
        return new QueueQuery(countSql, $"SELECT {ItemColumns} {FromItems} WHERE {page} ORDER BY {orderBy} {db.Dialect.Limit("take")}", p);
    }

    /// <summary>Comments not yet triaged, keyset-paged: cost does not grow with the page number.</summary>
    public async Task<QueuePage> QueueAsync(long consultationId, QueueFilter filter, QueueOrder order, QueueCursor? after, int pageSize = 20)
    {
        var query = BuildQueueQuery(consultationId, filter, order, after, pageSize);
        await using var c = await db.OpenAsync();
        var total = await c.ExecuteScalarAsync<long>(query.CountSql, query.Parameters);
        var items = (await c.QueryAsync<TriageItem>(query.PageSql, query.Parameters)).ToList();

        string? next = null;
        if (items.Count > pageSize)
        {
            items.RemoveAt(items.Count - 1);
            var last = items[^1];
            next = new QueueCursor(last.SuggestedConfidence is not null, last.SuggestedConfidence ?? 0, last.Id).Encode();
        }
        return new QueuePage(items, total, next);
    }

    public async Task<TriageItem?> GetAsync(long id)
    {
        await using var c = await db.OpenAsync();
        return await GetInAsync(c, null, id);
    }

    /// <summary>The consultation a comment belongs to, for links back.</summary>
    public async Task<Consultation?> ConsultationAsync(long consultationId)
    {
        await using var c = await db.OpenAsync();
        return await c.QuerySingleOrDefaultAsync<Consultation>(
            "SELECT id, slug, title, summary, opens_on AS OpensOn, closes_on AS ClosesOn, status FROM consultations WHERE id = @consultationId",
            new { consultationId });
    }

    private static Task<TriageItem?> GetInAsync(DbConnection c, DbTransaction? tx, long id) =>
        c.QuerySingleOrDefaultAsync<TriageItem>($"SELECT {ItemColumns} {FromItems} WHERE m.id = @id", new { id }, tx);

    // ---------------------------------------------------------------- actions

    /// <summary>
    /// Applies one triage action. The write is "UPDATE ... WHERE id = @id AND row_version = @expected": if someone else
    /// changed the comment since the triager loaded it, nothing is written and the result carries the current values.
    /// Notes are only ever appended, so they cannot overwrite anything and skip the version check.
    /// </summary>
    public async Task<TriageResult> ApplyAsync(TriageCommand command, string user, DateTime? at = null)
    {
        var now = at ?? DateTime.UtcNow;
        await using var c = await db.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        var result = await ApplyInAsync(c, tx, command, user, now);
        if (result.Saved) await tx.CommitAsync();
        else await tx.RollbackAsync();
        return result;
    }

    /// <summary>
    /// One action on every selected comment: accept the suggestion, flag (spam, abusive, off-topic) or set a theme.
    /// Each comment keeps its own version check, so a conflict on one leaves it alone and the rest are still saved.
    /// </summary>
    public async Task<BulkResult> BulkAsync(TriageActionKind kind, string? flagKind, IReadOnlyList<SelectedComment> selection, string user, DateTime? at = null, string? themeId = null)
    {
        var now = at ?? DateTime.UtcNow;
        var saved = new List<long>();
        var conflicts = new List<long>();
        var skipped = new List<long>();
        await using var c = await db.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        foreach (var s in selection.DistinctBy(s => s.CommentId))
        {
            var result = await ApplyInAsync(c, tx, new TriageCommand
            {
                CommentId = s.CommentId, ExpectedRowVersion = s.RowVersion, Kind = kind, FlagKind = flagKind, ThemeId = themeId,
            }, user, now);
            (result.Kind switch
            {
                TriageOutcomeKind.Saved => saved,
                TriageOutcomeKind.Conflict => conflicts,
                _ => skipped,
            }).Add(s.CommentId);
        }
        await tx.CommitAsync();
        return new BulkResult(saved, conflicts, skipped);
    }

    private sealed record ThemeInfo
    {
        public string Id { get; init; } = "";
        public int OutcomeId { get; init; }
        public bool Retired { get; init; }
    }

    private static Task<ThemeInfo?> ThemeAsync(DbConnection c, DbTransaction tx, string? id) =>
        string.IsNullOrEmpty(id)
            ? Task.FromResult<ThemeInfo?>(null)
            : c.QuerySingleOrDefaultAsync<ThemeInfo>("SELECT id, outcome_id AS OutcomeId, retired FROM themes WHERE id = @id", new { id }, tx);

    private async Task<TriageResult> ApplyInAsync(DbConnection c, DbTransaction tx, TriageCommand cmd, string user, DateTime now)
    {
        var current = await GetInAsync(c, tx, cmd.CommentId);
        if (current is null) return new TriageResult(TriageOutcomeKind.NotFound, null, "That comment does not exist");

        if (cmd.Kind == TriageActionKind.AddNote)
        {
            var note = cmd.Text?.Trim();
            if (string.IsNullOrEmpty(note)) return Invalid(current, "Enter a note");
            if (note.Length > MaxNoteLength) return Invalid(current, $"Note must be {MaxNoteLength} characters or fewer");
            await c.ExecuteAsync("INSERT INTO comment_notes (comment_id, author, created_at, text) VALUES (@id, @user, @now, @note)",
                new { id = current.Id, user, now, note }, tx);
            await AuditStore.WriteAsync(c, tx, current.Id, user, now, [("note", null, note)]);
            return new TriageResult(TriageOutcomeKind.Saved, current);
        }

        if (current.RowVersion != cmd.ExpectedRowVersion) return new TriageResult(TriageOutcomeKind.Conflict, current);

        var set = new List<(string Column, object? Value)>();
        void Confirm(string status, string? theme, int? outcome, string? flag)
        {
            set.Add(("status", status));
            set.Add(("confirmed_theme", theme));
            set.Add(("confirmed_outcome", outcome));
            set.Add(("flag_kind", flag));
            set.Add(("confirmed_by", user));
            set.Add(("confirmed_at", now));
        }

        switch (cmd.Kind)
        {
            case TriageActionKind.Accept:
            {
                if (current.SuggestedTheme is null) return Invalid(current, "This comment has no suggestion to accept. Choose a theme instead");
                var theme = await ThemeAsync(c, tx, current.SuggestedTheme);
                Confirm(CommentStatuses.Triaged, current.SuggestedTheme, theme?.OutcomeId ?? current.SuggestedOutcome, null);
                break;
            }
            case TriageActionKind.SetTheme:
            {
                var theme = await ThemeAsync(c, tx, cmd.ThemeId);
                if (theme is null) return Invalid(current, "Choose a theme");
                if (theme.Retired && theme.Id != current.ConfirmedTheme) return Invalid(current, "That theme has been retired. Choose another theme");
                if (theme.Id == current.SecondaryTheme) set.Add(("secondary_theme", null));
                Confirm(CommentStatuses.Triaged, theme.Id, theme.OutcomeId, null);
                break;
            }
            case TriageActionKind.SetSecondaryTheme:
            {
                if (string.IsNullOrEmpty(cmd.ThemeId)) { set.Add(("secondary_theme", null)); break; }
                var theme = await ThemeAsync(c, tx, cmd.ThemeId);
                if (theme is null) return Invalid(current, "Choose a secondary theme");
                if (theme.Retired) return Invalid(current, "That theme has been retired. Choose another theme");
                var primary = current.ConfirmedTheme ?? current.SuggestedTheme;
                if (theme.Id == primary) return Invalid(current, "The secondary theme must be different from the main theme");
                set.Add(("secondary_theme", theme.Id));
                break;
            }
            case TriageActionKind.Flag:
                if (!FlagKinds.IsValid(cmd.FlagKind)) return Invalid(current, "Choose spam, abusive or off-topic");
                Confirm(FlagKinds.StatusFor(cmd.FlagKind!), current.ConfirmedTheme, current.ConfirmedOutcome, cmd.FlagKind);
                break;
            case TriageActionKind.SetSafeguarding:
            {
                var reason = cmd.Safeguarding
                    ? (string.IsNullOrWhiteSpace(cmd.Text) ? "Flagged by " + user : cmd.Text.Trim()[..Math.Min(cmd.Text.Trim().Length, 400)])
                    : null;
                set.Add(("safeguarding", cmd.Safeguarding));
                set.Add(("safeguarding_reason", reason));
                break;
            }
            case TriageActionKind.ConfirmRedaction:
            {
                var text = cmd.Text?.Trim();
                if (string.IsNullOrEmpty(text)) return Invalid(current, "Enter the redacted text");
                if (text.Length > Math.Max(current.Text.Length * 2, current.Text.Length + 500)) return Invalid(current, "The redacted text is much longer than the comment");
                set.Add(("redacted_text", text));
                set.Add(("redaction_confirmed_by", user));
                set.Add(("redaction_confirmed_at", now));
                break;
            }
            case TriageActionKind.ReturnToQueue:
                set.Add(("status", CommentStatuses.New));
                set.Add(("confirmed_theme", null));
                set.Add(("confirmed_outcome", null));
                set.Add(("flag_kind", null));
                set.Add(("confirmed_by", null));
                set.Add(("confirmed_at", null));
                break;
            default:
                return Invalid(current, "Unknown action");
        }

        var changes = Changes(current, set).ToList();
        if (changes.Count == 0) return new TriageResult(TriageOutcomeKind.Saved, current);

        var p = new DynamicParameters();
        p.Add("id", current.Id);
        p.Add("expected", cmd.ExpectedRowVersion);
        var assignments = new List<string>();
        for (var i = 0; i < set.Count; i++)
        {
            assignments.Add($"{set[i].Column} = @p{i}");
            p.Add("p" + i, set[i].Value);
        }
        var rows = await c.ExecuteAsync(
            $"UPDATE comments SET {string.Join(", ", assignments)}, row_version = row_version + 1 WHERE id = @id AND row_version = @expected", p, tx);
        if (rows == 0) return new TriageResult(TriageOutcomeKind.Conflict, await GetInAsync(c, tx, current.Id));

        await AuditStore.WriteAsync(c, tx, current.Id, user, now, changes);
        return new TriageResult(TriageOutcomeKind.Saved, await GetInAsync(c, tx, current.Id));
    }

    private static TriageResult Invalid(TriageItem current, string message) => new(TriageOutcomeKind.Invalid, current, message);

    /// <summary>The audited fields that really change; who/when columns are in the audit row itself.</summary>
    private static IEnumerable<(string Field, string? Old, string? New)> Changes(TriageItem current, List<(string Column, object? Value)> set)
    {
        foreach (var (column, value) in set)
        {
            string? old = column switch
            {
                "status" => current.Status,
                "confirmed_theme" => current.ConfirmedTheme,
                "confirmed_outcome" => current.ConfirmedOutcome?.ToString(CultureInfo.InvariantCulture),
                "secondary_theme" => current.SecondaryTheme,
                "flag_kind" => current.FlagKind,
                "safeguarding" => current.Safeguarding ? "flagged" : "not flagged",
                "safeguarding_reason" => current.SafeguardingReason,
                "redacted_text" => current.RedactedText,
                _ => null,
            };
            if (column is "confirmed_by" or "confirmed_at" or "redaction_confirmed_by" or "redaction_confirmed_at") continue;
            var now = value switch
            {
                null => null,
                bool b => b ? "flagged" : "not flagged",
                int i => i.ToString(CultureInfo.InvariantCulture),
                _ => Convert.ToString(value, CultureInfo.InvariantCulture),
            };
            if (old != now) yield return (column, old, now);
        }
    }

    // ---------------------------------------------------------------- safeguarding

    /// <summary>
    /// Runs the detector over comments it has not read yet (new submissions, imports) and flags disclosures.
    /// Cheap when there is nothing new: a partial index holds only unchecked comments. Returns how many were flagged.
    /// </summary>
    public async Task<(int Checked, int Flagged)> ScanSafeguardingAsync(SafeguardingDetector detector, int batchSize = 1000, CancellationToken ct = default)
    {
        var totalChecked = 0;
        var totalFlagged = 0;
        while (!ct.IsCancellationRequested)
        {
            await using var c = await db.OpenAsync(ct);
            var batch = (await c.QueryAsync<(long Id, string Text)>(
                $"SELECT id, text FROM comments WHERE safeguarding_checked = 0 ORDER BY id {db.Dialect.Limit("take")}", new { take = batchSize })).ToList();
            if (batch.Count == 0) break;
            var now = DateTime.UtcNow;
            await using var tx = await c.BeginTransactionAsync(ct);
            var clean = new List<long>();
            foreach (var (id, text) in batch)
            {
                var result = detector.Check(text);
                if (!result.Flagged) { clean.Add(id); continue; }
                var updated = await c.ExecuteAsync("""
                    UPDATE comments SET safeguarding = 1, safeguarding_reason = @reason, safeguarding_checked = 1
                    WHERE id = @id AND safeguarding_checked = 0 AND safeguarding = 0
                    """, new { id, reason = result.Reason }, tx);
                if (updated == 1)
                {
                    await AuditStore.WriteAsync(c, tx, id, AuditStore.SystemSafeguarding, now, [("safeguarding", "not flagged", "flagged"), ("safeguarding_reason", null, result.Reason)]);
                    totalFlagged++;
                }
                else
                {
                    clean.Add(id); // a person flagged it already
                }
            }
            foreach (var chunk in clean.Chunk(500))
                await c.ExecuteAsync("UPDATE comments SET safeguarding_checked = 1 WHERE id IN @ids", new { ids = chunk }, tx);
            await tx.CommitAsync(ct);
            totalChecked += batch.Count;
            if (batch.Count < batchSize) break;
        }
        return (totalChecked, totalFlagged);
    }

    /// <summary>How many comments of the consultation are flagged, for the queue's "review now" warning (an index count).</summary>
    public async Task<long> SafeguardingCountAsync(long consultationId)
    {
        await using var c = await db.OpenAsync();
        return await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM comments WHERE consultation_id = @consultationId AND safeguarding = 1", new { consultationId });
    }

    public async Task<(IReadOnlyList<TriageItem> Items, long Total)> SafeguardingAsync(long consultationId, int take = 200)
    {
        await using var c = await db.OpenAsync();
        var total = await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM comments WHERE consultation_id = @consultationId AND safeguarding = 1", new { consultationId });
        var items = await c.QueryAsync<TriageItem>(
            $"SELECT {ItemColumns} {FromItems} WHERE m.consultation_id = @consultationId AND m.safeguarding = 1 ORDER BY m.id DESC {db.Dialect.Limit("take")}",
            new { consultationId, take });
        return (items.ToList(), total);
    }

    // ---------------------------------------------------------------- agreement, double coding, retraining data

    public async Task<IReadOnlyList<ConfirmedDecision>> ConfirmedDecisionsAsync(long consultationId)
    {
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<ConfirmedDecision>("""
            SELECT id, suggested_outcome AS SuggestedOutcome, suggested_theme AS SuggestedTheme, confirmed_outcome AS ConfirmedOutcome,
                   confirmed_theme AS ConfirmedTheme, confirmed_at AS ConfirmedAt
            FROM comments
            WHERE consultation_id = @consultationId AND status = 'triaged' AND confirmed_theme IS NOT NULL AND confirmed_outcome IS NOT NULL
            """, new { consultationId })).ToList();
    }

    public async Task<IReadOnlyList<DoubleCode>> DoubleCodesAsync(long consultationId)
    {
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<DoubleCode>("""
            SELECT m.id AS CommentId, m.confirmed_outcome AS FirstOutcome, m.confirmed_theme AS FirstTheme,
                   x.outcome_id AS SecondOutcome, x.theme_id AS SecondTheme
            FROM comment_second_codes x JOIN comments m ON m.id = x.comment_id
            WHERE x.consultation_id = @consultationId AND m.status = 'triaged' AND m.confirmed_theme IS NOT NULL AND m.confirmed_outcome IS NOT NULL
            ORDER BY m.id
            """, new { consultationId })).ToList();
    }

    // The sample is fixed by the comment id: (id * 7919) mod 100 spreads ids evenly over 0..99.
    private const string InSample = "(m.id * 7919) % 100 < @percent";

    /// <summary>The next sampled confirmed comment the user did not code themselves and nobody has second-coded.</summary>
    public async Task<(TriageItem? Next, long SampleSize, long Coded)> NextForSecondCodingAsync(long consultationId, int percent, string user)
    {
        await using var c = await db.OpenAsync();
        var args = new { consultationId, percent, user, take = 1 };
        var sample = await c.ExecuteScalarAsync<long>(
            $"SELECT COUNT(*) FROM comments m WHERE m.consultation_id = @consultationId AND m.status = 'triaged' AND m.confirmed_theme IS NOT NULL AND {InSample}", args);
        var coded = await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM comment_second_codes WHERE consultation_id = @consultationId", args);
        var next = await c.QuerySingleOrDefaultAsync<TriageItem>($"""
            SELECT {ItemColumns} {FromItems}
            WHERE m.consultation_id = @consultationId AND m.status = 'triaged' AND m.confirmed_theme IS NOT NULL AND {InSample}
              AND (m.confirmed_by IS NULL OR m.confirmed_by <> @user)
              AND NOT EXISTS (SELECT 1 FROM comment_second_codes x WHERE x.comment_id = m.id)
            ORDER BY m.id {db.Dialect.Limit("take")}
            """, args);
        return (next, sample, coded);
    }

    public static bool IsInDoubleCodingSample(long commentId, int percent) => commentId * 7919 % 100 < percent;

    /// <summary>Stores a blind second code. False when the comment was already second-coded or the theme is unknown.</summary>
    public async Task<bool> SaveSecondCodeAsync(long commentId, string themeId, string coder, DateTime? at = null)
    {
        await using var c = await db.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        var theme = await ThemeAsync(c, tx, themeId);
        var comment = await GetInAsync(c, tx, commentId);
        if (theme is null || comment is null) return false;
        var exists = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM comment_second_codes WHERE comment_id = @commentId", new { commentId }, tx);
        if (exists > 0) return false;
        await c.ExecuteAsync("""
            INSERT INTO comment_second_codes (comment_id, consultation_id, coder, outcome_id, theme_id, coded_at)
            VALUES (@commentId, @consultationId, @coder, @outcome, @themeId, @at)
            """, new { commentId, consultationId = comment.ConsultationId, coder, outcome = theme.OutcomeId, themeId = theme.Id, at = at ?? DateTime.UtcNow }, tx);
        await tx.CommitAsync();
        return true;
    }

    public sealed record ConfirmedText
    {
        public long Id { get; init; }
        public string Text { get; init; } = "";
        public string? RedactedText { get; init; }
        public string Theme { get; init; } = "";
        public int Outcome { get; init; }
    }

    /// <summary>Every confirmed comment across consultations, for retraining.</summary>
    public async Task<IReadOnlyList<ConfirmedText>> ConfirmedForTrainingAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<ConfirmedText>(new CommandDefinition("""
            SELECT id, text, redacted_text AS RedactedText, confirmed_theme AS Theme, confirmed_outcome AS Outcome
            FROM comments
            WHERE status = 'triaged' AND confirmed_theme IS NOT NULL AND confirmed_outcome IS NOT NULL AND safeguarding = 0
            ORDER BY id
            """, cancellationToken: ct))).ToList();
    }
}
