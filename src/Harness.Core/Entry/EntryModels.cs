using Harness.Core.Features;
using Harness.Core.Git;
using Harness.Core.Health;
using Harness.Core.State;

namespace Harness.Core.Entry;

/// <summary>What the entry protocol should do.</summary>
public sealed record EntryOptions
{
    /// <summary>False: do not run the health check; the status recorded by the last entry is used.</summary>
    public bool RunHealthCheck { get; init; } = true;

    /// <summary>True: read everything, run the check, write nothing (no state file, no lock).</summary>
    public bool DryRun { get; init; }

    public int RecentCommitCount { get; init; } = 5;

    public int RecentFileCount { get; init; } = 5;

    /// <summary>What to do when the previous session crashed (state.json still <c>dirty: true</c>, no live harness holding the lock).</summary>
    public CrashPolicy CrashPolicy { get; init; } = CrashPolicy.Keep;

    /// <summary>Environment lookup for <c>required_env</c>; tests replace it.</summary>
    public Func<string, string?>? EnvironmentLookup { get; init; }
}

/// <summary>Crash recovery at entry.</summary>
public enum CrashPolicy
{
    /// <summary>Keep the work tree as the crashed session left it; record the crash in state.json's history.</summary>
    Keep,

    /// <summary>Restore the last good checkpoint (else the newest); the tree is backed up under refs/harness/backup/ first.</summary>
    Rollback,
}

/// <summary>A crashed session found at entry, and what was done about it.</summary>
public sealed record CrashReport
{
    public string? SessionId { get; init; }

    /// <summary>When state.json was last written by the crashed session.</summary>
    public DateTimeOffset? LastWrittenAt { get; init; }

    public CrashPolicy Policy { get; init; }

    /// <summary>"kept", "rolled_back", or "none" (dry run, or rollback without a checkpoint).</summary>
    public required string Action { get; init; }

    public string? Checkpoint { get; init; }

    public string? BackupRef { get; init; }

    public required string Message { get; init; }
}

/// <summary>
/// A process a killed harness left running (an agent, a tool it ran, a health check's server) that
/// this run killed before doing anything else (docs/loop.md, Processes).
/// </summary>
/// <param name="Pid">Its process id.</param>
/// <param name="Name">The kernel's name for it (Linux <c>comm</c>, at most 15 characters); null when not known.</param>
/// <param name="Role">What the killed harness had started its tree for: <c>agent</c>, <c>health_check</c>, ...</param>
public sealed record SurvivorProcess(int Pid, string? Name, string? Role)
{
    /// <summary>"killed 3 process(es) a killed harness left running: 4242 claude (agent), 4250 bash (agent), ...".</summary>
    public static string Describe(IReadOnlyList<SurvivorProcess> killed) =>
        $"killed {killed.Count} process(es) a killed harness left running: {string.Join(", ", killed.Take(10))}{(killed.Count > 10 ? ", ..." : "")}";

    /// <summary>"4242 claude (agent)".</summary>
    public override string ToString() => $"{Pid} {Name ?? "?"} ({Role ?? "?"})";
}

/// <summary>The seed's feature status values.</summary>
public enum FeatureListStatus
{
    NO_FEATURE_LIST,
    HAS_PENDING_FEATURES,
    ALL_COMPLETE,
}

/// <summary>The seed's session detection: INIT when there is no feature list yet, else CONTINUE.</summary>
public enum SessionType
{
    INIT,
    CONTINUE,
}

/// <summary>
/// Everything the session entry protocol found and decided. The top-level snake_case JSON names
/// include the seed script's (<c>directory</c>, <c>health_status</c>, <c>feature_status</c>,
/// <c>current_state</c>, <c>next_state</c>, <c>latest_summary</c>) so scripts written for it keep working.
/// </summary>
public sealed record EntryReport
{
    public required string Directory { get; init; }

    public IReadOnlyList<string> ProjectMarkers { get; init; } = [];

    public string? ProjectType { get; init; }

    /// <summary>"config" when project.json names it, "detected" when it came from the markers.</summary>
    public string? ProjectTypeSource { get; init; }

    public string? ConfigPath { get; init; }

    public required GitSnapshot Git { get; init; }

    public required HealthCheckResult Health { get; init; }

    /// <summary>The health the decision used: the check's result, or the last recorded one when the check was not run.</summary>
    public HealthStatus HealthStatus { get; init; }

    public required string StateFile { get; init; }

    /// <summary>True when this entry created state.json (or would have, in a dry run).</summary>
    public bool StateCreated { get; init; }

    public SessionState CurrentState { get; init; }

    public SessionState NextState { get; init; }

    public required string NextStateReason { get; init; }

    public FeatureListStatus FeatureStatus { get; init; }

    public required FeatureSummary Features { get; init; }

    public SessionType SessionType { get; init; }

    /// <summary>The previous session left <c>dirty: true</c>: it did not end cleanly.</summary>
    public bool PreviousSessionDirty { get; init; }

    public string? LatestSummary { get; init; }

    /// <summary>Set when the previous session crashed: who, when, and the recovery.</summary>
    public CrashReport? Crash { get; init; }

    /// <summary>Processes of a killed harness that were still running and were killed when this entry took the project lock, before anything else.</summary>
    public IReadOnlyList<SurvivorProcess> KilledSurvivors { get; init; } = [];

    /// <summary>Set when health is BROKEN and a good checkpoint exists: what changed since it (the seed's show_git_diff).</summary>
    public Checkpoints.WhatBroke? WhatBroke { get; init; }

    public IReadOnlyList<string> RecentFiles { get; init; } = [];

    /// <summary>"file_history", "git" or "none".</summary>
    public string RecentFilesSource { get; init; } = "none";

    /// <summary>The seed's skill folder for the next state.</summary>
    public required string Skill { get; init; }

    /// <summary>Names (never values) of <c>required_env</c> variables that are unset or empty.</summary>
    public IReadOnlyList<string> MissingEnv { get; init; } = [];

    /// <summary>The config's <c>required_env</c> names (not in the JSON report): CI masks the values of those that are set.</summary>
    public IReadOnlyList<string> RequiredEnv { get; init; } = [];

    public IReadOnlyList<string> Warnings { get; init; } = [];

    public bool DryRun { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public TimeSpan Duration { get; init; }

    public double DurationMs => Math.Round(Duration.TotalMilliseconds, 3);

    /// <summary>One line for people: what PowerShell shows for <c>"$x"</c> and what logs print.</summary>
    public override string ToString() => $"{Directory}: {CurrentState} -> {NextState} (health {HealthStatus}, {Features.Counts.Remaining} feature(s) remaining{(Features.NextFeature is { } next ? ", next " + next.Id : "")}){(DryRun ? " (dry run)" : "")}";
}
