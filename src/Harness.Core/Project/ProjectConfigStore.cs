using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Core.Errors;
using Harness.Core.IO;
using Harness.Core.Json;

namespace Harness.Core.Project;

/// <summary>
/// Reads, validates and writes <c>.claude/config/project.json</c>. People edit it by hand, so reading
/// validates first (every problem at once, with line and column), then the source-generated
/// deserializer builds <see cref="Json.Contracts.ProjectConfigJson"/>, which supplies the defaults.
/// </summary>
internal static class ProjectConfigStore
{
    /// <summary>Largest budget in dollars: far above any real one, far below what a decimal cannot hold.</summary>
    private const double MaxUsd = 1e12;

    private const string Fix = "Fix the value in the file (see docs/formats.md, project.json), or move the file away and initialize the project again for a fresh one.";

    /// <summary>The project's config, or <see cref="ProjectConfig.Default"/> when it has none.</summary>
    public static ProjectConfig Load(ProjectLayout layout)
    {
        var file = JsonFile.TryRead(layout.ConfigFile, ErrorIds.ConfigFileInvalid, Fix);
        return file is null ? ProjectConfig.Default : Parse(file);
    }

    /// <summary>Validates the file (every problem, with its line), then builds the config with the defaults.</summary>
    internal static ProjectConfig Parse(JsonFile file)
    {
        Validate(file);
        return HarnessJson.Deserialize(file, HarnessJsonContext.Default.ProjectConfigJson, ErrorIds.ConfigFileInvalid, Fix).ToConfig(file.Path);
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

    private static void Validate(JsonFile file)
    {
        var v = new JsonValidator(file);
        if (v.Object(file.Root, "$", required: true) is { } root)
        {
            const string r = "$";
            v.String(root, "project_type", r);
            v.String(root, "init_script", r);
            v.String(root, "health_check", r);
            v.String(root, "test_command", r);
            v.String(root, "smoke_test", r);
            v.Integer(root, "dev_server_port", r, 1, 65535);
            RequiredEnv(v, root);
            Timeouts(v, v.Object(JsonValidator.Property(root, "timeout_seconds"), "$.timeout_seconds"));
            Agent(v, v.Object(JsonValidator.Property(root, "agent"), "$.agent"));
            Loop(v, v.Object(JsonValidator.Property(root, "loop"), "$.loop"));
            Prompts(v, v.Object(JsonValidator.Property(root, "prompts"), "$.prompts"));
            Guard(v, v.Object(JsonValidator.Property(root, "guard"), "$.guard"));
        }

        v.ThrowIfProblems(ErrorIds.ConfigFileInvalid, "project.json", Fix);
    }

    private static void RequiredEnv(JsonValidator v, JsonElement root)
    {
        var names = v.StringArray(root, "required_env", "$") ?? [];
        for (var i = 0; i < names.Count; i++)
        {
            if (!IsEnvironmentName(names[i]))
            {
                v.Report($"$.required_env[{i}]", "expected an environment variable name (letters, digits, _)", root.GetProperty("required_env")[i]);
            }
        }
    }

    private static void Timeouts(JsonValidator v, JsonElement? element)
    {
        if (element is { } o)
        {
            const string p = "$.timeout_seconds";
            v.Number(o, "health_check", p, 0.001);
            v.Number(o, "smoke_test", p, 0.001);
            v.Number(o, "full_test", p, 0.001);
        }
    }

    private static void Agent(JsonValidator v, JsonElement? element)
    {
        if (element is { } o)
        {
            const string p = "$.agent";
            v.String(o, "command", p);
            v.String(o, "model", p);
            v.Integer(o, "max_turns", p, 1);
            v.String(o, "permission_mode", p);
            v.StringArray(o, "allowed_tools", p);
            v.StringArray(o, "extra_args", p);
            v.Number(o, "max_budget_usd", p, 0.000001, MaxUsd);
            v.String(o, "append_system_prompt", p);
            Prices(v, v.Object(JsonValidator.Property(o, "prices"), p + ".prices"));
        }
    }

    /// <summary><c>agent.prices</c>: <c>{"model": {"input": 3, "output": 15, "cache_read"?, "cache_write"?, "cache_write_1h"?}}</c>, USD per million tokens.</summary>
    private static void Prices(JsonValidator v, JsonElement? element)
    {
        if (element is not { } o)
        {
            return;
        }

        foreach (var model in o.EnumerateObject())
        {
            var p = JsonPaths.Child("$.agent.prices", model.Name);
            if (v.Object(model.Value, p, required: true) is not { } price)
            {
                continue;
            }

            foreach (var name in (ReadOnlySpan<string>)["input", "output"])
            {
                if (JsonValidator.Property(price, name) is null)
                {
                    v.Report(JsonPaths.Child(p, name), "is missing; expected a number (US dollars per million tokens)");
                }
            }

            foreach (var name in (ReadOnlySpan<string>)["input", "output", "cache_read", "cache_write", "cache_write_1h"])
            {
                v.Number(price, name, p, 0, MaxUsd);
            }
        }
    }

    private static void Loop(JsonValidator v, JsonElement? element)
    {
        if (element is { } o)
        {
            const string p = "$.loop";
            v.Number(o, "continue_delay", p, 0);
            v.Integer(o, "max_iterations", p, 1);
            v.Integer(o, "max_retries", p, 0);
            v.Number(o, "session_timeout", p, 0.001);
            v.Number(o, "checkpoint_interval", p, 0.001);
            v.Integer(o, "stall_limit", p, 1);
            v.Integer(o, "feature_attempts", p, 1);
            v.Integer(o, "circuit_breaker", p, 1);
            v.Number(o, "max_cost_usd", p, 0.000001, MaxUsd);
            v.Integer(o, "max_tokens", p, 1);
            v.Number(o, "max_wall_time", p, 0.001);
            v.Number(o, "max_rate_limit_wait", p, 0);
            v.Number(o, "retry_base_delay", p, 0);
            v.Number(o, "outage_budget", p, 0);
            v.Integer(o, "parallel", p, 1, 64);
            if (v.String(o, "merge", p) is { } merge && merge is not (LoopSettings.MergeCommitMerge or LoopSettings.FastForwardMerge))
            {
                v.Report(p + ".merge", $"expected \"{LoopSettings.MergeCommitMerge}\" or \"{LoopSettings.FastForwardMerge}\"", o.GetProperty("merge"));
            }
        }
    }

    private static void Prompts(JsonValidator v, JsonElement? element)
    {
        if (element is { } o)
        {
            foreach (var name in (ReadOnlySpan<string>)["initializer", "coding", "fix_broken", "test"])
            {
                v.String(o, name, "$.prompts");
            }
        }
    }

    private static void Guard(JsonValidator v, JsonElement? element)
    {
        if (element is { } o)
        {
            v.StringArray(o, "protected_paths", "$.guard");
            v.StringArray(o, "allowed_commands", "$.guard");
        }
    }

    internal static bool IsEnvironmentName(string name) =>
        name.Length > 0 && !char.IsDigit(name[0]) && name.All(c => c == '_' || char.IsAsciiLetterOrDigit(c));
}
