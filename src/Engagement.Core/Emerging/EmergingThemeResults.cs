using System.Text.Json;

namespace Engagement.Core.Emerging;

/// <summary>A result computed from the unfitted comments with <paramref name="Fingerprint"/>.</summary>
public sealed record EmergingSnapshot(string Fingerprint, DateTime ComputedAt, EmergingResult Result);

/// <summary>Clustering the unfitted comments with <paramref name="Fingerprint"/> threw; the message is logged in full.</summary>
public sealed record EmergingFailure(string Fingerprint, DateTime FailedAt, string Error);

/// <summary>What the database holds for one consultation: the latest result (if any) and the last failure (if any).</summary>
public sealed record StoredEmergingThemes(EmergingSnapshot? Latest, EmergingFailure? Failure);

/// <summary>
/// The stored form of a result (JSON in emerging_theme_results.result_json): ids, terms and counts only. Comment text
/// is never stored, so a result cannot keep text that was later redacted or erased.
/// </summary>
internal sealed record StoredResult(int Format, IReadOnlyList<StoredResult.Cluster> Clusters, int K, double Silhouette, IReadOnlyList<StoredResult.Try> Tried, int Comments)
{
    public const int CurrentFormat = 1;

    public sealed record Cluster(int Number, int Size, IReadOnlyList<string> TopTerms, IReadOnlyList<long> CommentIds, IReadOnlyList<long> Typical, IReadOnlyList<District> Districts);
    public sealed record District(string Code, int Comments);
    public sealed record Try(int K, double Silhouette);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static StoredResult From(EmergingResult result, int maxIds) => new(
        CurrentFormat,
        result.Clusters.Select(c => new Cluster(c.Number, c.Size, c.TopTerms, c.CommentIds.Take(maxIds).ToList(),
            c.Typical.Select(t => t.CommentId).ToList(), c.Districts.Select(d => new District(d.District, d.Comments)).ToList())).ToList(),
        result.K, result.Silhouette, result.Tried.Select(t => new Try(t.K, t.Silhouette)).ToList(), result.Comments);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Null for a row written in a format this version does not read: the result is then simply worked out again.</summary>
    public static StoredResult? FromJson(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            var stored = JsonSerializer.Deserialize<StoredResult>(json, Json);
            return stored?.Format == CurrentFormat ? stored : null;
        }
        catch (JsonException) { return null; }
    }

    /// <summary>Back to a result, with the typical comments' text as it is now (those gone from view are left out).</summary>
    public EmergingResult ToResult(IReadOnlyDictionary<long, UnfittedComment> texts) => new(
        Clusters.Select(c => new EmergingCluster
        {
            Number = c.Number, Size = c.Size, TopTerms = c.TopTerms, CommentIds = c.CommentIds,
            Typical = c.Typical.Where(texts.ContainsKey).Select(id => texts[id]).ToList(),
            Districts = c.Districts.Select(d => (d.Code, d.Comments)).ToList(),
        }).ToList(),
        K, Silhouette, Tried.Select(t => (t.K, t.Silhouette)).ToList(), Comments);
}
