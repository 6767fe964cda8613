namespace Engagement.Classifier;

/// <summary>
/// Finds files that ship in the repository (models/, data-samples/) whether the process runs
/// from the repo root, from a project folder under src/, or from a build output folder.
/// </summary>
public static class RepoPaths
{
    public static string Resolve(string relativePath)
    {
        if (Path.IsPathRooted(relativePath)) return relativePath;

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, relativePath);
                if (File.Exists(candidate) || Directory.Exists(candidate)) return candidate;
                if (File.Exists(Path.Combine(dir.FullName, "Engagement.sln")))
                    return candidate; // repo root reached: the path belongs here even if not yet created
            }
        }

        return Path.GetFullPath(relativePath);
    }
}
