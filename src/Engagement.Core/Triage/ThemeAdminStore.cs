using System.Globalization;
using System.Text.RegularExpressions;
using Dapper;
using Engagement.Core.Data;
using Engagement.Core.Domain;

namespace Engagement.Core.Triage;

public sealed record ThemeAuditEntry
{
    public long Id { get; init; }
    public string ThemeId { get; init; } = "";
    public string ChangedBy { get; init; } = "";
    public DateTime ChangedAt { get; init; }
    public string Field { get; init; } = "";
    public string? OldValue { get; init; }
    public string? NewValue { get; init; }
}

/// <summary>Admin edits to the theme taxonomy. Every change is recorded in theme_audit.</summary>
public sealed partial class ThemeAdminStore(Database db)
{
    public const int MaxNameLength = 200;

    [GeneratedRegex("^[a-z0-9]+(?:-[a-z0-9]+)*$")]
    private static partial Regex IdPattern();

    public static bool IsValidId(string? id) => id is { Length: > 0 and <= 100 } && IdPattern().IsMatch(id);

    /// <summary>Makes an id from a name: "Pharmacy opening hours" becomes "pharmacy-opening-hours".</summary>
    public static string IdFromName(string name)
    {
        var id = Regex.Replace(name.ToLowerInvariant(), "[^a-z0-9]+", "-").Trim('-');
        return id.Length > 100 ? id[..100].TrimEnd('-') : id;
    }

    public async Task<Theme?> GetAsync(string id)
    {
        await using var c = await db.OpenAsync();
        return await c.QuerySingleOrDefaultAsync<Theme>(
            "SELECT id, name, outcome_id AS OutcomeId, description, retired FROM themes WHERE id = @id", new { id });
    }

    /// <summary>Adds a theme. Returns an error message, or null.</summary>
    public async Task<string?> AddAsync(string id, string name, int outcomeId, string description, string user)
    {
        if (!IsValidId(id)) return "Theme id must use lower-case letters, numbers and hyphens only";
        await using var c = await db.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM themes WHERE id = @id", new { id }, tx) > 0)
            return "A theme with that id already exists";
        var order = await c.ExecuteScalarAsync<long?>("SELECT MAX(sort_order) FROM themes", transaction: tx) ?? 0;
        await c.ExecuteAsync("""
            INSERT INTO themes (id, name, outcome_id, description, example_phrases, reasoning, retired, sort_order)
            VALUES (@id, @name, @outcomeId, @description, '', NULL, 0, @order)
            """, new { id, name, outcomeId, description, order = order + 1 }, tx);
        await AuditAsync(c, tx, id, user, [("created", null, $"{name} (outcome {outcomeId})")]);
        await tx.CommitAsync();
        return null;
    }

    public async Task<bool> RenameAsync(string id, string name, string description, string user)
    {
        await using var c = await db.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        var theme = await c.QuerySingleOrDefaultAsync<Theme>("SELECT id, name, outcome_id AS OutcomeId, description, retired FROM themes WHERE id = @id", new { id }, tx);
        if (theme is null) return false;
        await c.ExecuteAsync("UPDATE themes SET name = @name, description = @description WHERE id = @id", new { id, name, description }, tx);
        var changes = new List<(string, string?, string?)>();
        if (theme.Name != name) changes.Add(("name", theme.Name, name));
        if (theme.Description != description) changes.Add(("description", theme.Description, description));
        await AuditAsync(c, tx, id, user, changes);
        await tx.CommitAsync();
        return true;
    }

    public async Task<bool> SetRetiredAsync(string id, bool retired, string user)
    {
        await using var c = await db.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        var theme = await c.QuerySingleOrDefaultAsync<Theme>("SELECT id, name, outcome_id AS OutcomeId, description, retired FROM themes WHERE id = @id", new { id }, tx);
        if (theme is null) return false;
        if (theme.Retired != retired)
        {
            await c.ExecuteAsync("UPDATE themes SET retired = @retired WHERE id = @id", new { id, retired }, tx);
            await AuditAsync(c, tx, id, user, [("retired", theme.Retired ? "yes" : "no", retired ? "yes" : "no")]);
        }
        await tx.CommitAsync();
        return true;
    }

    /// <summary>
    /// Moves a theme to another outcome. Comments already confirmed with the theme follow it (their confirmed outcome
    /// changes, with an audit row each and a new row version); returns how many moved, or null if the theme does not exist.
    /// </summary>
    public async Task<int?> MoveAsync(string id, int outcomeId, string user)
    {
        var now = DateTime.UtcNow;
        await using var c = await db.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        var theme = await c.QuerySingleOrDefaultAsync<Theme>("SELECT id, name, outcome_id AS OutcomeId, description, retired FROM themes WHERE id = @id", new { id }, tx);
        if (theme is null) return null;
        if (theme.OutcomeId == outcomeId) { await tx.CommitAsync(); return 0; }
        await c.ExecuteAsync("UPDATE themes SET outcome_id = @outcomeId WHERE id = @id", new { id, outcomeId }, tx);
        var oldText = theme.OutcomeId.ToString(CultureInfo.InvariantCulture);
        var newText = outcomeId.ToString(CultureInfo.InvariantCulture);
        await c.ExecuteAsync("""
            INSERT INTO comment_audit (comment_id, changed_by, changed_at, field, old_value, new_value)
            SELECT id, @user, @now, 'confirmed_outcome', @oldText, @newText FROM comments WHERE confirmed_theme = @id AND confirmed_outcome <> @outcomeId
            """, new { id, user, now, oldText, newText, outcomeId }, tx);
        var moved = await c.ExecuteAsync("""
            UPDATE comments SET confirmed_outcome = @outcomeId, row_version = row_version + 1
            WHERE confirmed_theme = @id AND confirmed_outcome <> @outcomeId
            """, new { id, outcomeId }, tx);
        await AuditAsync(c, tx, id, user, [("outcome", oldText, newText)]);
        await tx.CommitAsync();
        return moved;
    }

    public async Task<IReadOnlyList<ThemeAuditEntry>> HistoryAsync(int take = 50)
    {
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<ThemeAuditEntry>($"""
            SELECT id, theme_id AS ThemeId, changed_by AS ChangedBy, changed_at AS ChangedAt, field, old_value AS OldValue, new_value AS NewValue
            FROM theme_audit ORDER BY id DESC {db.Dialect.Limit("take")}
            """, new { take })).ToList();
    }

    private static Task AuditAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, string themeId, string user, IEnumerable<(string Field, string? Old, string? New)> changes) =>
        c.ExecuteAsync("""
            INSERT INTO theme_audit (theme_id, changed_by, changed_at, field, old_value, new_value)
            VALUES (@themeId, @user, @now, @Field, @Old, @New)
            """, changes.Select(ch => new { themeId, user, now = DateTime.UtcNow, ch.Field, ch.Old, ch.New }), tx);
}
