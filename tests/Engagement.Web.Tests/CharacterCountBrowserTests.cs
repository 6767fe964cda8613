using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Engagement.Web.Tests;

/// <summary>
/// The GOV.UK character count script in Chromium and the server agree on how long a comment is, for emoji, combining
/// marks and new lines (both count UTF-16 code units, with a new line as one).
/// </summary>
public sealed partial class CharacterCountBrowserTests
{
    [Fact]
    public async Task Chromium_and_the_server_count_the_same()
    {
        var port = BrowserTests.FreePort();
        await using var factory = new EngagementWebFactory();
        factory.UseKestrel(port);
        factory.StartServer();
        await factory.EnsureConsultationAsync();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserTests.LaunchChromiumAsync(playwright);
        var page = await browser.NewPageAsync();
        await page.GotoAsync($"http://127.0.0.1:{port}/consultations/{EngagementWebFactory.Slug}/respond");
        await page.GetByLabel("A resident or member of the public").CheckAsync();
        await page.GetByLabel("Where do you live?").SelectOptionAsync(new SelectOptionValue { Label = "Thanet" });
        await page.GetByLabel("Give children and young people the best start in life").CheckAsync();
        await page.Locator("#consent").CheckAsync();

        var cases = new (string Name, string Text, int Expected)[]
        {
            ("emoji", string.Concat(Enumerable.Repeat("😀", 2501)), 5002),
            ("combining marks", string.Concat(Enumerable.Repeat("e\u0301", 2500)) + "\u0301", 5001),
            ("new lines", new string('a', 4990) + "\n\n\n" + new string('b', 10), 5003),
        };
        foreach (var (name, text, expected) in cases)
        {
            var box = page.GetByLabel("Your comment", new() { Exact = true });
            await box.FillAsync(text);
            await box.PressAsync("End"); // the script recounts on key up
            var statusLocator = page.Locator(".govuk-character-count__status");
            await Expect(statusLocator).ToContainTextAsync(Over());
            var status = await statusLocator.InnerTextAsync();
            var over = Over().Match(status);
            Assert.True(over.Success, $"{name}: the page says '{status}'");
            var clientCount = 5000 + int.Parse(over.Groups[1].Value);

            // From the second case on, the old page already has an error summary: wait for the page the server sent back.
            await PageWaits.ForNewDocumentAsync(page, () => page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync());
            var summary = await page.Locator(".govuk-error-summary").InnerTextAsync();
            var serverCount = int.Parse(ServerSays().Match(summary).Groups[1].Value.Replace(",", ""));

            Assert.Equal(expected, clientCount);
            Assert.Equal(expected, serverCount);
        }
    }

    [GeneratedRegex(@"You have ([\d,]+) characters? too many")]
    private static partial Regex Over();

    [GeneratedRegex(@"It has ([\d,]+)")]
    private static partial Regex ServerSays();
}
