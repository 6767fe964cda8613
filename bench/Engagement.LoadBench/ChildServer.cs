using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Engagement.LoadBench;

/// <summary>A server under test in its own process on a free loopback port: the site, or this program's hello mode.</summary>
internal sealed class ChildServer : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private ChildServer(string name, Process process, Uri baseAddress)
    {
        Name = name;
        this.process = process;
        BaseAddress = baseAddress;
    }

    public string Name { get; }
    public Uri BaseAddress { get; }

    /// <summary>CPU the server process has used so far, all threads, for CPU time per request.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    public string Output { get { lock (output) return output.ToString(); } }

    /// <summary>
    /// The site as it is deployed (Release, Production), with the SQLite file in <paramref name="dataDirectory"/>.
    /// Plain http on loopback, so Https:Require is off. The per-client POST limit is lifted: every request here comes
    /// from one address, 127.0.0.1, where in real use 50 submissions a second come from many residents.
    /// </summary>
    public static Task<ChildServer> StartSiteAsync(string repoRoot, string dataDirectory)
    {
        var site = Path.Combine(repoRoot, "src", "Engagement.Web", "bin", "Release", "net10.0", "Engagement.Web.dll");
        if (!File.Exists(site)) throw new BenchFailedException($"The site is not built in Release: {site} is missing. Run: dotnet build Engagement.sln -c Release");
        return StartAsync("site", repoRoot, [site, "--contentRoot", Path.Combine(repoRoot, "src", "Engagement.Web")], "/health", new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Database__DataDirectory"] = dataDirectory,
            ["Demo__LoadOnFirstRun"] = "false",
            ["Https__Require"] = "false",
            ["RateLimits__PublicPostsPerWindow"] = "1000000",
            ["RateLimits__SignInAttemptsPerWindow"] = "1000000",
            ["Logging__LogLevel__Default"] = "Warning",
        });
    }

    /// <summary>This program again with "hello": Kestrel with one endpoint, server GC like the site (a Web SDK default).</summary>
    public static Task<ChildServer> StartHelloAsync(string repoRoot) =>
        StartAsync("hello", repoRoot, [Path.Combine(AppContext.BaseDirectory, "Engagement.LoadBench.dll"), HelloServer.Command], "/", new Dictionary<string, string>
        {
            ["DOTNET_gcServer"] = "1",
            ["Logging__LogLevel__Default"] = "Warning",
        });

    private static async Task<ChildServer> StartAsync(string name, string repoRoot, string[] arguments, string readyPath, Dictionary<string, string> environment)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = repoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var (key, value) in environment) start.Environment[key] = value;

        var process = Process.Start(start) ?? throw new BenchFailedException("dotnet did not start.");
        var server = new ChildServer(name, process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilAnsweringAsync(readyPath, TimeSpan.FromSeconds(90));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
    }

    private async Task WaitUntilAnsweringAsync(string path, TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new BenchFailedException($"The {Name} server exited with code {process.ExitCode} while starting:\n{Output}");
            try
            {
                using var response = await client.GetAsync(path);
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new BenchFailedException($"The {Name} server did not answer {path} within {timeout.TotalSeconds:N0} s:\n{Output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Engagement.sln"))) return dir.FullName;
        throw new BenchFailedException("Cannot find the repository root (Engagement.sln) above " + AppContext.BaseDirectory);
    }
}
