using System.Text;
using Engagement.Cli;
using Engagement.Cli.Commands;

namespace Engagement.Cli.Tests;

/// <summary>engage campaigns detect on a temporary SQLite file (configuration overrides, as in ReportCommandTests).</summary>
public class CampaignCommandTests(SyntheticModelFixture fixture) : IClassFixture<SyntheticModelFixture>
{
    private string Temp(string name) => fixture.Temp(name);

    private KeyValuePair<string, string?>[] Config(string dbFile) => fixture.Config(dbFile);

    private static Task<(int Code, string Out, string Err)> Run(Func<CliArgs, CliIo, Task<int>> command, params string[] args) =>
        SyntheticModelFixture.RunCommand(command, args);

    [Fact]
    public async Task Detect_lists_the_campaign_with_its_respondents_and_districts()
    {
        var config = Config(Temp("engage.db"));
        var input = Temp("responses.csv");
        const string letter = "Save our community hospital! Closing the minor injuries unit would force families to travel over an hour.";
        await File.WriteAllTextAsync(input, $"""
            text,district,respondent_type
            "{letter}",T,resident
            "{letter}",SW,resident
            "{letter} I live in Sheerness.",SW,resident
            "{letter}",D,resident
            "The bus to the hospital only runs twice a day",M,resident
            """, new UTF8Encoding(false));
        var import = await Run((a, io) => ReportCommands.ImportAsync(a, io, config), "--input", input, "--consultation", "hospital");
        Assert.True(import.Code == 0, import.Err);

        var detect = await Run((a, io) => CampaignCommands.RunAsync(a, io, config), "detect", "--consultation", "hospital");
        Assert.True(detect.Code == 0, detect.Err);
        Assert.Contains("Scanned 5 comments", detect.Out);
        Assert.Contains("1 new suggested groups, 1 of them campaigns", detect.Out);
        Assert.Contains("Save our community hospital! (campaign, 4 respondents, suggested) (SW)(D)(T)", detect.Out);

        var missing = await Run((a, io) => CampaignCommands.RunAsync(a, io, config), "detect", "--consultation", "nope");
        Assert.Equal(CliApp.BadInput, missing.Code);
        Assert.Contains("no consultation 'nope'", missing.Err);
        var usage = await Run((a, io) => CampaignCommands.RunAsync(a, io, config), "find");
        Assert.Equal(CliApp.BadInput, usage.Code);
    }
}
