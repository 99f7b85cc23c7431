using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Harness.FakeAgent;

/// <summary>
/// Fake agent. Usable as Claude Code (accepts and ignores its flags; the prompt after -p) and as a
/// plain command (prompt as an argument, --prompt-file=PATH, or stdin with --prompt-stdin).
/// Scenario: --scenario=PATH or HARNESS_FAKE_SCENARIO=PATH, a JSON object
/// { "session_id"?, "model"?, "steps": [ { "action": ..., ... } ] } (see README in this folder).
/// HARNESS_FAKE_RECORD=PATH: writes {args, prompt, stdin, cwd, pid, session_type} there first.
/// </summary>
internal static class Program
{
    private static string _sessionId = Guid.NewGuid().ToString();
    private static string _model = "claude-sonnet-4-6";
    private static int _turns;
    private static readonly JsonArray Denials = [];
    private static readonly TextWriter Out = Console.Out;

    private static int Main(string[] args)
    {
        string? scenarioPath = Environment.GetEnvironmentVariable("HARNESS_FAKE_SCENARIO");
        string? prompt = null;
        var promptFromStdin = false;
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (a.StartsWith("--scenario=", StringComparison.Ordinal)) scenarioPath = a["--scenario=".Length..];
            else if (a.StartsWith("--prompt-file=", StringComparison.Ordinal)) prompt = File.ReadAllText(a["--prompt-file=".Length..]);
            else if (a == "--prompt-stdin") promptFromStdin = true;
            else if (a is "-p" or "--print" && i + 1 < args.Length) prompt = args[++i];
            else if (a.StartsWith("--model=", StringComparison.Ordinal)) _model = a["--model=".Length..];
            else if (!a.StartsWith('-') && prompt is null) prompt = a;
        }

        string? stdin = null;
        var record = Environment.GetEnvironmentVariable("HARNESS_FAKE_RECORD");
        if (promptFromStdin || record is not null)
        {
            stdin = Console.In.ReadToEnd();
            if (promptFromStdin) prompt = stdin;
        }

        if (record is not null)
        {
            var args2 = new JsonArray();
            foreach (var a in args) args2.Add(a);
            File.WriteAllText(record, new JsonObject
            {
                ["args"] = args2,
                ["prompt"] = prompt,
                ["stdin"] = stdin,
                ["cwd"] = Directory.GetCurrentDirectory(),
                ["pid"] = Environment.ProcessId,
                ["session_type"] = Environment.GetEnvironmentVariable("HARNESS_SESSION_TYPE"),
            }.ToJsonString());
        }

        var scenario = scenarioPath is null
            ? new JsonObject { ["steps"] = new JsonArray() }
            : JsonNode.Parse(File.ReadAllText(scenarioPath))!.AsObject();
        if (scenarioPath is not null && scenario["runs"] is JsonArray runs && runs.Count > 0)
        {
            // A scenario for several sessions (the loop): the Nth run of the agent plays runs[N-1],
            // the last one repeating; the count lives beside the scenario file.
            scenario = runs[Math.Min(NextRun(scenarioPath), runs.Count) - 1]!.AsObject();
        }
        _sessionId = (string?)scenario["session_id"] ?? _sessionId;
        _model = (string?)scenario["model"] ?? _model;
        if (scenario["steps"]?.AsArray() is [JsonObject { } first, ..] && (string?)first["action"] == "refuse_to_start")
        {
            // Like Claude Code refusing its command line (as root without IS_SANDBOX): stderr, no event at all.
            Console.Error.WriteLine((string?)first["message"] ?? "--dangerously-skip-permissions cannot be used with root/sudo privileges for security reasons");
            return (int?)first["exit_code"] ?? 1;
        }

        Emit(new JsonObject
        {
            ["type"] = "system", ["subtype"] = "init", ["cwd"] = Directory.GetCurrentDirectory(), ["session_id"] = _sessionId,
            ["tools"] = new JsonArray("Bash", "Edit", "Read", "Write"), ["mcp_servers"] = new JsonArray(), ["model"] = _model,
            ["permissionMode"] = "bypassPermissions", ["apiKeySource"] = "ANTHROPIC_API_KEY", ["claude_code_version"] = "2.1.197-fake",
            ["uuid"] = Guid.NewGuid().ToString(),
        });

        foreach (var step in scenario["steps"]?.AsArray() ?? [])
        {
            var exit = Run(step!.AsObject());
            if (exit is { } code) return code;
        }

        return Result("success", isError: false, apiStatus: null, text: "done", terminal: "completed", exitCode: 0);
    }

    /// <summary>Runs one step; a non-null return ends the process with that exit code.</summary>
    private static int? Run(JsonObject step)
    {
        var action = (string?)step["action"] ?? throw new InvalidOperationException("step without action");
        switch (action)
        {
            case "noise":
                Out.WriteLine((string?)step["text"] ?? "this line is not JSON");
                Out.Flush();
                return null;
            case "text":
                Assistant(new JsonObject { ["type"] = "text", ["text"] = (string?)step["text"] ?? "working" });
                return null;
            case "tool":
                Tool((string?)step["name"] ?? "Bash", new JsonObject(), (string?)step["output"] ?? "ok", (bool?)step["is_error"] ?? false);
                return null;
            case "permission_denied":
                // A call the permission mode or a hook refused: an error tool result, and the call listed in the result's permission_denials.
                var tool = (string?)step["name"] ?? "Write";
                var input = tool == "Bash"
                    ? new JsonObject { ["command"] = (string?)step["target"] ?? "git commit -am wip" }
                    : new JsonObject { ["file_path"] = (string?)step["target"] ?? Path.GetFullPath(Path.Combine(".claude", "progress", "feature-list.json")), ["content"] = "{}" };
                var id = Tool(tool, input, (string?)step["output"] ?? $"Claude requested permissions to edit {input["file_path"] ?? input["command"]} which is a sensitive file.", true);
                Denials.Add(new JsonObject { ["tool_name"] = tool, ["tool_use_id"] = id, ["tool_input"] = input.DeepClone() });
                return null;
            case "stderr":
                Console.Error.WriteLine((string?)step["text"] ?? "fake agent: a line on stderr");
                return null;
            case "init_features":
                InitFeatures((int?)step["count"] ?? 3);
                return null;
            case "complete_features":
                CompleteFeatures((int?)step["count"] ?? 1, (string?)step["status"] ?? "completed");
                return null;
            case "set_status":
                // What an agent does to claim a feature (its own, or one it was not given).
                EditFeatures(list => list.First(f => (string?)f!["id"] == (string?)step["id"])!["status"] = (string?)step["status"] ?? "tested");
                return null;
            case "delete_feature":
                EditFeatures(list => list.Remove(list.First(f => (string?)f!["id"] == (string?)step["id"])));
                return null;
            case "rewrite_feature":
                EditFeatures(list =>
                {
                    var f = list.First(f => (string?)f!["id"] == (string?)step["id"])!;
                    if (step["name"] is not null) f["name"] = (string?)step["name"];
                    f["description"] = (string?)step["description"] ?? "rewritten by the agent";
                });
                return null;
            case "add_feature":
                EditFeatures(list => list.Add(new JsonObject
                {
                    ["id"] = (string?)step["id"] ?? "added", ["name"] = "Added", ["description"] = "added by the agent",
                    ["category"] = "functional", ["steps"] = new JsonArray(), ["status"] = "pending", ["attempts"] = 0, ["notes"] = "",
                }));
                return null;
            case "spawn_grandchild":
                SpawnGrandchild((int?)step["seconds"] ?? 300, (string?)step["pid_file"]);
                return null;
            case "shell":
                Shell((string?)step["command"] ?? throw new InvalidOperationException("shell step without command"));
                return null;
            case "write_file":
                // A parallel worker's edit: {feature} in path and text is HARNESS_FEATURE_ID; with "feature", only that feature's session writes.
                var assigned = Environment.GetEnvironmentVariable("HARNESS_FEATURE_ID") ?? "";
                if ((string?)step["feature"] is { } only && only != assigned) return null;
                var target = ((string?)step["path"] ?? "shared.txt").Replace("{feature}", assigned, StringComparison.Ordinal);
                if (Path.GetDirectoryName(target) is { Length: > 0 } folder) Directory.CreateDirectory(folder);
                File.WriteAllText(target, ((string?)step["text"] ?? "written by {feature}\n").Replace("{feature}", assigned, StringComparison.Ordinal));
                Tool("Write", new JsonObject { ["file_path"] = Path.GetFullPath(target) }, "File created successfully", false);
                return null;
            case "sleep":
                Thread.Sleep((int?)step["ms"] ?? 1000);
                return null;
            case "hang":
                Thread.Sleep(Timeout.Infinite);
                return null;
            case "crash":
                Console.Error.WriteLine((string?)step["message"] ?? "fake agent: crashed");
                return (int?)step["exit_code"] ?? 1;
            case "api_retry":
                Emit(new JsonObject
                {
                    ["type"] = "system", ["subtype"] = "api_retry", ["attempt"] = (int?)step["attempt"] ?? 1, ["max_retries"] = 2,
                    ["retry_delay_ms"] = (int?)step["delay_ms"] ?? 500, ["error_status"] = (int?)step["status"] ?? 429, ["error"] = (string?)step["error"] ?? "rate_limit", ["session_id"] = _sessionId,
                });
                return null;
            case "rate_limit_event":
                Emit(RateLimitEvent((string?)step["status"] ?? "allowed_warning", (double?)step["resets_in_seconds"] ?? 3600));
                return null;
            case "rate_limited":
                // A subscription login's limit: the event says rejected with the reset time, the CLI's retries run out, 429.
                Emit(RateLimitEvent("rejected", (double?)step["resets_in_seconds"] ?? 5));
                Emit(new JsonObject
                {
                    ["type"] = "assistant", ["message"] = Message(new JsonObject { ["type"] = "text", ["text"] = "API Error: 429 rate limited" }, "<synthetic>"),
                    ["parent_tool_use_id"] = null, ["session_id"] = _sessionId, ["uuid"] = Guid.NewGuid().ToString(), ["error"] = "rate_limit",
                });
                return Result("success", isError: true, apiStatus: 429, text: "API Error: 429 rate limited", terminal: "completed", exitCode: 1);
            case "usage_limit":
                // A subscription's limit as the CLI reports it: its own assistant message with error rate_limit, then an error result with the same words.
                var words = (string?)step["text"] ?? "You've hit your limit · resets 5pm (Europe/Vilnius)";
                Emit(new JsonObject
                {
                    ["type"] = "assistant", ["message"] = Message(new JsonObject { ["type"] = "text", ["text"] = words }, "<synthetic>"),
                    ["parent_tool_use_id"] = null, ["session_id"] = _sessionId, ["uuid"] = Guid.NewGuid().ToString(), ["error"] = "rate_limit",
                });
                return Result("success", isError: true, apiStatus: (int?)step["status"], text: words, terminal: "completed", exitCode: 1, errored: true);
            case "connection_error":
                // No HTTP answer at all: an error result without api_error_status.
                Emit(new JsonObject
                {
                    ["type"] = "assistant", ["message"] = Message(new JsonObject { ["type"] = "text", ["text"] = ConnectionRefused }, "<synthetic>"),
                    ["parent_tool_use_id"] = null, ["session_id"] = _sessionId, ["uuid"] = Guid.NewGuid().ToString(), ["error"] = (string?)step["error"] ?? "server_error",
                });
                return Result("success", isError: true, apiStatus: null, text: ConnectionRefused, terminal: "api_error", exitCode: 1, errored: true);
            case "unanswered_error":
                // An error result without a status that is not about the connection (e.g. a key the CLI refuses).
                Emit(new JsonObject
                {
                    ["type"] = "assistant", ["message"] = Message(new JsonObject { ["type"] = "text", ["text"] = "Invalid API key · Fix external API key" }, "<synthetic>"),
                    ["parent_tool_use_id"] = null, ["session_id"] = _sessionId, ["uuid"] = Guid.NewGuid().ToString(), ["error"] = "authentication_failed",
                });
                return Result("success", isError: true, apiStatus: null, text: "Invalid API key · Fix external API key", terminal: "completed", exitCode: 1, errored: true);
            case "api_error":
                var status = (int?)step["status"] ?? 400;
                Emit(new JsonObject
                {
                    ["type"] = "assistant", ["message"] = Message(new JsonObject { ["type"] = "text", ["text"] = $"API Error: {status} fake: scripted API failure" }, "<synthetic>"),
                    ["parent_tool_use_id"] = null, ["session_id"] = _sessionId, ["uuid"] = Guid.NewGuid().ToString(), ["error"] = "unknown",
                });
                return Result("success", isError: true, apiStatus: status, text: $"API Error: {status} fake: scripted API failure", terminal: "completed", exitCode: 1);
            case "max_turns":
                var max = (int?)step["max_turns"] ?? 2;
                for (var i = 0; i < max; i++) Tool("Bash", new JsonObject { ["command"] = "echo tick >> ticks.txt" }, "(Bash completed with no output)", false);
                return Result("error_max_turns", isError: true, apiStatus: null, text: null, terminal: "max_turns", exitCode: 1,
                    errors: [$"Reached maximum number of turns ({max})"]);
            case "execution_error":
                return Result("error_during_execution", isError: true, apiStatus: null, text: null, terminal: "aborted", exitCode: 1);
            case "result":
                return Result((string?)step["subtype"] ?? "success", (bool?)step["is_error"] ?? false, (int?)step["api_error_status"],
                    (string?)step["result"] ?? "done", (string?)step["terminal_reason"] ?? "completed", (int?)step["exit_code"] ?? 0);
            case "exit":
                return (int?)step["exit_code"] ?? 0;
            default:
                throw new InvalidOperationException("unknown action: " + action);
        }
    }

    /// <summary>What Claude Code 2.1.332 says when nothing listens at its base URL.</summary>
    private const string ConnectionRefused = "API Error: Connection refused — a firewall or proxy may be blocking it (ECONNREFUSED)";

    private static JsonObject RateLimitEvent(string status, double resetsInSeconds) => new()
    {
        ["type"] = "rate_limit_event",
        ["rate_limit_info"] = new JsonObject
        {
            ["status"] = status,
            ["resets_at"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + (long)Math.Ceiling(resetsInSeconds),
            ["rate_limit_type"] = "five_hour",
        },
        ["session_id"] = _sessionId,
        ["uuid"] = Guid.NewGuid().ToString(),
    };

    /// <summary>What an initializer session does: the feature list with COUNT pending features, an init script, a commit.</summary>
    private static void InitFeatures(int count)
    {
        var features = new JsonArray();
        for (var i = 1; i <= count; i++)
        {
            features.Add(new JsonObject
            {
                ["id"] = $"F{i:000}", ["name"] = $"Feature {i}", ["description"] = $"The user can do thing {i}.", ["category"] = "functional",
                ["steps"] = new JsonArray($"do thing {i}", $"see thing {i}"), ["status"] = "pending", ["attempts"] = 0, ["notes"] = "",
            });
        }

        var path = Path.Combine(".claude", "progress", "feature-list.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, new JsonObject { ["features"] = features }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.WriteAllText("init.sh", "#!/bin/sh\necho ready\n");
        Tool("Write", new JsonObject { ["file_path"] = Path.GetFullPath(path) }, "File created successfully", false);
        Git("add", "-A");
        Git("-c", "user.name=Fake Agent", "-c", "user.email=fake-agent@example.invalid", "-c", "commit.gpgsign=false", "commit", "-q", "-m", "init: feature list and init script");
    }

    /// <summary>
    /// What a coding session does: takes the next COUNT features the way that list's own loop
    /// would and marks them done, a commit each. The seed list gets STATUS; a list with passes
    /// (the quickstart's, Ralph's prd.json) gets passes: true and nothing else, as Ralph's agent
    /// writes it (in a prd.json by a text edit, as Claude Code's Edit tool makes it).
    /// </summary>
    private static void CompleteFeatures(int count, string status)
    {
        var done = new List<string>();
        var (path, format) = FeatureListFile();
        if (format == "ralph")
        {
            // As Claude Code's Edit tool does it: the story's "passes": false replaced, every other byte kept.
            var text = File.ReadAllText(path);
            foreach (var (f, _) in Open(JsonNode.Parse(text)!["userStories"]!.AsArray(), format, count))
            {
                var id = (string)f["id"]!;
                var flag = text.IndexOf("\"passes\": false", text.IndexOf($"\"id\": \"{id}\"", StringComparison.Ordinal), StringComparison.Ordinal);
                text = string.Concat(text.AsSpan(0, flag), "\"passes\": true", text.AsSpan(flag + "\"passes\": false".Length));
                done.Add(id);
            }

            File.WriteAllText(path, text);
            Tool("Edit", new JsonObject { ["file_path"] = Path.GetFullPath(path) }, "The file has been updated.", false);
        }
        else
        {
            EditFeatures(list =>
            {
                foreach (var (f, index) in Open(list, format, count))
                {
                    if (format == "seed") f["status"] = status;
                    else f["passes"] = true;
                    done.Add((string?)f["id"] ?? $"F{index + 1:000}");
                }
            });
        }

        foreach (var id in done)
        {
            var file = Path.Combine("features", id + ".txt");
            Directory.CreateDirectory("features");
            File.WriteAllText(file, $"feature {id} implemented\n");
            Tool("Write", new JsonObject { ["file_path"] = Path.GetFullPath(file), ["content"] = $"feature {id} implemented\n" }, "File created successfully", false);
            Git("add", "-A");
            Git("-c", "user.name=Fake Agent", "-c", "user.email=fake-agent@example.invalid", "-c", "commit.gpgsign=false", "commit", "-q", "-m", $"feat: implement {id}");
            Tool("Bash", new JsonObject { ["command"] = $"git commit -m 'feat: implement {id}'" }, "(Bash completed with no output)", false);
        }
    }

    /// <summary>The next COUNT open features the way that list's own loop takes them: Ralph's by priority (lowest first), then file order.</summary>
    private static List<(JsonObject Feature, int Index)> Open(JsonArray list, string format, int count) =>
        list.Select((f, i) => (Feature: f!.AsObject(), Index: i))
            // A parallel worker finishes only the feature it was given (HARNESS_FEATURE_ID).
            .Where(f => Environment.GetEnvironmentVariable("HARNESS_FEATURE_ID") is not { } assigned || (string?)f.Feature["id"] == assigned)
            .Where(f => format == "seed"
                ? (string?)f.Feature["status"] is "pending" or "in_progress"
                : (bool?)f.Feature["passes"] != true && (string?)f.Feature["status"] != "blocked")
            .OrderBy(f => format == "ralph" && f.Feature["priority"] is JsonValue v && v.TryGetValue<double>(out var p) ? p : double.PositiveInfinity)
            .ThenBy(f => f.Index)
            .Take(count)
            .ToList();

    /// <summary>The list the harness would read (its order: seed, quickstart, Ralph's prd.json at the root, then in scripts/ralph/) and its format.</summary>
    private static (string Path, string Format) FeatureListFile()
    {
        (string, string)[] candidates =
        [
            (Path.Combine(".claude", "progress", "feature-list.json"), "seed"),
            ("feature_list.json", "quickstart"),
            ("prd.json", "ralph"),
            (Path.Combine("scripts", "ralph", "prd.json"), "ralph"),
        ];
        return candidates.FirstOrDefault(c => File.Exists(c.Item1), candidates[0]);
    }

    private static void EditFeatures(Action<JsonArray> change)
    {
        var (path, format) = FeatureListFile();
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        change(format switch
        {
            "seed" => root["features"]!.AsArray(),
            "ralph" => root["userStories"]!.AsArray(),
            _ => root.AsArray(),
        });
        File.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        Tool("Edit", new JsonObject { ["file_path"] = Path.GetFullPath(path) }, "The file has been updated.", false);
    }

    /// <summary>Like a Bash tool call run in the background: /bin/sh -c COMMAND as a child of the agent, not waited for.</summary>
    private static void Shell(string command)
    {
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(command);
        var child = Process.Start(psi)!;
        Tool("Bash", new JsonObject { ["command"] = command, ["run_in_background"] = true }, $"started {child.Id}", false);
    }

    private static void SpawnGrandchild(int seconds, string? pidFile)
    {
        // Like Claude Code's Bash tool: the command runs in its own session, and inherits our stdout.
        var psi = new ProcessStartInfo("setsid") { UseShellExecute = false };
        psi.ArgumentList.Add("sleep");
        psi.ArgumentList.Add(seconds.ToString(CultureInfo.InvariantCulture));
        var child = Process.Start(psi)!;
        if (pidFile is not null) File.WriteAllText(pidFile, child.Id.ToString(CultureInfo.InvariantCulture) + "\n");
        Tool("Bash", new JsonObject { ["command"] = $"sleep {seconds} &", ["run_in_background"] = true }, $"started {child.Id}", false);
    }

    private static void Git(params string[] args)
    {
        var psi = new ProcessStartInfo("git") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var git = Process.Start(psi)!;
        var stderr = git.StandardError.ReadToEndAsync();
        git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        if (git.ExitCode != 0) throw new InvalidOperationException($"git {string.Join(' ', args)}: {stderr.Result}");
    }

    private static string Tool(string name, JsonObject input, string output, bool isError)
    {
        var id = "toolu_fake_" + Guid.NewGuid().ToString("N")[..16];
        Assistant(new JsonObject { ["type"] = "tool_use", ["id"] = id, ["name"] = name, ["input"] = input });
        var result = new JsonObject { ["tool_use_id"] = id, ["type"] = "tool_result", ["content"] = output };
        if (isError) result["is_error"] = true;
        Emit(new JsonObject
        {
            ["type"] = "user", ["message"] = new JsonObject { ["role"] = "user", ["content"] = new JsonArray(result) },
            ["parent_tool_use_id"] = null, ["session_id"] = _sessionId, ["uuid"] = Guid.NewGuid().ToString(),
        });
        return id;
    }

    private static void Assistant(JsonObject block)
    {
        _turns++;
        Emit(new JsonObject
        {
            ["type"] = "assistant", ["message"] = Message(block, _model),
            ["parent_tool_use_id"] = null, ["session_id"] = _sessionId, ["uuid"] = Guid.NewGuid().ToString(),
        });
    }

    private static JsonObject Message(JsonObject block, string model) => new()
    {
        ["id"] = "msg_fake_" + Guid.NewGuid().ToString("N")[..20], ["type"] = "message", ["role"] = "assistant", ["model"] = model,
        ["content"] = new JsonArray(block), ["stop_reason"] = null,
        ["usage"] = new JsonObject { ["input_tokens"] = 1000, ["output_tokens"] = 1, ["cache_creation_input_tokens"] = 0, ["cache_read_input_tokens"] = 0 },
    };

    /// <param name="errored">An API failure without a status (no answer): billed nothing, like one with a status.</param>
    private static int Result(string subtype, bool isError, int? apiStatus, string? text, string terminal, int exitCode, string[]? errors = null, bool errored = false)
    {
        var turns = Math.Max(1, _turns);
        var billed = apiStatus is null && !errored;
        var cost = billed ? 0.01m * turns : 0m;
        long input = billed ? 1000L * turns : 0, output = billed ? 10L * turns : 0;
        var result = new JsonObject
        {
            ["type"] = "result", ["subtype"] = subtype, ["is_error"] = isError, ["api_error_status"] = apiStatus,
            ["duration_ms"] = 100, ["duration_api_ms"] = 50, ["num_turns"] = turns, ["stop_reason"] = "end_turn",
            ["session_id"] = _sessionId, ["total_cost_usd"] = cost,
            ["usage"] = new JsonObject
            {
                ["input_tokens"] = input, ["cache_creation_input_tokens"] = 7 * turns, ["cache_read_input_tokens"] = 5 * turns, ["output_tokens"] = output,
                ["service_tier"] = "standard",
            },
            ["modelUsage"] = new JsonObject
            {
                [_model] = new JsonObject { ["inputTokens"] = input, ["outputTokens"] = output, ["cacheReadInputTokens"] = 5 * turns, ["cacheCreationInputTokens"] = 7 * turns, ["costUSD"] = cost },
            },
            ["permission_denials"] = Denials.DeepClone(), ["terminal_reason"] = terminal, ["uuid"] = Guid.NewGuid().ToString(),
        };
        if (text is not null) result["result"] = text;
        if (errors is not null)
        {
            var array = new JsonArray();
            foreach (var e in errors) array.Add(e);
            result["errors"] = array;
        }

        Emit(result);
        return exitCode;
    }

    private static void Emit(JsonObject line)
    {
        Out.WriteLine(line.ToJsonString());
        Out.Flush();
    }

    /// <summary>1 for the first run of this scenario, 2 for the second, ...; counted in SCENARIO.runs.</summary>
    private static int NextRun(string scenarioPath)
    {
        var counter = scenarioPath + ".runs";
        using var stream = new FileStream(counter, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        using var reader = new StreamReader(stream, leaveOpen: true);
        var run = (int.TryParse(reader.ReadToEnd().Trim(), out var n) ? n : 0) + 1;
        stream.SetLength(0);
        using var writer = new StreamWriter(stream);
        writer.Write(run);
        return run;
    }
}
