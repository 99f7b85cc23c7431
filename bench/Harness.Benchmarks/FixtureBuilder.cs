using System.Diagnostics;

namespace Harness.Benchmarks;

/// <summary>
/// Makes the benchmark fixture (a git repository plus .claude/ files) in a temporary
/// folder by running bench/make-fixture.sh, so the in-process benchmarks and
/// bench/entry-vs-seed.sh measure the very same project.
/// </summary>
public static class FixtureBuilder
{
    public const int DefaultCommits = 2000;
    public const int DefaultFeatures = 10000;

    private const string SolutionFile = "HarnessPS.sln";

    /// <summary>Creates a fresh fixture and returns its full path; delete it with <see cref="Delete"/>.</summary>
    public static string Create(int commits = DefaultCommits, int features = DefaultFeatures)
    {
        var root = FindRepositoryRoot();
        var script = Path.Combine(root, "bench", "make-fixture.sh");
        if (!File.Exists(script))
        {
            throw new FileNotFoundException("The fixture script is missing.", script);
        }

        var dir = Path.Combine(Path.GetTempPath(), $"harness-bench-{Environment.ProcessId}-{Guid.NewGuid():N}");
        var psi = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(dir);
        psi.ArgumentList.Add("--commits");
        psi.ArgumentList.Add(commits.ToString(System.Globalization.CultureInfo.InvariantCulture));
        psi.ArgumentList.Add("--features");
        psi.ArgumentList.Add(features.ToString(System.Globalization.CultureInfo.InvariantCulture));

        using var process = Process.Start(psi)
            ?? throw new InvalidOperationException("Could not start bash to run make-fixture.sh.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"make-fixture.sh did not finish within 5 minutes ({dir}).");
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"make-fixture.sh failed with exit code {process.ExitCode}:{Environment.NewLine}{stderr.Result}{stdout.Result}");
        }

        return dir;
    }

    /// <summary>Removes a fixture made by <see cref="Create"/>; ignores a missing folder.</summary>
    public static void Delete(string? dir)
    {
        if (string.IsNullOrEmpty(dir) || !Directory.Exists(dir))
        {
            return;
        }

        // git marks its object files read-only, which blocks deletion on Windows.
        foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
        {
            File.SetAttributes(file, FileAttributes.Normal);
        }

        Directory.Delete(dir, recursive: true);
    }

    /// <summary>
    /// The folder holding HarnessPS.sln, found by walking up from the benchmark's own
    /// location (BenchmarkDotNet runs each benchmark from a generated project under bin/),
    /// then from the current directory. HARNESS_REPO_ROOT overrides both.
    /// </summary>
    public static string FindRepositoryRoot()
    {
        var overridden = Environment.GetEnvironmentVariable("HARNESS_REPO_ROOT");
        if (!string.IsNullOrEmpty(overridden))
        {
            return File.Exists(Path.Combine(overridden, SolutionFile))
                ? Path.GetFullPath(overridden)
                : throw new DirectoryNotFoundException($"HARNESS_REPO_ROOT={overridden} holds no {SolutionFile}.");
        }

        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
                {
                    return dir.FullName;
                }
            }
        }

        throw new DirectoryNotFoundException(
            $"No {SolutionFile} above {AppContext.BaseDirectory} or {Environment.CurrentDirectory}; set HARNESS_REPO_ROOT.");
    }
}
