using System.Globalization;
using Engagement.Core.Data;

namespace Engagement.Core.Reports;

public enum AuthoringStatus { Saved, NotFound, Conflict, Invalid }

/// <summary>What happened to an author's change; Message is written for the person who made it.</summary>
public sealed record AuthoringResult(AuthoringStatus Status, string Message, string? PointKey = null)
{
    public bool Saved => Status == AuthoringStatus.Saved;
}

/// <summary>
/// Strategy authors' changes to report points: reword, hide or show, move up or down, merge into another point, split
/// some comments off into a new point. Each change saves a new version of every point it touches, recording the
/// comments the point covers at that moment, so the edit finds its point again when the report is regenerated.
/// Changes are checked against the version the author was looking at; if someone else saved first, nothing is saved.
/// </summary>
public sealed class ReportAuthoring(ReportStore store)
{
    public const int MaxWordingLength = 1000;

    public static PointRow? Find(IReportPoints report, string key) => report.AllPoints.FirstOrDefault(p => p.Point.Key == key);

    /// <summary>The points shown under the same outcome, audience and theme, in report order (hidden ones left out).</summary>
    public static IReadOnlyList<PointRow> VisibleSiblings(IReportPoints report, PointRow row) =>
        report.AllPoints.Where(p => p.SameGroupAs(row) && !p.Point.Hidden).ToList();

    public Task<AuthoringResult> RewordAsync(IReportPoints report, string key, int expectedVersion, string? wording, string user)
    {
        var text = Normalise(wording);
        if (text.Length == 0) return Invalid("Enter the wording for the point");
        if (text.Length > MaxWordingLength) return Invalid($"The wording must be {MaxWordingLength} characters or fewer");
        return ChangeAsync(report, key, expectedVersion, user, row =>
            [Next(report, row.Point, user, "Reworded") with { Wording = text }], "Wording saved");
    }

    /// <summary>Goes back to the wording of the point's most typical comment.</summary>
    public Task<AuthoringResult> ResetWordingAsync(IReportPoints report, string key, int expectedVersion, string user) =>
        ChangeAsync(report, key, expectedVersion, user, row =>
            [Next(report, row.Point, user, "Automatic wording restored") with { Wording = null }], "Automatic wording restored");

    public Task<AuthoringResult> SetHiddenAsync(IReportPoints report, string key, int expectedVersion, bool hidden, string user) =>
        ChangeAsync(report, key, expectedVersion, user, row =>
            [Next(report, row.Point, user, hidden ? "Hidden" : "Shown again") with { Hidden = hidden }],
            hidden ? "Point hidden from the report" : "Point shown in the report again");

    /// <summary>
    /// Swaps the point with its neighbour. Points with an order come before the rest (which follow by count), so every
    /// point down to the lower of the two is given its position.
    /// </summary>
    public Task<AuthoringResult> MoveAsync(IReportPoints report, string key, int expectedVersion, bool up, string user)
    {
        var row = Find(report, key);
        if (row is null || row.Point.Hidden) return NotFound();
        var siblings = VisibleSiblings(report, row).ToList();
        var index = siblings.FindIndex(p => p.Point.Key == key);
        var other = up ? index - 1 : index + 1;
        if (other < 0 || other >= siblings.Count) return Invalid(up ? "The point is already first" : "The point is already last");
        (siblings[index], siblings[other]) = (siblings[other], siblings[index]);
        return ChangeAsync(report, key, expectedVersion, user, _ =>
            siblings.Take(Math.Max(index, other) + 1)
                .Select((p, position) => (p, position))
                .Where(x => x.p.Point.SortOrder != x.position)
                .Select(x => Next(report, x.p.Point, user, x.p.Point.Key == key ? (up ? "Moved up" : "Moved down") : "Reordered") with { SortOrder = x.position })
                .ToList(), up ? "Point moved up" : "Point moved down");
    }

    /// <summary>Folds this point's comments into another point under the same theme; that point keeps its wording.</summary>
    public Task<AuthoringResult> MergeAsync(IReportPoints report, string key, int expectedVersion, string? intoKey, string user)
    {
        var row = Find(report, key);
        if (row is null) return NotFound();
        var into = intoKey is null ? null : Find(report, intoKey);
        if (into is null || into.Point.Key == key || !into.SameGroupAs(row)) return Invalid("Choose a point under the same theme to merge into");
        return ChangeAsync(report, key, expectedVersion, user, _ =>
        [
            Next(report, into.Point, user, "Merged in " + key) with
            {
                CommentIds = Ids(into.Point.CommentIds.Concat(row.Point.CommentIds).Distinct().Order()),
            },
            Next(report, row.Point, user, "Merged into " + into.Point.Key) with { MergedInto = into.Point.Key },
        ], "Point merged", into.Point.Key);
    }

    /// <summary>Moves the chosen comments off into a new point of their own, optionally with its own wording.</summary>
    public async Task<AuthoringResult> SplitAsync(IReportPoints report, string key, int expectedVersion, IReadOnlyCollection<long> moving,
        string? newWording, string user)
    {
        var row = Find(report, key);
        if (row is null) return await NotFound();
        var members = row.Point.CommentIds.ToHashSet();
        var moved = moving.Where(members.Contains).Distinct().Order().ToList();
        if (moved.Count == 0) return await Invalid("Select the comments to move to a new point");
        if (moved.Count == members.Count) return await Invalid("Leave at least one comment in this point");
        var wording = Normalise(newWording);
        if (wording.Length > MaxWordingLength) return await Invalid($"The wording must be {MaxWordingLength} characters or fewer");

        var newKey = "s" + moved[0].ToString(CultureInfo.InvariantCulture);
        for (var n = 2; report.AllPoints.Any(p => p.Point.Key == newKey) || await store.PointKeyUsedAsync(report.Consultation.Id, newKey); n++)
            newKey = "s" + moved[0].ToString(CultureInfo.InvariantCulture) + "-" + n.ToString(CultureInfo.InvariantCulture);

        var remaining = row.Point.CommentIds.Where(id => !moved.Contains(id)).ToList();
        var message = moved.Count == 1 ? "1 comment moved to a new point" : $"{moved.Count} comments moved to a new point";
        return await ChangeAsync(report, key, expectedVersion, user, _ =>
        [
            Next(report, row.Point, user, $"Split: {moved.Count} moved to {newKey}") with { CommentIds = Ids(remaining) },
            new PointEdit
            {
                ConsultationId = report.Consultation.Id, PointKey = newKey, Wording = wording.Length == 0 ? null : wording,
                CommentIds = Ids(moved), EditedBy = user, Action = "Split from " + key,
            },
        ], message, newKey);
    }

    private async Task<AuthoringResult> ChangeAsync(IReportPoints report, string key, int expectedVersion, string user,
        Func<PointRow, IReadOnlyList<PointEdit>> edits, string message, string? landOn = null)
    {
        var row = Find(report, key);
        if (row is null) return new(AuthoringStatus.NotFound, "That point is no longer in the report");
        if (row.Point.Version != expectedVersion)
            return new(AuthoringStatus.Conflict, "Someone else changed this point while you were looking at it. Nothing was saved.", key);
        var list = edits(row);
        if (list.Count == 0) return new(AuthoringStatus.Saved, message, landOn ?? key);
        var saved = await store.SavePointEditsAsync(list, (key, expectedVersion));
        return saved is null
            ? new(AuthoringStatus.Conflict, "Someone else changed this point while you were looking at it. Nothing was saved.", key)
            : new(AuthoringStatus.Saved, message, landOn ?? key);
    }

    /// <summary>The point's next version, carrying forward everything already decided about it.</summary>
    private static PointEdit Next(IReportPoints report, ReportPoint p, string user, string action) => new()
    {
        ConsultationId = report.Consultation.Id, PointKey = p.Key, Wording = p.AuthorWording, Hidden = p.Hidden, SortOrder = p.SortOrder,
        CommentIds = Ids(p.CommentIds), EditedBy = user, Action = action,
    };

    private static string Ids(IEnumerable<long> ids) => string.Join(",", ids.Select(i => i.ToString(CultureInfo.InvariantCulture)));

    private static string Normalise(string? text) => string.Join(' ', (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static Task<AuthoringResult> Invalid(string message) => Task.FromResult(new AuthoringResult(AuthoringStatus.Invalid, message));

    private static Task<AuthoringResult> NotFound() => Task.FromResult(new AuthoringResult(AuthoringStatus.NotFound, "That point is no longer in the report"));
}
