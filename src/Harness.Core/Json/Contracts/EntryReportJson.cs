using Harness.Core.Entry;
using Harness.Core.Health;

namespace Harness.Core.Json.Contracts;

/// <summary>
/// <c>harness entry --json</c> (docs/formats.md, "Entry report"). The seed script's names stay at
/// the top level (<c>directory</c>, <c>health_status</c>, <c>feature_status</c>, <c>current_state</c>,
/// <c>next_state</c>, <c>latest_summary</c>) so scripts written for it keep working.
/// </summary>
internal sealed record EntryReportJson
{
    public required string Directory { get; init; }

    public required IReadOnlyList<string> ProjectMarkers { get; init; }

    public string? ProjectType { get; init; }

    public string? ProjectTypeSource { get; init; }

    public string? ConfigPath { get; init; }

    public required GitSnapshotJson Git { get; init; }

    public required HealthJson Health { get; init; }

    public required string HealthStatus { get; init; }

    public required string StateFile { get; init; }

    public bool StateCreated { get; init; }

    public required string CurrentState { get; init; }

    public required string NextState { get; init; }

    public required string NextStateReason { get; init; }

    public required string FeatureStatus { get; init; }

    public required FeatureSummaryJson Features { get; init; }

    public required string SessionType { get; init; }

    public bool PreviousSessionDirty { get; init; }

    public string? LatestSummary { get; init; }

    public CrashJson? Crash { get; init; }

    public required IReadOnlyList<SurvivorProcessJson> KilledSurvivors { get; init; }

    public WhatBrokeJson? WhatBroke { get; init; }

    public required IReadOnlyList<string> RecentFiles { get; init; }

    public required string RecentFilesSource { get; init; }

    public required string Skill { get; init; }

    public required IReadOnlyList<string> MissingEnv { get; init; }

    public required IReadOnlyList<string> Warnings { get; init; }

    public bool DryRun { get; init; }

    public required string StartedAt { get; init; }

    public double DurationMs { get; init; }

    public static EntryReportJson From(EntryReport r) => new()
    {
        Directory = r.Directory,
        ProjectMarkers = r.ProjectMarkers,
        ProjectType = r.ProjectType,
        ProjectTypeSource = r.ProjectTypeSource,
        ConfigPath = r.ConfigPath,
        Git = GitSnapshotJson.From(r.Git),
        Health = HealthJson.From(r.Health),
        HealthStatus = WireText.Of(r.HealthStatus),
        StateFile = r.StateFile,
        StateCreated = r.StateCreated,
        CurrentState = WireText.Of(r.CurrentState),
        NextState = WireText.Of(r.NextState),
        NextStateReason = r.NextStateReason,
        FeatureStatus = WireText.Of(r.FeatureStatus),
        Features = FeatureSummaryJson.From(r.Features),
        SessionType = WireText.Of(r.SessionType),
        PreviousSessionDirty = r.PreviousSessionDirty,
        LatestSummary = r.LatestSummary,
        Crash = r.Crash is { } c ? new CrashJson(c.SessionId, WireText.Of(c.LastWrittenAt), WireText.Of(c.Policy), c.Action, c.Checkpoint, c.BackupRef, c.Message) : null,
        KilledSurvivors = SurvivorProcessJson.From(r.KilledSurvivors),
        WhatBroke = r.WhatBroke is { } b ? new WhatBrokeJson(CheckpointJson.From(b.LastGood), CommitSummaryJson.From(b.Commits), FileChangeJson.From(b.Files)) : null,
        RecentFiles = r.RecentFiles,
        RecentFilesSource = r.RecentFilesSource,
        Skill = r.Skill,
        MissingEnv = r.MissingEnv,
        Warnings = r.Warnings,
        DryRun = r.DryRun,
        StartedAt = WireText.Of(r.StartedAt),
        DurationMs = r.DurationMs,
    };
}

/// <summary>A health check's result: the entry report's <c>health</c>.</summary>
internal sealed record HealthJson(
    string Kind, string Status, string Outcome, string? Command, bool IsFallback, string Description, int? ExitCode,
    double DurationMs, double TimeoutSeconds, bool TimedOut, string OutputTail)
{
    public static HealthJson From(HealthCheckResult h) =>
        new(h.Kind, WireText.Of(h.Status), WireText.Of(h.Outcome), h.Command, h.IsFallback, h.Description, h.ExitCode, h.DurationMs, h.TimeoutSeconds, h.TimedOut, h.OutputTail);
}

/// <summary>The entry report's <c>crash</c>: the session that did not hand off, and the recovery.</summary>
internal sealed record CrashJson(string? SessionId, string? LastWrittenAt, string Policy, string Action, string? Checkpoint, string? BackupRef, string Message);

/// <summary>One of the entry report's <c>killed_survivors</c>: a process a killed harness left running, killed by this entry.</summary>
internal sealed record SurvivorProcessJson(int Pid, string? Name, string? Role)
{
    public static IReadOnlyList<SurvivorProcessJson> From(IReadOnlyList<SurvivorProcess> killed) => [.. killed.Select(k => new SurvivorProcessJson(k.Pid, k.Name, k.Role))];
}

/// <summary>The entry report's <c>what_broke</c>: the last good checkpoint and what changed since.</summary>
internal sealed record WhatBrokeJson(CheckpointJson LastGood, IReadOnlyList<CommitSummaryJson> Commits, IReadOnlyList<FileChangeJson> Files);
