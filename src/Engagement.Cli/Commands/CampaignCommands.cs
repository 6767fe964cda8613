using Engagement.Core;
using Engagement.Core.Campaigns;
using Engagement.Core.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Cli.Commands;

/// <summary>engage campaigns detect: groups duplicate and template comments and prints the campaigns found, with timings.</summary>
public static class CampaignCommands
{
    public static async Task<int> RunAsync(CliArgs args, CliIo io, IEnumerable<KeyValuePair<string, string?>>? configuration = null)
    {
        if (args.Positional.FirstOrDefault() != "detect") throw new CliUsageException("use 'engage campaigns detect --consultation SLUG'.");
        var slug = args.Require("consultation");
        await using var services = CliServices.Build(configuration);
        await services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        var consultation = await services.GetRequiredService<ConsultationStore>().FindBySlugAsync(slug)
            ?? throw new CliUsageException($"no consultation '{slug}'.");
        var store = services.GetRequiredService<CampaignStore>();
        var result = await store.DetectAsync(consultation.Id);
        io.Out.WriteLine($"Scanned {result.CommentsScanned:N0} comments in {result.TotalTime.TotalSeconds:0.00} s " +
            $"(grouping {result.GroupingTime.TotalSeconds:0.00} s): {result.Groups:N0} new suggested groups, {result.Campaigns:N0} of them campaigns; " +
            $"{result.AddedToReviewed:N0} comments joined groups the team had already reviewed.");
        foreach (var campaign in (await store.ListAsync(consultation.Id, campaignsOnly: true)).Take(20))
            io.Out.WriteLine($"  {campaign.Title} (campaign, {campaign.Respondents:N0} respondents, {campaign.Status}) " +
                string.Concat(campaign.Districts.Select(d => $"({d.District})")));
        return CliApp.Ok;
    }
}
