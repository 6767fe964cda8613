using System.Globalization;
using Dapper;
using Engagement.Core.Data;
using Engagement.Core.Triage;
using Microsoft.Extensions.Options;

namespace Engagement.Core.Emerging;

public sealed record PromotionResult(string? Error, string? ThemeId, int Labelled);

/// <summary>
/// Comments that fit no theme (no confirmed theme and a suggestion less certain than the threshold, or confirmed as
/// "other"), clustered into candidate themes; and promoting a cluster to a real theme, which labels its comments as
/// confirmed so the next retrain learns it.
/// </summary>
public sealed class EmergingThemeStore(Database db, ThemeAdminStore themeAdmin, IOptions<EmergingThemeOptions> options)
{
    public EmergingThemeOptions Options => options.Value;

    /// <summary>Themes whose id marks them as a catch-all: a comment confirmed with one fits no real theme.</summary>
    private const string OtherFilter = "(m.confirmed_theme = 'other' OR m.confirmed_theme LIKE '%-other')";

    /// <summary>
    /// The consultation's comments the team may cluster and show here: not spam or hidden, not flagged for safeguarding,
    /// with their redacted text. Both the clustering and the typical comments shown from a stored result read through it.
    /// </summary>
    private const string ShownComments = """
        SELECT m.id, COALESCE(m.redacted_text, m.text) AS Text, COALESCE(m.district, s.district) AS District
        FROM comments m JOIN submissions s ON s.id = m.submission_id
        WHERE m.consultation_id = @consultationId AND m.status NOT IN ('spam', 'hidden') AND m.safeguarding = 0
        """;

    public async Task<IReadOnlyList<UnfittedComment>> UnfittedAsync(long consultationId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<(long Id, string Text, string? District)>(new CommandDefinition($"""
            {ShownComments}
              AND ((m.confirmed_theme IS NULL AND m.suggested_confidence < @below) OR {OtherFilter})
            ORDER BY m.id
            """, new { consultationId, below = options.Value.ConfidenceBelow }, cancellationToken: ct));
        return rows.Select(r => new UnfittedComment(r.Id, r.Text, r.District)).ToList();
    }

    /// <summary>
    /// Which comments are unfitted, in a few characters: count, sum of ids and sum of text lengths. A stored result is
    /// current while this still matches (a comment triaged, added, redacted or erased changes it).
    /// </summary>
    public static string Fingerprint(IReadOnlyList<UnfittedComment> comments) =>
        string.Join(",", comments.Count, comments.Sum(x => x.CommentId), comments.Sum(x => (long)x.Text.Length));

    /// <summary>The latest stored result and the last failure for the consultation, as every instance sees them.</summary>
    public async Task<StoredEmergingThemes> FindStoredAsync(long consultationId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<StoredRow>(new CommandDefinition("""
            SELECT fingerprint AS Fingerprint, computed_at AS ComputedAt, result_json AS Json, failed_fingerprint AS FailedFingerprint,
                   failed_at AS FailedAt, error AS Error
            FROM emerging_theme_results WHERE consultation_id = @consultationId
            """, new { consultationId }, cancellationToken: ct)) ?? new StoredRow();
        var failure = row.FailedFingerprint is not null && row.FailedAt is not null
            ? new EmergingFailure(row.FailedFingerprint, row.FailedAt.Value, row.Error ?? "")
            : null;
        if (row.Fingerprint is null || row.ComputedAt is null || StoredResult.FromJson(row.Json) is not { } stored)
            return new StoredEmergingThemes(null, failure);

        // Typical comments are stored as ids: their text is read now, so a redaction shows and an erased or
        // flagged comment drops out.
        var typicalIds = stored.Clusters.SelectMany(x => x.Typical).Distinct().ToList();
        var texts = typicalIds.Count == 0
            ? new Dictionary<long, UnfittedComment>()
            : (await c.QueryAsync<(long Id, string Text, string? District)>(new CommandDefinition($"""
                {ShownComments}
                  AND m.id IN @typicalIds
                """, new { consultationId, typicalIds }, cancellationToken: ct)))
                .ToDictionary(r => r.Id, r => new UnfittedComment(r.Id, r.Text, r.District));
        return new StoredEmergingThemes(new EmergingSnapshot(row.Fingerprint, row.ComputedAt.Value, stored.ToResult(texts)), failure);
    }

    /// <summary>
    /// Stores the result computed from the comments with <paramref name="fingerprint"/>, replacing the previous one and
    /// clearing any failure. At most <see cref="EmergingThemeOptions.StoredCommentIds"/> ids are kept per cluster.
    /// </summary>
    public async Task SaveResultAsync(long consultationId, string fingerprint, DateTime computedAt, EmergingResult result, CancellationToken ct = default)
    {
        var json = StoredResult.From(result, Math.Max(1, options.Value.StoredCommentIds)).ToJson();
        if (json.Length > MaxResultChars)
            throw new InvalidOperationException($"The emerging themes result is {json.Length:N0} characters, more than the {MaxResultChars:N0} allowed. Lower EmergingThemes:StoredCommentIds or EmergingThemes:MaxClusters.");
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(SaveResultSql(db.Provider),
            new { consultationId, fingerprint, computedAt, json }, cancellationToken: ct));
    }

    /// <summary>Records that clustering the comments with <paramref name="fingerprint"/> failed; the stored result stays.</summary>
    public async Task SaveFailureAsync(long consultationId, string fingerprint, DateTime failedAt, string error, CancellationToken ct = default)
    {
        error = error.Length > MaxErrorChars ? error[..MaxErrorChars] : error;
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(SaveFailureSql(db.Provider),
            new { consultationId, fingerprint, failedAt, error }, cancellationToken: ct));
    }

    private sealed class StoredRow
    {
        public string? Fingerprint { get; set; }
        public DateTime? ComputedAt { get; set; }
        public string? Json { get; set; }
        public string? FailedFingerprint { get; set; }
        public DateTime? FailedAt { get; set; }
        public string? Error { get; set; }
    }

    /// <summary>With 8 clusters of 1,000 ids the JSON is about 100 KB; this is a backstop against a bad setting.</summary>
    public const int MaxResultChars = 4_000_000;
    public const int MaxErrorChars = 1000;

    internal static string SaveResultSql(DatabaseProvider provider) => Upsert(provider,
        ("fingerprint", "@fingerprint"), ("computed_at", "@computedAt"), ("result_json", "@json"),
        ("failed_fingerprint", "NULL"), ("failed_at", "NULL"), ("error", "NULL"));

    internal static string SaveFailureSql(DatabaseProvider provider) => Upsert(provider,
        ("failed_fingerprint", "@fingerprint"), ("failed_at", "@failedAt"), ("error", "@error"));

    /// <summary>Insert-or-update of one consultation's row: the one place the dialects differ here.</summary>
    private static string Upsert(DatabaseProvider provider, params (string Column, string Value)[] set)
    {
        var columns = string.Join(", ", set.Select(s => s.Column));
        var values = string.Join(", ", set.Select(s => s.Value));
        return provider == DatabaseProvider.SqlServer
            ? $"""
              MERGE emerging_theme_results WITH (HOLDLOCK) AS t
              USING (SELECT @consultationId AS consultation_id) AS s ON t.consultation_id = s.consultation_id
              WHEN MATCHED THEN UPDATE SET {string.Join(", ", set.Select(s => $"{s.Column} = {s.Value}"))}
              WHEN NOT MATCHED THEN INSERT (consultation_id, {columns}) VALUES (s.consultation_id, {values});
              """
            : $"""
              INSERT INTO emerging_theme_results (consultation_id, {columns}) VALUES (@consultationId, {values})
              ON CONFLICT(consultation_id) DO UPDATE SET {string.Join(", ", set.Select(s => $"{s.Column} = excluded.{s.Column}"))}
              """;
    }

    /// <summary>
    /// Creates the theme under the outcome (0 = General) and confirms it on the chosen comments that still fit no theme.
    /// Every label is audited on its comment; the theme's creation is in the theme history.
    /// </summary>
    public async Task<PromotionResult> PromoteAsync(long consultationId, IReadOnlyCollection<long> commentIds, string name, int outcomeId,
        string description, string user)
    {
        var themeId = ThemeAdminStore.IdFromName(name);
        if (!ThemeAdminStore.IsValidId(themeId)) return new PromotionResult("Theme name must contain letters or numbers", null, 0);
        if (await themeAdmin.AddAsync(themeId, name, outcomeId, description, user) is { } error) return new PromotionResult(error, null, 0);

        var now = DateTime.UtcNow;
        var outcomeText = outcomeId.ToString(CultureInfo.InvariantCulture);
        var labelled = 0;
        await using var c = await db.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        foreach (var id in commentIds.Distinct())
        {
            var current = await c.QuerySingleOrDefaultAsync<(string Status, string? Theme, int? Outcome)>($"""
                SELECT m.status, m.confirmed_theme, m.confirmed_outcome FROM comments m
                WHERE m.id = @id AND m.consultation_id = @consultationId AND m.status NOT IN ('spam', 'hidden')
                  AND (m.confirmed_theme IS NULL OR {OtherFilter})
                """, new { id, consultationId }, tx);
            if (current.Status is null) continue; // not in this consultation, flagged, or a person has since given it a theme
            await c.ExecuteAsync("""
                UPDATE comments SET confirmed_theme = @themeId, confirmed_outcome = @outcomeId, status = 'triaged',
                    confirmed_by = @user, confirmed_at = @now, row_version = row_version + 1
                WHERE id = @id
                """, new { id, themeId, outcomeId, user, now }, tx);
            await AuditStore.WriteAsync(c, tx, id, user, now,
            [
                ("confirmed_theme", current.Theme, themeId),
                ("confirmed_outcome", current.Outcome?.ToString(CultureInfo.InvariantCulture), outcomeText),
                ("status", current.Status, "triaged"),
            ]);
            labelled++;
        }
        await tx.CommitAsync();
        return new PromotionResult(null, themeId, labelled);
    }
}
