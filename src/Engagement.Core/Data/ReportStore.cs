using System.Data.Common;
using System.Globalization;
using Dapper;

namespace Engagement.Core.Data;

/// <summary>One comment with everything the consultation report needs about it and its response.</summary>
public sealed record ReportComment
{
    public long Id { get; init; }
    public long SubmissionId { get; init; }
    public required string Text { get; init; }
    public int? ChosenOutcome { get; init; }
    public int? SuggestedOutcome { get; init; }
    public string? SuggestedTheme { get; init; }
    public double? SuggestedConfidence { get; init; }
    public string? SuggestionModelVersion { get; init; }
    public int? ConfirmedOutcome { get; init; }
    public string? ConfirmedTheme { get; init; }
    public required string Status { get; init; }
    public string? District { get; init; }
    public required string RespondentType { get; init; }
    public required string Channel { get; init; }
    public required string Reference { get; init; }
    public string? Organisation { get; init; }
    public string? PartnerType { get; init; }
    public bool ConsentToQuote { get; init; }
    public string? AgeBand { get; init; }
    public string? Sex { get; init; }
    public string? EthnicGroup { get; init; }
    public string? Disability { get; init; }
    public string? UnpaidCarer { get; init; }
    public DateTime SubmittedAt { get; init; }

    /// <summary>True when triage flagged the comment for safeguarding (only if the schema has such a column).</summary>
    public bool Safeguarding { get; init; }

    /// <summary>True once the safeguarding scan or a person has looked at the comment; until then the report checks it itself.</summary>
    public bool SafeguardingChecked { get; init; }
}

/// <summary>A strategy author's saved edit to one report point (the latest version is the one that applies).</summary>
public sealed record PointEdit
{
    public long Id { get; init; }
    public long ConsultationId { get; init; }
    public required string PointKey { get; init; }
    public int Version { get; init; }
    public string? Wording { get; init; }
    public bool Hidden { get; init; }
    public int? SortOrder { get; init; }
    public string? MergedInto { get; init; }
    public required string CommentIds { get; init; }
    public required string EditedBy { get; init; }
    public DateTime EditedAt { get; init; }
    /// <summary>What this version did, in words for the history: "Reworded", "Hidden", "Merged into c12"...</summary>
    public string? Action { get; init; }

    public IReadOnlyList<long> CommentIdList => CommentIds.Split(',', StringSplitOptions.RemoveEmptyEntries)
        .Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToList();
}

/// <summary>All SQL behind the consultation report, the minimal import's extra districts, and point edits.</summary>
public sealed class ReportStore(Database db)
{
    public async Task<IReadOnlyList<ReportComment>> CommentsAsync(long consultationId, CancellationToken ct = default) =>
        await QueryCommentsAsync(consultationId, CommentColumns.Full, "", new { consultationId }, ct);

    /// <summary>
    /// These comments with what decides where the report puts them (tags, status, respondent type, place, submission)
    /// but not their text or their response's other details: the point page works out which theme group a point is in
    /// from these. The outcome and theme that apply (confirmed, else suggested, else chosen) are in ConfirmedOutcome and
    /// ConfirmedTheme. Read in batches (SQL Server takes at most 2,100 parameters).
    /// </summary>
    public Task<IReadOnlyList<ReportComment>> CommentPlacementsAsync(long consultationId, IReadOnlyCollection<long> ids, CancellationToken ct = default) =>
        QueryByIdsAsync(consultationId, CommentColumns.Placement, ids, ct);

    /// <summary>
    /// The comments of one outcome, audience and theme in full, as <see cref="CommentsAsync"/> reads them. The filter
    /// follows ReportBuilder's placement (outcome: confirmed, else suggested, else chosen, General when none is valid;
    /// a theme tagged to another outcome counts as "other") but may let a few more through (SQL Server compares text
    /// without regard to case): the builder keeps only the group's own.
    /// </summary>
    public async Task<IReadOnlyList<ReportComment>> GroupCommentsAsync(long consultationId, int outcomeId, bool partner, string themeId,
        CancellationToken ct = default)
    {
        var shared = string.Join(", ", Domain.Outcomes.Shared.Select(o => o.Id.ToString(CultureInfo.InvariantCulture)));
        const string outcome = "COALESCE(m.confirmed_outcome, m.suggested_outcome, m.chosen_outcome, 0)";
        const string theme = "COALESCE(m.confirmed_theme, m.suggested_theme)";
        var filter = outcomeId == Domain.Outcomes.General ? $" AND {outcome} NOT IN ({shared})" : $" AND {outcome} = @outcomeId";
        // Only partners are filtered on respondent type: public feedback is everything else, whatever its spelling.
        if (partner) filter += $" AND m.respondent_type = '{Domain.RespondentTypes.Partner}'";
        filter += themeId == Reports.ReportBuilder.OtherThemeId
            ? $" AND ({theme} IS NULL OR {theme} = @themeId OR {theme} IN (SELECT t.id FROM themes t WHERE t.outcome_id <> @outcomeId))"
            : $" AND {theme} = @themeId";
        return await QueryCommentsAsync(consultationId, CommentColumns.Full, filter, new { consultationId, outcomeId, themeId }, ct);
    }

    /// <summary>Comments of the consultation by id, in full. Ids are sent in batches (SQL Server takes at most 2,100 parameters).</summary>
    public Task<IReadOnlyList<ReportComment>> CommentsByIdAsync(long consultationId, IReadOnlyCollection<long> ids, CancellationToken ct = default) =>
        QueryByIdsAsync(consultationId, CommentColumns.Full, ids, ct);

    private enum CommentColumns { Full, Placement }

    private async Task<IReadOnlyList<ReportComment>> QueryByIdsAsync(long consultationId, CommentColumns columnSet, IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        var result = new List<ReportComment>(ids.Count);
        foreach (var batch in ids.Distinct().Chunk(500))
            result.AddRange(await QueryCommentsAsync(consultationId, columnSet, " AND m.id IN @ids", new { consultationId, ids = batch }, ct));
        return result;
    }

    private async Task<IReadOnlyList<ReportComment>> QueryCommentsAsync(long consultationId, CommentColumns columnSet, string filter, object parameters,
        CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var columns = await CommentColumnsAsync(c);
        var safeguarding = new[] { "safeguarding", "safeguarding_flag", "safeguarding_flagged", "is_safeguarding" }
            .FirstOrDefault(n => columns.Contains(n, StringComparer.OrdinalIgnoreCase));
        // A redaction a person confirmed in triage (if the schema has it) replaces the original; automatic redaction still runs on top.
        var textColumn = columns.Contains("redacted_text", StringComparer.OrdinalIgnoreCase) ? "COALESCE(NULLIF(m.redacted_text, ''), m.text)" : "m.text";
        var text = db.Provider == DatabaseProvider.SqlServer ? "NVARCHAR(100)" : "TEXT";
        // Any non-empty, non-false value in a safeguarding column counts as flagged.
        var flag = safeguarding is null
            ? "0"
            : $"CASE WHEN m.{safeguarding} IS NULL THEN 0 WHEN LOWER(CAST(m.{safeguarding} AS {text})) IN ('', '0', 'false', 'no') THEN 0 ELSE 1 END";
        var checkedFlag = columns.Contains("safeguarding_checked", StringComparer.OrdinalIgnoreCase)
            ? "CASE WHEN m.safeguarding_checked = 1 THEN 1 ELSE 0 END" : "0";
        // Placements leave out the text, the response's details and the safeguarding flags (a placement is never quoted or
        // used as wording), and carry the tags that decide the place already resolved (confirmed, else suggested, else
        // chosen) as if confirmed: fewer columns to read for every comment. Empty strings fill the record's required fields.
        var select = columnSet == CommentColumns.Full
            ? $"""
               SELECT m.id, m.submission_id AS SubmissionId, {textColumn} AS Text, m.chosen_outcome AS ChosenOutcome, m.suggested_outcome AS SuggestedOutcome,
                      m.suggested_theme AS SuggestedTheme, m.suggested_confidence AS SuggestedConfidence,
                      m.suggestion_model_version AS SuggestionModelVersion, m.confirmed_outcome AS ConfirmedOutcome,
                      m.confirmed_theme AS ConfirmedTheme, m.status, COALESCE(m.district, s.district) AS District,
                      m.respondent_type AS RespondentType, m.channel, s.reference, s.organisation, s.partner_type AS PartnerType,
                      s.consent_to_quote AS ConsentToQuote, s.age_band AS AgeBand, s.sex, s.ethnic_group AS EthnicGroup,
                      s.disability, s.unpaid_carer AS UnpaidCarer, s.submitted_at AS SubmittedAt, {flag} AS Safeguarding,
                      {checkedFlag} AS SafeguardingChecked
               """
            : $"""
               SELECT m.id, m.submission_id AS SubmissionId, '' AS Text,
                      COALESCE(m.confirmed_outcome, m.suggested_outcome, m.chosen_outcome) AS ConfirmedOutcome,
                      COALESCE(m.confirmed_theme, m.suggested_theme) AS ConfirmedTheme, m.status, COALESCE(m.district, s.district) AS District, m.respondent_type AS RespondentType, '' AS Channel, '' AS Reference
               """;
        var rows = await c.QueryAsync<ReportComment>(new CommandDefinition($"""
            {select}
            FROM comments m JOIN submissions s ON s.id = m.submission_id
            WHERE m.consultation_id = @consultationId{filter}
            ORDER BY m.id
            """, parameters, cancellationToken: ct));
        return rows.ToList();
    }

    /// <summary>Extra districts per submission (only responses that named more than one are stored).</summary>
    public async Task<IReadOnlyDictionary<long, IReadOnlyList<string>>> SubmissionDistrictsAsync(long consultationId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<(long SubmissionId, string District)>(new CommandDefinition("""
            SELECT d.submission_id, d.district FROM submission_districts d
            JOIN submissions s ON s.id = d.submission_id
            WHERE s.consultation_id = @consultationId
            ORDER BY d.submission_id, d.position
            """, new { consultationId }, cancellationToken: ct));
        return rows.GroupBy(r => r.SubmissionId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(r => r.District).ToList());
    }

    /// <summary>Records every district of the import rows keyed by source reference. Existing rows are left alone.</summary>
    public async Task AddSubmissionDistrictsAsync(long consultationId, IReadOnlyDictionary<string, IReadOnlyList<string>> districtsBySourceRef, CancellationToken ct = default)
    {
        if (districtsBySourceRef.Count == 0) return;
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        foreach (var (sourceRef, districts) in districtsBySourceRef)
        {
            var submissionId = await c.QuerySingleOrDefaultAsync<long?>(
                "SELECT id FROM submissions WHERE consultation_id = @consultationId AND source_ref = @sourceRef",
                new { consultationId, sourceRef }, tx);
            if (submissionId is null) continue;
            var position = 0;
            foreach (var district in districts.Distinct())
            {
                position++;
                var exists = await c.ExecuteScalarAsync<int>(
                    "SELECT COUNT(*) FROM submission_districts WHERE submission_id = @submissionId AND district = @district",
                    new { submissionId, district }, tx);
                if (exists == 0)
                    await c.ExecuteAsync("INSERT INTO submission_districts (submission_id, district, position) VALUES (@submissionId, @district, @position)",
                        new { submissionId, district, position }, tx);
            }
        }
        await tx.CommitAsync(ct);
    }

    /// <summary>The latest version of every point edit for a consultation.</summary>
    public async Task<IReadOnlyList<PointEdit>> LatestPointEditsAsync(long consultationId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<PointEdit>(new CommandDefinition(PointEditColumns + """
             WHERE e.consultation_id = @consultationId
               AND e.version = (SELECT MAX(x.version) FROM report_point_edits x
                                WHERE x.consultation_id = e.consultation_id AND x.point_key = e.point_key)
            ORDER BY e.point_key
            """, new { consultationId }, cancellationToken: ct));
        return rows.ToList();
    }

    public async Task<IReadOnlyList<PointEdit>> PointHistoryAsync(long consultationId, string pointKey)
    {
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<PointEdit>(PointEditColumns + " WHERE e.consultation_id = @consultationId AND e.point_key = @pointKey ORDER BY e.version DESC",
            new { consultationId, pointKey })).ToList();
    }

    /// <summary>Saves a new version of a point's edit and returns its version number.</summary>
    public async Task<int> SavePointEditAsync(PointEdit edit) =>
        (await SavePointEditsAsync([edit], expected: null))![0];

    /// <summary>
    /// Saves a new version of each point's edit in one transaction (a merge or split changes two points at once) and
    /// returns the version numbers. When <paramref name="expected"/> is given and that point's latest version is no longer
    /// the one the author was looking at, nothing is saved and the result is null: someone else changed it meanwhile.
    /// </summary>
    public async Task<IReadOnlyList<int>?> SavePointEditsAsync(IReadOnlyList<PointEdit> edits, (string PointKey, int Version)? expected)
    {
        if (edits.Count == 0) return [];
        var consultationId = edits[0].ConsultationId;
        await using var c = await db.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        const string latest = "SELECT COALESCE(MAX(version), 0) FROM report_point_edits WHERE consultation_id = @consultationId AND point_key = @pointKey";
        if (expected is { } e && await c.ExecuteScalarAsync<int>(latest, new { consultationId, pointKey = e.PointKey }, tx) != e.Version)
            return null;
        var now = DateTime.UtcNow;
        var versions = new List<int>();
        foreach (var edit in edits)
        {
            var version = 1 + await c.ExecuteScalarAsync<int>(latest, new { consultationId = edit.ConsultationId, pointKey = edit.PointKey }, tx);
            await c.ExecuteAsync("""
                INSERT INTO report_point_edits (consultation_id, point_key, version, wording, hidden, sort_order, merged_into, comment_ids, edited_by, edited_at, action)
                VALUES (@ConsultationId, @PointKey, @version, @Wording, @Hidden, @SortOrder, @MergedInto, @CommentIds, @EditedBy, @now, @Action)
                """, new { edit.ConsultationId, edit.PointKey, version, edit.Wording, edit.Hidden, edit.SortOrder, edit.MergedInto, edit.CommentIds, edit.EditedBy, now, edit.Action }, tx);
            versions.Add(version);
        }
        await tx.CommitAsync();
        return versions;
    }

    /// <summary>True when some version of an edit already uses the key (new points from a split need a key of their own).</summary>
    public async Task<bool> PointKeyUsedAsync(long consultationId, string pointKey)
    {
        await using var c = await db.OpenAsync();
        return await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM report_point_edits WHERE consultation_id = @consultationId AND point_key = @pointKey",
            new { consultationId, pointKey }) > 0;
    }

    private const string PointEditColumns = """
        SELECT e.id, e.consultation_id AS ConsultationId, e.point_key AS PointKey, e.version, e.wording, e.hidden, e.sort_order AS SortOrder,
               e.merged_into AS MergedInto, e.comment_ids AS CommentIds, e.edited_by AS EditedBy, e.edited_at AS EditedAt, e.action
        FROM report_point_edits e
        """;

    // Triage (migration 0002) adds columns such as safeguarding and redacted_text; the report honours them when present.
    private async Task<IReadOnlyList<string>> CommentColumnsAsync(DbConnection c)
    {
        IEnumerable<string> columns = db.Provider == DatabaseProvider.SqlServer
            ? await c.QueryAsync<string>("SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'comments'")
            : await c.QueryAsync<string>("SELECT name FROM pragma_table_info('comments')");
        return columns.ToList();
    }
}
