using Harness.Core.Project;

namespace Harness.Core.Agents;

/// <summary>Where raw agent transcripts go: <c>.claude/progress/transcripts/&lt;session&gt;.jsonl</c>.</summary>
internal static class AgentTranscripts
{
    /// <summary>A session name that sorts by time: <c>20260121T193217123Z</c>.</summary>
    public static string NewSessionName(DateTimeOffset? now = null) =>
        Json.Timestamps.Stamp(now ?? DateTimeOffset.UtcNow);

    public static string PathFor(ProjectLayout layout, string sessionName)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if (string.IsNullOrWhiteSpace(sessionName) || sessionName.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || sessionName.Contains("..", StringComparison.Ordinal))
            throw new ArgumentException($"not a usable file name: '{sessionName}'", nameof(sessionName));
        return Path.Combine(layout.TranscriptsDirectory, sessionName + ".jsonl");
    }
}
