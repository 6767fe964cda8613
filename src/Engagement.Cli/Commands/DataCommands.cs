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
            "users" => throw new CliUsageException("use 'engage users add --email E --role R'."),
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
