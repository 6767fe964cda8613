using Engagement.Classifier;
using Engagement.Core.Data;
using Engagement.Core.Demo;
using Engagement.Core.Staff;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(InstanceId.ForThisProcess());
        services.AddOptions<JobLeaseOptions>().Bind(configuration.GetSection(JobLeaseOptions.Section))
            .Validate(o => o.LeaseSeconds >= 3, $"{JobLeaseOptions.Section}:LeaseSeconds must be a whole number of seconds, 3 or more (default 60).")
            .ValidateOnStart();
        services.AddSingleton<JobLeaseStore>();
        services.AddSingleton<JobLeases>();
        services.AddSingleton<RateLimitStore>();
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
        services.AddOptions<Engagement.Core.Emerging.EmergingThemeOptions>().Bind(configuration.GetSection(Engagement.Core.Emerging.EmergingThemeOptions.Section))
            .Validate(o => o.StoredCommentIds >= 1, $"{Engagement.Core.Emerging.EmergingThemeOptions.Section}:StoredCommentIds must be 1 or more (default 1000).")
            .ValidateOnStart();
        services.AddSingleton<Engagement.Core.Emerging.EmergingThemeStore>();
        services.TryAddSingleton<Engagement.Core.Emerging.IEmergingThemeFinder, Engagement.Core.Emerging.MlEmergingThemeFinder>();
        services.AddSingleton<Engagement.Core.Emerging.EmergingThemeJob>();
        services.AddSingleton(Engagement.Core.Triage.SafeguardingDetector.Instance);
        return services;
    }

    /// <summary>
    /// Data Protection (sign-in cookies, antiforgery tokens) with its key ring in the database, shared by every instance
    /// and kept across restarts. The store is resolved when the key ring is first needed, after start-up has migrated.
    /// </summary>
    public static IServiceCollection AddEngagementDataProtection(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(DataProtectionKeyOptions.Section).Get<DataProtectionKeyOptions>() ?? new DataProtectionKeyOptions();
        services.AddSingleton<DataProtectionKeyStore>();
        services.AddSingleton<TotpSecretProtector>();
        // One fixed name, not the default (the content root path): instances installed in different folders share keys.
        var builder = services.AddDataProtection().SetApplicationName("Engagement");
        services.AddOptions<KeyManagementOptions>().Configure<DataProtectionKeyStore>((o, store) => o.XmlRepository = store);
        if (options.CertificatePath.Length > 0) builder.ProtectKeysWithCertificate(LoadKeyCertificate(options));
        return services;
    }

    private static X509Certificate2 LoadKeyCertificate(DataProtectionKeyOptions options)
    {
        var path = RepoPaths.Resolve(options.CertificatePath);
        if (!File.Exists(path))
            throw new InvalidOperationException($"DataProtection:CertificatePath is '{options.CertificatePath}', but there is no file at {path}.");
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword.Length > 0 ? options.CertificatePassword : null);
        }
        catch (CryptographicException ex)
        {
            throw new InvalidOperationException(
                $"DataProtection:CertificatePath '{options.CertificatePath}' could not be read as a .pfx (wrong DataProtection:CertificatePassword?): {ex.Message}", ex);
        }
        if (!certificate.HasPrivateKey)
            throw new InvalidOperationException(
                $"DataProtection:CertificatePath '{options.CertificatePath}' has no private key, so stored keys could be written but never read back.");
        return certificate;
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
