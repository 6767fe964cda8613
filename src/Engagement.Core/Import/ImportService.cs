using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Engagement.Core.Data;
using Engagement.Core.Domain;

namespace Engagement.Core.Import;

public sealed class ImportOptions
{
    public const string Section = "Import";

    /// <summary>Rows stored (and classified) per transaction. A crash loses at most one batch, which a rerun then adds.</summary>
    public int BatchSize { get; set; } = 4000;

    /// <summary>Largest file the site accepts, in megabytes.</summary>
    public int MaxUploadMegabytes { get; set; } = 50;

    /// <summary>Pause after each batch, in milliseconds. Only for tests that kill an import mid-way; leave at 0.</summary>
    public int BatchDelayMilliseconds { get; set; }
}

/// <summary>What the command line (or a caller) asks for. Mapping null means guess from the header.</summary>
public sealed record ImportRequest(string FileName, byte[] Content, string Slug)
{
    /// <summary>Null: columns named as the fields (text, district, respondent_type, ...).</summary>
    public ImportMapping? Mapping { get; init; }
    public string? Sheet { get; init; }
    public string? DefaultChannel { get; init; }
    public bool DryRun { get; init; }

    /// <summary>"Import nothing" when any row is rejected, instead of importing the valid rows.</summary>
    public bool AllOrNothing { get; init; }

    public string? CreatedBy { get; init; }
}

public sealed record ImportProgress(int Done, int Total, int Classified);

public sealed record ImportOutcome
{
    public long? ImportId { get; init; }
    public required string Slug { get; init; }
    public bool ConsultationCreated { get; init; }
    public int RowsRead { get; init; }
    public int Valid { get; init; }
    public int Added { get; init; }
    public int AlreadyImported { get; init; }
    public int Classified { get; init; }
    public IReadOnlyList<ImportRowError> Errors { get; init; } = [];
    public ImportMapping Mapping { get; init; } = new();
    public string Description { get; init; } = "";

    /// <summary>The same bytes were imported into this consultation before and completed: nothing was added.</summary>
    public DateTime? PreviouslyCompletedAt { get; init; }

    public bool DryRun { get; init; }
    public bool NothingImportedBecauseOfErrors { get; init; }
    public TimeSpan Elapsed { get; init; }

    /// <summary>Reading, decoding and validating the file.</summary>
    public TimeSpan ReadTime { get; init; }

    /// <summary>Classifier time summed over batches (it runs alongside writing, so the phases add up to more than Elapsed).</summary>
    public TimeSpan ClassifyTime { get; init; }

    /// <summary>Database time summed over batches.</summary>
    public TimeSpan WriteTime { get; init; }
}

/// <summary>
/// The import engine shared by `engage import` and the site's import wizard: read the file (CSV in any of the usual
/// encodings and delimiters, or .xlsx), map and validate the rows, then store the valid ones in batches, each
/// classified as it lands. Idempotent by file hash and, within a file, by line: a rerun after a crash adds only what is missing.
/// </summary>
public sealed partial class ImportService(ConsultationStore consultations, ImportStore imports, SuggestionService suggestions, ImportOptions options)
{
    public static string Hash(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>Submissions from this file carry source_ref 'import:HASH:LINE'.</summary>
    public static string SourcePrefix(string hash) => $"import:{hash}";

    public static bool IsValidSlug(string slug) => SlugPattern().IsMatch(slug);

    /// <summary>The whole import in one call (the command line): reads, validates and stores, reporting progress per batch.</summary>
    public async Task<ImportOutcome> ImportAsync(ImportRequest request, IProgress<ImportProgress>? progress = null, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        if (!IsValidSlug(request.Slug))
            throw new ImportFileException($"'{request.Slug}' is not a valid consultation slug (lower-case letters, digits and hyphens).");
        var table = ImportTable.Read(request.FileName, request.Content, request.Sheet);
        var mapping = request.Mapping ?? ImportMapping.ByName(table.Headers);
        if (request.DefaultChannel is not null) mapping = mapping with { DefaultChannel = request.DefaultChannel };
        var hash = Hash(request.Content);
        var validation = ImportValidator.Validate(table, mapping, SourcePrefix(hash));
        var readTime = clock.Elapsed;

        var existing = await consultations.FindBySlugAsync(request.Slug);
        var outcome = new ImportOutcome
        {
            Slug = request.Slug, RowsRead = validation.RowsRead, Valid = validation.Valid.Count, Errors = validation.Rejected,
            Mapping = mapping, Description = table.Description, DryRun = request.DryRun, ReadTime = readTime,
        };

        var previous = existing is null ? null : await imports.FindByHashAsync(existing.Id, hash, ct);
        if (previous is { Status: ImportStatuses.Completed })
            return outcome with { ImportId = previous.Id, AlreadyImported = validation.Valid.Count, PreviouslyCompletedAt = previous.CompletedAt, Elapsed = clock.Elapsed };

        if (request.DryRun)
        {
            var stored = existing is null ? 0 : (await imports.ImportedLinesAsync(existing.Id, SourcePrefix(hash), ct)).Count;
            return outcome with { AlreadyImported = stored, Elapsed = clock.Elapsed };
        }
        if (request.AllOrNothing && validation.Rejected.Count > 0)
            return outcome with { NothingImportedBecauseOfErrors = true, Elapsed = clock.Elapsed };

        var consultation = existing ?? await consultations.EnsureAsync(new Consultation
        {
            Slug = request.Slug, Title = MinimalCsvImporter.TitleFromSlug(request.Slug), Status = ConsultationStatuses.Open,
            OpensOn = DateTime.UtcNow.Date, ClosesOn = DateTime.UtcNow.Date.AddDays(90),
        });
        // A file whose earlier run died part-way resumes that import record; otherwise this is a new import.
        var importId = previous?.Id ?? await imports.CreateAsync(consultation.Id, request.FileName, hash, content: null, table.Description,
            request.CreatedBy, ImportStatuses.Running, ct);
        await imports.SaveMappingAsync(importId, mapping.ToJson(), request.Sheet, ct);

        var result = await StoreAsync(importId, consultation.Id, hash, validation, progress, ct);
        return outcome with
        {
            ImportId = importId, ConsultationCreated = existing is null, Added = result.Added, AlreadyImported = result.Already,
            Classified = result.Classified, Elapsed = clock.Elapsed, ClassifyTime = result.ClassifyTime, WriteTime = result.WriteTime,
        };
    }

    /// <summary>Runs an import the site prepared (file stored, mapping saved, queued): what the background worker calls.</summary>
    public async Task RunStoredAsync(long importId, CancellationToken ct = default)
    {
        var record = await imports.GetAsync(importId, ct) ?? throw new InvalidOperationException($"No import {importId}.");
        if (ImportStatuses.IsFinished(record.Status)) return;
        try
        {
            var content = await imports.ReadFileAsync(importId, ct) ?? throw new ImportFileException("the uploaded file is no longer stored; upload it again.");
            var table = ImportTable.Read(record.FileName, content, record.Sheet);
            var mapping = record.Mapping is null ? ImportMapping.Guess(table.Headers) : ImportMapping.FromJson(record.Mapping);
            var validation = ImportValidator.Validate(table, mapping, SourcePrefix(record.FileHash));
            await StoreAsync(importId, record.ConsultationId, record.FileHash, validation, null, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw; // shutting down: left 'running', so the next start resumes it
        }
        catch (ImportFileException ex)
        {
            await imports.FinishAsync(importId, ImportStatuses.Failed, ex.Message, CancellationToken.None);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or InvalidOperationException)
        {
            await imports.FinishAsync(importId, ImportStatuses.Failed, StoppedMessage(ex), CancellationToken.None);
        }
    }

    // Rows are stored in whole batches, so whatever stopped the import, the rows stored so far are complete and a new
    // start adds only the rest. What the team can do about it depends on why it stopped.
    private static string StoppedMessage(Exception ex) => DatabaseFaults.Classify(ex) switch
    {
        DatabaseFault.Full => "The import stopped because the database is full. The rows stored so far are kept. " +
            "Ask whoever runs the service to free space (or raise Database:MaxSizeMegabytes), then start the import again to add the remaining rows.",
        DatabaseFault.Busy => "The import stopped because the database was busy for too long. The rows stored so far are kept. " +
            "Start the import again to add the remaining rows.",
        _ => "The import stopped: " + ex.Message + " Start it again to add the remaining rows.",
    };

    /// <summary>Reads and validates a stored upload with its saved mapping (the wizard's preview and validation steps).</summary>
    public async Task<(ImportTable Table, ImportMapping Mapping, ValidationResult? Validation)> InspectStoredAsync(ImportRecord record, bool validate, CancellationToken ct = default)
    {
        var content = await imports.ReadFileAsync(record.Id, ct) ?? throw new ImportFileException("the uploaded file is no longer stored; upload it again.");
        var table = ImportTable.Read(record.FileName, content, record.Sheet);
        var mapping = record.Mapping is null ? ImportMapping.Guess(table.Headers) : ImportMapping.FromJson(record.Mapping);
        var validation = validate ? ImportValidator.Validate(table, mapping, SourcePrefix(record.FileHash)) : null;
        return (table, mapping, validation);
    }

    private sealed record Stored(int Added, int Already, int Classified, TimeSpan ClassifyTime, TimeSpan WriteTime);

    private async Task<Stored> StoreAsync(long importId, long consultationId, string hash, ValidationResult validation,
        IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        var prefix = SourcePrefix(hash);
        var present = await imports.ImportedLinesAsync(consultationId, prefix, ct);
        var todo = validation.Valid.Where(r => !present.Contains(r.Line)).ToList();
        var already = validation.Valid.Count - todo.Count;
        await imports.MarkRunningAsync(importId, validation.RowsRead, validation.Valid.Count, validation.Rejected.Count, already, ct);

        int added = 0, classified = 0;
        progress?.Report(new ImportProgress(already, validation.Valid.Count, 0));
        var batches = todo.Chunk(Math.Max(1, options.BatchSize)).ToList();
        // One classifier call per batch (the model scores a batch across cores, far faster than row by row), and the
        // next batch is classified while this one is written, so the database and the model work at the same time.
        long classifyTicks = 0, writeTicks = 0;
        Task<IReadOnlyList<CommentSuggestion?>> Classify(ImportRow[] batch) => Task.Run(() =>
        {
            var started = Stopwatch.GetTimestamp();
            var result = suggestions.SuggestMany(batch.Select(r => r.Text).ToList());
            Interlocked.Add(ref classifyTicks, Stopwatch.GetTimestamp() - started);
            return result;
        }, ct);
        var next = batches.Count > 0 ? Classify(batches[0]) : null;
        for (var b = 0; b < batches.Count; b++)
        {
            ct.ThrowIfCancellationRequested();
            var suggested = await next!;
            next = b + 1 < batches.Count ? Classify(batches[b + 1]) : null;
            var rows = batches[b].Zip(suggested, (r, s) => new ImportBatchRow(r, s)).ToList();
            var writeStarted = Stopwatch.GetTimestamp();
            added += await imports.InsertBatchAsync(importId, consultationId, prefix, rows, ct);
            writeTicks += Stopwatch.GetTimestamp() - writeStarted;
            classified += suggested.Count(s => s is not null);
            progress?.Report(new ImportProgress(already + added, validation.Valid.Count, classified));
            if (options.BatchDelayMilliseconds > 0) await Task.Delay(options.BatchDelayMilliseconds, ct);
        }
        await imports.FinishAsync(importId, ImportStatuses.Completed, null, ct);
        return new Stored(added, already, classified, Stopwatch.GetElapsedTime(0, Interlocked.Read(ref classifyTicks)), Stopwatch.GetElapsedTime(0, writeTicks));
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,99}$")]
    private static partial Regex SlugPattern();
}
