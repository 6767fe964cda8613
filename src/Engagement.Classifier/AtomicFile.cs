using System.Text;

namespace Engagement.Classifier;

/// <summary>
/// Every file the app or the CLI writes for someone to use (reports, classified CSVs, models, model cards, taxonomies)
/// goes through here: it is written to a temporary file in the same folder and renamed over the target only once it is
/// complete and flushed to disk. If writing fails (a full disk, a bug, a cancelled request) the temporary file is
/// deleted and any previous file at the target is left as it was, so nobody opens a truncated file that looks whole.
/// </summary>
public static class AtomicFile
{
    /// <summary>For writers that take a path (ML.NET's model save): <paramref name="writeTo"/> gets the temporary path.</summary>
    public static void Write(string path, Action<string> writeTo)
    {
        var (target, temp) = Prepare(path);
        try
        {
            writeTo(temp);
            FlushToDisk(temp);
            File.Move(temp, target, overwrite: true);
        }
        catch
        {
            Discard(temp);
            throw;
        }
    }

    public static async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken ct = default)
    {
        var (target, temp) = Prepare(path);
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await write(stream, ct);
                await stream.FlushAsync(ct);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, target, overwrite: true);
        }
        catch
        {
            Discard(temp);
            throw;
        }
    }

    /// <summary>UTF-8 without a byte order mark, as File.WriteAllText writes.</summary>
    public static void WriteAllText(string path, string text) =>
        Write(path, temp => File.WriteAllText(temp, text, Utf8));

    public static Task WriteAllTextAsync(string path, string text, CancellationToken ct = default) =>
        WriteAsync(path, (stream, token) => stream.WriteAsync(Utf8.GetBytes(text), token).AsTask(), ct);

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    // The temporary name starts with a dot and ends in .tmp, so a folder listing or a glob for *.zip never picks one up.
    private static (string Target, string Temp) Prepare(string path)
    {
        var target = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(folder);
        return (target, Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp"));
    }

    private static void FlushToDisk(string temp)
    {
        using var stream = new FileStream(temp, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        stream.Flush(flushToDisk: true);
    }

    private static void Discard(string temp)
    {
        try { File.Delete(temp); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
