using System.Globalization;
using System.Net;
using System.Text;
using Engagement.Core.Domain;

namespace Engagement.Core.Reports;

/// <summary>
/// Server-rendered SVG charts. Each is role="img" with a title and description (aria-labelledby), every mark has a
/// &lt;title&gt; tooltip, and the report always prints the same numbers in a table beside it.
/// </summary>
public static class Charts
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static string E(string s) => WebUtility.HtmlEncode(s);

    /// <summary>A horizontal bar chart.</summary>
    public static string Bar(string id, string title, IReadOnlyList<LabelledCount> data)
    {
        const int labelWidth = 230, barArea = 360, rowHeight = 28, top = 10;
        var max = Math.Max(1, data.Count == 0 ? 1 : data.Max(d => d.Count));
        var height = top * 2 + rowHeight * Math.Max(1, data.Count);
        var width = labelWidth + barArea + 60;
        var sb = new StringBuilder();
        sb.Append(Inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"app-chart\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\">");
        sb.Append(Inv, $"<title id=\"{id}-title\">{E(title)}</title>");
        sb.Append(Inv, $"<desc id=\"{id}-desc\">{E(string.Join("; ", data.Select(d => $"{d.Label}: {d.Count}")))}</desc>");
        for (var i = 0; i < data.Count; i++)
        {
            var d = data[i];
            var y = top + i * rowHeight;
            var w = (int)Math.Round((double)d.Count / max * barArea);
            sb.Append(Inv, $"<g><title>{E(d.Label)}: {d.Count:N0}</title>");
            sb.Append(Inv, $"<text x=\"{labelWidth - 8}\" y=\"{y + 18}\" text-anchor=\"end\" font-size=\"14\" fill=\"#0b0c0c\">{E(Shorten(d.Label, 32))}</text>");
            sb.Append(Inv, $"<rect x=\"{labelWidth}\" y=\"{y + 4}\" width=\"{Math.Max(w, d.Count > 0 ? 2 : 0)}\" height=\"{rowHeight - 8}\" fill=\"#1d70b8\"/>");
            sb.Append(Inv, $"<text x=\"{labelWidth + w + 6}\" y=\"{y + 18}\" font-size=\"14\" fill=\"#0b0c0c\">{d.Count:N0}</text></g>");
        }
        sb.Append("</svg>");
        return sb.ToString();
    }

    /// <summary>Where each of the 13 local areas sits on the tile grid: roughly its place on the map (column, row).</summary>
    public static readonly IReadOnlyDictionary<string, (int Col, int Row)> TilePositions = new Dictionary<string, (int, int)>
    {
        ["Da"] = (0, 0), ["G"] = (1, 0), ["Med"] = (2, 0), ["SW"] = (3, 0), ["C"] = (4, 0), ["T"] = (5, 0),
        ["S"] = (0, 1), ["TMBC"] = (1, 1), ["M"] = (2, 1), ["A"] = (3, 1), ["D"] = (5, 1),
        ["TW"] = (1, 2), ["FH"] = (4, 2),
    };

    // Five steps of GOV.UK blue, light to dark; the text on the two darkest is white.
    private static readonly string[] Scale = ["#e8f1f8", "#b8d3ea", "#7fb1da", "#3d83c1", "#144e81"];

    /// <summary>A tile map of Kent and Medway's 13 areas, coloured by count, with a legend.</summary>
    public static string TileMap(string id, string title, IReadOnlyDictionary<string, int> counts, string unit = "responses")
    {
        const int tile = 96, gap = 6, left = 10, top = 10;
        var cols = TilePositions.Values.Max(p => p.Col) + 1;
        var rows = TilePositions.Values.Max(p => p.Row) + 1;
        var width = left * 2 + cols * (tile + gap);
        var legendTop = top + rows * (tile + gap) + 10;
        var height = legendTop + 50;
        var max = Math.Max(1, Districts.LocalAreas.Select(d => counts.GetValueOrDefault(d.Code)).DefaultIfEmpty(0).Max());
        int Step(int count) => count <= 0 ? 0 : Math.Min(Scale.Length - 1, (int)Math.Ceiling((double)count / max * (Scale.Length - 1)));

        var sb = new StringBuilder();
        var summary = string.Join("; ", Districts.LocalAreas.Select(d => $"{d.Name}: {counts.GetValueOrDefault(d.Code)}"));
        sb.Append(Inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"app-chart app-tile-map\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\">");
        sb.Append(Inv, $"<title id=\"{id}-title\">{E(title)}</title>");
        sb.Append(Inv, $"<desc id=\"{id}-desc\">Tile map: each square is one area, placed roughly where it is. {E(summary)}</desc>");
        foreach (var d in Districts.LocalAreas)
        {
            var (col, row) = TilePositions[d.Code];
            var x = left + col * (tile + gap);
            var y = top + row * (tile + gap);
            var count = counts.GetValueOrDefault(d.Code);
            var step = Step(count);
            var ink = step >= 3 ? "#ffffff" : "#0b0c0c";
            sb.Append(Inv, $"<g class=\"app-tile\" data-code=\"{E(d.Code)}\"><title>{E(d.Name)}: {count:N0} {(count == 1 ? unit.TrimEnd('s') : unit)}</title>");
            sb.Append(Inv, $"<rect x=\"{x}\" y=\"{y}\" width=\"{tile}\" height=\"{tile}\" rx=\"4\" fill=\"{Scale[step]}\" stroke=\"#505a5f\" stroke-width=\"1\"/>");
            sb.Append(Inv, $"<text x=\"{x + tile / 2}\" y=\"{y + 40}\" text-anchor=\"middle\" font-size=\"18\" font-weight=\"bold\" fill=\"{ink}\">{E(d.Code)}</text>");
            sb.Append(Inv, $"<text x=\"{x + tile / 2}\" y=\"{y + 66}\" text-anchor=\"middle\" font-size=\"16\" fill=\"{ink}\">{count:N0}</text></g>");
        }

        // Legend: the count range each colour stands for.
        sb.Append(Inv, $"<g class=\"app-legend\"><text x=\"{left}\" y=\"{legendTop + 14}\" font-size=\"14\" fill=\"#0b0c0c\">{E(char.ToUpperInvariant(unit[0]) + unit[1..])}:</text>");
        var slot = 0;
        for (var s = 0; s < Scale.Length; s++)
        {
            var low = s == 0 ? 0 : (int)Math.Floor((double)(s - 1) / (Scale.Length - 1) * max) + 1;
            var high = s == 0 ? 0 : (int)Math.Floor((double)s / (Scale.Length - 1) * max);
            if (low > high) continue; // no count falls in this step
            var x = left + 90 + slot++ * 100;
            var label = low == high ? low.ToString("N0", Inv) : $"{low:N0}–{high:N0}";
            sb.Append(Inv, $"<rect x=\"{x}\" y=\"{legendTop}\" width=\"20\" height=\"20\" fill=\"{Scale[s]}\" stroke=\"#505a5f\"/>");
            sb.Append(Inv, $"<text x=\"{x + 26}\" y=\"{legendTop + 15}\" font-size=\"13\" fill=\"#0b0c0c\">{E(label)}</text>");
        }
        sb.Append("</g></svg>");
        return sb.ToString();
    }

    private static string Shorten(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";
}
