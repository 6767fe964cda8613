using System.Globalization;
using Engagement.Core;
using Engagement.Core.Staff;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Cli.Commands;

/// <summary>
/// engage keys: the site's Data Protection key ring in the database (signs staff session cookies and antiforgery
/// tokens). Revoking is the answer to a leaked key or database copy; see docs/operations.md.
/// </summary>
public static class KeyCommands
{
    public static async Task<int> RunAsync(CliArgs args, CliIo io, IEnumerable<KeyValuePair<string, string?>>? configuration = null)
    {
        switch (args.Positional.FirstOrDefault())
        {
            case "list":
                return await ListAsync(io, configuration);
            case "revoke":
                return await RevokeAsync(args, io, configuration);
            default:
                throw new CliUsageException("use 'engage keys list' or 'engage keys revoke --reason TEXT'.");
        }
    }

    private static async Task<int> ListAsync(CliIo io, IEnumerable<KeyValuePair<string, string?>>? configuration)
    {
        await using var services = CliServices.Build(configuration);
        await services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        var keys = services.GetRequiredService<IKeyManager>().GetAllKeys().OrderBy(k => k.CreationDate).ToList();
        if (keys.Count == 0)
        {
            io.Out.WriteLine("No keys yet: the site makes the first one when it starts.");
            return CliApp.Ok;
        }
        io.Out.WriteLine("key id                                created (UTC)      expires (UTC)      state");
        var now = DateTimeOffset.UtcNow;
        foreach (var k in keys)
        {
            var state = k.IsRevoked ? "revoked" : k.ExpirationDate <= now ? "expired (still reads old cookies)" : k.ActivationDate > now ? "not active yet" : "active";
            io.Out.WriteLine($"{k.KeyId}  {Utc(k.CreationDate)}  {Utc(k.ExpirationDate)}  {state}");
        }
        return CliApp.Ok;
    }

    private static async Task<int> RevokeAsync(CliArgs args, CliIo io, IEnumerable<KeyValuePair<string, string?>>? configuration)
    {
        var reason = args.Require("reason").Trim();
        if (reason.Length is 0 or > 200) throw new CliUsageException("--reason must be 1 to 200 characters.");
        await using var services = CliServices.Build(configuration);
        await services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        var manager = services.GetRequiredService<IKeyManager>();
        var live = manager.GetAllKeys().Count(k => !k.IsRevoked);

        // Revocation is a new element in the table, not a deletion: the keys stay readable to the framework's
        // "unprotect even if revoked" path, so nothing stored with them is lost, but no cookie or token made with them
        // is accepted again, and the next key the site needs is a new one.
        manager.RevokeAllKeys(DateTimeOffset.UtcNow, reason);
        await services.GetRequiredService<SecurityEventStore>().AddAsync(new SecurityEvent
        {
            Kind = SecurityEventKinds.KeysRevoked,
            Detail = $"{live} key(s) revoked by engage keys revoke ({Environment.UserName}): {reason}",
        });
        io.Out.WriteLine($"Revoked {live} key(s). Restart every web instance now: until it restarts, an instance keeps " +
            "the keys it has in memory. After that every staff member signs in again and residents with the form open " +
            "are asked to send it again. Recorded as a security event.");
        return CliApp.Ok;
    }

    private static string Utc(DateTimeOffset d) => d.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
