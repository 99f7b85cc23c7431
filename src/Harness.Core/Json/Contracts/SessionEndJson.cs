using Harness.Core.Checkpoints;
using Harness.Core.Metrics;
using Harness.Core.Summaries;

namespace Harness.Core.Json.Contracts;

/// <summary><c>harness checkpoint restore --json</c>.</summary>
internal sealed record RestoreResultJson(
    CheckpointJson Checkpoint, bool DryRun, string? PreviousHead, string? BackupRef, string? BackupCommit,
    IReadOnlyList<FileChangeJson> Files, IReadOnlyList<CommitSummaryJson> CommitsDropped, IReadOnlyList<string> DirtyFiles)
{
    public static RestoreResultJson From(RestoreResult r) => new(
        CheckpointJson.From(r.Checkpoint), r.DryRun, r.PreviousHead, r.BackupRef, r.BackupCommit,
        FileChangeJson.From(r.Files), CommitSummaryJson.From(r.CommitsDropped), r.DirtyFiles);
}

/// <summary><c>harness summary --json</c>.</summary>
internal sealed record SessionSummaryJson(
    string SessionId, string? Path, string StartedAt, string EndedAt, string FinalState, string HealthStatus,
    int FeaturesDone, int FeaturesRemaining, int FeaturesCompleted, string Markdown)
{
    public static SessionSummaryJson From(SessionSummary s) => new(
        s.SessionId, s.Path, WireText.Of(s.StartedAt), WireText.Of(s.EndedAt), WireText.Of(s.FinalState), WireText.Of(s.Health), s.FeaturesDone, s.FeaturesRemaining, s.FeaturesCompleted, s.Markdown);
}

/// <summary><c>harness summary --handoff --json</c>.</summary>
internal sealed record HandoffResultJson(string SessionId, bool AlreadyDone, CheckpointJson? Checkpoint, string? Summary, MetricsLineJson? Metrics, IReadOnlyList<string> Cleaned)
{
    public static HandoffResultJson From(HandoffResult h) => new(
        h.SessionId, h.AlreadyDone, h.Checkpoint is { } c ? CheckpointJson.From(c) : null, h.SummaryPath, h.Metrics is { } m ? MetricsLineJson.From(m) : null, h.Cleaned);
}
