using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Engagement.Web.Tests;

/// <summary>
/// Waits for the page a click or key press leads to, by polling inside the Playwright driver.
/// Not <c>WaitForLoadStateAsync</c> or <c>WaitForURLAsync</c>: the .NET client checks the frame's load states on the test's
/// thread and only then subscribes to the load-state event, which its reader thread raises as messages arrive. A <c>load</c>
/// that lands between the check and the subscription reaches nobody, and the wait runs to its 30 s timeout even though the
/// page loaded (microsoft/playwright-dotnet#3364; <c>WaitForURLAsync</c> ends in the same check). The driver's own polling has
/// no such gap.
/// </summary>
internal static class PageWaits
{
    internal const float Timeout = 30_000;

    /// <summary>Waits until the address matches and that page has finished loading (its stylesheets and scripts have run).</summary>
    public static async Task ForPageAsync(IPage page, Regex url)
    {
        await Assertions.Expect(page).ToHaveURLAsync(url, new() { Timeout = Timeout });
        await LoadedAsync(page);
    }

    /// <summary>Waits until the element shows the text, on whichever document is current: after a form that posts back to its own address.</summary>
    public static Task ForTextAsync(ILocator locator, string text) =>
        Assertions.Expect(locator.First).ToContainTextAsync(text, new() { Timeout = Timeout });

    /// <summary>
    /// Runs <paramref name="action"/> (a click on a form that posts back to its own address) and waits until a new document has
    /// replaced the one it started on and has loaded. For when the old page already shows what the new one is checked for,
    /// so neither the address nor the text can tell them apart: a global set on the old window is gone on the new one.
    /// </summary>
    public static async Task ForNewDocumentAsync(IPage page, Func<Task> action)
    {
        await page.EvaluateAsync("() => { window.__pageWaitsOld = true; }");
        await action();
        await page.WaitForFunctionAsync("() => window.__pageWaitsOld === undefined && document.readyState === 'complete'", null,
            new() { Timeout = Timeout, PollingInterval = 50 });
    }

    /// <summary>Waits until the current document has fired its load event, asked of the document itself.</summary>
    public static Task LoadedAsync(IPage page) =>
        page.WaitForFunctionAsync("() => document.readyState === 'complete'", null, new() { Timeout = Timeout, PollingInterval = 50 });
}
