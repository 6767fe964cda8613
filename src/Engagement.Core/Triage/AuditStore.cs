using System.Data.Common;
using Dapper;
using Engagement.Core.Data;

namespace Engagement.Core.Triage;

/// <summary>Who changed what on a comment, and its notes. Rows are only ever added.</summary>
public sealed class AuditStore(Database db)
{
    public const string SystemSafeguarding = "Safeguarding detector";

    public async Task<IReadOnlyList<AuditEntry>> ForCommentAsync(long commentId)
    {
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<AuditEntry>("""
            SELECT id, comment_id AS CommentId, changed_by AS ChangedBy, changed_at AS ChangedAt, field, old_value AS OldValue, new_value AS NewValue
            FROM comment_audit WHERE comment_id = @commentId ORDER BY id DESC
            """, new { commentId })).ToList();
    }

    public async Task<IReadOnlyList<CommentNote>> NotesAsync(long commentId)
    {
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<CommentNote>("""
            SELECT id, comment_id AS CommentId, author, created_at AS CreatedAt, text
            FROM comment_notes WHERE comment_id = @commentId ORDER BY id
            """, new { commentId })).ToList();
    }

    internal static Task WriteAsync(DbConnection c, DbTransaction tx, long commentId, string user, DateTime at, IEnumerable<(string Field, string? Old, string? New)> changes) =>
        c.ExecuteAsync("""
            INSERT INTO comment_audit (comment_id, changed_by, changed_at, field, old_value, new_value)
            VALUES (@commentId, @user, @at, @Field, @Old, @New)
            """, changes.Select(ch => new { commentId, user, at, ch.Field, ch.Old, ch.New }), tx);
}
