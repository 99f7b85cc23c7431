namespace Harness.TestKit;

/// <summary>A folder under the system temp path that is deleted on dispose, even when git made files read-only.</summary>
public sealed class TempDirectory : IDisposable
{
    private TempDirectory(string path) => Path = path;

    public string Path { get; }

    public static TempDirectory Create(string prefix = "harness")
    {
        // A random suffix keeps parallel test classes (and crashed earlier runs) from colliding.
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid().ToString("N")[..12]}");
        Directory.CreateDirectory(path);
        return new TempDirectory(path);
    }

    /// <summary>Writes UTF-8 text (no BOM), creating parent folders; returns the full path.</summary>
    public string Write(string relativePath, string content)
    {
        var fullPath = FullPath(relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(fullPath)!);
        File.WriteAllText(fullPath, content);
        return fullPath;
    }

    public string Read(string relativePath) => File.ReadAllText(FullPath(relativePath));

    public bool Exists(string relativePath)
    {
        var fullPath = FullPath(relativePath);
        return File.Exists(fullPath) || Directory.Exists(fullPath);
    }

    public void Dispose()
    {
        if (!Directory.Exists(Path))
        {
            return;
        }

        // Git writes its object files read-only, which makes Directory.Delete fail on Windows.
        foreach (var file in Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories))
        {
            File.SetAttributes(file, FileAttributes.Normal);
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Directory.Delete(Path, recursive: true);
                return;
            }
            catch (IOException) when (attempt < 5)
            {
                // A git process killed a moment ago, or a virus scanner, can hold a handle briefly.
                Thread.Sleep(100 * attempt);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A leftover temp folder must not turn a passing test into a failure.
                return;
            }
        }
    }

    private string FullPath(string relativePath) => System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, relativePath));
}
