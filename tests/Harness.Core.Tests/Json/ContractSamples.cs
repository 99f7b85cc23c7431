using Harness.Core.Agents;
using Harness.Core.Checkpoints;
using Harness.Core.Entry;
using Harness.Core.Features;
using Harness.Core.Git;
using Harness.Core.Guard;
using Harness.Core.Health;
using Harness.Core.Loop;
using Harness.Core.Metrics;
using Harness.Core.Project;
using Harness.Core.State;
using Harness.Core.Summaries;

namespace Harness.Core.Tests.Json;

/// <summary>
/// Every value the harness's JSON contracts carry, filled in: non-ASCII text, '+', quotes, times
/// in a non-UTC offset (the wire is UTC), nulls next to values, so a golden file shows each case.
/// </summary>
internal static class ContractSamples
{
    public static readonly DateTimeOffset Time = new(2026, 1, 15, 12, 11, 12, 123, TimeSpan.FromHours(2));

    public static readonly DateTimeOffset Later = new(2026, 1, 15, 13, 41, 12, 456, TimeSpan.Zero);

    public static Feature Feature(string id, string status, string? notes = "") => new()
    {
        Id = id,
        Name = $"Café {id} + \"quotes\"",
        Description = "Line one\nline two – naïve",
        Category = "functional",
        Steps = ["open the app", "click <b>"],
        Status = status,
        Attempts = 2,
        Notes = notes,
        Index = 3,
        Path = "/work/app/.claude/progress/feature-list.json",
    };

    public static Checkpoint Checkpoint(bool lastGood = true) => new()
    {
        Name = "20260115T101112123Z",
        Commit = "3f2c5e0d9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d",
        CreatedCommit = true,
        Time = Time,
        State = SessionState.IMPLEMENT,
        Health = HealthStatus.HEALTHY,
        SessionId = "s7",
        Branch = "main",
        Detached = false,
        FeaturesTotal = 5,
        FeaturesDone = 2,
        FeaturesRemaining = 3,
        FeaturesBlocked = 0,
        Reason = "after session 7",
        Message = "harness: checkpoint after session 7, health HEALTHY",
        UsedHarnessIdentity = false,
        IsLastGood = lastGood,
    };

    public static Checkpoint BareCheckpoint() => new()
    {
        Name = "20260115T101112123Z-2",
        Commit = "0123456789abcdef0123456789abcdef01234567",
        Time = Later,
    };

    public static GitCommit Commit(int i) => new(
        $"{i}f2c5e0d9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d", $"{i}f2c5e0", $"feat: café + crème #{i} \"quoted\"", "Zoë Müller",
        new DateTimeOffset(2025, 12, 28, 10, 0, i, TimeSpan.FromHours(-5)));

    public static EntryReport FullEntryReport() => new()
    {
        Directory = "/work/app",
        ProjectMarkers = ["package.json", ".claude/"],
        ProjectType = "node",
        ProjectTypeSource = "config",
        ConfigPath = "/work/app/.claude/config/project.json",
        Git = new GitSnapshot
        {
            Repository = new GitRepositoryInfo
            {
                IsRepository = true,
                TopLevel = "/work/app",
                GitDirectory = "/work/app/.git",
                HeadCommit = "1f2c5e0d9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d",
                Branch = "main",
                IsShallow = true,
            },
            RecentCommits = [Commit(1), Commit(2)],
            RecentFiles = ["src/app.js", "src/é.js"],
            Status = [new GitStatusEntry("src/new.js", '?', '?'), new GitStatusEntry("src/b.js", 'R', ' ', "src/a.js")],
            Warnings = ["shallow clone: fetch with fetch-depth: 0"],
        },
        Health = new HealthCheckResult
        {
            Status = HealthStatus.BROKEN,
            Outcome = HealthOutcome.TIMED_OUT,
            Command = "npm run build && echo 'done'",
            IsFallback = false,
            Description = "configured check timed out",
            ExitCode = 137,
            Duration = TimeSpan.FromMilliseconds(5012.3456),
            Timeout = TimeSpan.FromSeconds(5),
            OutputTail = "error: <x> is undefined\n\tat main.js:1",
        },
        HealthStatus = HealthStatus.BROKEN,
        StateFile = "/work/app/.claude/progress/state.json",
        StateCreated = false,
        CurrentState = SessionState.IMPLEMENT,
        NextState = SessionState.FIX_BROKEN,
        NextStateReason = "health check failed",
        FeatureStatus = FeatureListStatus.HAS_PENDING_FEATURES,
        Features = new FeatureSummary
        {
            Path = "/work/app/.claude/progress/feature-list.json",
            Format = FeatureListFormat.Seed,
            Counts = new FeatureCounts { Total = 6, Pending = 1, InProgress = 1, Tested = 1, Completed = 1, Blocked = 1, Unknown = 1 },
            NextFeature = Feature("F003", "in_progress"),
            Problems = [new FeatureProblem("duplicate_id", "F001 appears twice", ["F001"])],
        },
        SessionType = SessionType.CONTINUE,
        PreviousSessionDirty = true,
        LatestSummary = "/work/app/.claude/progress/sessions/20260115T101112Z.md",
        Crash = new CrashReport
        {
            SessionId = "s6",
            LastWrittenAt = Time,
            Policy = CrashPolicy.Rollback,
            Action = "rolled_back",
            Checkpoint = "20260115T101112123Z",
            BackupRef = "refs/harness/backup/20260115T101112123Z",
            Message = "session s6 crashed; rolled back",
        },
        KilledSurvivors = [new SurvivorProcess(4250, "bash", "agent"), new SurvivorProcess(4251, null, "health_check")],
        WhatBroke = new WhatBroke
        {
            LastGood = Checkpoint(),
            Commits = [Commit(3)],
            Files = [new GitFileChange('M', "src/app.js"), new GitFileChange('?', "src/new file.js")],
        },
        RecentFiles = ["src/app.js"],
        RecentFilesSource = "git",
        Skill = "enforcement/",
        MissingEnv = ["API_KEY"],
        RequiredEnv = ["API_KEY", "HOME"],
        Warnings = ["no project markers"],
        DryRun = false,
        StartedAt = Time,
        Duration = TimeSpan.FromMilliseconds(42.1234),
    };

    public static EntryReport MinimalEntryReport() => new()
    {
        Directory = "/work/empty",
        Git = new GitSnapshot { Repository = new GitRepositoryInfo { IsRepository = false, Error = "git: not found" } },
        Health = HealthCheckResult.Skipped("health_check", "no health check configured"),
        StateFile = "/work/empty/.claude/progress/state.json",
        StateCreated = true,
        NextStateReason = "no feature list",
        Features = FeatureSummary.None,
        Skill = "initialization/",
        DryRun = true,
        StartedAt = Later,
    };

    public static SessionMetrics Metrics() => new()
    {
        SessionId = "s7",
        StartedAt = Time,
        EndedAt = Later,
        HealthStatus = "HEALTHY",
        StatesVisited = ["IMPLEMENT", "TEST"],
        Compressions = 1,
        Retries = 2,
        InputTokens = 40000,
        OutputTokens = 5000,
        CostUsd = 1.25,
        CostEstimated = true,
        Turns = 30,
        ExitReason = "completed",
        Succeeded = true,
        FeaturesCompleted = 3,
        IntegrityViolations = ["F002: name rewritten"],
        PermissionDenials = 3,
        Denials = Denials(),
        StderrTail = "warning: café + \"x\"\nerror: killed",
        Checkpoint = "20260115T101112123Z",
        Summary = "/work/app/.claude/progress/sessions/20260115T134112Z.md",
    };

    public static SessionMetrics SparseMetrics() => new()
    {
        SessionId = "s8",
        StartedAt = Later,
        EndedAt = Later,
        Succeeded = false,
    };

    /// <summary>Refused tool calls: a path and a command with quotes and non-ASCII text.</summary>
    public static IReadOnlyList<PermissionDenial> Denials() => [new("Write", "/etc/café.conf"), new("Bash", "git commit -m \"x + y\"")];

    public static LoopSessionResult LoopSession(AgentOutcome outcome, string exitReason) => new()
    {
        Iteration = 2,
        SessionId = "20260115T101112Z-abc123",
        State = SessionState.IMPLEMENT,
        FeatureId = "F003",
        Outcome = outcome,
        ExitReason = exitReason,
        Retries = 1,
        CostUsd = 0.1250m,
        CostEstimated = outcome == AgentOutcome.TimedOut,
        InputTokens = 1200,
        OutputTokens = 340,
        Turns = 7,
        Duration = TimeSpan.FromSeconds(61.23456),
        FeaturesDoneBefore = 1,
        FeaturesDoneAfter = 2,
        FeaturesTotal = 5,
        Advanced = true,
        HealthAfter = HealthStatus.HEALTHY,
        BlockedFeature = null,
        IntegrityViolations = ["F001 removed"],
        CheckpointCommit = "3f2c5e0d",
        SummaryPath = "/work/app/.claude/progress/sessions/20260115T101112Z.md",
        TranscriptPath = null,
        PermissionDenials = 2,
        Denials = Denials(),
        StandardErrorTail = "warning: café + \"x\"",
        ResultText = "Implemented F003 – \"done\"",
    };

    public static LoopResult LoopResult() => new()
    {
        StopReason = LoopStopReason.CircuitBreaker,
        Message = "stopped: the last 3 sessions failed the same way (timeout)",
        Sessions =
        [
            LoopSession(AgentOutcome.TimedOut, "timeout"),
            LoopSession(AgentOutcome.Crashed, "crash") with { FeatureId = null, Advanced = false, BlockedFeature = "F003" },
            LoopSession(AgentOutcome.StartFailed, "start_failed") with
            {
                StartFailure = AgentStartFailure.CommandNotRunnable, CostUsd = 0m, PermissionDenials = 0, Denials = [], StandardErrorTail = "", ResultText = null,
            },
        ],
        TotalCostUsd = 0.25m,
        TotalTokens = 3080,
        Duration = TimeSpan.FromSeconds(200.5005),
        FeaturesDone = 2,
        FeaturesTotal = 5,
        BlockedFeatures = ["F003"],
        KilledSurvivors = [new SurvivorProcess(4250, "bash", "agent")],
    };

    public static IReadOnlyList<LoopEvent> LoopEvents() =>
    [
        new(LoopEventKind.SurvivorsKilled) { Message = SurvivorProcess.Describe([new SurvivorProcess(4250, "bash", "agent")]) },
        new(LoopEventKind.SessionStarting) { Iteration = 1, State = SessionState.IMPLEMENT, FeatureId = "F003", FeaturesDone = 1, FeaturesTotal = 5, CostSoFar = 0m, Message = "session 1: IMPLEMENT F003" },
        new(LoopEventKind.Agent) { Iteration = 1, State = SessionState.IMPLEMENT, AgentEvent = new AgentEvent(AgentEventKind.ToolUse) { ToolName = "Write", Text = new string('x', 600) } },
        new(LoopEventKind.Agent) { Iteration = 1, AgentEvent = new AgentEvent(AgentEventKind.ApiRetry) { Attempt = 2, ErrorStatus = 529, Text = "overloaded" } },
        new(LoopEventKind.Agent) { Iteration = 1, AgentEvent = new AgentEvent(AgentEventKind.RateLimit) { RateLimit = new RateLimitInfo("rejected", Later, "five_hour") } },
        new(LoopEventKind.Agent) { Iteration = 1, AgentEvent = new AgentEvent(AgentEventKind.RateLimit) { RateLimit = new RateLimitInfo("allowed_warning", null, null) } },
        new(LoopEventKind.Retrying) { Iteration = 1, Wait = TimeSpan.FromMilliseconds(5123.4567), Message = "crash; retry 1 of 3 in 5.1 s" },
        new(LoopEventKind.Waiting) { Iteration = 1, Wait = TimeSpan.FromMinutes(2), Message = "rate limited until 13:41" },
        new(LoopEventKind.Autosaved) { Iteration = 1, Message = "autosaved é+" },
        new(LoopEventKind.FeatureBlocked) { Iteration = 2, FeatureId = "F003", Message = "F003 blocked after 3 attempts" },
        new(LoopEventKind.SessionEnded) { Iteration = 2, Session = LoopSession(AgentOutcome.TimedOut, "timeout"), CostSoFar = 0.1250m, Message = "session 2 ended" },
        new(LoopEventKind.Stopped) { Iteration = 2, Result = LoopResult(), Message = "stopped" },
    ];

    public static LoopPlan LoopPlan() => new()
    {
        Entry = MinimalEntryReport() with { NextState = SessionState.INIT },
        Prompt = "You are the initializer.\nWrite the feature list.",
        Agent = "claude-code",
        AgentArguments = ["-p", "--output-format=stream-json", "--model=claude-sonnet"],
    };

    public static RestoreResult Restore() => new()
    {
        Checkpoint = Checkpoint(),
        DryRun = false,
        PreviousHead = "9f2c5e0d9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d",
        BackupRef = "refs/harness/backup/20260115T134112456Z",
        BackupCommit = "8f2c5e0d9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d",
        Files = [new GitFileChange('M', "src/app.js"), new GitFileChange('D', "src/new.js")],
        CommitsDropped = [Commit(4)],
        DirtyFiles = ["src/new.js"],
    };

    public static SessionSummary Summary() => new()
    {
        SessionId = "s7",
        StartedAt = Time,
        EndedAt = Later,
        FinalState = SessionState.TEST,
        Health = HealthStatus.HEALTHY,
        FeaturesDone = 3,
        FeaturesRemaining = 2,
        FeatureChanges = [new FeatureChange("F001", "One", "pending", "completed")],
        Path = "/work/app/.claude/progress/sessions/20260115T134112Z.md",
        Markdown = "# Session Summary - 2026-01-15T13:41:12Z\n\nCafé \"done\".\n",
    };

    public static HandoffResult Handoff() => new()
    {
        SessionId = "s7",
        Checkpoint = Checkpoint(lastGood: false),
        SummaryPath = "/work/app/.claude/progress/sessions/20260115T134112Z.md",
        Metrics = Metrics(),
        Cleaned = [".claude/progress/session-start.json"],
    };

    public static InitResult Init(bool hooks) => new()
    {
        Directory = "/work/app",
        ProjectType = "node",
        Created = [".claude/config/project.json", ".claude/progress/"],
        Existing = [".gitignore"],
        DryRun = false,
        Hooks = hooks
            ? new HookSettingsResult { Path = "/work/app/.claude/settings.json", Command = "'/opt/harness é/harness' guard || exit 2", Added = ["SessionStart"], Existing = [], Updated = ["PreToolUse"], Created = false, DryRun = true }
            : null,
    };

    /// <summary>A state.json as a person or the seed might have left it: unknown fields, comments, trailing commas, another offset.</summary>
    public const string HandEditedState = """
        {
          // edited by hand
          "state": "IMPLEMENT",
          "team_note": "Zoë's + café",
          "entered_at": "2026-01-15T12:11:12+02:00",
          "health_status": "HEALTHY",
          "dirty": false,
          "iteration": 4,
          "session_id": "s7",
          "current_feature": "F003",
          "last_action": null,
          "timestamp": "2026-01-15T10:11:12.1234567+00:00",
          "checkpoint_at": null,
          "history": [
            { "from": "START", "to": "INIT", "at": "2026-01-14T09:00:00Z", "reason": "no feature list" },
            { "from": "INIT", "to": "IMPLEMENT", "at": "2026-01-15T10:11:12.123Z", "reason": "3 of 5 features remaining" },
          ],
          "decisions": [ "plain text", { "decision": "Use SQLite", "rationale": "no server", "session_id": "s7" } ],
          "nested": { "a": [1, 2.50, true, null], "b": "\u00e9\u002b" },
        }
        """;
}
