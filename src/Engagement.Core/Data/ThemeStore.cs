using Dapper;
using Engagement.Core.Domain;

namespace Engagement.Core.Data;

public sealed record ThemeSeed(string Id, string Name, int OutcomeId, string Description, IReadOnlyList<string> ExamplePhrases, string? Reasoning);

public sealed class ThemeStore(Database db)
{
    public async Task<IReadOnlyList<Theme>> ListAsync(bool includeRetired = false)
    {
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<Theme>("""
            SELECT id, name, outcome_id AS OutcomeId, description, retired FROM themes
            WHERE @includeRetired = 1 OR retired = 0
            ORDER BY outcome_id, sort_order, name
            """, new { includeRetired = includeRetired ? 1 : 0 })).ToList();
    }

    /// <summary>Adds taxonomy themes the database does not have yet. Existing rows keep any edits Admins made.</summary>
    public async Task<int> SeedAsync(IEnumerable<ThemeSeed> themes)
    {
        await using var c = await db.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        var added = 0;
        var order = 0;
        foreach (var t in themes)
        {
            order++;
            var exists = await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM themes WHERE id = @Id", new { t.Id }, tx);
            if (exists > 0) continue;
            await c.ExecuteAsync("""
                INSERT INTO themes (id, name, outcome_id, description, example_phrases, reasoning, retired, sort_order)
                VALUES (@Id, @Name, @OutcomeId, @Description, @phrases, @Reasoning, 0, @order)
                """, new { t.Id, t.Name, t.OutcomeId, t.Description, phrases = string.Join("\n", t.ExamplePhrases), t.Reasoning, order }, tx);
            added++;
        }
        await tx.CommitAsync();
        return added;
    }
}
