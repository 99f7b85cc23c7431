using Harness.Core.Git;
using Harness.Core.Project;

namespace Harness.Core.Checkpoints;

/// <summary>
/// Maps git's paths (relative to the repository top) to the project, and knows the harness's own
/// bookkeeping files, which a restore keeps as they are: rolling back the code must not roll back
/// the record of what happened (state history, checkpoint.json, metrics, summaries, the lock).
/// </summary>
internal sealed class ProjectPaths
{
    private readonly ProjectLayout _layout;
    private readonly string _prefix;

    public ProjectPaths(ProjectLayout layout, GitRepositoryInfo info)
    {
        _layout = layout;
        TopLevel = info.TopLevel is { } top ? Path.GetFullPath(top) : layout.Root;
        var relative = Path.GetRelativePath(TopLevel, layout.Root).Replace('\\', '/');
        _prefix = relative == "." ? "" : relative.TrimEnd('/') + "/";
    }

    public string TopLevel { get; }

    /// <summary>Project-relative paths of the bookkeeping files and folders (folders end with '/').</summary>
    public static readonly string[] Bookkeeping =
    [
        ".claude/progress/state.json",
        ".claude/progress/state.json.bak",
        ".claude/progress/checkpoint.json",
        ".claude/progress/metrics.jsonl",
        ".claude/progress/harness.lock",
        ".claude/progress/session-start.json",
        ".claude/progress/sessions/",
    ];

    /// <summary>True for a bookkeeping file or a harness temporary file, given a path relative to the repository top.</summary>
    public bool IsBookkeeping(string topRelativePath)
    {
        if (!topRelativePath.StartsWith(_prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var p = topRelativePath[_prefix.Length..];
        if (p.StartsWith(".claude/progress/", StringComparison.Ordinal) && Path.GetFileName(p).StartsWith('.') && p.EndsWith(".tmp", StringComparison.Ordinal))
        {
            return true;
        }

        foreach (var b in Bookkeeping)
        {
            if (b.EndsWith('/') ? p.StartsWith(b, StringComparison.Ordinal) || p == b.TrimEnd('/') || p == b : p == b)
            {
                return true;
            }
        }

        return false;
    }

    public Dictionary<string, byte[]> ReadBookkeeping()
    {
        var kept = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var b in Bookkeeping)
        {
            var full = Path.Combine(_layout.Root, b.TrimEnd('/'));
            if (b.EndsWith('/'))
            {
                if (Directory.Exists(full))
                {
                    foreach (var file in Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories))
                    {
                        kept[file] = File.ReadAllBytes(file);
                    }
                }
            }
            else if (File.Exists(full))
            {
                kept[full] = File.ReadAllBytes(full);
            }
        }

        return kept;
    }

    /// <summary>Puts the files back as they were read (summaries the checkpoint had and the tree did not stay: they are history).</summary>
    public void WriteBookkeeping(Dictionary<string, byte[]> kept)
    {
        foreach (var (path, bytes) in kept)
        {
            if (!File.Exists(path) || !File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
            {
                IO.AtomicFile.Write(path, bytes);
            }
        }

    }
}
