using Engagement.Classifier;
using Engagement.Core.Data;
using Engagement.Core.Demo;
using Engagement.Core.Staff;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Engagement.Core;

public static class ServiceCollectionExtensions
{
    /// <summary>Database, stores and the demo loader, shared by the site and the CLI.</summary>
    public static IServiceCollection AddEngagementData(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.Section));
        services.AddSingleton(sp => Database.FromSettings(
            sp.GetRequiredService<IOptions<DatabaseOptions>>().Value, configuration.GetConnectionString("Engagement")));
        services.AddSingleton<ConsultationStore>();
        services.AddSingleton<SubmissionStore>();
        services.AddSingleton<CommentStore>();
        services.AddSingleton<ThemeStore>();
        services.AddSingleton<StaffUserStore>();
        services.AddSingleton<SecurityEventStore>();
        services.AddSingleton<Engagement.Core.Privacy.PrivacyStore>();
        services.AddOptions<Engagement.Core.Privacy.PrivacyOptions>().Bind(configuration.GetSection(Engagement.Core.Privacy.PrivacyOptions.Section));
        services.AddSingleton<SuggestionService>();
        services.AddSingleton<DemoDataLoader>();
        services.AddSingleton<DatabaseInitializer>();
        services.AddSingleton<ReportStore>();
        services.AddSingleton(Engagement.Core.Privacy.PersonalDataDetector.Instance);
        services.AddSingleton<Engagement.Core.Reports.ReportService>();
        services.AddSingleton<Engagement.Core.Reports.ReportAuthoring>();
        services.AddSingleton<Engagement.Core.Import.MinimalCsvImporter>();
        services.AddOptions<Engagement.Core.Import.ImportOptions>().Bind(configuration.GetSection(Engagement.Core.Import.ImportOptions.Section));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<Engagement.Core.Import.ImportOptions>>().Value);
        services.AddSingleton<ImportStore>();
        services.AddSingleton<Engagement.Core.Import.ImportService>();
        services.AddSingleton<Engagement.Core.Triage.TriageStore>();
        services.AddSingleton<Engagement.Core.Triage.AuditStore>();
        services.AddSingleton<Engagement.Core.Triage.ModelVersionStore>();
        services.AddSingleton<Engagement.Core.Triage.ThemeAdminStore>();
        services.AddSingleton<Engagement.Core.Campaigns.CampaignStore>();
        services.AddOptions<Engagement.Core.Emerging.EmergingThemeOptions>().Bind(configuration.GetSection(Engagement.Core.Emerging.EmergingThemeOptions.Section));
        services.AddSingleton<Engagement.Core.Emerging.EmergingThemeStore>();
        services.AddSingleton(Engagement.Core.Triage.SafeguardingDetector.Instance);
        return services;
    }

    public static IServiceCollection AddEngagementClassifier(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ClassifierOptions>().Bind(configuration.GetSection(ClassifierOptions.Section));
        services.AddSingleton<ICommentClassifier>(sp => new PooledCommentClassifier(sp.GetRequiredService<IOptions<ClassifierOptions>>().Value));
        return services;
    }
}

/// <summary>Creates or upgrades the schema and seeds the theme taxonomy. Runs at site start-up and from `engage db migrate`.</summary>
public sealed class DatabaseInitializer(Database db, ThemeStore themes)
{
    public async Task<IReadOnlyList<string>> InitializeAsync()
    {
        var scripts = Migrator.Migrate(db);
        var taxonomy = RepoPaths.Resolve(TaxonomyFile.DefaultPath);
        if (File.Exists(taxonomy)) await themes.SeedAsync(TaxonomyFile.ReadThemes(taxonomy));
        return scripts;
    }
}
