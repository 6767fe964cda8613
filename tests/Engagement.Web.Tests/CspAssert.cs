using System.Text.RegularExpressions;

namespace Engagement.Web.Tests;

public static partial class CspAssert
{
    /// <summary>Each inline script/style has the nonce; no style="" attributes, on*="" handlers or javascript: URLs.</summary>
    public static void Clean(string html, string nonce)
    {
        foreach (Match tag in OpeningTag().Matches(html))
        {
            var element = tag.Value;
            if (element.StartsWith("<script", StringComparison.OrdinalIgnoreCase) && !element.Contains("src=", StringComparison.OrdinalIgnoreCase))
                Assert.Contains($"nonce=\"{nonce}\"", element);
            if (element.StartsWith("<style", StringComparison.OrdinalIgnoreCase))
                Assert.Contains($"nonce=\"{nonce}\"", element);
        }
        Assert.DoesNotMatch(StyleAttribute(), html);
        Assert.DoesNotMatch(HandlerAttribute(), html);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex("<(script|style)\\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex OpeningTag();

    [GeneratedRegex("<[a-z][^>]*\\sstyle\\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex StyleAttribute();

    [GeneratedRegex("<[a-z][^>]*\\son[a-z]+\\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex HandlerAttribute();
}
