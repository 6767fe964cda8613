using Engagement.Core;
using Engagement.Core.Data;
using Engagement.Core.Demo;
using Engagement.Core.Staff;
using Microsoft.Extensions.Options;

namespace Engagement.Web.Infrastructure;

public sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>Load data-samples/demo when the database has no consultations. On by default only in Development.</summary>
    public bool? LoadOnFirstRun { get; set; }

    /// <summary>Development sign-in accounts, created on first run in Development only.</summary>
    public string DevelopmentPassword { get; set; } = "dev-password-123";
}

public static class StartupExtensions
{
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Engagement.Startup");
        if (!app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStartup) return;

        await app.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync();

        var demo = app.Configuration.GetSection(DemoOptions.Section).Get<DemoOptions>() ?? new DemoOptions();
        var isDev = app.Environment.IsDevelopment();
        if (demo.LoadOnFirstRun ?? isDev)
        {
            var consultations = app.Services.GetRequiredService<ConsultationStore>();
            var demoFolder = Engagement.Classifier.RepoPaths.Resolve(DemoDataLoader.DefaultFolder);
            if (!File.Exists(Path.Combine(demoFolder, "responses.csv")))
            {
                log.LogWarning("No demo data at {Folder}; starting with an empty database.", demoFolder);
            }
            else if ((await consultations.ListWithCountsAsync()).Count == 0)
            {
                var result = await app.Services.GetRequiredService<DemoDataLoader>().LoadAsync();
                log.LogInformation("Loaded the demo consultation '{Slug}': {Count} responses.", result.Slug, result.SubmissionsAdded);
            }
        }

        if (isDev) await EnsureDevelopmentAccountsAsync(app.Services.GetRequiredService<StaffUserStore>(), demo.DevelopmentPassword, log);

        // Comments stored while the model was missing get their suggestions once it is back.
        _ = Task.Run(() => app.Services.GetRequiredService<SuggestionService>().BackfillAsync(null));
    }

    private static async Task EnsureDevelopmentAccountsAsync(StaffUserStore users, string password, ILogger log)
    {
        if (await users.CountAsync() == 0)
        {
            await users.AddOrUpdateAsync("admin@example.org", StaffRoles.Admin, password);
            await users.AddOrUpdateAsync("team@example.org", StaffRoles.EngagementTeam, password);
            await users.AddOrUpdateAsync("author@example.org", StaffRoles.StrategyAuthor, password);
        }
        log.LogWarning(
            "Development sign-in: go to /staff and use admin@example.org (or team@example.org, author@example.org) with password '{Password}'. " +
            "These accounts exist only in Development. Add real accounts with: dotnet run --project src/Engagement.Cli -- users add --email you@example.org --role Admin",
            password);
    }
}
