using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Harness.Core.IO;
using Harness.Core.Json;
using Harness.Core.Json.Converters;
using Harness.Core.Project;

namespace Harness.Core.Loop.Parallel;

/// <summary>Where a worker's step stands, in its record: what crash recovery must finish or undo.</summary>
internal static class WorkerPhases
{
    /// <summary>No assignment: the worktree waits for the next one.</summary>
    public const string Idle = "idle";

    /// <summary>The worktree is being made or reset for an assignment.</summary>
    public const string Preparing = "preparing";

    /// <summary>The agent works in the worktree.</summary>
    public const string Session = "session";

    /// <summary>The health check runs in the worktree.</summary>
    public const string Checking = "checking";

    /// <summary>The worker's branch is merged with the main line in memory and the result re-checked; the main line is untouched.</summary>
    public const string Merging = "merging";

    /// <summary>The feature is being marked done in the project's list, and the merge commit made.</summary>
    public const string Committing = "committing";

    /// <summary>The merge commit exists (<see cref="WorkerRecord.Merged"/>); the main line is being moved to it.</summary>
    public const string Advancing = "advancing";
}

/// <summary>
/// <c>.claude/progress/worktrees/worker-N.json</c>: one worker of a parallel run, rewritten
/// (atomically) at every step, so that the next run can tell after a crash which worktree,
/// branch, feature, agent session and half-done merge the worker left behind.
/// </summary>
internal sealed record WorkerRecord
{
    public required int Worker { get; init; }

    /// <summary>One of <see cref="WorkerPhases"/>.</summary>
    public required string Phase { get; init; }

    /// <summary>The worktree's folder.</summary>
    public required string Worktree { get; init; }

    /// <summary>The worker's branch, <c>harness/worker-N</c>.</summary>
    public required string Branch { get; init; }

    /// <summary>The main line's full ref.</summary>
    public required string MainBranch { get; init; }

    /// <summary>The harness process that ran the worker.</summary>
    public int HarnessPid { get; init; }

    public string? Feature { get; init; }

    /// <summary>The feature's status in the project's list before the merge marked it done, to put back if the merge does not land.</summary>
    public string? FeatureStatusBefore { get; init; }

    public string? FeatureNotesBefore { get; init; }

    /// <summary>The agent's <c>HARNESS_SESSION_ID</c>: its processes carry it, which is how recovery finds them.</summary>
    public string? SessionId { get; init; }

    /// <summary>The main line's commit the worktree started from.</summary>
    public string? Base { get; init; }

    /// <summary>The worker's branch tip after the session (its work, uncommitted files included).</summary>
    public string? Work { get; init; }

    /// <summary>The main line's tip the merge was made against.</summary>
    public string? MainBefore { get; init; }

    /// <summary>The merge commit the main line is being moved to.</summary>
    public string? Merged { get; init; }

    [JsonConverter(typeof(UtcTimestampConverter))]
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>The names and places parallel sessions use: one table of them, so recovery finds exactly what a run made.</summary>
internal static class WorkerNames
{
    /// <summary>Branches of workers: <c>harness/worker-N</c>.</summary>
    public const string BranchPrefix = "harness/worker-";

    /// <summary>The agent's variable naming its worker (1 to N).</summary>
    public const string WorkerVariable = "HARNESS_WORKER";

    /// <summary>The agent's variable naming the one feature it is to finish.</summary>
    public const string FeatureVariable = "HARNESS_FEATURE_ID";

    /// <summary>Work a worker did that was not merged, per feature: the next attempt's prompt points at it.</summary>
    public const string WorkRefPrefix = "refs/harness/work/";

    /// <summary>The folder of worktrees and their records: <c>.claude/progress/worktrees</c> (a row of <see cref="HarnessFiles"/>).</summary>
    public static string Folder(ProjectLayout layout) => Path.Combine(layout.ProgressDirectory, "worktrees");

    public static string Worktree(ProjectLayout layout, int worker) => Path.Combine(Folder(layout), Worker(worker));

    public static string RecordPath(ProjectLayout layout, int worker) => Worktree(layout, worker) + ".json";

    public static string Branch(int worker) => BranchPrefix + worker.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// <c>refs/harness/work/&lt;feature id&gt;</c>; an id with characters a ref cannot hold (or any
    /// '.') has them replaced and a short hash of the id added, so two ids never share a ref.
    /// </summary>
    public static string WorkRef(string featureId)
    {
        var safe = new string(featureId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());
        if (safe != featureId || safe.Length == 0)
        {
            safe += "-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(featureId)))[..8].ToLowerInvariant();
        }

        return WorkRefPrefix + safe;
    }

    /// <summary>The worker number of a worktree folder or record file name (<c>worker-3</c>, <c>worker-3.json</c>), or null.</summary>
    public static int? WorkerOf(string name)
    {
        var stem = name.EndsWith(".json", StringComparison.Ordinal) ? name[..^5] : name;
        return stem.StartsWith("worker-", StringComparison.Ordinal) && int.TryParse(stem.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
    }

    private static string Worker(int worker) => "worker-" + worker.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Reads and writes the workers' records.</summary>
internal static class WorkerRecords
{
    public static void Save(ProjectLayout layout, WorkerRecord record) =>
        AtomicFile.Write(WorkerNames.RecordPath(layout, record.Worker), HarnessJson.FileBytes(record, HarnessJsonContext.Default.WorkerRecord));

    /// <summary>Every record in the folder; one that cannot be read comes back as null with its worker number (its worktree and branch are still found by name).</summary>
    public static IReadOnlyList<(int Worker, WorkerRecord? Record)> LoadAll(ProjectLayout layout)
    {
        var folder = WorkerNames.Folder(layout);
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var records = new List<(int, WorkerRecord?)>();
        foreach (var file in Directory.EnumerateFiles(folder, "worker-*.json"))
        {
            if (WorkerNames.WorkerOf(Path.GetFileName(file)) is { } worker)
            {
                records.Add((worker, Read(file)));
            }
        }

        return records.OrderBy(r => r.Item1).ToList();
    }

    public static void Delete(ProjectLayout layout, int worker) => File.Delete(WorkerNames.RecordPath(layout, worker));

    private static WorkerRecord? Read(string path)
    {
        try
        {
            return FileBytes.ReadIfExists(path) is { } bytes
                ? JsonSerializer.Deserialize(JsonFile.SkipBom(bytes).Span, HarnessJsonContext.Default.WorkerRecord)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
