using Engagement.Core;
using Engagement.Core.Privacy;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Cli.Commands;

/// <summary>engage privacy erase: anonymises one response by the reference number the respondent quoted.</summary>
public static class PrivacyCommands
{
    public static async Task<int> RunAsync(CliArgs args, CliIo io, IEnumerable<KeyValuePair<string, string?>>? configuration = null)
    {
        switch (args.Positional.FirstOrDefault())
        {
            case "erase":
                return await EraseAsync(args, io, configuration);
            default:
                throw new CliUsageException("use 'engage privacy erase --reference REF'.");
        }
    }

    private static async Task<int> EraseAsync(CliArgs args, CliIo io, IEnumerable<KeyValuePair<string, string?>>? configuration)
    {
        var reference = args.Require("reference");
        await using var services = CliServices.Build(configuration);
        await services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        var by = "engage privacy erase (" + Environment.UserName + ")";
        var result = await services.GetRequiredService<PrivacyStore>().EraseAsync(reference, by, ErasureReasons.Request);
        if (result is null)
        {
            io.Error.WriteLine($"engage privacy erase: no response has the reference '{reference.Trim()}'. Nothing was changed.");
            return CliApp.Failure;
        }
        io.Out.WriteLine(result.AlreadyErased
            ? $"{result.Reference} was already erased. Nothing else changed."
            : $"Erased {result.Reference}: {result.Comments} comment(s) anonymised; organisation, district and About-you answers removed. Recorded as a security event.");
        return CliApp.Ok;
    }
}
