using Engagement.Core;
using Engagement.Core.Privacy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

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
            case "purge":
                return await PurgeAsync(args, io, configuration);
            case "retention":
                return await RetentionAsync(args, io, configuration);
            default:
                throw new CliUsageException("use 'engage privacy erase --reference REF', 'engage privacy purge [--dry-run]' " +
                    "or 'engage privacy retention --consultation SLUG --months N|default'.");
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

    private static async Task<int> PurgeAsync(CliArgs args, CliIo io, IEnumerable<KeyValuePair<string, string?>>? configuration)
    {
        var dryRun = args.Has("dry-run");
        await using var services = CliServices.Build(configuration);
        await services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        var options = services.GetRequiredService<IOptions<PrivacyOptions>>().Value;
        var result = await services.GetRequiredService<PrivacyStore>().PurgeAsync(options.DefaultRetentionMonths, DateTime.UtcNow, dryRun,
            "engage privacy purge (" + Environment.UserName + ")");
        foreach (var k in result.Consultations)
            io.Out.WriteLine($"  {k.Slug}: closed {k.ClosesOn:yyyy-MM-dd}, kept {k.RetentionMonths} months (until {k.ExpiredOn:yyyy-MM-dd}): {k.Submissions:N0} response(s)");
        io.Out.WriteLine(result.DryRun
            ? $"Dry run: {result.Submissions:N0} response(s) in {result.Consultations.Count} consultation(s) would be anonymised. Nothing was changed."
            : $"Anonymised {result.Submissions:N0} response(s) in {result.Consultations.Count} consultation(s) past their retention period.");
        return CliApp.Ok;
    }

    private static async Task<int> RetentionAsync(CliArgs args, CliIo io, IEnumerable<KeyValuePair<string, string?>>? configuration)
    {
        var slug = args.Require("consultation");
        var text = args.Require("months");
        int? months = text.Equals("default", StringComparison.OrdinalIgnoreCase) ? null
            : int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var m) && m is >= 1 and <= 1200 ? m
            : throw new CliUsageException("--months must be a whole number from 1 to 1200, or 'default'.");
        await using var services = CliServices.Build(configuration);
        await services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        if (!await services.GetRequiredService<PrivacyStore>().SetRetentionAsync(slug, months))
            throw new CliUsageException($"no consultation '{slug}'.");
        var fallback = services.GetRequiredService<IOptions<PrivacyOptions>>().Value.DefaultRetentionMonths;
        io.Out.WriteLine(months is null
            ? $"{slug} now keeps responses for the default {fallback} months after it closes."
            : $"{slug} now keeps responses for {months} months after it closes.");
        return CliApp.Ok;
    }
}
