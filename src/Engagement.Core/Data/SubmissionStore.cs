using System.Data.Common;
using System.Security.Cryptography;
using Dapper;
using Engagement.Core.Domain;

namespace Engagement.Core.Data;

public sealed class SubmissionStore(Database db)
{
    /// <summary>
    /// Stores a submission and its comments in one transaction. The same idempotency key (a double click,
    /// a refreshed POST) or the same import source reference returns the first submission instead of a copy.
    /// </summary>
    public async Task<SubmissionResult> CreateAsync(NewSubmission submission, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        var existing = await FindExistingAsync(connection, null, submission);
        if (existing is not null) return existing;

        await using var tx = await connection.BeginTransactionAsync(ct);
        try
        {
            var result = await InsertAsync(connection, tx, submission);
            await tx.CommitAsync(ct);
            return result;
        }
        catch (DbException ex) when ((submission.IdempotencyKey is not null || submission.SourceRef is not null) && DatabaseFaults.IsUniqueViolation(ex))
        {
            // Lost a race with an identical request: the unique index stopped the copy, so return the winner.
            await tx.RollbackAsync(ct);
            return await FindExistingAsync(connection, null, submission) ?? throw new InvalidOperationException("Submission conflict could not be resolved.");
        }
    }

    /// <summary>Bulk path for imports and demo data: many submissions in one transaction.</summary>
    public async Task<int> CreateManyAsync(IEnumerable<NewSubmission> submissions, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var created = 0;
        foreach (var submission in submissions)
        {
            if (await FindExistingAsync(connection, tx, submission) is not null) continue;
            await InsertAsync(connection, tx, submission);
            created++;
        }
        await tx.CommitAsync(ct);
        return created;
    }

    public async Task<Submission?> FindByReferenceAsync(string reference)
    {
        await using var c = await db.OpenAsync();
        return await c.QuerySingleOrDefaultAsync<Submission>(SelectSubmission + " WHERE reference = @reference", new { reference });
    }

    public async Task<Submission?> GetAsync(long id)
    {
        await using var c = await db.OpenAsync();
        return await c.QuerySingleOrDefaultAsync<Submission>(SelectSubmission + " WHERE id = @id", new { id });
    }

    public async Task<long> CountAsync(long consultationId)
    {
        await using var c = await db.OpenAsync();
        return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM submissions WHERE consultation_id = @consultationId", new { consultationId });
    }

    private sealed record ExistingSubmission(long Id, string Reference);

    private const string SelectSubmission = """
        SELECT id, consultation_id AS ConsultationId, reference, respondent_type AS RespondentType, organisation,
               partner_type AS PartnerType, district, channel, consent_to_quote AS ConsentToQuote, age_band AS AgeBand,
               sex, ethnic_group AS EthnicGroup, disability, unpaid_carer AS UnpaidCarer, submitted_at AS SubmittedAt
        FROM submissions
        """;

    private static async Task<SubmissionResult?> FindExistingAsync(DbConnection c, DbTransaction? tx, NewSubmission s)
    {
        if (s.IdempotencyKey is null && s.SourceRef is null) return null;
        var row = await c.QueryFirstOrDefaultAsync<ExistingSubmission>("""
            SELECT id, reference FROM submissions
            WHERE (@key IS NOT NULL AND idempotency_key = @key)
               OR (@source IS NOT NULL AND consultation_id = @consultationId AND source_ref = @source)
            """, new { key = s.IdempotencyKey, source = s.SourceRef, consultationId = s.ConsultationId }, tx);
        return row is null ? null : new SubmissionResult(row.Id, row.Reference, AlreadyExisted: true);
    }

    private async Task<SubmissionResult> InsertAsync(DbConnection c, DbTransaction tx, NewSubmission s)
    {
        var now = DateTime.UtcNow;
        var reference = NewReference();
        var submissionId = await c.ExecuteScalarAsync<long>("""
            INSERT INTO submissions (consultation_id, reference, respondent_type, organisation, partner_type, district, channel,
                consent_to_quote, age_band, sex, ethnic_group, disability, unpaid_carer, idempotency_key, source_ref, submitted_at, created_at)
            VALUES (@ConsultationId, @reference, @RespondentType, @Organisation, @PartnerType, @District, @Channel,
                @ConsentToQuote, @AgeBand, @Sex, @EthnicGroup, @Disability, @UnpaidCarer, @IdempotencyKey, @SourceRef, @SubmittedAt, @now)
            """ + db.Dialect.SelectNewId,
            new
            {
                s.ConsultationId, reference, s.RespondentType, s.Organisation, s.PartnerType, s.District, s.Channel, s.ConsentToQuote,
                s.AboutYou.AgeBand, s.AboutYou.Sex, s.AboutYou.EthnicGroup, s.AboutYou.Disability, s.AboutYou.UnpaidCarer,
                s.IdempotencyKey, s.SourceRef, s.SubmittedAt, now,
            }, tx);

        foreach (var comment in s.Comments)
        {
            await c.ExecuteAsync("""
                INSERT INTO comments (submission_id, consultation_id, question_id, text, chosen_outcome, suggested_outcome, suggested_theme,
                    suggested_confidence, suggestion_needs_review, suggestion_model_version, status, district, respondent_type, channel, created_at)
                VALUES (@submissionId, @ConsultationId, @QuestionId, @Text, @ChosenOutcome, @SuggestedOutcome, @SuggestedTheme,
                    @SuggestedConfidence, @NeedsReview, @ModelVersion, 'new', @District, @RespondentType, @Channel, @now)
                """,
                new
                {
                    submissionId, s.ConsultationId, comment.QuestionId, comment.Text, comment.ChosenOutcome,
                    SuggestedOutcome = comment.Suggestion?.OutcomeId, SuggestedTheme = comment.Suggestion?.ThemeId,
                    SuggestedConfidence = comment.Suggestion?.Confidence, NeedsReview = comment.Suggestion?.NeedsReview ?? false,
                    ModelVersion = comment.Suggestion?.ModelVersion, s.District, s.RespondentType, s.Channel, now = s.SubmittedAt,
                }, tx);
        }

        return new SubmissionResult(submissionId, reference, AlreadyExisted: false);
    }

    // Crockford-style alphabet: no I, L, O or U, so a reference read over the phone is unambiguous.
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string NewReference()
    {
        Span<char> chars = stackalloc char[8];
        for (var i = 0; i < chars.Length; i++) chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        return $"KM-{chars[..4]}-{chars[4..]}";
    }
}
