using System.Text.Json;
using System.Text.Json.Serialization;
using Harness.Core.Project;

namespace Harness.Core.Json.Contracts;

/// <summary>
/// <c>.claude/config/project.json</c> as written (docs/formats.md, "project.json"): every field
/// optional. Read after <see cref="ProjectConfigStore"/>'s validation, then turned into a
/// <see cref="ProjectConfig"/> with the defaults. Written only as the starter <c>harness init</c>
/// creates: the fields a new user should see are written even when null, the others only when set.
/// Fields the harness does not know are kept (and reported, as they may be typos).
/// </summary>
internal sealed record ProjectConfigJson
{
    public string? ProjectType { get; init; }

    public string? InitScript { get; init; }

    public string? HealthCheck { get; init; }

    public string? TestCommand { get; init; }

    public string? SmokeTest { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? DevServerPort { get; init; }

    public IReadOnlyList<string>? RequiredEnv { get; init; }

    public TimeoutsJson? TimeoutSeconds { get; init; }

    public AgentJson? Agent { get; init; }

    public LoopJson? Loop { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PromptsJson? Prompts { get; init; }

    public GuardJson? Guard { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? UnknownFields { get; set; }

    public ProjectConfig ToConfig(string path)
    {
        var timeouts = new TimeoutSettings();
        var agent = new AgentSettings();
        var loop = new LoopSettings();
        var guard = new GuardSettings();
        return new ProjectConfig
        {
            FilePath = path,
            ProjectType = ProjectType,
            InitScript = InitScript,
            HealthCheck = NullIfBlank(HealthCheck),
            TestCommand = NullIfBlank(TestCommand),
            SmokeTest = NullIfBlank(SmokeTest),
            DevServerPort = DevServerPort,
            RequiredEnv = RequiredEnv ?? [],
            Timeouts = TimeoutSeconds is not { } t ? timeouts : new TimeoutSettings
            {
                HealthCheck = t.HealthCheck ?? timeouts.HealthCheck,
                SmokeTest = t.SmokeTest ?? timeouts.SmokeTest,
                FullTest = t.FullTest ?? timeouts.FullTest,
            },
            Agent = Agent is not { } a ? agent : new AgentSettings
            {
                Command = NullIfBlank(a.Command) ?? agent.Command,
                Model = NullIfBlank(a.Model),
                MaxTurns = a.MaxTurns,
                PermissionMode = NullIfBlank(a.PermissionMode),
                AllowedTools = a.AllowedTools ?? agent.AllowedTools,
                ExtraArgs = a.ExtraArgs ?? agent.ExtraArgs,
                MaxBudgetUsd = a.MaxBudgetUsd,
                AppendSystemPrompt = NullIfBlank(a.AppendSystemPrompt),
            },
            Loop = Loop is not { } l ? loop : new LoopSettings
            {
                ContinueDelay = l.ContinueDelay ?? loop.ContinueDelay,
                MaxIterations = l.MaxIterations,
                MaxRetries = l.MaxRetries ?? loop.MaxRetries,
                SessionTimeout = l.SessionTimeout,
                CheckpointInterval = l.CheckpointInterval ?? loop.CheckpointInterval,
                StallLimit = l.StallLimit ?? loop.StallLimit,
                FeatureAttempts = l.FeatureAttempts ?? loop.FeatureAttempts,
                CircuitBreaker = l.CircuitBreaker ?? loop.CircuitBreaker,
                MaxCostUsd = l.MaxCostUsd,
                MaxTokens = l.MaxTokens,
                MaxWallTime = l.MaxWallTime,
                MaxRateLimitWait = l.MaxRateLimitWait ?? loop.MaxRateLimitWait,
                RetryBaseDelay = l.RetryBaseDelay ?? loop.RetryBaseDelay,
            },
            Prompts = Prompts is not { } p ? new PromptSettings() : new PromptSettings
            {
                Initializer = NullIfBlank(p.Initializer),
                Coding = NullIfBlank(p.Coding),
                FixBroken = NullIfBlank(p.FixBroken),
                Test = NullIfBlank(p.Test),
            },
            Guard = Guard is not { } g ? guard : new GuardSettings
            {
                ProtectedPaths = g.ProtectedPaths ?? guard.ProtectedPaths,
                AllowedCommands = g.AllowedCommands ?? guard.AllowedCommands,
            },
            UnknownFields = UnknownFields is null ? [] : [.. UnknownFields.Keys],
        };
    }

    private static string? NullIfBlank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}

/// <summary><c>timeout_seconds</c>.</summary>
internal sealed record TimeoutsJson(double? HealthCheck, double? SmokeTest, double? FullTest);

/// <summary><c>agent</c>.</summary>
internal sealed record AgentJson
{
    public string? Command { get; init; }

    public string? Model { get; init; }

    public int? MaxTurns { get; init; }

    public string? PermissionMode { get; init; }

    public IReadOnlyList<string>? AllowedTools { get; init; }

    public IReadOnlyList<string>? ExtraArgs { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? MaxBudgetUsd { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AppendSystemPrompt { get; init; }
}

/// <summary><c>loop</c>: pacing, then the limits (seconds throughout).</summary>
internal sealed record LoopJson
{
    public double? ContinueDelay { get; init; }

    public int? MaxIterations { get; init; }

    public int? MaxRetries { get; init; }

    public double? SessionTimeout { get; init; }

    public double? CheckpointInterval { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? StallLimit { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? FeatureAttempts { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? CircuitBreaker { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? MaxCostUsd { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? MaxTokens { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? MaxWallTime { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? MaxRateLimitWait { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? RetryBaseDelay { get; init; }
}

/// <summary><c>prompts</c>: template files relative to the project root.</summary>
internal sealed record PromptsJson(string? Initializer, string? Coding, string? FixBroken, string? Test);

/// <summary><c>guard</c>: the agent hook policy.</summary>
internal sealed record GuardJson(IReadOnlyList<string>? ProtectedPaths, IReadOnlyList<string>? AllowedCommands);
