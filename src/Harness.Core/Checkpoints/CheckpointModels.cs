using Harness.Core.Git;
using Harness.Core.State;

namespace Harness.Core.Checkpoints;

/// <summary>
/// One checkpoint: a commit of the whole work tree, and what the harness knew when it was taken.
/// Stored as the ref <c>refs/harness/checkpoints/&lt;Name&gt;</c> (pointing at a small record
/// commit whose parent is <see cref="Commit"/> and whose message holds these fields), so it can
/// be listed without checkpoint.json and survives a reset; the newest is also checkpoint.json.
/// </summary>
public sealed record Checkpoint
{
    /// <summary>The UTC stamp that names it (<c>20260115T101112123Z</c>); names sort by time.</summary>
    public required string Name { get; init; }

    public string Ref => CheckpointStore.CheckpointRefPrefix + Name;

    /// <summary>The commit holding the work tree.</summary>
    public required string Commit { get; init; }

    public string ShortCommit => Commit.Length > 12 ? Commit[..12] : Commit;

    /// <summary>True when the save made a commit; false when there was nothing to commit (recorded at HEAD).</summary>
    public bool CreatedCommit { get; init; }

    public DateTimeOffset Time { get; init; }

    public SessionState? State { get; init; }

    public HealthStatus Health { get; init; } = HealthStatus.UNKNOWN;

    public string? SessionId { get; init; }

    /// <summary>The branch checked out; null on a detached HEAD.</summary>
    public string? Branch { get; init; }

    public bool Detached { get; init; }

    public int FeaturesTotal { get; init; }

    public int FeaturesDone { get; init; }

    public int FeaturesRemaining { get; init; }

    public int FeaturesBlocked { get; init; }

    public string? Reason { get; init; }

    /// <summary>The commit message (first line) of <see cref="Commit"/> when this save made it.</summary>
    public string? Message { get; init; }

    /// <summary>The commit was written with the harness identity because no author was configured.</summary>
    public bool UsedHarnessIdentity { get; init; }

    /// <summary>Set by listing: the newest checkpoint whose health was HEALTHY.</summary>
    public bool IsLastGood { get; init; }

    /// <summary>One line for people: what PowerShell shows for <c>"$x"</c> and what logs print.</summary>
    public override string ToString() => $"{Name} {ShortCommit} {Health} {State}, {FeaturesDone}/{FeaturesTotal} done{(Reason is { Length: > 0 } ? ": " + Reason : "")}";
}

/// <summary>What to record with a checkpoint.</summary>
public sealed record CheckpointOptions
{
    /// <summary>Why it is taken ("after session 7", "before risky refactor"); goes into the commit message.</summary>
    public string? Reason { get; init; }

    /// <summary>Default: state.json's session_id.</summary>
    public string? SessionId { get; init; }
}

/// <summary>How to restore.</summary>
public sealed record RestoreOptions
{
    /// <summary>The checkpoint's name (or a unique prefix of it, or of its commit); null: the last good one.</summary>
    public string? Checkpoint { get; init; }

    /// <summary>Restore onto a work tree with uncommitted changes (they are backed up first).</summary>
    public bool Force { get; init; }

    /// <summary>Only say what would change.</summary>
    public bool DryRun { get; init; }

    /// <summary>Recorded in state.json's history.</summary>
    public string? Reason { get; init; }
}

/// <summary>What a restore did, or (dry run) would do.</summary>
public sealed record RestoreResult
{
    public required Checkpoint Checkpoint { get; init; }

    public bool DryRun { get; init; }

    public string? PreviousHead { get; init; }

    /// <summary><c>refs/harness/backup/&lt;time&gt;</c>: HEAD plus every uncommitted and untracked file as they were before; null in a dry run.</summary>
    public string? BackupRef { get; init; }

    public string? BackupCommit { get; init; }

    /// <summary>Files the restore rewrites, adds or removes (status letter: M, A, D; untracked files that go: D).</summary>
    public IReadOnlyList<GitFileChange> Files { get; init; } = [];

    /// <summary>Commits on the current branch that are not in the checkpoint (still reachable from the backup ref).</summary>
    public IReadOnlyList<GitCommit> CommitsDropped { get; init; } = [];

    /// <summary>Uncommitted changes found (a dry run shows them; a real restore needs Force when there are any).</summary>
    public IReadOnlyList<string> DirtyFiles { get; init; } = [];

    /// <summary>One line for people: what PowerShell shows for <c>"$x"</c> and what logs print.</summary>
    public override string ToString() => $"{(DryRun ? "Would restore" : "Restored")} {Checkpoint.Name} ({Checkpoint.ShortCommit}): {Files.Count} file(s), {CommitsDropped.Count} commit(s) dropped{(BackupRef is null ? "" : ", backup " + BackupRef)}";
}

/// <summary>An autosave: a snapshot commit under <c>refs/harness/autosave/&lt;session&gt;/&lt;time&gt;</c>, off every branch.</summary>
internal sealed record Autosave(string Ref, string Commit, string Tree, bool Created, IReadOnlyList<string> Pruned);

/// <summary>The seed's <c>show_git_diff(last_commit)</c>: what changed since the last good checkpoint.</summary>
public sealed record WhatBroke
{
    public required Checkpoint LastGood { get; init; }

    public IReadOnlyList<GitCommit> Commits { get; init; } = [];

    public IReadOnlyList<GitFileChange> Files { get; init; } = [];
}
