using System.Data.Common;
using System.Diagnostics;
using Dapper;
using Engagement.Core.Data;

namespace Engagement.Core.Campaigns;

public static class DuplicateGroupStatuses
{
    public const string Suggested = "suggested";
    public const string Confirmed = "confirmed";
    public const string Split = "split";
}

/// <summary>One stored group with its counts, for the list page and the report.</summary>
public sealed record DuplicateGroupSummary
{
    public long Id { get; init; }
    public long ConsultationId { get; init; }
    public required string Status { get; init; }
    public string? Name { get; init; }
    public long? RepresentativeCommentId { get; init; }
    public required string RepresentativeText { get; init; }
    public bool AllExact { get; init; }
    public DateTime DetectedAt { get; init; }
    public string? ReviewedBy { get; init; }
    public DateTime? ReviewedAt { get; init; }
    public int Comments { get; init; }
    public int Respondents { get; init; }

    /// <summary>District code → respondents, most first.</summary>
    public IReadOnlyList<(string District, int Respondents)> Districts { get; init; } = [];

    public bool IsCampaign => Respondents >= NearDuplicateOptions.DefaultCampaignRespondents;
    public bool IsDissolved => Comments == 0;

    /// <summary>What the group is called: the name a person gave it, or the start of its representative text.</summary>
    public string Title => !string.IsNullOrWhiteSpace(Name) ? Name! : Reports.ReportBuilder.TrimToSentences(RepresentativeText, 80);
}

public sealed record DuplicateGroupMember
{
    public long CommentId { get; init; }
    public long SubmissionId { get; init; }
    public required string Reference { get; init; }
    public required string Text { get; init; }
    public string? District { get; init; }
    public bool Removed { get; init; }
    public string? RemovedBy { get; init; }
}

public sealed record DetectionResult(int CommentsScanned, int Groups, int Campaigns, int AddedToReviewed, TimeSpan GroupingTime, TimeSpan TotalTime);

/// <summary>A campaign as the report needs it: its comments are counted once, under its name.</summary>
public sealed record ReportCampaign(long GroupId, string Title, IReadOnlyList<long> CommentIds)
{
    /// <summary>Distinct responses among its members; campaigns are taken largest first (then most comments, then oldest).</summary>
    public int Respondents { get; init; }
}

/// <summary>Duplicate and campaign groups: detection runs, and the team's confirm, remove, split-off and dissolve decisions.</summary>
public sealed class CampaignStore(Database db)
{
    private const int MaxNameLength = 300;

    /// <summary>
    /// Groups the consultation's comments (not spam or hidden, and not taken out of a group by a person unless they then split them off into a group of their own) and stores the result.
    /// Suggested groups from earlier runs are replaced; reviewed groups (confirmed or split) are kept and gain any new
    /// comment the detector puts with their members, unless a person removed that comment from them.
    /// </summary>
    public async Task<DetectionResult> DetectAsync(long consultationId, NearDuplicateOptions? options = null, CancellationToken ct = default)
    {
        var total = Stopwatch.StartNew();
        options ??= new NearDuplicateOptions();
        await using var c = await db.OpenAsync(ct);
        var comments = (await c.QueryAsync<DuplicateCandidate>(new CommandDefinition("""
            SELECT m.id AS CommentId, m.submission_id AS SubmissionId, m.text AS Text FROM comments m
            WHERE m.consultation_id = @consultationId AND m.status NOT IN ('spam', 'hidden')
              AND (NOT EXISTS (SELECT 1 FROM duplicate_group_members x WHERE x.comment_id = m.id AND x.removed = 1)
                   OR EXISTS (SELECT 1 FROM duplicate_group_members x WHERE x.comment_id = m.id AND x.removed = 0))
            ORDER BY m.id
            """, new { consultationId }, cancellationToken: ct))).ToList();

        var grouping = Stopwatch.StartNew();
        var groups = NearDuplicateGrouper.Group(comments, options);
        grouping.Stop();
        var textById = comments.ToDictionary(x => x.CommentId, x => x.Text);

        await using var tx = await c.BeginTransactionAsync(ct);
        await c.ExecuteAsync("""
            DELETE FROM duplicate_group_members WHERE group_id IN
                (SELECT id FROM duplicate_groups WHERE consultation_id = @consultationId AND status = 'suggested')
            """, new { consultationId }, tx);
        await c.ExecuteAsync("DELETE FROM duplicate_groups WHERE consultation_id = @consultationId AND status = 'suggested'", new { consultationId }, tx);

        // Reviewed groups: which group each active member is in, and which comments each group must never take back.
        var reviewed = (await c.QueryAsync<(long GroupId, long CommentId, bool Removed)>("""
            SELECT g.id, x.comment_id, x.removed FROM duplicate_groups g JOIN duplicate_group_members x ON x.group_id = g.id
            WHERE g.consultation_id = @consultationId
            """, new { consultationId }, tx)).ToList();
        var groupOf = reviewed.Where(r => !r.Removed).GroupBy(r => r.CommentId).ToDictionary(g => g.Key, g => g.First().GroupId);
        var removedFrom = reviewed.Where(r => r.Removed).Select(r => (r.GroupId, r.CommentId)).ToHashSet();

        var now = DateTime.UtcNow;
        var created = 0;
        var campaigns = 0;
        var added = 0;
        foreach (var group in groups)
        {
            var owners = group.CommentIds.Where(groupOf.ContainsKey).GroupBy(id => groupOf[id]).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).ToList();
            if (owners.Count > 0)
            {
                var target = owners[0].Key;
                var newcomers = group.CommentIds.Where(id => !groupOf.ContainsKey(id) && !removedFrom.Contains((target, id))).ToList();
                await InsertMembersAsync(c, tx, target, newcomers);
                foreach (var id in newcomers) groupOf[id] = target;
                added += newcomers.Count;
                continue;
            }

            var groupId = await c.ExecuteScalarAsync<long>($"""
                INSERT INTO duplicate_groups (consultation_id, status, name, representative_comment_id, representative_text, all_exact, detected_at)
                VALUES (@consultationId, 'suggested', NULL, @rep, @text, @exact, @now){db.Dialect.SelectNewId}
                """, new { consultationId, rep = group.RepresentativeId, text = textById[group.RepresentativeId], exact = group.AllExact, now }, tx);
            await InsertMembersAsync(c, tx, groupId, group.CommentIds);
            created++;
            if (group.IsCampaign(options.CampaignRespondents)) campaigns++;
        }
        await tx.CommitAsync(ct);
        return new DetectionResult(comments.Count, created, campaigns, added, grouping.Elapsed, total.Elapsed);
    }

    private static async Task InsertMembersAsync(DbConnection c, DbTransaction tx, long groupId, IReadOnlyList<long> commentIds)
    {
        if (commentIds.Count == 0) return;
        await c.ExecuteAsync("INSERT INTO duplicate_group_members (group_id, comment_id, removed) VALUES (@groupId, @commentId, 0)",
            commentIds.Select(commentId => new { groupId, commentId }), tx);
    }

    /// <summary>True once detection has stored any group for the consultation.</summary>
    public async Task<bool> AnyAsync(long consultationId)
    {
        await using var c = await db.OpenAsync();
        return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM duplicate_groups WHERE consultation_id = @consultationId", new { consultationId }) > 0;
    }

    private const string SummarySelect = """
        SELECT g.id, g.consultation_id AS ConsultationId, g.status, g.name, g.representative_comment_id AS RepresentativeCommentId,
               g.representative_text AS RepresentativeText, g.all_exact AS AllExact, g.detected_at AS DetectedAt,
               g.reviewed_by AS ReviewedBy, g.reviewed_at AS ReviewedAt,
               (SELECT COUNT(*) FROM duplicate_group_members x WHERE x.group_id = g.id AND x.removed = 0) AS Comments,
               (SELECT COUNT(DISTINCT m.submission_id) FROM duplicate_group_members x JOIN comments m ON m.id = x.comment_id
                WHERE x.group_id = g.id AND x.removed = 0) AS Respondents
        FROM duplicate_groups g
        """;

    /// <summary>A consultation's groups, largest first. Dissolved groups only when asked for.</summary>
    public async Task<IReadOnlyList<DuplicateGroupSummary>> ListAsync(long consultationId, bool campaignsOnly = false, bool includeDissolved = false)
    {
        await using var c = await db.OpenAsync();
        var groups = (await c.QueryAsync<DuplicateGroupSummary>(SummarySelect + " WHERE g.consultation_id = @consultationId",
            new { consultationId })).ToList();
        var districts = await DistrictsAsync(c, "g.consultation_id = @id", consultationId);
        return groups
            .Select(g => g with { Districts = districts.GetValueOrDefault(g.Id) ?? [] })
            .Where(g => (includeDissolved || !g.IsDissolved) && (!campaignsOnly || g.IsCampaign))
            .OrderByDescending(g => g.Respondents).ThenByDescending(g => g.Comments).ThenBy(g => g.Id).ToList();
    }

    public async Task<DuplicateGroupSummary?> GetAsync(long groupId)
    {
        await using var c = await db.OpenAsync();
        var group = await c.QuerySingleOrDefaultAsync<DuplicateGroupSummary>(SummarySelect + " WHERE g.id = @groupId", new { groupId });
        if (group is null) return null;
        var districts = await DistrictsAsync(c, "g.id = @id", groupId);
        return group with { Districts = districts.GetValueOrDefault(groupId) ?? [] };
    }

    /// <summary>Respondents per district for each group matching the filter, most first.</summary>
    private static async Task<Dictionary<long, IReadOnlyList<(string District, int Respondents)>>> DistrictsAsync(DbConnection c, string filter, long id)
    {
        var rows = await c.QueryAsync<(long GroupId, string District, int Respondents)>($"""
            SELECT x.group_id, COALESCE(m.district, s.district) AS district, COUNT(DISTINCT m.submission_id)
            FROM duplicate_groups g
            JOIN duplicate_group_members x ON x.group_id = g.id AND x.removed = 0
            JOIN comments m ON m.id = x.comment_id
            JOIN submissions s ON s.id = m.submission_id
            WHERE {filter} AND COALESCE(m.district, s.district) IS NOT NULL
            GROUP BY x.group_id, COALESCE(m.district, s.district)
            """, new { id });
        return rows.GroupBy(r => r.GroupId).ToDictionary(g => g.Key,
            g => (IReadOnlyList<(string, int)>)g.OrderByDescending(r => r.Respondents).ThenBy(r => r.District, StringComparer.Ordinal)
                .Select(r => (r.District, r.Respondents)).ToList());
    }

    /// <summary>Members, active first, in id order.</summary>
    public async Task<IReadOnlyList<DuplicateGroupMember>> MembersAsync(long groupId)
    {
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<DuplicateGroupMember>("""
            SELECT m.id AS CommentId, m.submission_id AS SubmissionId, s.reference, m.text, COALESCE(m.district, s.district) AS District,
                   x.removed, x.removed_by AS RemovedBy
            FROM duplicate_group_members x JOIN comments m ON m.id = x.comment_id JOIN submissions s ON s.id = m.submission_id
            WHERE x.group_id = @groupId
            ORDER BY x.removed, m.id
            """, new { groupId })).ToList();
    }

    /// <summary>A person agrees the comments belong together, optionally naming the campaign. False if there is no such group.</summary>
    public async Task<bool> ConfirmAsync(long groupId, string? name, string user)
    {
        name = string.IsNullOrWhiteSpace(name) ? null : name.Trim()[..Math.Min(name.Trim().Length, MaxNameLength)];
        await using var c = await db.OpenAsync();
        var rows = await c.ExecuteAsync("""
            UPDATE duplicate_groups SET status = CASE WHEN status = 'split' THEN 'split' ELSE 'confirmed' END,
                name = COALESCE(@name, name), reviewed_by = @user, reviewed_at = @now
            WHERE id = @groupId
            """, new { groupId, name, user, now = DateTime.UtcNow });
        return rows > 0;
    }

    /// <summary>
    /// Takes comments out of a group for good (the detector will not group them again). Returns how many were removed,
    /// or null if there is no such group. Removing every member dissolves the group.
    /// </summary>
    public async Task<int?> RemoveMembersAsync(long groupId, IReadOnlyCollection<long> commentIds, string user)
    {
        await using var c = await db.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        if (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM duplicate_groups WHERE id = @groupId", new { groupId }, tx) == 0) return null;
        var now = DateTime.UtcNow;
        var removed = await c.ExecuteAsync("""
            UPDATE duplicate_group_members SET removed = 1, removed_by = @user, removed_at = @now
            WHERE group_id = @groupId AND comment_id = @commentId AND removed = 0
            """, commentIds.Distinct().Select(commentId => new { groupId, commentId, user, now }), tx);
        if (removed > 0) await MarkSplitAsync(c, tx, groupId, user, now);
        await tx.CommitAsync();
        return removed;
    }

    /// <summary>Every member out: the comments were never a group.</summary>
    public async Task<int?> DissolveAsync(long groupId, string user)
    {
        var members = (await MembersAsync(groupId)).Where(m => !m.Removed).Select(m => m.CommentId).ToList();
        return await RemoveMembersAsync(groupId, members, user);
    }

    /// <summary>
    /// Moves the chosen members into a new confirmed group of their own (a wrongly merged group was two groups).
    /// Returns the new group's id, or null if there is no such group or fewer than two of the chosen comments are members.
    /// </summary>
    public async Task<long?> SplitOffAsync(long groupId, IReadOnlyCollection<long> commentIds, string user)
    {
        await using var c = await db.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        var group = await c.QuerySingleOrDefaultAsync<(long Id, long ConsultationId, bool AllExact)>(
            "SELECT id, consultation_id, all_exact FROM duplicate_groups WHERE id = @groupId", new { groupId }, tx);
        if (group.Id == 0) return null;
        var chosen = commentIds.Distinct().ToHashSet();
        var members = (await c.QueryAsync<(long CommentId, string Text)>("""
            SELECT x.comment_id, m.text FROM duplicate_group_members x JOIN comments m ON m.id = x.comment_id
            WHERE x.group_id = @groupId AND x.removed = 0 ORDER BY x.comment_id
            """, new { groupId }, tx)).Where(m => chosen.Contains(m.CommentId)).ToList();
        if (members.Count < 2) return null;

        var now = DateTime.UtcNow;
        // The commonest wording among the moved comments represents the new group.
        var representative = members.GroupBy(m => NearDuplicateGrouper.Normalise(m.Text))
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Min(m => m.CommentId)).First().OrderBy(m => m.CommentId).First();
        var newId = await c.ExecuteScalarAsync<long>($"""
            INSERT INTO duplicate_groups (consultation_id, status, name, representative_comment_id, representative_text, all_exact, detected_at, reviewed_by, reviewed_at)
            VALUES (@ConsultationId, 'confirmed', NULL, @rep, @text, @exact, @now, @user, @now){db.Dialect.SelectNewId}
            """, new { group.ConsultationId, rep = representative.CommentId, text = representative.Text,
                exact = members.Select(m => NearDuplicateGrouper.Normalise(m.Text)).Distinct().Count() == 1, now, user }, tx);
        // The moved comments are removed from the old group (so re-detection never puts them back there) and join the new one.
        await c.ExecuteAsync("""
            UPDATE duplicate_group_members SET removed = 1, removed_by = @user, removed_at = @now
            WHERE group_id = @groupId AND comment_id = @CommentId
            """, members.Select(m => new { groupId, m.CommentId, user, now }), tx);
        await c.ExecuteAsync("INSERT INTO duplicate_group_members (group_id, comment_id, removed) VALUES (@newId, @CommentId, 0)",
            members.Select(m => new { newId, m.CommentId }), tx);
        await MarkSplitAsync(c, tx, groupId, user, now);
        await tx.CommitAsync();
        return newId;
    }

    private static Task MarkSplitAsync(DbConnection c, DbTransaction tx, long groupId, string user, DateTime now) =>
        c.ExecuteAsync("UPDATE duplicate_groups SET status = 'split', reviewed_by = @user, reviewed_at = @now WHERE id = @groupId",
            new { groupId, user, now }, tx);

    /// <summary>
    /// The consultation's campaigns (3 or more respondents, any status), each with its active comment ids, largest first
    /// as <see cref="ListAsync"/> orders them. Counted here from one read of the members rather than through ListAsync,
    /// whose per-group counts and districts the report does not use (they took about a second at 100,000 comments, on
    /// every report and every report point page).
    /// </summary>
    public async Task<IReadOnlyList<ReportCampaign>> CampaignsForReportAsync(long consultationId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var groups = (await c.QueryAsync<(long Id, string? Name, string RepresentativeText)>(new CommandDefinition("""
            SELECT g.id, g.name, g.representative_text FROM duplicate_groups g WHERE g.consultation_id = @consultationId
            """, new { consultationId }, cancellationToken: ct))).ToList();
        if (groups.Count == 0) return [];
        var members = await c.QueryAsync<(long GroupId, long CommentId, long? SubmissionId)>(new CommandDefinition(MembersSelect + """
             WHERE g.consultation_id = @consultationId AND x.removed = 0
            """, new { consultationId }, cancellationToken: ct));
        return ForReport(groups, members);
    }

    /// <summary>
    /// The report's campaigns (as <see cref="CampaignsForReportAsync(long, CancellationToken)"/>, in the same order) that
    /// have any of these comments as an active member, with all their members: a report point needs only the campaigns
    /// that reach its comments.
    /// </summary>
    public async Task<IReadOnlyList<ReportCampaign>> CampaignsForReportAsync(long consultationId, IReadOnlyCollection<long> commentIds, CancellationToken ct = default)
    {
        if (commentIds.Count == 0) return [];
        await using var c = await db.OpenAsync(ct);
        var groupIds = new HashSet<long>();
        // In batches: SQL Server takes at most 2,100 parameters. Looked up by comment only (its index): joined to the
        // consultation's groups here, SQLite walked every group probing each for every id (seconds at 100,000 comments).
        // The groups are checked against the consultation below.
        foreach (var batch in commentIds.Distinct().Chunk(500))
            groupIds.UnionWith(await c.QueryAsync<long>(new CommandDefinition("""
                SELECT DISTINCT x.group_id FROM duplicate_group_members x WHERE x.removed = 0 AND x.comment_id IN @batch
                """, new { batch }, cancellationToken: ct)));
        var groups = new List<(long Id, string? Name, string RepresentativeText)>();
        var members = new List<(long GroupId, long CommentId, long? SubmissionId)>();
        foreach (var batch in groupIds.Order().Chunk(500))
        {
            groups.AddRange(await c.QueryAsync<(long Id, string? Name, string RepresentativeText)>(new CommandDefinition("""
                SELECT g.id, g.name, g.representative_text FROM duplicate_groups g WHERE g.consultation_id = @consultationId AND g.id IN @batch
                """, new { consultationId, batch }, cancellationToken: ct)));
            members.AddRange(await c.QueryAsync<(long GroupId, long CommentId, long? SubmissionId)>(new CommandDefinition(MembersSelect + """
                 WHERE g.consultation_id = @consultationId AND x.removed = 0 AND x.group_id IN @batch
                """, new { consultationId, batch }, cancellationToken: ct)));
        }
        return ForReport(groups, members);
    }

    // Respondents are the distinct responses of members whose comment still exists, as in the summary's count.
    private const string MembersSelect = """
        SELECT x.group_id, x.comment_id, m.submission_id FROM duplicate_group_members x
        JOIN duplicate_groups g ON g.id = x.group_id
        LEFT JOIN comments m ON m.id = x.comment_id
        """;

    /// <summary>Groups of 3 or more respondents, largest first as <see cref="ListAsync"/> orders them, named as there.</summary>
    private static List<ReportCampaign> ForReport(IEnumerable<(long Id, string? Name, string RepresentativeText)> groups,
        IEnumerable<(long GroupId, long CommentId, long? SubmissionId)> memberRows)
    {
        var members = memberRows.GroupBy(r => r.GroupId).ToDictionary(g => g.Key, g => g.ToList());
        return InReportOrder(groups
            .Select(g => (Group: g, Members: members.GetValueOrDefault(g.Id) ?? []))
            .Select(x => new ReportCampaign(x.Group.Id,
                new DuplicateGroupSummary { Status = "", Name = x.Group.Name, RepresentativeText = x.Group.RepresentativeText }.Title,
                x.Members.Select(m => m.CommentId).Order().ToList())
            {
                Respondents = x.Members.Where(m => m.SubmissionId is not null).Select(m => m.SubmissionId).Distinct().Count(),
            })
            .Where(c => c.Respondents >= NearDuplicateOptions.DefaultCampaignRespondents));
    }

    /// <summary>
    /// The order the report takes campaigns in, which decides the campaign a comment claimed by two is counted under:
    /// most respondents first, then most comments, then oldest group.
    /// </summary>
    public static List<ReportCampaign> InReportOrder(IEnumerable<ReportCampaign> campaigns) =>
        campaigns.OrderByDescending(c => c.Respondents).ThenByDescending(c => c.CommentIds.Count).ThenBy(c => c.GroupId).ToList();
}
