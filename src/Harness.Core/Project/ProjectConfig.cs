namespace Harness.Core.Project;

/// <summary>
/// <c>.claude/config/project.json</c>: the seed's fields plus the harness additions (DESIGN.md).
/// Every value has a default, so a project without the file behaves like the seed without it.
/// </summary>
internal sealed class ProjectConfig
{
    public static readonly ProjectConfig Default = new();

    /// <summary>Where it was read from; null when the project has no config file.</summary>
    public string? FilePath { get; init; }

    public bool Exists => FilePath is not null;

    public string? ProjectType { get; init; }

    public string? InitScript { get; init; }

    public string? HealthCheck { get; init; }

    public string? TestCommand { get; init; }

    public string? SmokeTest { get; init; }

    public int? DevServerPort { get; init; }

    public IReadOnlyList<string> RequiredEnv { get; init; } = [];

    public TimeoutSettings Timeouts { get; init; } = new();

    public AgentSettings Agent { get; init; } = new();

    public LoopSettings Loop { get; init; } = new();

    public PromptSettings Prompts { get; init; } = new();

    public GuardSettings Guard { get; init; } = new();

    /// <summary>Top-level fields this version does not know; kept on write, listed so typos can be spotted.</summary>
    public IReadOnlyList<string> UnknownFields { get; init; } = [];
}

/// <summary><c>timeout_seconds</c>; defaults are the seed's.</summary>
internal sealed record TimeoutSettings
{
    public double HealthCheck { get; init; } = 5;

    public double SmokeTest { get; init; } = 60;

    public double FullTest { get; init; } = 300;
}

/// <summary><c>agent</c>: which agent runs the sessions and how.</summary>
internal sealed record AgentSettings
{
    /// <summary>"claude" (the default, Claude Code) or any command line with a <c>{prompt}</c> placeholder.</summary>
    public string Command { get; init; } = "claude";

    public string? Model { get; init; }

    public int? MaxTurns { get; init; }

    public string? PermissionMode { get; init; }

    public IReadOnlyList<string> AllowedTools { get; init; } = [];

    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    /// <summary>Claude Code's <c>--max-budget-usd</c> per session; null: no cap.</summary>
    public decimal? MaxBudgetUsd { get; init; }

    /// <summary>Claude Code's <c>--append-system-prompt</c>; null: none.</summary>
    public string? AppendSystemPrompt { get; init; }

    /// <summary><c>agent.prices</c>: US dollars per million tokens by model id (or a part of one), over <see cref="Agents.PriceTable.Default"/>.</summary>
    public IReadOnlyDictionary<string, Agents.ModelPrice> Prices { get; init; } = new Dictionary<string, Agents.ModelPrice>();
}

/// <summary><c>loop</c>: pacing and limits of the autonomous loop. Seconds throughout.</summary>
internal sealed record LoopSettings
{
    public double ContinueDelay { get; init; } = 3;

    /// <summary>Null: unlimited (the seed's default).</summary>
    public int? MaxIterations { get; init; }

    /// <summary>Retries of a session that crashed, hit an API error or produced no result.</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>Null: no session timeout.</summary>
    public double? SessionTimeout { get; init; }

    public double CheckpointInterval { get; init; } = 300;

    /// <summary>Stop after this many consecutive sessions in which no feature advanced.</summary>
    public int StallLimit { get; init; } = 3;

    /// <summary>Failed sessions on one feature before it is marked blocked and the loop moves on.</summary>
    public int FeatureAttempts { get; init; } = 3;

    /// <summary>Stop after this many consecutive sessions that failed the same way.</summary>
    public int CircuitBreaker { get; init; } = 3;

    /// <summary>Budget caps for one loop run; null: none.</summary>
    public decimal? MaxCostUsd { get; init; }

    public long? MaxTokens { get; init; }

    public double? MaxWallTime { get; init; }

    /// <summary>Longest single wait for a rate or usage limit to reset; a later reset stops the loop (Outage) without charging the feature. Five hours: a subscription's session limit.</summary>
    public double MaxRateLimitWait { get; init; } = 18000;

    /// <summary>How long one outage (429, 529, 5xx, no connection, usage limits in a row) may last, waits included, before the loop stops (Outage).</summary>
    public double OutageBudget { get; init; } = 21600;

    /// <summary>First retry delay; doubled per retry, with jitter.</summary>
    public double RetryBaseDelay { get; init; } = 5;

    /// <summary>Sessions at once, each in its own git worktree (docs/loop.md, "Parallel sessions"); 1: one after another.</summary>
    public int Parallel { get; init; } = 1;

    /// <summary>How a parallel worker's branch joins the main line: <c>merge_commit</c> or <c>fast_forward</c>.</summary>
    public string Merge { get; init; } = MergeCommitMerge;

    public const string MergeCommitMerge = "merge_commit";

    public const string FastForwardMerge = "fast_forward";
}

/// <summary><c>prompts</c>: files (relative to the project root) that replace the built-in prompt templates.</summary>
internal sealed record PromptSettings
{
    /// <summary>INIT sessions.</summary>
    public string? Initializer { get; init; }

    /// <summary>IMPLEMENT sessions.</summary>
    public string? Coding { get; init; }

    /// <summary>FIX_BROKEN sessions (harness addition).</summary>
    public string? FixBroken { get; init; }

    /// <summary>TEST sessions (harness addition).</summary>
    public string? Test { get; init; }
}

/// <summary><c>guard</c>: the agent hook policy.</summary>
internal sealed record GuardSettings
{
    public static readonly IReadOnlyList<string> DefaultProtectedPaths = ["src/**"];

    public IReadOnlyList<string> ProtectedPaths { get; init; } = DefaultProtectedPaths;

    public IReadOnlyList<string> AllowedCommands { get; init; } = [];
}
