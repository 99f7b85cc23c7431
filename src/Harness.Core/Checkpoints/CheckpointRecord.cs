using System.Globalization;
using System.Text;
using Harness.Core.Git;
using Harness.Core.State;

namespace Harness.Core.Checkpoints;

/// <summary>
/// The message of a checkpoint's record commit (the commit <c>refs/harness/checkpoints/&lt;name&gt;</c>
/// points at; its first parent is the checkpoint commit). <c>key: value</c> lines after a title,
/// so a checkpoint is fully described by its ref and <c>git log</c> shows it readably.
/// </summary>
internal static class CheckpointRecord
{
    public static string Format(Checkpoint c)
    {
        var s = new StringBuilder();
        s.Append(CultureInfo.InvariantCulture, $"harness checkpoint {c.Name}\n\n");
        s.Append(CultureInfo.InvariantCulture, $"commit: {c.Commit}\n");
        s.Append(CultureInfo.InvariantCulture, $"created_commit: {(c.CreatedCommit ? "true" : "false")}\n");
        s.Append(CultureInfo.InvariantCulture, $"time: {CheckpointStore.Iso(c.Time)}\n");
        s.Append(CultureInfo.InvariantCulture, $"state: {c.State?.ToString() ?? ""}\n");
        s.Append(CultureInfo.InvariantCulture, $"health: {c.Health}\n");
        s.Append(CultureInfo.InvariantCulture, $"session: {c.SessionId ?? ""}\n");
        s.Append(CultureInfo.InvariantCulture, $"branch: {c.Branch ?? ""}\n");
        s.Append(CultureInfo.InvariantCulture, $"detached: {(c.Detached ? "true" : "false")}\n");
        s.Append(CultureInfo.InvariantCulture, $"features: total={c.FeaturesTotal} done={c.FeaturesDone} remaining={c.FeaturesRemaining} blocked={c.FeaturesBlocked}\n");
        s.Append(CultureInfo.InvariantCulture, $"harness_identity: {(c.UsedHarnessIdentity ? "true" : "false")}\n");
        s.Append(CultureInfo.InvariantCulture, $"reason: {OneLine(c.Reason)}\n");
        s.Append(CultureInfo.InvariantCulture, $"message: {OneLine(c.Message)}\n");
        return s.ToString();
    }

    /// <summary>The checkpoint a ref describes, or null when the ref is not one of ours.</summary>
    public static Checkpoint? Parse(GitRefRecord record)
    {
        if (!record.Name.StartsWith(CheckpointStore.CheckpointRefPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in record.Message.Split('\n'))
        {
            var colon = line.IndexOf(": ", StringComparison.Ordinal);
            if (colon > 0)
            {
                fields.TryAdd(line[..colon], line[(colon + 2)..].TrimEnd('\r'));
            }
            else if (line.EndsWith(':'))
            {
                fields.TryAdd(line[..^1], "");
            }
        }

        var commit = Get(fields, "commit") ?? (record.Parents.Count > 0 ? record.Parents[0] : record.Commit);
        var (total, done, remaining, blocked) = Features(Get(fields, "features"));
        return new Checkpoint
        {
            Name = record.Name[CheckpointStore.CheckpointRefPrefix.Length..],
            Commit = commit,
            CreatedCommit = Get(fields, "created_commit") == "true",
            Time = Json.Timestamps.TryParse(Get(fields, "time"), out var t) ? t : DateTimeOffset.MinValue,
            State = Enum.TryParse<SessionState>(Get(fields, "state"), out var state) ? state : null,
            Health = Enum.TryParse<HealthStatus>(Get(fields, "health"), out var health) ? health : HealthStatus.UNKNOWN,
            SessionId = Get(fields, "session"),
            Branch = Get(fields, "branch"),
            Detached = Get(fields, "detached") == "true",
            FeaturesTotal = total,
            FeaturesDone = done,
            FeaturesRemaining = remaining,
            FeaturesBlocked = blocked,
            UsedHarnessIdentity = Get(fields, "harness_identity") == "true",
            Reason = Get(fields, "reason"),
            Message = Get(fields, "message"),
        };
    }

    private static string? Get(Dictionary<string, string> fields, string key) =>
        fields.TryGetValue(key, out var value) && value.Length > 0 ? value : null;

    private static (int Total, int Done, int Remaining, int Blocked) Features(string? text)
    {
        int total = 0, done = 0, remaining = 0, blocked = 0;
        foreach (var part in (text ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            if (eq < 0 || !int.TryParse(part[(eq + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                continue;
            }

            switch (part[..eq])
            {
                case "total": total = n; break;
                case "done": done = n; break;
                case "remaining": remaining = n; break;
                case "blocked": blocked = n; break;
            }
        }

        return (total, done, remaining, blocked);
    }

    private static string OneLine(string? text) =>
        text is null ? "" : text.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? "";
}
