using System.Text.RegularExpressions;

namespace Engagement.Classifier.Tests;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "atomic-file-tests", Guid.NewGuid().ToString("N"));

    public AtomicFileTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Target => Path.Combine(folder, "report.csv");

    /// <summary>Writes half its content, then fails as a full disk or a bug would.</summary>
    private static async Task HalfThenFail(Stream stream, CancellationToken ct)
    {
        await stream.WriteAsync("id,text\n1,first half"u8.ToArray(), ct);
        throw new IOException("No space left on device");
    }

    [Fact]
    public async Task A_writer_that_fails_midway_leaves_no_file_behind()
    {
        await Assert.ThrowsAsync<IOException>(() => AtomicFile.WriteAsync(Target, HalfThenFail));

        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }

    [Fact]
    public async Task A_writer_that_fails_midway_leaves_the_old_file_as_it_was()
    {
        await File.WriteAllTextAsync(Target, "the old, complete report");

        await Assert.ThrowsAsync<IOException>(() => AtomicFile.WriteAsync(Target, HalfThenFail));
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(Target, temp =>
        {
            File.WriteAllText(temp, "half a model");
            throw new InvalidOperationException("training stopped");
        }));

        Assert.Equal("the old, complete report", await File.ReadAllTextAsync(Target));
        Assert.Equal([Target], Directory.GetFileSystemEntries(folder));
    }

    [Fact]
    public async Task A_complete_write_replaces_the_old_file_and_creates_missing_folders()
    {
        await File.WriteAllTextAsync(Target, "old");
        await AtomicFile.WriteAsync(Target, (s, ct) => s.WriteAsync("new"u8.ToArray(), ct).AsTask());
        Assert.Equal("new", await File.ReadAllTextAsync(Target));

        var nested = Path.Combine(folder, "a", "b", "card.md");
        AtomicFile.WriteAllText(nested, "# Card ✓");
        Assert.Equal("# Card ✓", File.ReadAllText(nested));
        Assert.NotEqual(0xEF, File.ReadAllBytes(nested)[0]); // no byte order mark, as File.WriteAllText
        await AtomicFile.WriteAllTextAsync(nested, "# Card 2");
        Assert.Equal("# Card 2", File.ReadAllText(nested));
        Assert.Equal([Target], Directory.GetFiles(folder));
    }

    [Fact]
    public async Task A_cancelled_write_leaves_nothing()
    {
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            AtomicFile.WriteAsync(Target, (s, ct) => s.WriteAsync("x"u8.ToArray(), ct).AsTask(), cancel.Token));
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }

    /// <summary>
    /// Exports, models and cards written straight to their final path could be left truncated by a full disk. Writing
    /// files in src/ goes through AtomicFile; this finds any new direct write.
    /// </summary>
    [Fact]
    public void Source_writes_files_only_through_AtomicFile()
    {
        var direct = new Regex(@"(?<!Atomic)File\.(Create|OpenWrite|WriteAll\w*|AppendAll\w*)\(|new FileStream\(|FileMode\.(Create|Append|OpenOrCreate)\b");
        var src = RepoPaths.Resolve("src");
        var offenders = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Where(f => Path.GetFileName(f) != "AtomicFile.cs")
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, line, i)))
            .Where(x => direct.IsMatch(x.line))
            .Select(x => $"{Path.GetRelativePath(src, x.f)}:{x.i + 1}: {x.line.Trim()}")
            .ToList();
        Assert.True(offenders.Count == 0, "Write files through AtomicFile (temp file, then rename):\n" + string.Join("\n", offenders));
    }
}
