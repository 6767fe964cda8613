using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Engagement.Core.Staff;

/// <summary>
/// Encrypts staff two-factor (TOTP) secrets at rest with Data Protection, whose keys the database keeps
/// (DataProtectionKeyStore), so a copy of staff_users alone does not give away anyone's authenticator codes.
/// Secrets stored before this existed are plain base32; they are read as they are and re-stored encrypted.
/// </summary>
public sealed class TotpSecretProtector(IDataProtectionProvider provider, ILogger<TotpSecretProtector>? log = null)
{
    /// <summary>Marks an encrypted value. Base32 never contains ':', so an old plain secret can never look like one.</summary>
    public const string Prefix = "dp1:";

    private readonly IPersistedDataProtector protector =
        (IPersistedDataProtector)provider.CreateProtector("Engagement.Staff.TotpSecret");
    private readonly ILogger log = log ?? NullLogger<TotpSecretProtector>.Instance;

    public string Protect(string secret) => Prefix + Convert.ToBase64String(protector.Protect(Encoding.UTF8.GetBytes(secret)));

    /// <summary>
    /// The plain secret, and whether it should be stored again: it was plain, or its key is no longer the current one
    /// (rotated, or revoked with engage keys revoke). Revoked keys are still used to read, never to write, which is why
    /// revoking keeps the keys rather than deleting them. Null when it cannot be read at all (its key is gone).
    /// </summary>
    public (string? Secret, bool StoreAgain) Unprotect(long userId, string stored)
    {
        if (!stored.StartsWith(Prefix, StringComparison.Ordinal)) return (stored, true);
        try
        {
            var plain = protector.DangerousUnprotect(Convert.FromBase64String(stored[Prefix.Length..]),
                ignoreRevocationErrors: true, out var requiresMigration, out var wasRevoked);
            return (Encoding.UTF8.GetString(plain), requiresMigration || wasRevoked);
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            log.LogError(ex, "The two-factor secret of staff account {Id} cannot be decrypted (its Data Protection key is gone). " +
                "The account cannot finish two-factor sign-in until it is reset: engage users reset-two-factor --email ...", userId);
            return (null, false);
        }
    }
}
