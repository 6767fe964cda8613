using System.Security.Cryptography;
using Dapper;
using Engagement.Core.Data;
using Microsoft.AspNetCore.Identity;

namespace Engagement.Core.Staff;

public static class StaffRoles
{
    public const string Admin = "Admin";
    public const string EngagementTeam = "EngagementTeam";
    public const string StrategyAuthor = "StrategyAuthor";

    public static readonly IReadOnlyList<string> All = [Admin, EngagementTeam, StrategyAuthor];

    public static string? Normalise(string? role) =>
        All.FirstOrDefault(r => string.Equals(r, role, StringComparison.OrdinalIgnoreCase));
}

public sealed record StaffUser
{
    public long Id { get; init; }
    public required string Email { get; init; }
    public required string Role { get; init; }
    public required string PasswordHash { get; init; }
    public int FailedSignIns { get; init; }
    public DateTime? LockedUntil { get; init; }
    public bool Disabled { get; init; }
    public required string SecurityStamp { get; init; }

    /// <summary>
    /// Base32 TOTP secret: set when two-factor is being set up, kept once it is turned on. Stored encrypted
    /// (TotpSecretProtector); the store hands it out plain.
    /// </summary>
    public string? TotpSecret { get; init; }
    public bool TotpEnabled { get; init; }
    /// <summary>The last 30-second step whose code was accepted: a code works once.</summary>
    public long? TotpLastStep { get; init; }
}

public enum TwoFactorOutcome { Success, WrongCode, LockedOut, NotSetUp }

public enum SignInOutcome { Success, BadCredentials, LockedOut, Disabled }

public sealed record SignInResult(SignInOutcome Outcome, StaffUser? User, DateTime? LockedUntil = null);

/// <param name="totpSecrets">
/// Encrypts two-factor secrets at rest; the site and the CLI always have it (AddEngagementDataProtection). Without it
/// (store tests that do not need it) secrets are stored plain, and encrypted ones read as not set up.
/// </param>
public sealed class StaffUserStore(Database db, TotpSecretProtector? totpSecrets = null)
{
    public const int MaxFailedSignIns = 5;
    public static readonly TimeSpan LockoutPeriod = TimeSpan.FromMinutes(15);
    public const int MinimumPasswordLength = 12;

    private static readonly PasswordHasher<StaffUser> Hasher = new();

    private const string Select = """
        SELECT id, email, role, password_hash AS PasswordHash, failed_sign_ins AS FailedSignIns, locked_until AS LockedUntil,
               disabled, security_stamp AS SecurityStamp, totp_secret AS TotpSecret, totp_enabled AS TotpEnabled,
               totp_last_step AS TotpLastStep FROM staff_users
        """;

    public async Task<StaffUser?> FindByEmailAsync(string email)
    {
        await using var c = await db.OpenAsync();
        return await RevealAsync(c, await c.QuerySingleOrDefaultAsync<StaffUser>(Select + " WHERE email = @email", new { email = email.Trim() }));
    }

    public async Task<StaffUser?> GetAsync(long id)
    {
        await using var c = await db.OpenAsync();
        return await RevealAsync(c, await c.QuerySingleOrDefaultAsync<StaffUser>(Select + " WHERE id = @id", new { id }));
    }

    // The row carries the secret as stored; callers get it plain. A secret stored plain (before encryption existed) or
    // under a key that is no longer current is stored again under the current key, once: the UPDATE only matches the
    // value just read, so two instances doing this at once cannot overwrite a newer secret.
    private async Task<StaffUser?> RevealAsync(System.Data.Common.DbConnection c, StaffUser? user)
    {
        if (user?.TotpSecret is not { } stored) return user;
        if (totpSecrets is null)
            return stored.StartsWith(TotpSecretProtector.Prefix, StringComparison.Ordinal) ? user with { TotpSecret = null } : user;

        var (secret, storeAgain) = totpSecrets.Unprotect(user.Id, stored);
        if (secret is not null && storeAgain)
            await c.ExecuteAsync("UPDATE staff_users SET totp_secret = @protectedSecret WHERE id = @id AND totp_secret = @stored",
                new { id = user.Id, stored, protectedSecret = totpSecrets.Protect(secret) });
        return user with { TotpSecret = secret };
    }

    private string ToStored(string secret) => totpSecrets?.Protect(secret) ?? secret;

    public async Task<long> CountAsync()
    {
        await using var c = await db.OpenAsync();
        return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM staff_users");
    }

    /// <summary>Creates the account, or resets its role and password if the email exists.</summary>
    public async Task<StaffUser> AddOrUpdateAsync(string email, string role, string password)
    {
        var normalisedRole = StaffRoles.Normalise(role)
            ?? throw new ArgumentException($"Unknown role '{role}'. Use one of: {string.Join(", ", StaffRoles.All)}.");
        if (string.IsNullOrWhiteSpace(email) || !email.Contains('@'))
            throw new ArgumentException("Enter an email address in the correct format, like name@example.org.");
        if (password.Length < MinimumPasswordLength)
            throw new ArgumentException($"The password must be at least {MinimumPasswordLength} characters.");

        var user = new StaffUser { Email = email.Trim(), Role = normalisedRole, PasswordHash = "", SecurityStamp = NewStamp() };
        user = user with { PasswordHash = Hasher.HashPassword(user, password) };

        await using var c = await db.OpenAsync();
        var updated = await c.ExecuteAsync("""
            UPDATE staff_users SET role = @Role, password_hash = @PasswordHash, security_stamp = @SecurityStamp,
                failed_sign_ins = 0, locked_until = NULL, disabled = 0
            WHERE email = @Email
            """, user);
        if (updated == 0)
        {
            await c.ExecuteAsync("""
                INSERT INTO staff_users (email, role, password_hash, failed_sign_ins, disabled, security_stamp, created_at)
                VALUES (@Email, @Role, @PasswordHash, 0, 0, @SecurityStamp, @now)
                """, new { user.Email, user.Role, user.PasswordHash, user.SecurityStamp, now = DateTime.UtcNow });
        }
        return (await FindByEmailAsync(user.Email))!;
    }

    /// <summary>Checks a password, counting failures: the fifth in a row locks the account for 15 minutes.</summary>
    public async Task<SignInResult> SignInAsync(string email, string password, DateTime now)
    {
        var user = await FindByEmailAsync(email);
        if (user is null)
        {
            // Hash anyway so a missing account takes as long to refuse as a wrong password.
            Hasher.VerifyHashedPassword(DummyUser, DummyUser.PasswordHash, password);
            return new SignInResult(SignInOutcome.BadCredentials, null);
        }
        if (user.Disabled) return new SignInResult(SignInOutcome.Disabled, user);
        if (user.LockedUntil is { } until && until > now) return new SignInResult(SignInOutcome.LockedOut, user, until);

        var verified = Hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        await using var c = await db.OpenAsync();
        if (verified == PasswordVerificationResult.Failed)
        {
            var failures = (user.LockedUntil is not null ? 0 : user.FailedSignIns) + 1;
            DateTime? lockUntil = failures >= MaxFailedSignIns ? now + LockoutPeriod : null;
            await c.ExecuteAsync("UPDATE staff_users SET failed_sign_ins = @failures, locked_until = @lockUntil WHERE id = @Id",
                new { failures = lockUntil is null ? failures : 0, lockUntil, user.Id });
            return lockUntil is null
                ? new SignInResult(SignInOutcome.BadCredentials, user)
                : new SignInResult(SignInOutcome.LockedOut, user, lockUntil);
        }

        var hash = verified == PasswordVerificationResult.SuccessRehashNeeded ? Hasher.HashPassword(user, password) : user.PasswordHash;
        await c.ExecuteAsync("""
            UPDATE staff_users SET failed_sign_ins = 0, locked_until = NULL, last_sign_in_at = @now, password_hash = @hash WHERE id = @Id
            """, new { now, hash, user.Id });
        return new SignInResult(SignInOutcome.Success, user);
    }

    public async Task SetDisabledAsync(long id, bool disabled)
    {
        await using var c = await db.OpenAsync();
        await c.ExecuteAsync("UPDATE staff_users SET disabled = @disabled, security_stamp = @stamp WHERE id = @id",
            new { id, disabled, stamp = NewStamp() });
    }

    /// <summary>The secret for setting up two-factor: a new one, or the one already shown if set-up was not finished.</summary>
    public async Task<string> StartTwoFactorSetupAsync(long id)
    {
        var user = await GetAsync(id) ?? throw new InvalidOperationException($"No staff account {id}.");
        if (user.TotpEnabled) throw new InvalidOperationException("Two-factor is already on for this account.");
        if (user.TotpSecret is { } pending) return pending;
        var secret = ToStored(Totp.Base32Encode(Totp.NewSecret()));
        await using var c = await db.OpenAsync();
        await c.ExecuteAsync("UPDATE staff_users SET totp_secret = @secret WHERE id = @id AND totp_enabled = 0", new { id, secret });
        return (await GetAsync(id))!.TotpSecret!;
    }

    /// <summary>
    /// Checks a code from the authenticator app: to sign in (two-factor on), or to turn two-factor on (set-up started).
    /// Wrong codes count towards the same lockout as wrong passwords; a code that was already used is refused.
    /// Turning it on changes the security stamp, which ends the account's other sessions.
    /// </summary>
    public async Task<(TwoFactorOutcome Outcome, StaffUser? User)> VerifyTwoFactorAsync(long id, string? code, DateTime now, bool turningOn)
    {
        var user = await GetAsync(id);
        if (user is null || user.Disabled || user.TotpSecret is null || user.TotpEnabled == turningOn) return (TwoFactorOutcome.NotSetUp, user);
        if (user.LockedUntil is { } until && until > now) return (TwoFactorOutcome.LockedOut, user);

        var step = Totp.MatchingStep(Totp.Base32Decode(user.TotpSecret), code, now);
        await using var c = await db.OpenAsync();
        var claimed = step is not null && await c.ExecuteAsync($"""
            UPDATE staff_users SET totp_last_step = @step, failed_sign_ins = 0, locked_until = NULL
                {(turningOn ? ", totp_enabled = 1, security_stamp = @stamp" : "")}
            WHERE id = @id AND (totp_last_step IS NULL OR totp_last_step < @step)
            """, new { id, step, stamp = NewStamp() }) == 1;
        if (claimed) return (TwoFactorOutcome.Success, await GetAsync(id));

        var failures = (user.LockedUntil is not null ? 0 : user.FailedSignIns) + 1;
        DateTime? lockUntil = failures >= MaxFailedSignIns ? now + LockoutPeriod : null;
        await c.ExecuteAsync("UPDATE staff_users SET failed_sign_ins = @failures, locked_until = @lockUntil WHERE id = @id",
            new { failures = lockUntil is null ? failures : 0, lockUntil, id });
        return (lockUntil is null ? TwoFactorOutcome.WrongCode : TwoFactorOutcome.LockedOut, user);
    }

    /// <summary>Turns two-factor off and forgets the secret; other sessions end.</summary>
    public async Task DisableTwoFactorAsync(long id)
    {
        await using var c = await db.OpenAsync();
        await c.ExecuteAsync("""
            UPDATE staff_users SET totp_secret = NULL, totp_enabled = 0, totp_last_step = NULL, security_stamp = @stamp WHERE id = @id
            """, new { id, stamp = NewStamp() });
    }

    private static string NewStamp() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    private static readonly StaffUser DummyUser = new()
    {
        Email = "nobody@example.invalid", Role = StaffRoles.EngagementTeam, SecurityStamp = "",
        PasswordHash = new PasswordHasher<StaffUser>().HashPassword(null!, Guid.NewGuid().ToString()),
    };
}
