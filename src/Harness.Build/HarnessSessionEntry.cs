using Harness.Core.Entry;
using Harness.Core.Git;
using Harness.Core.Hosting;
using Harness.Core.State;
using Microsoft.Build.Framework;

namespace Harness.Build;

/// <summary>
/// The session entry protocol (<c>harness entry</c>, <c>Invoke-SessionEntry</c>) as a task: one
/// <see cref="SessionEntry"/> run, its report mapped to outputs. With <see cref="FailOnBroken"/>
/// a BROKEN health status is a HARN0100 error that carries the health check's output.
/// </summary>
public sealed class HarnessSessionEntry : HarnessTask
{
    /// <summary>False: skip the health check and use the health recorded by the last entry.</summary>
    public bool RunHealthCheck { get; set; } = true;

    /// <summary>True: a BROKEN project fails the task (and the build) with HARN0100.</summary>
    public bool FailOnBroken { get; set; }

    /// <summary>True: read and check everything, write nothing (no state.json, no lock).</summary>
    public bool DryRun { get; set; }

    /// <summary>
    /// When the last session crashed (state.json still dirty, no live harness): <c>keep</c> (default)
    /// keeps the tree and records the crash; <c>rollback</c> restores the last good checkpoint, backed up first.
    /// </summary>
    public string? OnCrash { get; set; }

    /// <summary>What crash recovery did: <c>kept</c>, <c>rolled_back</c> or <c>none</c>; empty when the last session did not crash.</summary>
    [Output] public string CrashAction { get; private set; } = "";

    /// <summary>START, INIT, IMPLEMENT, TEST, FIX_BROKEN or COMPLETE.</summary>
    [Output] public string NextState { get; private set; } = "";

    [Output] public string NextStateReason { get; private set; } = "";

    [Output] public string CurrentState { get; private set; } = "";

    /// <summary>HEALTHY, BROKEN or UNKNOWN.</summary>
    [Output] public string HealthStatus { get; private set; } = "";

    /// <summary>INIT or CONTINUE.</summary>
    [Output] public string SessionType { get; private set; } = "";

    /// <summary>NO_FEATURE_LIST, HAS_PENDING_FEATURES or ALL_COMPLETE.</summary>
    [Output] public string FeatureStatus { get; private set; } = "";

    [Output] public int TotalFeatures { get; private set; }

    /// <summary>Features still to do: pending and in progress.</summary>
    [Output] public int PendingFeatures { get; private set; }

    /// <summary>Features done: tested and completed.</summary>
    [Output] public int CompletedFeatures { get; private set; }

    /// <summary>The id of the feature the next IMPLEMENT session should take; empty when none.</summary>
    [Output] public string NextFeature { get; private set; } = "";

    /// <summary>The path of the latest session summary (markdown file); empty when there is none.</summary>
    [Output] public string LatestSummary { get; private set; } = "";

    /// <summary>The project root the entry ran in.</summary>
    [Output] public string ProjectRoot { get; private set; } = "";

    [Output] public string StateFile { get; private set; } = "";

    protected override void Run(IHarnessHost host, CancellationToken cancellationToken)
    {
        if (CrashPolicyNames.Parse(OnCrash) is not { } crashPolicy)
        {
            Log.LogError(
                subcategory: null,
                errorCode: HarnessErrorCodes.InvalidProperty,
                helpKeyword: null,
                file: NullIfEmpty(ProjectDirectory),
                lineNumber: 0,
                columnNumber: 0,
                endLineNumber: 0,
                endColumnNumber: 0,
                message: CrashPolicyNames.Invalid("HarnessOnCrash", OnCrash));
            return;
        }

        using var project = OpenProject(host, cancellationToken);
        var report = project
            .EnterAsync(
                new EntryOptions
                {
                    RunHealthCheck = RunHealthCheck,
                    DryRun = DryRun,
                    CrashPolicy = crashPolicy,
                },
                cancellationToken)
            .GetAwaiter()
            .GetResult();

        NextState = report.NextState.ToString();
        NextStateReason = report.NextStateReason;
        CurrentState = report.CurrentState.ToString();
        HealthStatus = report.HealthStatus.ToString();
        SessionType = report.SessionType.ToString();
        FeatureStatus = report.FeatureStatus.ToString();
        TotalFeatures = report.Features.Counts.Total;
        PendingFeatures = report.Features.Counts.Remaining;
        CompletedFeatures = report.Features.Counts.Done;
        NextFeature = report.Features.NextFeature?.Id ?? "";
        LatestSummary = report.LatestSummary ?? "";
        ProjectRoot = report.Directory;
        StateFile = report.StateFile;
        CrashAction = report.Crash?.Action ?? "";

        if (report.Health.OutputTail.Length > 0)
        {
            Log.LogMessage(MessageImportance.Low, "Harness: health check output (last lines):\n" + report.Health.OutputTail);
        }

        if (FailOnBroken && report.HealthStatus == Core.State.HealthStatus.BROKEN)
        {
            LogBroken(report);
        }
    }

    private void LogBroken(EntryReport report)
    {
        var health = report.Health;
        var command = health.Command is null ? "" : $" ({health.Command})";
        var tail = health.OutputTail.Length == 0
            ? " The check printed nothing."
            : $" Health check output (last lines):\n{health.OutputTail}";

        // The configured check lives in project.json: annotate that file when there is one.
        var file = !health.IsFallback && report.ConfigPath is { } config && File.Exists(config) ? config : report.Directory;
        Log.LogError(
            subcategory: null,
            errorCode: HarnessErrorCodes.ProjectBroken,
            helpKeyword: null,
            file: file,
            lineNumber: 0,
            columnNumber: 0,
            endLineNumber: 0,
            endColumnNumber: 0,
            message: $"the project is broken: {health.Description}{command}; the next session is FIX_BROKEN.{tail}");
    }
}
