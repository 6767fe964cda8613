using System.Data;
using System.Data.Common;
using Dapper;
using Engagement.Core.Domain;
using Engagement.Core.Import;

namespace Engagement.Core.Data;

public static class ImportStatuses
{
    public const string Uploaded = "uploaded";
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    public static bool IsFinished(string status) => status is Completed or Cancelled;
}

public sealed record ImportRecord
{
    public long Id { get; init; }
    public long ConsultationId { get; init; }
    public string ConsultationSlug { get; init; } = "";
    public string ConsultationTitle { get; init; } = "";
    public string FileName { get; init; } = "";
    public string FileHash { get; init; } = "";
    public long FileSize { get; init; }
    public string Format { get; init; } = "";
    public string? Sheet { get; init; }
    public string? Mapping { get; init; }
    public string Status { get; init; } = ImportStatuses.Uploaded;
    public int RowsRead { get; init; }
    public int ValidRows { get; init; }
    public int RejectedRows { get; init; }
    public int ImportedRows { get; init; }
    public int ClassifiedRows { get; init; }
    public string? Message { get; init; }
    public string? CreatedBy { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? StartedAt { get; init; }
    public DateTime? CompletedAt { get; init; }

    public int PercentDone => ValidRows <= 0 ? (Status == ImportStatuses.Completed ? 100 : 0) : (int)Math.Min(100, ImportedRows * 100L / ValidRows);
    public bool IsActive => Status is ImportStatuses.Queued or ImportStatuses.Running;
}

/// <summary>A validated row with the classifier's suggestion, ready for <see cref="ImportStore.InsertBatchAsync"/>.</summary>
public sealed record ImportBatchRow(ImportRow Row, CommentSuggestion? Suggestion);

/// <summary>All SQL behind bulk imports: the import records, the uploaded bytes, and the batched row inserts.</summary>
public sealed class ImportStore(Database db)
{
    private const string Select = """
        SELECT i.id, i.consultation_id AS ConsultationId, k.slug AS ConsultationSlug, k.title AS ConsultationTitle, i.file_name AS FileName,
               i.file_hash AS FileHash, i.file_size AS FileSize, i.format, i.sheet, i.mapping, i.status, i.rows_read AS RowsRead,
               i.valid_rows AS ValidRows, i.rejected_rows AS RejectedRows, i.imported_rows AS ImportedRows,
               i.classified_rows AS ClassifiedRows, i.message, i.created_by AS CreatedBy, i.created_at AS CreatedAt,
               i.started_at AS StartedAt, i.completed_at AS CompletedAt
        FROM imports i JOIN consultations k ON k.id = i.consultation_id
        """;

    public async Task<long> CreateAsync(long consultationId, string fileName, string fileHash, byte[]? content, string format, string? createdBy,
        string status = ImportStatuses.Uploaded, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var id = await c.ExecuteScalarAsync<long>("""
            INSERT INTO imports (consultation_id, file_name, file_hash, file_size, format, status, created_by, created_at)
            VALUES (@consultationId, @fileName, @fileHash, @size, @format, @status, @createdBy, @now)
            """ + db.Dialect.SelectNewId,
            new { consultationId, fileName = Truncate(fileName, 260), fileHash, size = (long)(content?.Length ?? 0), format = Truncate(format, 100), status, createdBy, now = DateTime.UtcNow }, tx);
        if (content is not null)
            await c.ExecuteAsync("INSERT INTO import_files (import_id, content) VALUES (@id, @content)", new { id, content }, tx);
        await tx.CommitAsync(ct);
        return id;
    }

    public async Task<ImportRecord?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<ImportRecord>(Select + " WHERE i.id = @id", new { id });
    }

    public async Task<IReadOnlyList<ImportRecord>> ListAsync(int take = 50, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<ImportRecord>(Select + " ORDER BY i.id DESC " + db.Dialect.Limit("take"), new { take })).ToList();
    }

    /// <summary>The most recent import of these exact bytes into the consultation that was not abandoned.</summary>
    public async Task<ImportRecord?> FindByHashAsync(long consultationId, string fileHash, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QueryFirstOrDefaultAsync<ImportRecord>(Select +
            " WHERE i.consultation_id = @consultationId AND i.file_hash = @fileHash AND i.status <> 'cancelled' ORDER BY CASE WHEN i.status = 'completed' THEN 0 ELSE 1 END, i.id DESC",
            new { consultationId, fileHash });
    }

    /// <summary>Imports a worker should (re)start: queued, or running when the process that ran them died.</summary>
    public async Task<IReadOnlyList<long>> UnfinishedAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<long>("SELECT id FROM imports WHERE status IN ('queued','running') ORDER BY id")).ToList();
    }

    public async Task<byte[]?> ReadFileAsync(long importId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<byte[]>("SELECT content FROM import_files WHERE import_id = @importId", new { importId });
    }

    public async Task SaveMappingAsync(long id, string? mapping, string? sheet, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync("UPDATE imports SET mapping = @mapping, sheet = @sheet WHERE id = @id", new { id, mapping, sheet = Truncate(sheet, 100) });
    }

    public async Task SaveValidationAsync(long id, int rowsRead, int valid, int rejected, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync("UPDATE imports SET rows_read = @rowsRead, valid_rows = @valid, rejected_rows = @rejected WHERE id = @id",
            new { id, rowsRead, valid, rejected });
    }

    /// <summary>Moves an import on only from the state the caller saw, so a double-clicked "Import" queues it once.</summary>
    public async Task<bool> TransitionAsync(long id, string from, string to, string? message = null, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync("UPDATE imports SET status = @to, message = COALESCE(@message, message) WHERE id = @id AND status = @from",
            new { id, from, to, message = Truncate(message, 2000) }) == 1;
    }

    public async Task MarkRunningAsync(long id, int rowsRead, int valid, int rejected, int alreadyImported, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync("""
            UPDATE imports SET status = 'running', rows_read = @rowsRead, valid_rows = @valid, rejected_rows = @rejected,
                imported_rows = @alreadyImported, started_at = COALESCE(started_at, @now), message = NULL
            WHERE id = @id
            """, new { id, rowsRead, valid, rejected, alreadyImported, now = DateTime.UtcNow });
    }

    /// <summary>Finished: the stored bytes are dropped (the comments hold what matters; the hash still recognises the file).</summary>
    public async Task FinishAsync(long id, string status, string? message, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await c.ExecuteAsync("UPDATE imports SET status = @status, message = @message, completed_at = @now WHERE id = @id",
            new { id, status, message = Truncate(message, 2000), now = DateTime.UtcNow }, tx);
        if (ImportStatuses.IsFinished(status)) await c.ExecuteAsync("DELETE FROM import_files WHERE import_id = @id", new { id }, tx);
        await tx.CommitAsync(ct);
    }

    /// <summary>Lines of this file already stored in the consultation: a prefix scan of ux_submissions_source.</summary>
    public async Task<HashSet<int>> ImportedLinesAsync(long consultationId, string sourcePrefix, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var prefix = sourcePrefix + ":";
        var refs = await c.QueryAsync<string>(
            $"SELECT source_ref FROM submissions WHERE consultation_id = @consultationId AND {db.Dialect.StartsWith("source_ref", "prefix")}",
            new { consultationId, prefix = db.Provider == DatabaseProvider.SqlServer ? SqlDialect.EscapeLike(prefix) : prefix });
        var lines = new HashSet<int>();
        foreach (var r in refs)
            if (int.TryParse(r.AsSpan(sourcePrefix.Length + 1), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var line))
                lines.Add(line);
        return lines;
    }

    /// <summary>
    /// Stores a batch of rows (submission, comment with its suggestion, and every district named) and the import's
    /// progress in one transaction: after a crash either the whole batch and its count are there, or neither is.
    /// Commands are prepared once per batch; per-row Dapper calls are several times slower at 100,000 rows.
    /// </summary>
    public async Task<int> InsertBatchAsync(long importId, long consultationId, string sourcePrefix, IReadOnlyList<ImportBatchRow> rows, CancellationToken ct = default)
    {
        if (rows.Count == 0) return 0;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryInsertBatchAsync(importId, consultationId, rows, ct);
            }
            catch (DbException ex) when (attempt < 3 && DatabaseFaults.Classify(ex) is not DatabaseFault.Full)
            {
                // A clash on a random response reference, or a row another run stored meanwhile: the batch rolled back
                // whole, so try again with new references and without the rows that are now present. A full database
                // stays full, so that goes straight back to the import to stop it.
                var present = await ImportedLinesAsync(consultationId, sourcePrefix, ct);
                rows = rows.Where(r => !present.Contains(r.Row.Line)).ToList();
            }
        }
    }

    private async Task<int> TryInsertBatchAsync(long importId, long consultationId, IReadOnlyList<ImportBatchRow> rows, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);

        var now = DateTime.UtcNow;
        await using var submission = Command(c, tx, """
            INSERT INTO submissions (consultation_id, reference, respondent_type, organisation, partner_type, district, channel,
                consent_to_quote, age_band, sex, ethnic_group, disability, unpaid_carer, source_ref, submitted_at, created_at, import_id, event_name)
            VALUES (@consultation, @reference, @type, @organisation, @partnerType, @district, @channel,
                @consent, @age, @sex, @ethnic, @disability, @carer, @source, @submitted, @now, @import, @event)
            """ + db.Dialect.SelectNewId,
            ("consultation", DbType.Int64), ("reference", DbType.String), ("type", DbType.String), ("organisation", DbType.String),
            ("partnerType", DbType.String), ("district", DbType.String), ("channel", DbType.String), ("consent", DbType.Boolean),
            ("age", DbType.String), ("sex", DbType.String), ("ethnic", DbType.String), ("disability", DbType.String), ("carer", DbType.String),
            ("source", DbType.String), ("submitted", DbType.DateTime2), ("now", DbType.DateTime2), ("import", DbType.Int64), ("event", DbType.String));
        await using var comment = Command(c, tx, """
            INSERT INTO comments (submission_id, consultation_id, text, chosen_outcome, suggested_outcome, suggested_theme,
                suggested_confidence, suggestion_needs_review, suggestion_model_version, status, district, respondent_type, channel, created_at)
            VALUES (@submission, @consultation, @text, @chosen, @outcome, @theme, @confidence, @review, @model, 'new', @district, @type, @channel, @created)
            """,
            ("submission", DbType.Int64), ("consultation", DbType.Int64), ("text", DbType.String), ("chosen", DbType.Int32),
            ("outcome", DbType.Int32), ("theme", DbType.String), ("confidence", DbType.Double), ("review", DbType.Boolean),
            ("model", DbType.String), ("district", DbType.String), ("type", DbType.String), ("channel", DbType.String), ("created", DbType.DateTime2));
        await using var district = Command(c, tx, "INSERT INTO submission_districts (submission_id, district, position) VALUES (@submission, @district, @position)",
            ("submission", DbType.Int64), ("district", DbType.String), ("position", DbType.Int32));
        if (db.Provider == DatabaseProvider.Sqlite)
        {
            // SQL Server wants sizes for prepared string parameters; there the plan cache does the same job.
            await submission.PrepareAsync(ct);
            await comment.PrepareAsync(ct);
            await district.PrepareAsync(ct);
        }

        var inserted = 0;
        var classified = 0;
        foreach (var (row, suggestion) in rows)
        {
            var s = row.Submission;
            Set(submission, consultationId, SubmissionStore.NewReference(), s.RespondentType, s.Organisation, s.PartnerType, s.District, s.Channel,
                s.ConsentToQuote, s.AboutYou.AgeBand, s.AboutYou.Sex, s.AboutYou.EthnicGroup, s.AboutYou.Disability, s.AboutYou.UnpaidCarer,
                s.SourceRef, s.SubmittedAt, now, importId, row.EventName);
            var submissionId = Convert.ToInt64(await submission.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
            var text = s.Comments[0];
            Set(comment, submissionId, consultationId, text.Text, text.ChosenOutcome, suggestion?.OutcomeId, suggestion?.ThemeId,
                suggestion?.Confidence, suggestion?.NeedsReview ?? false, suggestion?.ModelVersion, s.District, s.RespondentType, s.Channel, s.SubmittedAt);
            await comment.ExecuteNonQueryAsync(ct);
            if (row.Districts.Count > 1)
            {
                for (var i = 0; i < row.Districts.Count; i++)
                {
                    Set(district, submissionId, row.Districts[i], i + 1);
                    await district.ExecuteNonQueryAsync(ct);
                }
            }
            inserted++;
            if (suggestion is not null) classified++;
        }

        await c.ExecuteAsync("UPDATE imports SET imported_rows = imported_rows + @inserted, classified_rows = classified_rows + @classified WHERE id = @importId",
            new { importId, inserted, classified }, tx);
        await tx.CommitAsync(ct);
        return inserted;
    }

    private static DbCommand Command(DbConnection c, DbTransaction tx, string sql, params (string Name, DbType Type)[] parameters)
    {
        var command = c.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, type) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = "@" + name;
            p.DbType = type;
            command.Parameters.Add(p);
        }
        return command;
    }

    private static void Set(DbCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
    }

    private static string? Truncate(string? value, int max) => value is null || value.Length <= max ? value : value[..max];
}
