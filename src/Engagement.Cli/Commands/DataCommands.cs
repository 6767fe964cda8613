using Engagement.Core;
using Engagement.Core.Demo;
using Engagement.Core.Staff;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Cli.Commands;

/// <summary>Commands that touch the database: db migrate, seed-demo, users add.</summary>
public static class DataCommands
{
    public static async Task<int> RunAsync(string command, CliArgs args, CliIo io)
    {
        return command switch
        {
            "db" when args.Positional.FirstOrDefault() == "migrate" => await MigrateAsync(io),
            "db" => throw new CliUsageException("use 'engage db migrate'."),
            "seed-demo" => await SeedDemoAsync(args, io),
            "users" when args.Positional.FirstOrDefault() == "add" => await AddUserAsync(args, io),
            "users" when args.Positional.FirstOrDefault() is "reset-two-factor" or "disable" or "enable" =>
                await ChangeUserAsync(args.Positional[0], args, io),
            "users" => throw new CliUsageException("use 'engage users add --email E --role R', or 'engage users reset-two-factor|disable|enable --email E'."),
            _ => throw new CliUsageException($"unknown command '{command}'. Run 'engage --help'."),
        };
    }

    private static async Task<int> MigrateAsync(CliIo io)
    {
        await using var services = CliServices.Build();
        var applied = await services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        io.Out.WriteLine(applied.Count == 0 ? "Database is up to date." : $"Applied {applied.Count} migration(s): {string.Join(", ", applied)}");
        return CliApp.Ok;
    }

    private static async Task<int> SeedDemoAsync(CliArgs args, CliIo io)
    {
        await using var services = CliServices.Build();
        await services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        var result = await services.GetRequiredService<DemoDataLoader>().LoadAsync(args.Get("data"));
        io.Out.WriteLine(result.SubmissionsAdded == 0
            ? $"Demo consultation '{result.Slug}' is already loaded."
            : $"Loaded demo consultation '{result.Slug}': {result.SubmissionsAdded} responses, {result.CommentsRead} comments.");
        return CliApp.Ok;
    }

    /// <summary>
    /// An administrator's fixes for one account: reset two-factor (a lost phone; they set it up again at next sign-in),
    /// disable (ends their sessions at once) or enable. Each is written to the security log.
    /// </summary>
    public static async Task<int> ChangeUserAsync(string action, CliArgs args, CliIo io, IEnumerable<KeyValuePair<string, string?>>? overrides = null)
    {
        var email = args.Require("email");
        await using var services = CliServices.Build(overrides);
        await services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        var users = services.GetRequiredService<StaffUserStore>();
        var user = await users.FindByEmailAsync(email) ?? throw new CliUsageException($"no staff account with the email '{email}'.");
        string? kind;
        string said;
        switch (action)
        {
            case "reset-two-factor":
                await users.DisableTwoFactorAsync(user.Id);
                (kind, said) = (SecurityEventKinds.TwoFactorDisabled, $"Two-factor reset for {user.Email}: they set it up again when they next sign in.");
                break;
            case "disable":
                await users.SetDisabledAsync(user.Id, true);
                (kind, said) = (SecurityEventKinds.SessionEnded, $"Disabled {user.Email}: they are signed out at their next click and cannot sign in.");
                break;
            default:
                await users.SetDisabledAsync(user.Id, false);
                (kind, said) = (null, $"Enabled {user.Email}.");
                break;
        }
        if (kind is not null)
            await services.GetRequiredService<SecurityEventStore>().AddAsync(new SecurityEvent
            {
                Kind = kind, Email = user.Email, StaffUserId = user.Id, Path = "engage users " + action, Detail = "from the command line by " + Environment.UserName,
            });
        io.Out.WriteLine(said);
        return CliApp.Ok;
    }

    private static async Task<int> AddUserAsync(CliArgs args, CliIo io)
    {
        var email = args.Require("email");
        var role = args.Require("role");
        if (StaffRoles.Normalise(role) is null)
            throw new CliUsageException($"unknown role '{role}'. Use one of: {string.Join(", ", StaffRoles.All)}.");
        // Reading from stdin keeps the password out of shell history and the process list.
        var password = args.Get("password") ?? (await io.In.ReadLineAsync())?.TrimEnd('\r', '\n');
        if (string.IsNullOrEmpty(password))
            throw new CliUsageException("no password: pass --password or pipe one on stdin.");

        await using var services = CliServices.Build();
        await services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        try
        {
            var user = await services.GetRequiredService<StaffUserStore>().AddOrUpdateAsync(email, role, password);
            io.Out.WriteLine($"Saved {user.Email} as {user.Role}. They can sign in at /staff.");
            return CliApp.Ok;
        }
        catch (ArgumentException ex)
        {
            throw new CliUsageException(ex.Message);
        }
    }
}
