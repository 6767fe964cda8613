using System.Collections.Concurrent;
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
    private readonly ConcurrentDictionary<long, (string Fingerprint, EmergingResult Result)> cache = new();

    public EmergingThemeOptions Options => options.Value;

    /// <summary>Themes whose id marks them as a catch-all: a comment confirmed with one fits no real theme.</summary>
    private const string OtherFilter = "(m.confirmed_theme = 'other' OR m.confirmed_theme LIKE '%-other')";

    public async Task<IReadOnlyList<UnfittedComment>> UnfittedAsync(long consultationId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<(long Id, string Text, string? District)>(new CommandDefinition($"""
            SELECT m.id AS CommentId, COALESCE(m.redacted_text, m.text) AS Text, COALESCE(m.district, s.district) AS District
            FROM comments m JOIN submissions s ON s.id = m.submission_id
            WHERE m.consultation_id = @consultationId AND m.status NOT IN ('spam', 'hidden') AND m.safeguarding = 0
              AND ((m.confirmed_theme IS NULL AND m.suggested_confidence < @below) OR {OtherFilter})
            ORDER BY m.id
            """, new { consultationId, below = options.Value.ConfidenceBelow }, cancellationToken: ct));
        return rows.Select(r => new UnfittedComment(r.Id, r.Text, r.District)).ToList();
    }

    /// <summary>The clusters, recomputed only when the set of unfitted comments has changed since last time.</summary>
    public async Task<EmergingResult> ClustersAsync(long consultationId, CancellationToken ct = default)
    {
        var comments = await UnfittedAsync(consultationId, ct);
        var fingerprint = string.Join(",", comments.Count, comments.Sum(x => x.CommentId), comments.Sum(x => (long)x.Text.Length));
        if (cache.TryGetValue(consultationId, out var hit) && hit.Fingerprint == fingerprint) return hit.Result;
        var result = await Task.Run(() => EmergingThemeFinder.Find(comments, options.Value), ct);
        cache[consultationId] = (fingerprint, result);
        return result;
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
        cache.TryRemove(consultationId, out _);
        return new PromotionResult(null, themeId, labelled);
    }
}
