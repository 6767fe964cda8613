using Dapper;

namespace Engagement.Core.Data;

/// <summary>The state of one key's window after a request was counted in it.</summary>
public readonly record struct RateLimitWindow(long WindowStart, long Count);

/// <summary>
/// Fixed-window request counters shared by every instance of the site: one row per key (policy and client address)
/// holding when its window started (Unix seconds; the first request after the previous window ended starts it) and how
/// many requests the window has seen.
/// </summary>
public sealed class RateLimitStore(Database db)
{
    internal const string SqlServerHit = """
        MERGE rate_limit_windows WITH (HOLDLOCK) AS t
        USING (SELECT @key AS limit_key) AS s ON t.limit_key = s.limit_key
        WHEN MATCHED THEN UPDATE SET
            request_count = CASE WHEN t.window_start <= @ended THEN 1 ELSE t.request_count + 1 END,
            window_start = CASE WHEN t.window_start <= @ended THEN @now ELSE t.window_start END
        WHEN NOT MATCHED THEN INSERT (limit_key, window_start, request_count) VALUES (s.limit_key, @now, 1)
        OUTPUT inserted.window_start AS WindowStart, CAST(inserted.request_count AS bigint) AS Count;
        """;

    /// <summary>
    /// Counts one request for <paramref name="key"/> at <paramref name="now"/> (Unix seconds) in a window of
    /// <paramref name="windowSeconds"/>, starting a new window if the key's last one has ended. One statement, atomic on
    /// both dialects, so concurrent requests on any instance are each counted once.
    /// </summary>
    public async Task<RateLimitWindow> HitAsync(string key, long now, int windowSeconds, CancellationToken ct = default)
    {
        var ended = now - windowSeconds;
        await using var c = await db.OpenAsync(ct);
        // The one place the dialects differ for rate limits.
        var sql = db.Provider == DatabaseProvider.SqlServer
            ? SqlServerHit
            : """
              INSERT INTO rate_limit_windows (limit_key, window_start, request_count) VALUES (@key, @now, 1)
              ON CONFLICT(limit_key) DO UPDATE SET
                  request_count = CASE WHEN rate_limit_windows.window_start <= @ended THEN 1 ELSE rate_limit_windows.request_count + 1 END,
                  window_start = CASE WHEN rate_limit_windows.window_start <= @ended THEN @now ELSE rate_limit_windows.window_start END
              RETURNING window_start AS WindowStart, request_count AS Count
              """;
        return await c.QuerySingleAsync<RateLimitWindow>(new CommandDefinition(sql, new { key, now, ended }, cancellationToken: ct));
    }

    /// <summary>Removes counters whose window started before <paramref name="before"/> (Unix seconds): they can only ever be reset.</summary>
    public async Task<int> DeleteStartedBeforeAsync(long before, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM rate_limit_windows WHERE window_start < @before", new { before }, cancellationToken: ct));
    }
}
