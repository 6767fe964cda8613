using Dapper;
using Microsoft.Extensions.Logging;

namespace Engagement.Core.Data;

/// <summary>Who holds a lease: one value per running process, so two instances (or a restarted one) never look alike.</summary>
public sealed record InstanceId(string Value)
{
    /// <summary>Machine name and process id for people reading the table; the random part for a pid reused after a restart.</summary>
    public static InstanceId ForThisProcess() =>
        new($"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}");

    public override string ToString() => Value;
}

public sealed record JobLease(string Name, string Holder, DateTime AcquiredAt, DateTime ExpiresAt);

public sealed class JobLeaseOptions
{
    public const string Section = "Jobs";

    /// <summary>
    /// How long a lease lasts without renewal. A running job renews it every third of this, so this is also how long a
    /// crashed instance's job waits before another instance takes it over. Instance clocks must agree to well within it.
    /// </summary>
    public int LeaseSeconds { get; set; } = 60;

    public TimeSpan Lease => LeaseSeconds >= 3
        ? TimeSpan.FromSeconds(LeaseSeconds)
        : throw new InvalidOperationException($"Jobs:LeaseSeconds is {LeaseSeconds}. Use a whole number of seconds, 3 or more (default 60).");
}

/// <summary>
/// Database leases for background jobs, so that of several web instances on one database only one runs a given job.
/// Times come from the instances' clocks (a TimeProvider, so tests can move it), not the database's.
/// </summary>
public sealed class JobLeaseStore(Database db, TimeProvider? clock = null)
{
    private readonly TimeProvider clock = clock ?? TimeProvider.System;

    // UPDLOCK+HOLDLOCK keep the key (or the gap where it would be) locked until COMMIT, so a racing INSERT waits
    // and then finds the row instead of failing on the primary key.
    internal const string SqlServerTryAcquire = """
        SET NOCOUNT ON; SET XACT_ABORT ON;
        DECLARE @taken int;
        BEGIN TRANSACTION;
        UPDATE job_leases WITH (UPDLOCK, HOLDLOCK)
            SET acquired_at = CASE WHEN holder = @holder THEN acquired_at ELSE @now END, holder = @holder, expires_at = @expires
            WHERE name = @name AND (expires_at <= @now OR holder = @holder);
        SET @taken = @@ROWCOUNT;
        IF @taken = 0 AND NOT EXISTS (SELECT 1 FROM job_leases WITH (UPDLOCK, HOLDLOCK) WHERE name = @name)
        BEGIN
            INSERT INTO job_leases (name, holder, acquired_at, expires_at) VALUES (@name, @holder, @now, @expires);
            SET @taken = 1;
        END;
        COMMIT;
        SELECT @taken;
        """;

    /// <summary>
    /// Takes the lease if nobody holds it, it has expired, or <paramref name="holder"/> already holds it (then it is
    /// extended). One statement (SQLite) or one transaction (SQL Server), so of two racing holders exactly one wins.
    /// </summary>
    public async Task<bool> TryAcquireAsync(string name, string holder, TimeSpan ttl, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var args = new { name, holder, now, expires = now + ttl };
        await using var c = await db.OpenAsync(ct);
        // The one place the dialects differ for leases.
        if (db.Provider == DatabaseProvider.SqlServer)
        {
            return await c.ExecuteScalarAsync<int>(new CommandDefinition(SqlServerTryAcquire, args, cancellationToken: ct)) == 1;
        }
        // SQLite takes the write lock for the whole statement; changes() is 0 when the WHERE refused the update.
        return await c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO job_leases (name, holder, acquired_at, expires_at) VALUES (@name, @holder, @now, @expires)
            ON CONFLICT(name) DO UPDATE SET
                acquired_at = CASE WHEN job_leases.holder = excluded.holder THEN job_leases.acquired_at ELSE excluded.acquired_at END,
                holder = excluded.holder, expires_at = excluded.expires_at
            WHERE job_leases.expires_at <= excluded.acquired_at OR job_leases.holder = excluded.holder
            """, args, cancellationToken: ct)) == 1;
    }

    /// <summary>Extends a lease this holder has. False if another holder has taken it (or it was released).</summary>
    public async Task<bool> RenewAsync(string name, string holder, TimeSpan ttl, CancellationToken ct = default)
    {
        var expires = clock.GetUtcNow().UtcDateTime + ttl;
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE job_leases SET expires_at = @expires WHERE name = @name AND holder = @holder",
            new { name, holder, expires }, cancellationToken: ct)) == 1;
    }

    /// <summary>Gives the lease up so another instance need not wait for it to expire. Only the holder can.</summary>
    public async Task<bool> ReleaseAsync(string name, string holder, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM job_leases WHERE name = @name AND holder = @holder", new { name, holder }, cancellationToken: ct)) == 1;
    }

    /// <summary>The lease if it is held now (not expired), for pages that say who is running a job.</summary>
    public async Task<JobLease?> FindActiveAsync(string name, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<JobLease>(new CommandDefinition(
            "SELECT name, holder, acquired_at AS AcquiredAt, expires_at AS ExpiresAt FROM job_leases WHERE name = @name AND expires_at > @now",
            new { name, now }, cancellationToken: ct));
    }

    /// <summary>
    /// Takes the lease and keeps renewing it every third of <paramref name="ttl"/> until disposed (which releases it).
    /// Null when another holder has it. If a renewal finds the lease taken, <see cref="HeldLease.Lost"/> is cancelled.
    /// </summary>
    public async Task<HeldLease?> TryHoldAsync(string name, string holder, TimeSpan ttl, ILogger? log = null, CancellationToken ct = default) =>
        await TryAcquireAsync(name, holder, ttl, ct) ? new HeldLease(this, name, holder, ttl, log) : null;
}

/// <summary>A lease being kept alive in the background for as long as its job runs.</summary>
public sealed class HeldLease : IAsyncDisposable
{
    private readonly JobLeaseStore store;
    private readonly string holder;
    private readonly TimeSpan ttl;
    private readonly ILogger? log;
    private readonly CancellationTokenSource lost = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Task renewing;

    internal HeldLease(JobLeaseStore store, string name, string holder, TimeSpan ttl, ILogger? log)
    {
        this.store = store;
        Name = name;
        this.holder = holder;
        this.ttl = ttl;
        this.log = log;
        renewing = Task.Run(RenewLoopAsync);
    }

    public string Name { get; }

    /// <summary>Cancelled when another holder has the lease: the job should stop, as someone else may now run it.</summary>
    public CancellationToken Lost => lost.Token;

    private async Task RenewLoopAsync()
    {
        using var timer = new PeriodicTimer(ttl / 3);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                try
                {
                    if (await store.RenewAsync(Name, holder, ttl, stop.Token)) continue;
                    log?.LogWarning("Lease {Lease} was taken by another instance; stopping the job here.", Name);
                    await lost.CancelAsync();
                    return;
                }
                catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
                {
                    // A busy or briefly unreachable database: the lease still has two thirds of its time, try again next tick.
                    log?.LogWarning(ex, "Could not renew lease {Lease}; trying again.", Name);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await renewing;
        try
        {
            if (!lost.IsCancellationRequested) await store.ReleaseAsync(Name, holder);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            // Not released: it simply expires, and another instance waits a little longer.
            log?.LogWarning(ex, "Could not release lease {Lease}; it will expire by itself.", Name);
        }
        stop.Dispose();
        lost.Dispose();
    }
}

/// <summary>This process's view of job leases: the store, this instance's holder id and the configured lease time.</summary>
public sealed class JobLeases(JobLeaseStore store, InstanceId instance, Microsoft.Extensions.Options.IOptions<JobLeaseOptions> options, ILogger<JobLeases> log)
{
    public InstanceId Instance => instance;

    /// <summary>How long a lease lasts unrenewed: a crashed instance's job is taken over within about this long.</summary>
    public TimeSpan LeaseTime => options.Value.Lease;

    /// <summary>Holds the named job's lease for this instance until disposed, or null when another instance has it.</summary>
    public Task<HeldLease?> TryHoldAsync(string name, CancellationToken ct = default) =>
        store.TryHoldAsync(name, instance.Value, options.Value.Lease, log, ct);

    /// <summary>The lease when another instance holds it now; null when it is free or this instance holds it.</summary>
    public async Task<JobLease?> HeldElsewhereAsync(string name, CancellationToken ct = default) =>
        await store.FindActiveAsync(name, ct) is { } lease && lease.Holder != instance.Value ? lease : null;
}
