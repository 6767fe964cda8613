using System.Net;
using System.Text.RegularExpressions;
using Engagement.Core.Data;
using Engagement.Core.Domain;
using Microsoft.Data.Sqlite;

namespace Engagement.LoadBench;

/// <summary>
/// The consultations the load goes to, written straight into the site's SQLite file once the site has created the
/// schema. No demo data: the form GET reads one consultation by its unique slug and a submission inserts rows, so
/// neither gets slower with rows elsewhere, and an empty start makes "rows stored = responses confirmed" exact.
/// </summary>
internal static partial class Seed
{
    public const string Slug = "load-bench";
    public const string WarmupSlug = "load-warmup";

    public static Database DatabaseIn(string dataDirectory) =>
        new(DatabaseProvider.Sqlite, new SqliteConnectionStringBuilder
        {
            DataSource = System.IO.Path.Combine(dataDirectory, "engagement.db"), ForeignKeys = true, DefaultTimeout = 30,
        }.ToString());

    public static async Task<long> EnsureConsultationAsync(string dataDirectory, string slug)
    {
        var consultation = await new ConsultationStore(DatabaseIn(dataDirectory)).EnsureAsync(new Consultation
        {
            Slug = slug, Title = "Refresh of the Integrated Care Strategy (load benchmark)", Summary = "Tell us what you think.",
            Status = ConsultationStatuses.Open,
            OpensOn = DateTime.UtcNow.Date.AddDays(-30), ClosesOn = DateTime.UtcNow.Date.AddDays(60),
        });
        return consultation.Id;
    }

    public static string? TokenFrom(string html)
    {
        var match = TokenPattern().Match(html);
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}

/// <summary>A fresh folder for the site's SQLite file, removed afterwards unless --keep.</summary>
internal sealed class DataFolder : IDisposable
{
    private readonly bool keep;

    public DataFolder(bool keep)
    {
        this.keep = keep;
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "engagement-loadbench-data", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        if (keep) Console.WriteLine($"data folder (kept): {Path}");
    }

    public string Path { get; }

    public void Dispose()
    {
        if (keep) return;
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
