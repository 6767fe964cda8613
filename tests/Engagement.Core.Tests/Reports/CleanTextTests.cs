using Engagement.Core.Reports;

namespace Engagement.Core.Tests.Reports;

public sealed class CleanTextTests
{
    // A Fact, not InlineData: attribute data cannot carry half a surrogate pair intact.
    [Fact]
    public void Only_characters_xml_can_hold_are_kept()
    {
        (string Input, string Expected)[] cases =
        [
            ("plain", "plain"),
            ("a\0b\u0001c\u001Bd", "abcd"),
            ("tab\tnew\nline\r", "tab\tnew\nline\r"),
            ("emoji 😀 kept", "emoji 😀 kept"),
            ("lone " + '\uD800' + " high", "lone  high"),
            ("lone " + '\uDC00' + " low", "lone  low"),
            ("reversed " + '\uDC00' + '\uD800' + " pair", "reversed  pair"),
            ("ends high " + '\uD83D', "ends high "),
        ];
        foreach (var (input, expected) in cases) Assert.Equal(expected, XlsxReportWriter.CleanText(input));
    }
}
