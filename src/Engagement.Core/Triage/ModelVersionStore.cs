using Dapper;
using Engagement.Core.Data;

namespace Engagement.Core.Triage;

public static class ModelStatuses
{
    public const string Candidate = "candidate";
    public const string Active = "active";
    public const string Retired = "retired";
}

public sealed record ModelVersionRow
{
    public long Id { get; init; }
    public string Version { get; init; } = "";
    public DateTime CreatedAt { get; init; }
    public string? CreatedBy { get; init; }
    public string Trainer { get; init; } = "";
    public string MetricsJson { get; init; } = "{}";
    public int BaseRows { get; init; }
    public int ConfirmedRows { get; init; }
    public int HeldBackRows { get; init; }
    public string Status { get; init; } = ModelStatuses.Candidate;
    public string FilePath { get; init; } = "";
    public string? PromotedBy { get; init; }
    public DateTime? PromotedAt { get; init; }
}

/// <summary>Trained model versions. Exactly one is active; promoting another retires it. Rolling back is promoting an earlier one.</summary>
public sealed class ModelVersionStore(Database db)
{
    private const string Columns = """
        id, version, created_at AS CreatedAt, created_by AS CreatedBy, trainer, metrics_json AS MetricsJson, base_rows AS BaseRows,
        confirmed_rows AS ConfirmedRows, held_back_rows AS HeldBackRows, status, file_path AS FilePath, promoted_by AS PromotedBy, promoted_at AS PromotedAt
        """;

    public async Task<IReadOnlyList<ModelVersionRow>> ListAsync()
    {
        await using var c = await db.OpenAsync();
        return (await c.QueryAsync<ModelVersionRow>($"SELECT {Columns} FROM model_versions ORDER BY id DESC")).ToList();
    }

    public async Task<ModelVersionRow?> GetAsync(long id)
    {
        await using var c = await db.OpenAsync();
        return await c.QuerySingleOrDefaultAsync<ModelVersionRow>($"SELECT {Columns} FROM model_versions WHERE id = @id", new { id });
    }

    public async Task<ModelVersionRow?> ActiveAsync()
    {
        await using var c = await db.OpenAsync();
        return await c.QuerySingleOrDefaultAsync<ModelVersionRow>($"SELECT {Columns} FROM model_versions WHERE status = 'active'");
    }

    public async Task<long> AddAsync(ModelVersionRow row)
    {
        await using var c = await db.OpenAsync();
        return await c.ExecuteScalarAsync<long>("""
            INSERT INTO model_versions (version, created_at, created_by, trainer, metrics_json, base_rows, confirmed_rows, held_back_rows, status, file_path, promoted_by, promoted_at)
            VALUES (@Version, @CreatedAt, @CreatedBy, @Trainer, @MetricsJson, @BaseRows, @ConfirmedRows, @HeldBackRows, @Status, @FilePath, @PromotedBy, @PromotedAt)
            """ + db.Dialect.SelectNewId, row);
    }

    /// <summary>Makes this version the one served; the previously active version becomes retired. False if it does not exist.</summary>
    public async Task<bool> PromoteAsync(long id, string user, DateTime? at = null)
    {
        await using var c = await db.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        var exists = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM model_versions WHERE id = @id", new { id }, tx);
        if (exists == 0) return false;
        await c.ExecuteAsync("UPDATE model_versions SET status = 'retired' WHERE status = 'active' AND id <> @id", new { id }, tx);
        await c.ExecuteAsync("UPDATE model_versions SET status = 'active', promoted_by = @user, promoted_at = @at WHERE id = @id",
            new { id, user, at = at ?? DateTime.UtcNow }, tx);
        await tx.CommitAsync();
        return true;
    }
}
