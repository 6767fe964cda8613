using System.Diagnostics;
using System.Net;
using System.Text;
using Engagement.Core.Data;
using Microsoft.Data.Sqlite;

namespace Engagement.Web.Tests;

/// <summary>
/// The site as a real operating-system process (dotnet Engagement.Web.dll) on a loopback port, for the tests that
/// in-process hosting cannot make honest: kill -9, restarts, and two instances sharing one database file.
/// </summary>
public sealed class WebProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private WebProcess(Process process, Uri baseAddress, string dataDirectory)
    {
        this.process = process;
        BaseAddress = baseAddress;
        DataDirectory = dataDirectory;
    }

    public Uri BaseAddress { get; }
    public string DataDirectory { get; }
    public bool HasExited => process.HasExited;

    /// <summary>Part of the instance id the site records as the holder of a job lease (machine:pid:random).</summary>
    public int ProcessId => process.Id;

    /// <summary>What the process wrote, for assertion messages when something goes wrong.</summary>
    public string Output { get { lock (output) return output.ToString(); } }

    /// <summary>The same SQLite file the process uses, for arranging and checking rows directly.</summary>
    public Database Database => DatabaseFor(DataDirectory);

    public static Database DatabaseFor(string dataDirectory) =>
        new(DatabaseProvider.Sqlite, new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, "engagement.db"), ForeignKeys = true, DefaultTimeout = 30,
        }.ToString());

    /// <summary>
    /// Starts the site on a free loopback port against the SQLite file in <paramref name="dataDirectory"/> and waits until
    /// it answers. Plain http on loopback, as Development runs, so the HTTPS-only rule is off.
    /// </summary>
    public static async Task<WebProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string>? settings = null, TimeSpan? startTimeout = null)
    {
        var port = BrowserTests.FreePort();
        var root = RepoRoot();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(WebAssemblyPath(root));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.ArgumentList.Add("--contentRoot");
        start.ArgumentList.Add(Path.Combine(root, "src", "Engagement.Web"));

        var env = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Testing",
            ["Database__DataDirectory"] = dataDirectory,
            ["Demo__LoadOnFirstRun"] = "false",
            ["Https__Require"] = "false",
            ["TwoFactor__Required"] = "false",
            ["RateLimits__PublicPostsPerWindow"] = "100000",
            ["RateLimits__SignInAttemptsPerWindow"] = "100000",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) env[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        foreach (var (key, value) in env) start.Environment[key] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var web = new WebProcess(process, new Uri($"http://127.0.0.1:{port}"), dataDirectory);
        process.OutputDataReceived += (_, e) => web.Append(e.Data);
        process.ErrorDataReceived += (_, e) => web.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await web.WaitUntilAnsweringAsync(startTimeout ?? TimeSpan.FromSeconds(60));
        return web;
    }

    /// <summary>A client that keeps cookies and does not follow redirects, like the in-process tests' browser client.</summary>
    public HttpClient CreateClient(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = cookies ?? new CookieContainer() })
        {
            BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60),
        };

    /// <summary>SIGKILL: no shutdown hooks, no flushing, exactly what a crash or the OOM killer does.</summary>
    public async Task KillAsync()
    {
        if (process.HasExited) return;
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
    }

    private async Task WaitUntilAnsweringAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"The site exited with code {process.ExitCode} while starting:\n{Output}");
            try
            {
                var response = await client.GetAsync("/health");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        await KillAsync();
        throw new TimeoutException($"The site did not answer /health within {timeout.TotalSeconds:N0} s:\n{Output}");
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Engagement.sln"))) return dir.FullName;
        throw new InvalidOperationException("Cannot find the repository root above " + AppContext.BaseDirectory);
    }

    // The web project builds to its own bin folder as a project reference, in the same configuration as these tests.
    private static string WebAssemblyPath(string root)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var path = Path.Combine(root, "src", "Engagement.Web", "bin", configuration, "net10.0", "Engagement.Web.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the solution first; the site's assembly is missing.", path);
    }
}
