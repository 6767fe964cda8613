using Engagement.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Cli;

/// <summary>The same configuration sources as the site: appsettings.json, then environment variables (e.g. ConnectionStrings__Engagement).</summary>
public static class CliServices
{
    public static ServiceProvider Build(IEnumerable<KeyValuePair<string, string?>>? overrides = null)
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(overrides ?? [])
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddEngagementData(configuration);
        services.AddEngagementDataProtection(configuration);
        services.AddEngagementClassifier(configuration);
        return services.BuildServiceProvider();
    }
}
