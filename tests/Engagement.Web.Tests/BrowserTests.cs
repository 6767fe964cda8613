using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Engagement.Web.Tests;

/// <summary>The site on real Kestrel, driven by Debian's Chromium through Playwright, as a resident would use it.</summary>
public sealed class BrowserTests
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public static async Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright)
    {
        Assert.True(File.Exists(ChromiumPath), $"Browser tests need Chromium at {ChromiumPath}: run .ci/run, or apt-get install chromium.");
        // Web-first assertions retry until they hold; their 5 s default is too short on a machine shared with load benchmarks.
        SetDefaultExpectTimeout(PageWaits.Timeout);
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // The machine has no outside network: stop Chromium reaching for Google's services on start.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task A_resident_fills_in_the_form_and_sees_their_reference()
    {
        var port = FreePort();
        await using var factory = new EngagementWebFactory();
        factory.UseKestrel(port);
        factory.StartServer();
        await factory.EnsureConsultationAsync();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchChromiumAsync(playwright);
        var page = await browser.NewPageAsync();

        await page.GotoAsync($"http://127.0.0.1:{port}/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Refresh of the Integrated Care Strategy" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Start now" }).ClickAsync();

        // Continue with nothing filled in: the error summary takes focus and the title says Error.
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Expect(page).ToHaveTitleAsync(new Regex("^Error:"));
        await Expect(page.Locator(".govuk-error-summary")).ToBeVisibleAsync();

        await page.GetByLabel("A resident or member of the public").CheckAsync();
        await page.GetByLabel("Where do you live?").SelectOptionAsync(new SelectOptionValue { Label = "Thanet" });
        await page.GetByLabel("Give children and young people the best start in life").CheckAsync();
        await page.GetByLabel("Your comment", new() { Exact = true }).FillAsync("It took two years to get an autism assessment for my son in Margate.");
        await page.Locator("#consent").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();

        await Expect(page.Locator("h1")).ToContainTextAsync("Check your answers");
        await Expect(page.Locator(".govuk-summary-list").First).ToContainTextAsync("Thanet");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send response" }).ClickAsync();

        await Expect(page.Locator("h1")).ToHaveTextAsync("Response sent");
        await Expect(page.Locator("#reference")).ToHaveTextAsync(new Regex(@"^\s*KM-[0-9A-Z]{4}-[0-9A-Z]{4}\s*$"));
    }
}
