namespace Harness.Core.Git;

/// <summary>
/// A private folder for the copy of the index a work-tree snapshot is built in (both ports), removed
/// on dispose. A leftover from a crash costs disk space only, so a failed delete is let go.
/// </summary>
internal sealed class ScratchIndexFolder : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "harness-index-" + Guid.NewGuid().ToString("N"));

    /// <summary>Makes the folder and copies <paramref name="realIndex"/> into it (when there is one: a repository without commits may have none).</summary>
    public ScratchIndexFolder(string realIndex)
    {
        Directory.CreateDirectory(_folder);
        IndexPath = Path.Combine(_folder, "index");
        if (File.Exists(realIndex))
        {
            File.Copy(realIndex, IndexPath);
        }
    }

    public string IndexPath { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
