using Dapper;
using Engagement.Core.Data;

namespace Engagement.Core.Staff;

/// <summary>What happened. Stored as text so the log reads without a lookup table.</summary>
public static class SecurityEventKinds
{
    public const string SignedIn = "signed-in";
    public const string SignInFailed = "sign-in-failed";
    public const string LockedOut = "locked-out";
    public const string SignInRefusedDisabled = "sign-in-refused-disabled";
    public const string SignedOut = "signed-out";
    public const string SessionEnded = "session-ended";
    public const string RoleDenied = "role-denied";
    public const string RateLimited = "rate-limited";
    public const string Export = "export";
    public const string TwoFactorEnabled = "two-factor-enabled";
    public const string TwoFactorDisabled = "two-factor-disabled";
    public const string TwoFactorFailed = "two-factor-failed";
    public const string SubmissionErased = "submission-erased";
    public const string RetentionPurge = "retention-purge";
    public const string KeysRevoked = "keys-revoked";

    public static readonly IReadOnlyList<string> All =
    [
        SignedIn, SignInFailed, LockedOut, SignInRefusedDisabled, SignedOut, SessionEnded, RoleDenied, RateLimited, Export,
        TwoFactorEnabled, TwoFactorDisabled, TwoFactorFailed, SubmissionErased, RetentionPurge,
        KeysRevoked,
    ];
}

public sealed record SecurityEvent
{
    public long Id { get; init; }
    public DateTime OccurredAt { get; init; }
    public required string Kind { get; init; }
    public string? Email { get; init; }
    public long? StaffUserId { get; init; }
    public string? ClientAddress { get; init; }
    public string? Path { get; init; }
    public string? Detail { get; init; }
}

/// <summary>
/// The append-only security log: this store can only add and read. The database refuses UPDATE and DELETE on the table
/// (triggers, migration 0008), so not even a bug or a stolen connection can rewrite history.
/// </summary>
public sealed class SecurityEventStore(Database db)
{
    public const int MaxEmailLength = 254;
    public const int MaxPathLength = 400;
    public const int MaxDetailLength = 1000;

    public async Task AddAsync(SecurityEvent e, CancellationToken ct = default)
    {
        if (!SecurityEventKinds.All.Contains(e.Kind)) throw new ArgumentException($"Unknown security event kind '{e.Kind}'.", nameof(e));
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO security_events (occurred_at, kind, email, staff_user_id, client_address, path, detail)
            VALUES (@OccurredAt, @Kind, @Email, @StaffUserId, @ClientAddress, @Path, @Detail)
            """, e with
        {
            // What someone typed into a sign-in box can be anything: keep it, but bounded.
            OccurredAt = e.OccurredAt == default ? DateTime.UtcNow : e.OccurredAt,
            Email = Clip(e.Email, MaxEmailLength),
            ClientAddress = Clip(e.ClientAddress, 64),
            Path = Clip(e.Path, MaxPathLength),
            Detail = Clip(e.Detail, MaxDetailLength),
        }, cancellationToken: ct));
    }

    /// <summary>Newest first, optionally one kind only.</summary>
    public async Task<IReadOnlyList<SecurityEvent>> ListAsync(string? kind, int take, int skip = 0)
    {
        await using var c = await db.OpenAsync();
        var rows = await c.QueryAsync<SecurityEvent>($"""
            SELECT id, occurred_at AS OccurredAt, kind, email, staff_user_id AS StaffUserId, client_address AS ClientAddress, path, detail
            FROM security_events
            {(kind is null ? "" : "WHERE kind = @kind")}
            ORDER BY id DESC {db.Dialect.LimitOffset("take", "skip")}
            """, new { kind, take, skip });
        return rows.ToList();
    }

    public async Task<long> CountAsync(string? kind = null)
    {
        await using var c = await db.OpenAsync();
        return await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM security_events" + (kind is null ? "" : " WHERE kind = @kind"), new { kind });
    }

    private static string? Clip(string? value, int max)
    {
        if (value is null || value.Length <= max) return value;
        // Never cut a surrogate pair in half: the database would get an invalid string.
        var cut = char.IsHighSurrogate(value[max - 1]) ? max - 1 : max;
        return value[..cut];
    }
}
