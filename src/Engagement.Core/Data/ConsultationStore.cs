using Dapper;
using Engagement.Core.Domain;

namespace Engagement.Core.Data;

// Properties rather than a positional record: Dapper then converts SQLite's loosely typed columns (an empty result has no types).
public sealed record ConsultationSummary
{
    public long Id { get; init; }
    public string Slug { get; init; } = "";
    public string Title { get; init; } = "";
    public string Status { get; init; } = "";
    public DateTime OpensOn { get; init; }
    public DateTime ClosesOn { get; init; }
    public long Submissions { get; init; }
    public long Comments { get; init; }
    public long NewComments { get; init; }
}

public sealed class ConsultationStore(Database db)
{
    private const string Columns = "id, slug, title, summary, opens_on AS OpensOn, closes_on AS ClosesOn, status";

    public async Task<Consultation?> FindBySlugAsync(string slug)
    {
        await using var c = await db.OpenAsync();
        return await c.QuerySingleOrDefaultAsync<Consultation>($"SELECT {Columns} FROM consultations WHERE slug = @slug", new { slug });
    }

    public async Task<IReadOnlyList<Consultation>> ListPublicAsync()
    {
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<Consultation>(
            $"SELECT {Columns} FROM consultations WHERE status <> 'draft' ORDER BY closes_on DESC, id DESC")).ToList();
    }

    public async Task<IReadOnlyList<ConsultationSummary>> ListWithCountsAsync()
    {
        await using var c = await db.OpenAsync();
        var rows = await c.QueryAsync<ConsultationSummary>("""
            SELECT k.id, k.slug, k.title, k.status, k.opens_on AS OpensOn, k.closes_on AS ClosesOn,
                   (SELECT COUNT(*) FROM submissions s WHERE s.consultation_id = k.id) AS Submissions,
                   (SELECT COUNT(*) FROM comments m WHERE m.consultation_id = k.id) AS Comments,
                   (SELECT COUNT(*) FROM comments m WHERE m.consultation_id = k.id AND m.status = 'new') AS NewComments
            FROM consultations k
            ORDER BY k.closes_on DESC, k.id DESC
            """);
        return rows.ToList();
    }

    /// <summary>Creates the consultation if the slug is new; otherwise returns the existing one untouched.</summary>
    public async Task<Consultation> EnsureAsync(Consultation consultation)
    {
        var existing = await FindBySlugAsync(consultation.Slug);
        if (existing is not null) return existing;
        await using var c = await db.OpenAsync();
        var id = await c.ExecuteScalarAsync<long>("""
            INSERT INTO consultations (slug, title, summary, opens_on, closes_on, status, created_at)
            VALUES (@Slug, @Title, @Summary, @OpensOn, @ClosesOn, @Status, @now)
            """ + db.Dialect.SelectNewId,
            new { consultation.Slug, consultation.Title, consultation.Summary, consultation.OpensOn, consultation.ClosesOn, consultation.Status, now = DateTime.UtcNow });
        return consultation with { Id = id };
    }

    public async Task<IReadOnlyList<Question>> QuestionsAsync(long consultationId)
    {
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<Question>("""
            SELECT id, consultation_id AS ConsultationId, [key] AS [Key], prompt, outcome_id AS OutcomeId, sort_order AS SortOrder
            FROM questions WHERE consultation_id = @consultationId ORDER BY sort_order, id
            """, new { consultationId })).ToList();
    }

    public async Task<Question> EnsureQuestionAsync(long consultationId, string key, string prompt, int? outcomeId = null, int sortOrder = 0)
    {
        await using var c = await db.OpenAsync();
        var existing = await c.QuerySingleOrDefaultAsync<long?>(
            "SELECT id FROM questions WHERE consultation_id = @consultationId AND [key] = @key", new { consultationId, key });
        var id = existing ?? await c.ExecuteScalarAsync<long>("""
            INSERT INTO questions (consultation_id, [key], prompt, outcome_id, sort_order)
            VALUES (@consultationId, @key, @prompt, @outcomeId, @sortOrder)
            """ + db.Dialect.SelectNewId, new { consultationId, key, prompt, outcomeId, sortOrder });
        return new Question { Id = id, ConsultationId = consultationId, Key = key, Prompt = prompt, OutcomeId = outcomeId, SortOrder = sortOrder };
    }
}
