using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Core.Errors;
using Harness.Core.IO;
using Harness.Core.Json;

namespace Harness.Core.Project;

/// <summary>Reads, validates and writes <c>.claude/config/project.json</c>.</summary>
public static class ProjectConfigStore
{
    internal static readonly string[] KnownFields =
    [
        "project_type", "init_script", "health_check", "test_command", "smoke_test", "dev_server_port",
        "required_env", "timeout_seconds", "agent", "loop", "prompts", "guard",
    ];

    private const string Fix = "Fix the value in the file (see docs/formats.md, project.json), or move the file away and initialize the project again for a fresh one.";

    /// <summary>The project's config, or <see cref="ProjectConfig.Default"/> when it has none.</summary>
    public static ProjectConfig Load(ProjectLayout layout)
    {
        var file = JsonFile.TryRead(layout.ConfigFile, ErrorIds.ConfigFileInvalid, Fix);
        return file is null ? ProjectConfig.Default : Parse(file);
    }

    internal static ProjectConfig Parse(JsonFile file)
    {
        var v = new JsonValidator(file);
        if (v.Object(file.Root, "$", required: true) is not { } root)
        {
            v.ThrowIfProblems(ErrorIds.ConfigFileInvalid, "project.json", Fix);
            throw new InvalidOperationException("unreachable: a missing root is always a problem");
        }

        const string r = "$";
        var config = new ProjectConfig
        {
            FilePath = file.Path,
            ProjectType = v.String(root, "project_type", r),
            InitScript = v.String(root, "init_script", r),
            HealthCheck = NullIfBlank(v.String(root, "health_check", r)),
            TestCommand = NullIfBlank(v.String(root, "test_command", r)),
            SmokeTest = NullIfBlank(v.String(root, "smoke_test", r)),
            DevServerPort = v.Integer(root, "dev_server_port", r, 1, 65535),
            RequiredEnv = RequiredEnv(v, root),
            Timeouts = Timeouts(v, v.Object(JsonValidator.Property(root, "timeout_seconds"), "$.timeout_seconds")),
            Agent = Agent(v, v.Object(JsonValidator.Property(root, "agent"), "$.agent")),
            Loop = Loop(v, v.Object(JsonValidator.Property(root, "loop"), "$.loop")),
            Prompts = Prompts(v, v.Object(JsonValidator.Property(root, "prompts"), "$.prompts")),
            Guard = Guard(v, v.Object(JsonValidator.Property(root, "guard"), "$.guard")),
            UnknownFields = UnknownFieldsOf(root),
        };
        v.ThrowIfProblems(ErrorIds.ConfigFileInvalid, "project.json", Fix);
        return config;
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the file's JSON and writes it atomically, keeping every
    /// field it does not touch. A file that does not parse or validate is left as it is.
    /// </summary>
    public static ProjectConfig Update(ProjectLayout layout, Action<JsonObject> change)
    {
        var file = JsonFile.TryRead(layout.ConfigFile, ErrorIds.ConfigFileInvalid, Fix);
        JsonObject root;
        if (file is null)
        {
            root = new JsonObject();
        }
        else
        {
            // Validate first: a file that is wrong now is reported, never rewritten.
            Parse(file);
            root = JsonFile.ParseNode(file.Path, file.Bytes, ErrorIds.ConfigFileInvalid, Fix).AsObject();
        }

        change(root);
        var bytes = JsonFile.Serialize(root);
        var updated = Parse(JsonFile.Parse(layout.ConfigFile, bytes, ErrorIds.ConfigFileInvalid, "The change would make the file invalid; nothing was written."));
        AtomicFile.Write(layout.ConfigFile, bytes);
        return updated;
    }

    private static string[] UnknownFieldsOf(JsonElement root)
    {
        var unknown = new List<string>();
        foreach (var property in root.EnumerateObject())
        {
            if (Array.IndexOf(KnownFields, property.Name) < 0)
            {
                unknown.Add(property.Name);
            }
        }

        return [.. unknown];
    }

    private static IReadOnlyList<string> RequiredEnv(JsonValidator v, JsonElement root)
    {
        var names = v.StringArray(root, "required_env", "$") ?? [];
        for (var i = 0; i < names.Count; i++)
        {
            if (!IsEnvironmentName(names[i]))
            {
                v.Report($"$.required_env[{i}]", $"expected an environment variable name (letters, digits, _), found \"{names[i]}\"");
            }
        }

        return names;
    }

    private static TimeoutSettings Timeouts(JsonValidator v, JsonElement? element)
    {
        var d = new TimeoutSettings();
        if (element is not { } o)
        {
            return d;
        }

        const string p = "$.timeout_seconds";
        return new TimeoutSettings
        {
            HealthCheck = v.Number(o, "health_check", p, 0.001) ?? d.HealthCheck,
            SmokeTest = v.Number(o, "smoke_test", p, 0.001) ?? d.SmokeTest,
            FullTest = v.Number(o, "full_test", p, 0.001) ?? d.FullTest,
        };
    }

    private static AgentSettings Agent(JsonValidator v, JsonElement? element)
    {
        var d = new AgentSettings();
        if (element is not { } o)
        {
            return d;
        }

        const string p = "$.agent";
        return new AgentSettings
        {
            Command = NullIfBlank(v.String(o, "command", p)) ?? d.Command,
            Model = NullIfBlank(v.String(o, "model", p)),
            MaxTurns = v.Integer(o, "max_turns", p, 1),
            PermissionMode = NullIfBlank(v.String(o, "permission_mode", p)),
            AllowedTools = v.StringArray(o, "allowed_tools", p) ?? d.AllowedTools,
            ExtraArgs = v.StringArray(o, "extra_args", p) ?? d.ExtraArgs,
            MaxBudgetUsd = v.Number(o, "max_budget_usd", p, 0.000001) is { } budget ? (decimal)budget : null,
            AppendSystemPrompt = NullIfBlank(v.String(o, "append_system_prompt", p)),
            Prices = Prices(v, v.Object(JsonValidator.Property(o, "prices"), p + ".prices")) ?? d.Prices,
        };
    }

    /// <summary><c>agent.prices</c>: <c>{"model": {"input": 3, "output": 15, "cache_read"?, "cache_write"?, "cache_write_1h"?}}</c>, USD per million tokens.</summary>
    private static Dictionary<string, Agents.ModelPrice>? Prices(JsonValidator v, JsonElement? element)
    {
        if (element is not { } o)
        {
            return null;
        }

        var prices = new Dictionary<string, Agents.ModelPrice>(StringComparer.OrdinalIgnoreCase);
        foreach (var model in o.EnumerateObject())
        {
            var p = $"$.agent.prices.{model.Name}";
            if (v.Object(model.Value, p, required: true) is not { } price)
            {
                continue;
            }

            var input = v.Number(price, "input", p, 0);
            var output = v.Number(price, "output", p, 0);
            if (input is null || output is null)
            {
                foreach (var name in new[] { "input", "output" }.Where(n => JsonValidator.Property(price, n) is null))
                {
                    v.Report($"{p}.{name}", "is missing; expected a number (US dollars per million tokens)");
                }

                continue;
            }

            var standard = Agents.ModelPrice.FromInputOutput((decimal)input, (decimal)output);
            prices[model.Name] = standard with
            {
                CacheRead = v.Number(price, "cache_read", p, 0) is { } read ? (decimal)read : standard.CacheRead,
                CacheWrite = v.Number(price, "cache_write", p, 0) is { } write ? (decimal)write : standard.CacheWrite,
                CacheWrite1h = v.Number(price, "cache_write_1h", p, 0) is { } write1h ? (decimal)write1h : standard.CacheWrite1h,
            };
        }

        return prices;
    }

    private static LoopSettings Loop(JsonValidator v, JsonElement? element)
    {
        var d = new LoopSettings();
        if (element is not { } o)
        {
            return d;
        }

        const string p = "$.loop";
        return new LoopSettings
        {
            ContinueDelay = v.Number(o, "continue_delay", p, 0) ?? d.ContinueDelay,
            MaxIterations = v.Integer(o, "max_iterations", p, 1),
            MaxRetries = v.Integer(o, "max_retries", p, 0) ?? d.MaxRetries,
            SessionTimeout = v.Number(o, "session_timeout", p, 0.001),
            CheckpointInterval = v.Number(o, "checkpoint_interval", p, 0.001) ?? d.CheckpointInterval,
            StallLimit = v.Integer(o, "stall_limit", p, 1) ?? d.StallLimit,
            FeatureAttempts = v.Integer(o, "feature_attempts", p, 1) ?? d.FeatureAttempts,
            CircuitBreaker = v.Integer(o, "circuit_breaker", p, 1) ?? d.CircuitBreaker,
            MaxCostUsd = v.Number(o, "max_cost_usd", p, 0.000001) is { } cost ? (decimal)cost : null,
            MaxTokens = v.Integer(o, "max_tokens", p, 1),
            MaxWallTime = v.Number(o, "max_wall_time", p, 0.001),
            MaxRateLimitWait = v.Number(o, "max_rate_limit_wait", p, 0) ?? d.MaxRateLimitWait,
            RetryBaseDelay = v.Number(o, "retry_base_delay", p, 0) ?? d.RetryBaseDelay,
        };
    }

    private static PromptSettings Prompts(JsonValidator v, JsonElement? element) => element is not { } o
        ? new PromptSettings()
        : new PromptSettings
        {
            Initializer = NullIfBlank(v.String(o, "initializer", "$.prompts")),
            Coding = NullIfBlank(v.String(o, "coding", "$.prompts")),
            FixBroken = NullIfBlank(v.String(o, "fix_broken", "$.prompts")),
            Test = NullIfBlank(v.String(o, "test", "$.prompts")),
        };

    private static GuardSettings Guard(JsonValidator v, JsonElement? element)
    {
        var d = new GuardSettings();
        return element is not { } o
            ? d
            : new GuardSettings
            {
                ProtectedPaths = v.StringArray(o, "protected_paths", "$.guard") ?? d.ProtectedPaths,
                AllowedCommands = v.StringArray(o, "allowed_commands", "$.guard") ?? d.AllowedCommands,
            };
    }

    private static string? NullIfBlank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

    internal static bool IsEnvironmentName(string name) =>
        name.Length > 0 && !char.IsDigit(name[0]) && name.All(c => c == '_' || char.IsAsciiLetterOrDigit(c));
}
