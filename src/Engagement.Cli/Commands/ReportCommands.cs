using Engagement.Core;
using Engagement.Core.Import;
using Engagement.Core.Reports;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Cli.Commands;

/// <summary>engage import and engage report: the minimum import the report needs, and the consultation report itself.</summary>
public static class ReportCommands
{
    /// <summary>engage import --input FILE.csv --consultation SLUG</summary>
    public static async Task<int> ImportAsync(CliArgs args, CliIo io, IEnumerable<KeyValuePair<string, string?>>? configuration = null)
    {
        var input = args.Require("input");
        var slug = args.Require("consultation");
        try
        {
            MinimalCsvImporter.CheckFile(input);
        }
        catch (ImportFileException ex)
        {
            throw new CliUsageException(ex.Message);
        }

        await using var services = CliServices.Build(configuration);
        await services.GetRequiredService<DatabaseInitializer>().InitializeAsync();
        var importer = services.GetRequiredService<MinimalCsvImporter>();
        ImportResult result;
        try
        {
            result = await importer.ImportAsync(input, slug);
        }
        catch (ImportFileException ex)
        {
            throw new CliUsageException(ex.Message);
        }

        foreach (var e in result.Errors) io.Error.WriteLine($"line {e.Line}: {e.Message} (row skipped)");
        if (result.ConsultationCreated) io.Out.WriteLine($"Created consultation '{result.Slug}'.");
        io.Out.WriteLine($"Read {result.RowsRead} rows: {result.Added} added, {result.AlreadyImported} already imported, {result.Errors.Count} skipped. " +
                         $"Classified {result.Classified} comments.");
        return CliApp.Ok;
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

        var folder = Path.GetDirectoryName(Path.GetFullPath(output));
        if (folder is not null) Directory.CreateDirectory(folder);
        await using (var stream = File.Create(output))
            await ReportFormats.WriteAsync(report, format, stream);

        var points = report.AllPoints.Count;
        io.Out.WriteLine($"Wrote {ReportFormats.Extension(format)} report for '{slug}' to {output}: {report.Method.Responses} responses, " +
                         $"{report.Method.Comments} comments, {points} points. Classified {report.Method.ClassifiedNow} comments first.");
        return CliApp.Ok;
    }
}
