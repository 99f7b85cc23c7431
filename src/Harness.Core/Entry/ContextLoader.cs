using System.Text.Json;
using Harness.Core.Git;
using Harness.Core.Json;
using Harness.Core.Project;

namespace Harness.Core.Entry;

/// <summary>Phase 3 of the entry protocol: the last summary and the recently touched files.</summary>
internal static class ContextLoader
{
    /// <summary>The newest <c>sessions/*.md</c> (names are UTC stamps, so the name orders them), else the seed's single summary file.</summary>
    public static string? LatestSummary(ProjectLayout layout)
    {
        string? newest = null;
        if (Directory.Exists(layout.SessionsDirectory))
        {
            foreach (var file in Directory.EnumerateFiles(layout.SessionsDirectory, "*.md"))
            {
                if (newest is null || string.CompareOrdinal(Path.GetFileName(file), Path.GetFileName(newest)) > 0)
                {
                    newest = file;
                }
            }
        }

        return newest ?? (File.Exists(layout.LegacySummaryFile) ? layout.LegacySummaryFile : null);
    }

    /// <summary>
    /// Up to <paramref name="count"/> recent files, newest first: from <c>file_history.json</c>
    /// when it exists and reads (an array of paths, or of objects with a <c>path</c> or <c>file</c>,
    /// oldest first), else from the last commits.
    /// </summary>
    public static (IReadOnlyList<string> Files, string Source, string? Warning) RecentFiles(ProjectLayout layout, GitSnapshot git, int count)
    {
        if (File.Exists(layout.FileHistoryFile))
        {
            var (files, warning) = ReadFileHistory(layout.FileHistoryFile, count);
            if (files is not null)
            {
                return (files, "file_history", null);
            }

            if (git.RecentFiles.Count > 0)
            {
                return (git.RecentFiles.Take(count).ToArray(), "git", warning);
            }

            return ([], "none", warning);
        }

        return git.RecentFiles.Count > 0 ? (git.RecentFiles.Take(count).ToArray(), "git", null) : ([], "none", null);
    }

    private static (IReadOnlyList<string>? Files, string? Warning) ReadFileHistory(string path, int count)
    {
        try
        {
            var json = JsonFile.SkipBom(File.ReadAllBytes(path)).Span.TrimStart(" \t\r\n"u8);
            if (json.IsEmpty || json[0] != (byte)'[')
            {
                return (null, $"{path}: expected an array of file paths; using git for recent files");
            }

            var files = new List<string>();
            foreach (var entry in JsonSerializer.Deserialize(json, HarnessJsonContext.Default.IReadOnlyListFileHistoryEntryJson) ?? [])
            {
                if (!string.IsNullOrEmpty(entry.Path))
                {
                    files.Add(entry.Path);
                }
            }

            files.Reverse();
            return (files.Distinct(StringComparer.Ordinal).Take(count).ToArray(), null);
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            return (null, $"{path}: cannot be read ({JsonFile.OneLine(ex.Message)}); using git for recent files");
        }
    }
}
