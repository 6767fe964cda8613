using System.Data.Common;
using Dapper;
using Engagement.Core.Data;
using Engagement.Core.Domain;
using Engagement.Core.Staff;

namespace Engagement.Core.Privacy;

public static class ErasureReasons
{
    /// <summary>The respondent asked (UK GDPR Art 17), quoting their reference number.</summary>
    public const string Request = "request";
    /// <summary>The consultation's retention period ran out.</summary>
    public const string Retention = "retention";
}

/// <summary>What an erasure would touch, shown on the check page before anything changes.</summary>
public sealed record SubmissionSummary
{
    public long Id { get; init; }
    public required string Reference { get; init; }
    public long ConsultationId { get; init; }
    public string ConsultationTitle { get; init; } = "";
    public DateTime SubmittedAt { get; init; }
    public string Channel { get; init; } = "";
    public int Comments { get; init; }
    public DateTime? ErasedAt { get; init; }
    public string? ErasedReason { get; init; }
}

public sealed record ErasureResult(string Reference, int Comments, bool AlreadyErased);

/// <summary>Privacy settings, bound from the "Privacy" configuration section.</summary>
public sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    /// <summary>Months after a consultation closes before its responses are anonymised, unless the consultation sets its own.</summary>
    public int DefaultRetentionMonths { get; set; } = 24;

    /// <summary>Run the retention purge in the site once a day. Turn off when `engage privacy purge` runs from a scheduler instead.</summary>
    public bool PurgeInBackground { get; set; } = true;

    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Where respondents send privacy requests, shown on the privacy notice. Empty: the notice points to the partners' own data protection officers.</summary>
    public string? ContactEmail { get; set; }

    /// <summary>Wait after start-up before the first purge, so a restart is not slowed and a mistaken setting can be caught.</summary>
    public TimeSpan PurgeStartDelay { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>One consultation past its retention period: how many responses were (or, on a dry run, would be) anonymised.</summary>
public sealed record PurgedConsultation(long ConsultationId, string Slug, DateTime ClosesOn, int RetentionMonths, DateTime ExpiredOn, int Submissions);

public sealed record PurgeResult(bool DryRun, IReadOnlyList<PurgedConsultation> Consultations)
{
    public int Submissions => Consultations.Sum(c => c.Submissions);
}

/// <summary>
/// Erasure and anonymisation of submissions. The row and its reference stay, so we can say "done" when asked again and an
/// import rerun (which matches on source_ref) does not bring the response back; everything that could identify the
/// respondent or repeat what they wrote goes, in one transaction.
/// </summary>
public sealed class PrivacyStore(Database db)
{
    public const string RemovedText = "[removed at the respondent's request]";
    public const string RemovedByRetentionText = "[removed at the end of the retention period]";

    public async Task<SubmissionSummary?> FindAsync(string reference, CancellationToken ct = default)
    {
        reference = NormaliseReference(reference);
        if (reference.Length == 0) return null;
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<SubmissionSummary>(new CommandDefinition("""
            SELECT s.id, s.reference, s.consultation_id AS ConsultationId, k.title AS ConsultationTitle, s.submitted_at AS SubmittedAt,
                   s.channel, (SELECT COUNT(*) FROM comments m WHERE m.submission_id = s.id) AS Comments,
                   s.erased_at AS ErasedAt, s.erased_reason AS ErasedReason
            FROM submissions s JOIN consultations k ON k.id = s.consultation_id
            WHERE s.reference = @reference
            """, new { reference }, cancellationToken: ct));
    }

    /// <summary>References are shown in upper case; people type them however they like.</summary>
    public static string NormaliseReference(string? reference) => (reference ?? "").Trim().ToUpperInvariant();

    /// <summary>
    /// Anonymises one submission by reference. Null when no submission has that reference. Erasing twice is harmless and
    /// reports AlreadyErased. Writes a comment_audit row per comment and one security event.
    /// </summary>
    public async Task<ErasureResult?> EraseAsync(string reference, string erasedBy, string reason = ErasureReasons.Request,
        DateTime? now = null, CancellationToken ct = default)
    {
        reference = NormaliseReference(reference);
        if (reference.Length == 0) return null;
        var at = now ?? DateTime.UtcNow;
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<(long Id, DateTime? ErasedAt)>(new CommandDefinition(
            "SELECT id, erased_at FROM submissions WHERE reference = @reference", new { reference }, tx, cancellationToken: ct));
        if (row.Id == 0) return null;
        if (row.ErasedAt is not null)
        {
            await tx.CommitAsync(ct);
            return new ErasureResult(reference, 0, AlreadyErased: true);
        }
        var comments = await EraseSubmissionAsync(c, tx, row.Id, erasedBy, reason, at, ct);
        await AddSecurityEventAsync(c, tx, at, erasedBy, $"{reason}: {reference}, {comments} comment(s) anonymised", ct);
        await tx.CommitAsync(ct);
        return new ErasureResult(reference, comments, AlreadyErased: false);
    }

    /// <summary>Sets a consultation's retention period in months; null goes back to the site default.</summary>
    public async Task<bool> SetRetentionAsync(string slug, int? months, CancellationToken ct = default)
    {
        if (months is < 1 or > 1200) throw new ArgumentOutOfRangeException(nameof(months), "Retention must be between 1 and 1200 months.");
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE consultations SET retention_months = @months WHERE slug = @slug", new { months, slug }, cancellationToken: ct)) == 1;
    }

    /// <summary>
    /// Anonymises every response to consultations that closed longer ago than their retention period (their own, or
    /// <paramref name="defaultMonths"/>). Responses already erased are skipped, so running it again changes nothing.
    /// A dry run only counts. Batches of <see cref="PurgeBatchSize"/> responses per transaction keep locks short.
    /// </summary>
    public async Task<PurgeResult> PurgeAsync(int defaultMonths, DateTime now, bool dryRun, string by = "Retention purge", CancellationToken ct = default)
    {
        var due = new List<PurgedConsultation>();
        await using var c = await db.OpenAsync(ct);
        var consultations = await c.QueryAsync<(long Id, string Slug, DateTime ClosesOn, string Status, int? RetentionMonths)>(new CommandDefinition(
            "SELECT id, slug, closes_on, status, retention_months FROM consultations WHERE status <> 'draft' ORDER BY id", cancellationToken: ct));
        foreach (var k in consultations)
        {
            var months = k.RetentionMonths ?? defaultMonths;
            var expires = k.ClosesOn.AddMonths(months);
            if (expires > now) continue;
            var ids = (await c.QueryAsync<long>(new CommandDefinition(
                "SELECT id FROM submissions WHERE consultation_id = @Id AND erased_at IS NULL ORDER BY id", new { k.Id }, cancellationToken: ct))).ToList();
            if (ids.Count == 0) continue;
            due.Add(new PurgedConsultation(k.Id, k.Slug, k.ClosesOn, months, expires, ids.Count));
            if (dryRun) continue;
            var comments = 0;
            foreach (var batch in ids.Chunk(PurgeBatchSize))
            {
                await using var tx = await c.BeginTransactionAsync(ct);
                foreach (var id in batch) comments += await EraseSubmissionAsync(c, tx, id, by, ErasureReasons.Retention, now, ct);
                await tx.CommitAsync(ct);
            }
            await using (var tx = await c.BeginTransactionAsync(ct))
            {
                await AddSecurityEventAsync(c, tx, now, by,
                    $"{k.Slug}: closed {k.ClosesOn:yyyy-MM-dd}, kept {months} months; {ids.Count} response(s) and {comments} comment(s) anonymised",
                    ct, SecurityEventKinds.RetentionPurge);
                await tx.CommitAsync(ct);
            }
        }
        return new PurgeResult(dryRun, due);
    }

    public const int PurgeBatchSize = 200;

    private static async Task<int> EraseSubmissionAsync(DbConnection c, DbTransaction tx, long submissionId, string erasedBy, string reason, DateTime at, CancellationToken ct)
    {
        var placeholder = reason == ErasureReasons.Retention ? RemovedByRetentionText : RemovedText;
        var commentIds = (await c.QueryAsync<long>(new CommandDefinition(
            "SELECT id FROM comments WHERE submission_id = @submissionId", new { submissionId }, tx, cancellationToken: ct))).ToList();
        var p = new { submissionId, placeholder, at, reason, hidden = CommentStatuses.Hidden, commentIds };

        // Campaign membership: the comment leaves its group; a group it represented takes another member's text.
        if (commentIds.Count > 0)
        {
            await c.ExecuteAsync(new CommandDefinition("DELETE FROM duplicate_group_members WHERE comment_id IN @commentIds", p, tx, cancellationToken: ct));
            await c.ExecuteAsync(new CommandDefinition("""
                UPDATE duplicate_groups SET
                    representative_comment_id = (SELECT MIN(gm.comment_id) FROM duplicate_group_members gm WHERE gm.group_id = duplicate_groups.id AND gm.removed = 0),
                    representative_text = COALESCE((SELECT m.text FROM comments m WHERE m.id =
                        (SELECT MIN(gm.comment_id) FROM duplicate_group_members gm WHERE gm.group_id = duplicate_groups.id AND gm.removed = 0)), @placeholder)
                WHERE representative_comment_id IN @commentIds
                """, p, tx, cancellationToken: ct));
            // Notes and second codes can quote or describe the respondent; the audit trail keeps who changed what, not the words.
            await c.ExecuteAsync(new CommandDefinition("DELETE FROM comment_notes WHERE comment_id IN @commentIds", p, tx, cancellationToken: ct));
            await c.ExecuteAsync(new CommandDefinition("DELETE FROM comment_second_codes WHERE comment_id IN @commentIds", p, tx, cancellationToken: ct));
            await c.ExecuteAsync(new CommandDefinition("""
                UPDATE comment_audit SET old_value = NULL, new_value = NULL
                WHERE comment_id IN @commentIds AND field IN ('redacted_text', 'text', 'note')
                """, p, tx, cancellationToken: ct));
            // Hidden comments are left out of reports, exports, agreement and the retraining set; tags and text go.
            await c.ExecuteAsync(new CommandDefinition("""
                UPDATE comments SET text = @placeholder, redacted_text = @placeholder, status = @hidden,
                    suggested_theme = NULL, suggested_outcome = NULL, suggested_confidence = NULL, chosen_outcome = NULL,
                    confirmed_theme = NULL, confirmed_outcome = NULL, secondary_theme = NULL, district = NULL,
                    safeguarding_reason = NULL, row_version = row_version + 1
                WHERE submission_id = @submissionId
                """, p, tx, cancellationToken: ct));
            await AuditWriter.WriteAsync(c, tx, commentIds, erasedBy, at, reason);
        }
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM submission_districts WHERE submission_id = @submissionId", p, tx, cancellationToken: ct));
        // The About-you answers and organisation go; respondent type and channel are kept as anonymous counts.
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE submissions SET organisation = NULL, partner_type = NULL, district = NULL, consent_to_quote = 0,
                age_band = NULL, sex = NULL, ethnic_group = NULL, disability = NULL, unpaid_carer = NULL,
                idempotency_key = NULL, event_name = NULL, erased_at = @at, erased_reason = @reason
            WHERE id = @submissionId
            """, p, tx, cancellationToken: ct));
        return commentIds.Count;
    }

    private static Task AddSecurityEventAsync(DbConnection c, DbTransaction tx, DateTime at, string by, string detail, CancellationToken ct,
        string kind = SecurityEventKinds.SubmissionErased) =>
        c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO security_events (occurred_at, kind, email, detail) VALUES (@at, @kind, @by, @detail)
            """, new { at, kind, by, detail = detail.Length > SecurityEventStore.MaxDetailLength ? detail[..SecurityEventStore.MaxDetailLength] : detail }, tx, cancellationToken: ct));

    private static class AuditWriter
    {
        public static Task WriteAsync(DbConnection c, DbTransaction tx, IEnumerable<long> commentIds, string user, DateTime at, string reason) =>
            c.ExecuteAsync("""
                INSERT INTO comment_audit (comment_id, changed_by, changed_at, field, old_value, new_value)
                VALUES (@commentId, @user, @at, 'erased', NULL, @reason)
                """, commentIds.Select(commentId => new { commentId, user, at, reason }), tx);
    }
}
