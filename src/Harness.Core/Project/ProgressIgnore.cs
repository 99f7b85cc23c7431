using System.Text;

namespace Harness.Core.Project;

/// <summary>
/// <c>.claude/progress/.gitignore</c>, derived from <see cref="HarnessFiles.Table"/>: the files
/// the harness rewrites on its own (state, checkpoint record, metrics, lock, baseline, backups,
/// temporaries, transcripts) stay out of every commit, the agent's <c>git add -A</c> and the
/// harness's checkpoints alike, so <c>git status</c> is clean after a handoff. The feature list
/// and the session summaries stay versioned. A file the harness wrote (it starts with
/// <see cref="Header"/>) is brought up to date; a user's own file is never touched.
/// </summary>
internal static class ProgressIgnore
{
    public const string Header = "# Written by the harness";

    public static string Content { get; } = Build();

    public static string PathFor(ProjectLayout layout) => Path.Combine(layout.ProgressDirectory, ".gitignore");

    /// <returns>True when the file was created or brought up to date now.</returns>
    public static bool Ensure(ProjectLayout layout)
    {
        var path = PathFor(layout);
        if (File.Exists(path))
        {
            var current = File.ReadAllText(path);
            if (!current.StartsWith(Header, StringComparison.Ordinal) || current == Content)
            {
                return false;
            }

            IO.AtomicFile.WriteText(path, Content);
            return true;
        }

        Directory.CreateDirectory(layout.ProgressDirectory);
        try
        {
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            stream.Write(Encoding.UTF8.GetBytes(Content));
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
    }

    private static string Build()
    {
        var text = new StringBuilder();
        text.Append(Header).Append(" (from its table of files, docs/formats.md): what it rewrites on its own stays out of commits,\n");
        text.Append("# the agent's and its own checkpoints alike. The feature list and sessions/ stay versioned.\n");
        foreach (var pattern in HarnessFiles.IgnoredInProgressFolder())
        {
            text.Append(pattern).Append('\n');
        }

        return text.ToString();
    }
}
