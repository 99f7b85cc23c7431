using System.Text.Json;
using System.Text.Json.Serialization;
using Harness.Core.Agents;
using Harness.Core.Project;

namespace Harness.Core.Json.Contracts;

/// <summary>
/// <c>.claude/config/project.json</c> as written (docs/formats.md, "project.json"): every field
/// optional. Read after <see cref="ProjectConfigStore"/>'s validation, then turned into a
/// <see cref="ProjectConfig"/> with the defaults. Written only as the starter <c>harness init</c>
/// creates: the fields a new user should see are written even when null, the others only when set.
/// Fields the harness does not know are kept (and reported, as they may be typos). Plain classes
/// and every number a double (the validation has checked whole numbers and ranges): each value type
/// a contract uses costs start-up JIT in the framework-dependent build.
/// </summary>
internal sealed class ProjectConfigJson
{
    public string? ProjectType { get; set; }

    public string? InitScript { get; set; }

    public string? HealthCheck { get; set; }

    public string? TestCommand { get; set; }

    public string? SmokeTest { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? DevServerPort { get; set; }

    public IReadOnlyList<string>? RequiredEnv { get; set; }

    public TimeoutsJson? TimeoutSeconds { get; set; }

    public AgentJson? Agent { get; set; }

    public LoopJson? Loop { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PromptsJson? Prompts { get; set; }

    public GuardJson? Guard { get; set; }

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
            DevServerPort = (int?)DevServerPort,
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
                MaxTurns = (int?)a.MaxTurns,
                PermissionMode = NullIfBlank(a.PermissionMode),
                AllowedTools = a.AllowedTools ?? agent.AllowedTools,
                ExtraArgs = a.ExtraArgs ?? agent.ExtraArgs,
                MaxBudgetUsd = (decimal?)a.MaxBudgetUsd,
                AppendSystemPrompt = NullIfBlank(a.AppendSystemPrompt),
                Prices = a.Prices is not { } prices ? agent.Prices : ModelPriceJson.ToPrices(prices),
            },
            Loop = Loop is not { } l ? loop : new LoopSettings
            {
                ContinueDelay = l.ContinueDelay ?? loop.ContinueDelay,
                MaxIterations = (int?)l.MaxIterations,
                MaxRetries = (int?)l.MaxRetries ?? loop.MaxRetries,
                SessionTimeout = l.SessionTimeout,
                CheckpointInterval = l.CheckpointInterval ?? loop.CheckpointInterval,
                StallLimit = (int?)l.StallLimit ?? loop.StallLimit,
                FeatureAttempts = (int?)l.FeatureAttempts ?? loop.FeatureAttempts,
                CircuitBreaker = (int?)l.CircuitBreaker ?? loop.CircuitBreaker,
                MaxCostUsd = (decimal?)l.MaxCostUsd,
                MaxTokens = (long?)l.MaxTokens,
                MaxWallTime = l.MaxWallTime,
                MaxRateLimitWait = l.MaxRateLimitWait ?? loop.MaxRateLimitWait,
                RetryBaseDelay = l.RetryBaseDelay ?? loop.RetryBaseDelay,
                OutageBudget = l.OutageBudget ?? loop.OutageBudget,
                Parallel = (int?)l.Parallel ?? loop.Parallel,
                Merge = l.Merge == LoopSettings.FastForwardMerge ? LoopSettings.FastForwardMerge : loop.Merge,
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
internal sealed class TimeoutsJson
{
    public double? HealthCheck { get; set; }

    public double? SmokeTest { get; set; }

    public double? FullTest { get; set; }
}

/// <summary><c>agent</c>.</summary>
internal sealed class AgentJson
{
    public string? Command { get; set; }

    public string? Model { get; set; }

    public double? MaxTurns { get; set; }

    public string? PermissionMode { get; set; }

    public IReadOnlyList<string>? AllowedTools { get; set; }

    public IReadOnlyList<string>? ExtraArgs { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? MaxBudgetUsd { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AppendSystemPrompt { get; set; }

    /// <summary>US dollars per million tokens by model id (or a part of one), over the built-in price table.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, ModelPriceJson>? Prices { get; set; }
}

/// <summary>One model of <c>agent.prices</c>: input and output required; the cache prices default to the API's ratios of the input price.</summary>
internal sealed class ModelPriceJson
{
    public double? Input { get; set; }

    public double? Output { get; set; }

    public double? CacheRead { get; set; }

    public double? CacheWrite { get; set; }

    // The naming policy would write cache_write1h.
    [JsonPropertyName("cache_write_1h")]
    public double? CacheWrite1h { get; set; }

    /// <summary>The prices by model, case-insensitive as the table matches them (of two spellings of one model, the later wins).</summary>
    public static Dictionary<string, ModelPrice> ToPrices(Dictionary<string, ModelPriceJson> prices)
    {
        var result = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);
        foreach (var (model, price) in prices)
        {
            result[model] = price.ToPrice();
        }

        return result;
    }

    /// <summary>The price; the validation has made sure input and output are there.</summary>
    public ModelPrice ToPrice()
    {
        var standard = ModelPrice.FromInputOutput((decimal)(Input ?? 0), (decimal)(Output ?? 0));
        return standard with
        {
            CacheRead = CacheRead is { } read ? (decimal)read : standard.CacheRead,
            CacheWrite = CacheWrite is { } write ? (decimal)write : standard.CacheWrite,
            CacheWrite1h = CacheWrite1h is { } write1h ? (decimal)write1h : standard.CacheWrite1h,
        };
    }
}

/// <summary><c>loop</c>: pacing, then the limits (seconds throughout).</summary>
internal sealed class LoopJson
{
    public double? ContinueDelay { get; set; }

    public double? MaxIterations { get; set; }

    public double? MaxRetries { get; set; }

    public double? SessionTimeout { get; set; }

    public double? CheckpointInterval { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? StallLimit { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? FeatureAttempts { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? CircuitBreaker { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? MaxCostUsd { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? MaxTokens { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? MaxWallTime { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? MaxRateLimitWait { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? RetryBaseDelay { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? OutageBudget { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Parallel { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Merge { get; set; }
}

/// <summary><c>prompts</c>: template files relative to the project root.</summary>
internal sealed class PromptsJson
{
    public string? Initializer { get; set; }

    public string? Coding { get; set; }

    public string? FixBroken { get; set; }

    public string? Test { get; set; }
}

/// <summary><c>guard</c>: the agent hook policy.</summary>
internal sealed class GuardJson
{
    public IReadOnlyList<string>? ProtectedPaths { get; set; }

    public IReadOnlyList<string>? AllowedCommands { get; set; }
}
