namespace Harness.Core.Project;

/// <summary>
/// <c>.claude/progress/.gitignore</c>: keeps the harness's transient files (the locks, the session
/// baseline, atomic-write temporaries, .bak copies, transcripts) out of every commit, the agent's
/// <c>git add -A</c> and the harness's checkpoints alike, while state, the feature list, summaries
/// and metrics stay versioned. Created when missing; a user's own file is never touched.
/// </summary>
public static class ProgressIgnore
{
    public const string Content = """
        # Written by the harness: its transient files stay out of commits (the agent's and its own checkpoints).
        # State, the feature list, checkpoint.json, metrics.jsonl and sessions/ stay versioned.
        harness.lock
        harness.lock.stale-*
        feature-list.json.lock
        session-start.json
        .*.tmp
        *.bak
        *.rejected
        transcripts/

        """;

    public static string PathFor(ProjectLayout layout) => Path.Combine(layout.ProgressDirectory, ".gitignore");

    /// <returns>True when the file was created now.</returns>
    public static bool Ensure(ProjectLayout layout)
    {
        var path = PathFor(layout);
        if (File.Exists(path))
        {
            return false;
        }

        Directory.CreateDirectory(layout.ProgressDirectory);
        try
        {
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            stream.Write(System.Text.Encoding.UTF8.GetBytes(Content.Replace("\r\n", "\n", StringComparison.Ordinal)));
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
    }
}
