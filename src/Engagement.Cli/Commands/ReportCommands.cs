using Engagement.Classifier;
using Engagement.Core;
using Engagement.Core.Import;
using Engagement.Core.Reports;
using Engagement.Core.Staff;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Cli.Commands;

/// <summary>engage import and engage report: the minimum import the report needs, and the consultation report itself.</summary>
public static class ReportCommands
{
    /// <summary>
    /// engage import --input FILE.csv|FILE.xlsx --consultation SLUG [--channel C] [--mapping FILE.json] [--sheet NAME]
    /// [--dry-run] [--all-or-nothing]. Rows that fail validation are listed on stderr and skipped (or, with
    /// --all-or-nothing, nothing is imported). Running it again adds nothing; after a crash it adds only what is missing.
    /// </summary>
    public static async Task<int> ImportAsync(CliArgs args, CliIo io, IEnumerable<KeyValuePair<string, string?>>? configuration = null)
    {
        var input = args.Require("input");
        var slug = args.Require("consultation");
        if (!File.Exists(input)) throw new CliUsageException($"file not found: {input}");
        if (!ImportService.IsValidSlug(slug)) throw new CliUsageException($"'{slug}' is not a valid consultation slug (lower-case letters, digits and hyphens).");

        ImportMapping? mapping = null;
        if (args.Get("mapping") is { } mappingFile)
        {
            if (!File.Exists(mappingFile)) throw new CliUsageException($"mapping file not found: {mappingFile}");
            mapping = ParseOrUsage(() => ImportMapping.FromJson(File.ReadAllText(mappingFile)));
        }
        var channel = args.Get("channel");
        if (channel is not null && ImportValues.Channel(channel) is null)
            throw new CliUsageException($"unknown channel '{channel}'. Use one of: {string.Join(", ", Engagement.Core.Domain.Channels.All.Select(c => c.Value))}.");

        var request = new ImportRequest(Path.GetFileName(input), await File.ReadAllBytesAsync(input), slug)
        {
            Mapping = mapping, DefaultChannel = channel, Sheet = args.Get("sheet"), DryRun = args.Has("dry-run"),
            AllOrNothing = args.Has("all-or-nothing"), CreatedBy = "engage import",
        };

        // Read and check the file before touching the database, so a bad file leaves nothing behind.
        var table = ParseOrUsage(() => ImportTable.Read(request.FileName, request.Content, request.Sheet));
        var effective = mapping ?? ImportMapping.ByName(table.Headers);
        if (effective.ColumnFor(ImportField.Text) is null)
            throw new CliUsageException("no 'text' column in the header row (name the comment column 'text', or map it with --mapping FILE.json).");

        await using var services = CliServices.Build(configuration);
        await services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        var importer = services.GetRequiredService<ImportService>();
        var progress = new ConsoleProgress(io.Out);
        var result = await ParseOrUsageAsync(() => importer.ImportAsync(request, request.DryRun ? null : progress));

        foreach (var e in result.Errors) io.Error.WriteLine($"line {e.Line}: {e.Message} (row skipped)");
        if (result.PreviouslyCompletedAt is { } when)
            io.Out.WriteLine($"This file was already imported into '{result.Slug}' on {when:yyyy-MM-dd HH:mm} UTC (import {result.ImportId}): nothing added.");
        if (result.ConsultationCreated) io.Out.WriteLine($"Created consultation '{result.Slug}'.");
        if (result.DryRun)
        {
            io.Out.WriteLine($"Dry run ({result.Description}): {result.RowsRead} rows read, {result.Valid} valid, {result.Errors.Count} would be skipped, " +
                             $"{result.AlreadyImported} already imported. Nothing was written.");
            io.Out.WriteLine("Columns: " + string.Join(", ", result.Mapping.Columns.OrderBy(c => c.Key).Select(c => $"{ImportFields.Info(c.Key).JsonName} <- '{c.Value}'")));
            return CliApp.Ok;
        }
        if (result.NothingImportedBecauseOfErrors)
        {
            io.Out.WriteLine($"Read {result.RowsRead} rows: {result.Errors.Count} rejected, so nothing was imported (--all-or-nothing).");
            return CliApp.Failure;
        }
        io.Out.WriteLine($"Read {result.RowsRead} rows: {result.Added} added, {result.AlreadyImported} already imported, {result.Errors.Count} skipped. " +
                         $"Classified {result.Classified} comments.");
        if (args.Has("timing"))
            io.Out.WriteLine($"Took {result.Elapsed.TotalSeconds:0.00} s (read and validate {result.ReadTime.TotalSeconds:0.00} s; " +
                             $"classify {result.ClassifyTime.TotalSeconds:0.00} s and write {result.WriteTime.TotalSeconds:0.00} s, overlapping).");
        return CliApp.Ok;
    }

    private static T ParseOrUsage<T>(Func<T> read)
    {
        try { return read(); }
        catch (ImportFileException ex) { throw new CliUsageException(ex.Message); }
    }

    private static async Task<T> ParseOrUsageAsync<T>(Func<Task<T>> run)
    {
        try { return await run(); }
        catch (ImportFileException ex) { throw new CliUsageException(ex.Message); }
    }

    /// <summary>Prints "imported N of M rows (P%)" at most every tenth of the file, synchronously so lines stay in order.</summary>
    private sealed class ConsoleProgress(TextWriter output) : IProgress<ImportProgress>
    {
        private int lastTenth = -1;

        public void Report(ImportProgress value)
        {
            if (value.Total == 0) return;
            var tenth = (int)(value.Done * 10L / value.Total);
            if (tenth == lastTenth) return;
            lastTenth = tenth;
            output.WriteLine($"imported {value.Done:N0} of {value.Total:N0} rows ({value.Done * 100L / value.Total}%)");
            output.Flush();
        }
    }

    /// <summary>engage report --consultation SLUG --format html|docx|xlsx|csv --output PATH</summary>
    public static async Task<int> ReportAsync(CliArgs args, CliIo io, IEnumerable<KeyValuePair<string, string?>>? configuration = null)
    {
        var slug = args.Require("consultation");
        var formatText = args.Require("format");
        var output = args.Require("output");
        var format = ReportFormats.Parse(formatText)
            ?? throw new CliUsageException($"unknown format '{formatText}'. Use html, docx, xlsx or csv.");

        await using var services = CliServices.Build(configuration);
        await services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        var report = await services.GetRequiredService<ReportService>().BuildAsync(slug, classifyFirst: true)
            ?? throw new CliUsageException($"no consultation with the slug '{slug}'.");

        await AtomicFile.WriteAsync(output, (stream, ct) => ReportFormats.WriteAsync(report, format, stream, ct));
        // A report leaves the system here just as a download does from the site, so it goes in the same security log.
        await services.GetRequiredService<SecurityEventStore>().AddAsync(new SecurityEvent
        {
            Kind = SecurityEventKinds.Export, Path = "engage report",
            Detail = $"{slug} as {ReportFormats.Extension(format)} to {Path.GetFullPath(output)}, from the command line by {Environment.UserName}",
        });

        var points = report.AllPoints.Count;
        io.Out.WriteLine($"Wrote {ReportFormats.Extension(format)} report for '{slug}' to {output}: {report.Method.Responses} responses, " +
                         $"{report.Method.Comments} comments, {points} points. Classified {report.Method.ClassifiedNow} comments first.");
        return CliApp.Ok;
    }
}
