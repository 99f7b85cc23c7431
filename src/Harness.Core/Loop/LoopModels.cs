using Harness.Core.Agents;
using Harness.Core.Entry;
using Harness.Core.State;

namespace Harness.Core.Loop;

/// <summary>
/// How to run the loop. Null values fall back to project.json <c>loop</c> (and <c>agent</c>);
/// counters and budgets start fresh for every run.
/// </summary>
public sealed record LoopOptions
{
    public int? MaxIterations { get; init; }

    public TimeSpan? ContinueDelay { get; init; }

    public TimeSpan? SessionTimeout { get; init; }

    public TimeSpan? CheckpointInterval { get; init; }

    public int? MaxRetries { get; init; }

    public int? StallLimit { get; init; }

    public int? FeatureAttempts { get; init; }

    public int? CircuitBreaker { get; init; }

    public decimal? MaxCostUsd { get; init; }

    public long? MaxTokens { get; init; }

    public TimeSpan? MaxWallTime { get; init; }

    public TimeSpan? MaxRateLimitWait { get; init; }

    public TimeSpan? RetryBaseDelay { get; init; }

    /// <summary>How long one API outage or usage limit may hold the loop (waits included) before it stops with <see cref="LoopStopReason.Outage"/>; project.json <c>loop.outage_budget</c>.</summary>
    public TimeSpan? OutageBudget { get; init; }

    public CrashPolicy OnCrash { get; init; } = CrashPolicy.Keep;

    public bool RunHealthCheck { get; init; } = true;

    /// <summary>Pass the guard hooks to Claude Code with <c>--settings</c> (default on).</summary>
    public bool UseGuardHooks { get; init; } = true;

    /// <summary>The guard command written into those hooks (made to fail closed: <c>|| exit 2</c> is appended); null: this harness by its absolute path (<see cref="Guard.HookCommand.ForThisHarness"/>).</summary>
    public string? GuardCommand { get; init; }

    /// <summary>Variables set for the agent (a null value removes one), e.g. <c>IS_SANDBOX</c>, <c>ANTHROPIC_BASE_URL</c>; the harness's own (<c>HARNESS_SESSION_ID</c>, ...) win.</summary>
    public IReadOnlyDictionary<string, string?>? AgentEnvironment { get; init; }

    /// <summary>Replaces project.json's <c>agent.command</c> for this run (e.g. a CI job choosing the agent).</summary>
    public string? AgentCommand { get; init; }

    /// <summary>Sessions at once, each on its own feature in its own git worktree (project.json <c>loop.parallel</c>); 1 or less: one after another.</summary>
    public int? Parallel { get; init; }

    /// <summary>Replaces the agent altogether (tests, embedding hosts).</summary>
    internal IAgentRunner? Agent { get; init; }
}

/// <summary>Why the loop stopped.</summary>
public enum LoopStopReason
{
    /// <summary>Every feature is done (or blocked: see <see cref="LoopResult.BlockedFeatures"/>).</summary>
    Complete,
    MaxIterations,
    CostBudget,
    TokenBudget,
    WallTime,

    /// <summary>No feature advanced in <c>stall_limit</c> consecutive sessions.</summary>
    Stalled,

    /// <summary>The same failure <c>circuit_breaker</c> times in a row.</summary>
    CircuitBreaker,

    /// <summary>The agent cannot be started (no such program, refused to start, ended before its first turn twice); no feature was charged.</summary>
    AgentUnavailable,
    Cancelled,

    /// <summary>A guard hook the agent would get does not run the guard (checked before the first session); nothing was started.</summary>
    GuardUnavailable,

    /// <summary>
    /// The API or the account kept failing (429, 529, 5xx, no connection, a usage limit) past
    /// <c>outage_budget</c>, or a usage limit resets later than <c>max_rate_limit_wait</c>; no feature was charged.
    /// </summary>
    Outage,
}

/// <summary>One agent session of the loop, as it ended.</summary>
public sealed record LoopSessionResult
{
    public int Iteration { get; init; }

    public required string SessionId { get; init; }

    public SessionState State { get; init; }

    public string? FeatureId { get; init; }

    public AgentOutcome Outcome { get; init; }

    /// <summary>What the metrics record: the outcome's one spelling (completed, max_turns, timed_out, crashed, api_error, rate_limited, cancelled, ...).</summary>
    public required string ExitReason { get; init; }

    public int Retries { get; init; }

    public decimal CostUsd { get; init; }

    /// <summary>True when an attempt ended without a result event and its cost was priced from the usage the stream showed (<see cref="Agents.PriceTable"/>).</summary>
    public bool CostEstimated { get; init; }

    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }

    public int Turns { get; init; }

    public TimeSpan Duration { get; init; }

    /// <summary>Tool calls refused in the last attempt (permission mode, a rule, a guard hook).</summary>
    public int PermissionDenials { get; init; }

    /// <summary>Which calls were refused (tool and path or command), at most 50.</summary>
    public IReadOnlyList<PermissionDenial> Denials { get; init; } = [];

    /// <summary>Why the agent never got to work, with <see cref="AgentOutcome.StartFailed"/>; such a session is not charged to the feature.</summary>
    public AgentStartFailure StartFailure { get; init; }

    /// <summary>The last lines the agent wrote to stderr (at most 20).</summary>
    public string StandardErrorTail { get; init; } = "";

    public int FeaturesDoneBefore { get; init; }

    public int FeaturesDoneAfter { get; init; }

    public int FeaturesTotal { get; init; }

    /// <summary>Whether the session moved the project forward (a feature done, a list created, the app fixed).</summary>
    public bool Advanced { get; init; }

    public HealthStatus HealthAfter { get; init; }

    /// <summary>Set when the session ended in an outage the loop gave up waiting on (<see cref="LoopStopReason.Outage"/>): what failed. Such a session is not charged to its feature.</summary>
    public string? Outage { get; init; }

    /// <summary>Set when the session's failure used up the feature's attempts and the harness marked it blocked.</summary>
    public string? BlockedFeature { get; init; }

    public IReadOnlyList<string> IntegrityViolations { get; init; } = [];

    public string? CheckpointCommit { get; init; }

    public string? SummaryPath { get; init; }

    public string? TranscriptPath { get; init; }

    public string? ResultText { get; init; }

    /// <summary>One line for people: what PowerShell shows for <c>"$x"</c> and what logs print.</summary>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Session {Iteration}: {State} {FeatureId ?? "-"}: {ExitReason}, {FeaturesDoneAfter}/{FeaturesTotal} done, ${CostUsd:0.00}");
}

/// <summary>The whole run.</summary>
public sealed record LoopResult
{
    public LoopStopReason StopReason { get; init; }

    /// <summary>One sentence: why it stopped, with the numbers.</summary>
    public required string Message { get; init; }

    /// <summary>True when the project is done with nothing blocked: the CLI's exit code 0.</summary>
    public bool Finished => StopReason == LoopStopReason.Complete && BlockedFeatures.Count == 0;

    public IReadOnlyList<LoopSessionResult> Sessions { get; init; } = [];

    public decimal TotalCostUsd { get; init; }

    public long TotalTokens { get; init; }

    public TimeSpan Duration { get; init; }

    public int FeaturesDone { get; init; }

    public int FeaturesTotal { get; init; }

    public IReadOnlyList<string> BlockedFeatures { get; init; } = [];

    /// <summary>Processes a killed harness left running that this run killed before anything else (docs/loop.md, Processes).</summary>
    public IReadOnlyList<SurvivorProcess> KilledSurvivors { get; init; } = [];

    /// <summary>One line for people: what PowerShell shows for <c>"$x"</c> and what logs print.</summary>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{StopReason}: {FeaturesDone} of {FeaturesTotal} feature(s) done after {Sessions.Count} session(s), ${TotalCostUsd:0.00}");
}

/// <summary>What a dry run (-WhatIf, --dry-run) would do next, without running anything.</summary>
public sealed record LoopPlan
{
    public required EntryReport Entry { get; init; }

    /// <summary>Null when the project is complete: no session would run.</summary>
    public string? Prompt { get; init; }

    public required string Agent { get; init; }

    /// <summary>The agent's command line, when the adapter can tell it in advance.</summary>
    public IReadOnlyList<string> AgentArguments { get; init; } = [];

    /// <summary>One line for people: what PowerShell shows for <c>"$x"</c> and what logs print.</summary>
    public override string ToString() => $"Next session: {Entry.NextState}{(Entry.Features.NextFeature is { } next ? " " + next.Id : "")} with {Agent}";
}

/// <summary>Kinds of <see cref="LoopEvent"/>.</summary>
public enum LoopEventKind
{
    SessionStarting,
    Agent,
    Retrying,
    Waiting,
    Autosaved,
    SessionEnded,
    FeatureBlocked,
    Stopped,

    /// <summary>At the start: processes a killed harness left running were killed (<see cref="LoopResult.KilledSurvivors"/>).</summary>
    SurvivorsKilled,
    /// <summary>A parallel worker's step (checking, merging, re-checking) or what recovery found; the message says which.</summary>
    WorkerStep,
}

/// <summary>Progress while the loop runs, for status lines, Write-Progress and <c>--json</c> event streams.</summary>
public sealed record LoopEvent(LoopEventKind Kind)
{
    public int Iteration { get; init; }

    /// <summary>The parallel worker (1 to N) the event is about; null in a sequential run and for the run as a whole.</summary>
    public int? Worker { get; init; }

    public SessionState? State { get; init; }

    public string? FeatureId { get; init; }

    public int FeaturesDone { get; init; }

    public int FeaturesTotal { get; init; }

    public decimal CostSoFar { get; init; }

    public string? Message { get; init; }

    public TimeSpan? Wait { get; init; }

    public AgentEvent? AgentEvent { get; init; }

    public LoopSessionResult? Session { get; init; }

    public LoopResult? Result { get; init; }
}
