using System.Globalization;
using Harness.Core.IO;
using Harness.Core.Json;
using Harness.Core.Project;

namespace Harness.Core.Loop.Integrity;

/// <summary>
/// The agent's versions of the feature list that the integrity check undid, one file per violation
/// (<c>feature-list.json.&lt;time&gt;.rejected</c> in .claude/progress), the newest <see cref="Keep"/>
/// kept: a later violation must not overwrite the evidence of an earlier one, and a loop that
/// tampers every session must not fill the disk.
/// </summary>
internal static class RejectedFeatureLists
{
    public const int Keep = 10;

    /// <returns>The path written.</returns>
    public static string Save(ProjectLayout layout, string listPath, byte[] agentVersion, DateTimeOffset now)
    {
        var stamp = Timestamps.Stamp(now);
        var path = layout.SidecarOf(listPath, $".{stamp}.rejected");
        for (var n = 2; File.Exists(path); n++)
        {
            path = layout.SidecarOf(listPath, string.Create(CultureInfo.InvariantCulture, $".{stamp}-{n}.rejected"));
        }

        AtomicFile.Write(path, agentVersion);
        Prune(layout, listPath);
        return path;
    }

    /// <summary>Every kept copy for <paramref name="listPath"/>, oldest first (the names sort by time).</summary>
    public static IReadOnlyList<string> List(ProjectLayout layout, string listPath)
    {
        var directory = layout.ProgressDirectory;
        if (!Directory.Exists(directory))
        {
            return [];
        }

        return Directory.EnumerateFiles(directory, Path.GetFileName(listPath) + ".*.rejected")
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static void Prune(ProjectLayout layout, string listPath)
    {
        var copies = List(layout, listPath);
        foreach (var old in copies.Take(Math.Max(0, copies.Count - Keep)))
        {
            try
            {
                File.Delete(old);
            }
            catch (IOException)
            {
                // A copy in use stays until the next violation; nothing depends on the count being exact.
            }
        }
    }
}
