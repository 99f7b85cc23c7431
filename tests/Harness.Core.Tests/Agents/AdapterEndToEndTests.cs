using System.Diagnostics;
using System.Text.Json.Nodes;
using Harness.Core.Agents;
using Harness.Core.Tests.Processes;
using Harness.TestKit;
using static Harness.Core.Tests.Agents.FakeAgent;
using static Harness.Core.Tests.Processes.ProcessTestSupport;

namespace Harness.Core.Tests.Agents;

/// <summary>The adapters end to end with tests/Harness.FakeAgent standing in for the agent.</summary>
public sealed class AdapterEndToEndTests : IDisposable
{
    private readonly TempGitRepo _repo = TempGitRepo.Init();
    private readonly string _bin;
    private readonly string _claude;

    public AdapterEndToEndTests()
    {
        _bin = Path.Combine(_repo.Path, ".." , Path.GetFileName(_repo.Path) + "-bin");
        Directory.CreateDirectory(_bin);
        _claude = OperatingSystem.IsWindows() ? "" : CreateClaudeShim(_bin);
    }

    public void Dispose()
    {
        _repo.Dispose();
        try
        {
            Directory.Delete(_bin, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string Transcript => Path.Combine(_repo.Path, ".claude", "progress", "transcripts", "s1.jsonl");

    private AgentSessionRequest Request(string scenario, TimeSpan? timeout = null, string prompt = "Implement the next feature.") => new()
    {
        Prompt = prompt,
        WorkingDirectory = _repo.Path,
        SessionType = "IMPLEMENT",
        Timeout = timeout ?? TimeSpan.FromSeconds(60),
        Environment = new Dictionary<string, string?> { ["HARNESS_FAKE_SCENARIO"] = scenario },
        TranscriptPath = Transcript,
    };

    private async Task<(AgentSessionResult Result, EventLog Log)> RunClaude(AgentSessionRequest request, CancellationToken ct = default)
    {
        var log = new EventLog();
        var result = await new ClaudeCodeAgent(_claude).RunAsync(request, log, ct);
        return (result, log);
    }

    [LinuxFact]
    public async Task Claude_adapter_passes_flags_in_equals_form_with_empty_stdin_and_reads_the_result()
    {
        var record = Path.Combine(_bin, "record.json");
        var scenario = WriteScenario(_bin, Step("noise", ("text", "npm WARN something")), Step("tool", ("name", "Bash")), Step("text"));
        var request = Request(scenario) with
        {
            Model = "claude-sonnet-4-6",
            MaxTurns = 7,
            PermissionMode = "bypassPermissions",
            AllowedTools = ["Bash(git log:*)", "Edit"],
            MaxBudgetUsd = 1.5m,
            AppendSystemPrompt = "-starts with a dash",
            SettingsFile = "/tmp/settings.json",
            ExtraArgs = ["--debug-to-stderr"],
            Environment = new Dictionary<string, string?> { ["HARNESS_FAKE_SCENARIO"] = scenario, ["HARNESS_FAKE_RECORD"] = record },
        };

        var (result, log) = await RunClaude(request);

        Assert.Equal(AgentOutcome.Completed, result.Outcome);
        Assert.Equal(0, result.ExitCode);
        var recorded = JsonNode.Parse(File.ReadAllText(record))!;
        var args = recorded["args"]!.AsArray().Select(a => (string)a!).ToList();
        Assert.Equal(
            ["-p", "Implement the next feature.", "--output-format=stream-json", "--verbose", "--include-partial-messages", "--model=claude-sonnet-4-6", "--max-turns=7",
             "--permission-mode=bypassPermissions", "--allowedTools=Bash(git log:*)", "--allowedTools=Edit", "--max-budget-usd=1.5",
             "--append-system-prompt=-starts with a dash", "--settings=/tmp/settings.json", "--debug-to-stderr"],
            args);
        Assert.Equal("", (string?)recorded["stdin"]);
        Assert.Equal("IMPLEMENT", (string?)recorded["session_type"]);

        Assert.Equal("fake-session-1", result.AgentSessionId);
        Assert.Equal(2, result.Turns);
        Assert.Equal(0.02m, result.CostUsd);
        Assert.Equal(2000, result.InputTokens);
        Assert.Equal(20, result.OutputTokens);
        Assert.Equal(10, result.CacheReadTokens);
        Assert.Equal(14, result.CacheCreationTokens);
        Assert.Equal(1, result.SkippedLines);
        Assert.Equal(Transcript, result.TranscriptPath);
        var transcript = File.ReadAllLines(Transcript);
        Assert.Contains("npm WARN something", transcript);
        Assert.Contains(transcript, l => l.Contains("\"type\":\"result\"", StringComparison.Ordinal));
        Assert.Contains(log.Events, e => e.Kind == AgentEventKind.Init && e.SessionId == "fake-session-1");
        Assert.Contains(log.Events, e => e.Kind == AgentEventKind.ToolUse && e.ToolName == "Bash");
        Assert.Equal(AgentEventKind.Result, log.Events[^1].Kind);
    }

    [LinuxFact]
    public async Task Claude_adapter_classifies_each_failure()
    {
        var cases = new (JsonObject Step, AgentOutcome Expected, int? Exit)[]
        {
            (Step("crash"), AgentOutcome.Crashed, 1),
            (Step("exit", ("exit_code", 0)), AgentOutcome.Crashed, 0), // exit 0 without a result event is still a crash
            (Step("max_turns", ("max_turns", 2)), AgentOutcome.MaxTurns, 1),
            (Step("api_error", ("status", 400)), AgentOutcome.ApiError, 1),
            (Step("execution_error"), AgentOutcome.ExecutionError, 1),
        };
        foreach (var (step, expected, exit) in cases)
        {
            var (result, _) = await RunClaude(Request(WriteScenario(_bin, step)));
            Assert.True(expected == result.Outcome, $"{step.ToJsonString()}: expected {expected}, got {result.Outcome}");
            Assert.Equal(exit, result.ExitCode);
            if (expected == AgentOutcome.ApiError) Assert.Equal(400, result.ApiErrorStatus);
            if (expected == AgentOutcome.Crashed) Assert.Contains(result.Errors, e => e.Contains("without a result event", StringComparison.Ordinal));
        }
    }

    [LinuxFact]
    public async Task Rate_limit_reports_resets_at()
    {
        var before = DateTimeOffset.UtcNow;
        var (result, log) = await RunClaude(Request(WriteScenario(_bin, Step("api_retry"), Step("rate_limited", ("resets_in_seconds", 5)))));
        Assert.Equal(AgentOutcome.RateLimited, result.Outcome);
        Assert.Equal(429, result.ApiErrorStatus);
        Assert.True(result.RateLimit!.Rejected);
        Assert.InRange(result.RateLimit.ResetsAt!.Value, before.AddSeconds(3), before.AddSeconds(8));
        Assert.Contains(log.Events, e => e.Kind == AgentEventKind.ApiRetry && e.ErrorStatus == 429);
        Assert.Contains(log.Events, e => e.Kind == AgentEventKind.RateLimit && e.RateLimit!.Rejected);
    }

    [LinuxFact]
    public async Task Completing_features_changes_the_list_and_commits()
    {
        ProjectFiles.WriteFeatures(_repo.Path, ("f1", "pending"), ("f2", "pending"), ("f3", "pending"));
        _repo.Git("add", "-A");
        _repo.Git("commit", "-q", "-m", "features");
        var (result, _) = await RunClaude(Request(WriteScenario(_bin, Step("complete_features", ("count", 2)))));
        Assert.Equal(AgentOutcome.Completed, result.Outcome);
        var list = File.ReadAllText(ProjectFiles.FeatureListPath(_repo.Path));
        Assert.Equal(2, list.Split("\"completed\"").Length - 1);
        Assert.Contains("feat: implement f2", _repo.Git("log", "--format=%s"));
    }

    [LinuxFact]
    public async Task Hang_is_killed_at_the_timeout_with_the_whole_tree()
    {
        var record = Path.Combine(_bin, "record.json");
        var pidFile = Path.Combine(_bin, "grandchild.pid");
        var scenario = WriteScenario(_bin, Step("spawn_grandchild", ("pid_file", pidFile)), Step("hang"));
        var request = Request(scenario, TimeSpan.FromSeconds(3)) with
        {
            Environment = new Dictionary<string, string?> { ["HARNESS_FAKE_SCENARIO"] = scenario, ["HARNESS_FAKE_RECORD"] = record },
        };
        var stopwatch = Stopwatch.StartNew();
        var (result, _) = await RunClaude(request);
        var pids = new[] { (int)JsonNode.Parse(File.ReadAllText(record))!["pid"]!, ReadPids(pidFile).Single() };
        try
        {
            Assert.Equal(AgentOutcome.TimedOut, result.Outcome);
            Assert.Null(result.ExitCode);
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(15), $"took {stopwatch.Elapsed}");
            Assert.Empty(result.SurvivingProcesses);
            Assert.Contains(pids[1], result.KilledProcesses);
            Assert.Empty(StillAliveAfterGrace(pids)); // checked in /proc
        }
        finally
        {
            KillQuietly(pids);
        }
    }

    [LinuxFact]
    public async Task Cancellation_kills_the_tree()
    {
        var pidFile = Path.Combine(_bin, "grandchild.pid");
        var scenario = WriteScenario(_bin, Step("spawn_grandchild", ("pid_file", pidFile)), Step("hang"));
        using var cts = new CancellationTokenSource();
        var run = RunClaude(Request(scenario), cts.Token);
        WaitUntil(() => ReadPids(pidFile).Count == 1, "the grandchild to start");
        Thread.Sleep(Harness.Core.Processes.ProcessWatchdog.SnapshotInterval * 2); // let the watchdog see it
        cts.Cancel();
        var (result, _) = await run;
        var grandchild = ReadPids(pidFile).Single();
        try
        {
            Assert.Equal(AgentOutcome.Cancelled, result.Outcome);
            Assert.Empty(result.SurvivingProcesses);
            Assert.Empty(StillAliveAfterGrace([grandchild]));
        }
        finally
        {
            KillQuietly([grandchild]);
        }
    }

    [LinuxFact]
    public async Task A_grandchild_left_running_by_a_finished_agent_is_killed()
    {
        var pidFile = Path.Combine(_bin, "grandchild.pid");
        // The grandchild holds the agent's stdout open too, so this also proves reading does not wait for it.
        var scenario = WriteScenario(_bin, Step("spawn_grandchild", ("pid_file", pidFile)), Step("sleep", ("ms", 800)));
        var stopwatch = Stopwatch.StartNew();
        var (result, _) = await RunClaude(Request(scenario));
        var grandchild = ReadPids(pidFile).Single();
        try
        {
            Assert.Equal(AgentOutcome.Completed, result.Outcome);
            Assert.Contains(grandchild, result.KilledProcesses);
            Assert.Empty(StillAliveAfterGrace([grandchild]));
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20), $"took {stopwatch.Elapsed}");
        }
        finally
        {
            KillQuietly([grandchild]);
        }
    }

    [LinuxFact]
    public async Task Missing_executable_is_a_start_failure()
    {
        var result = await new ClaudeCodeAgent(Path.Combine(_bin, "no-such-claude")).RunAsync(Request(WriteScenario(_bin)));
        Assert.Equal(AgentOutcome.StartFailed, result.Outcome);
        Assert.False(File.Exists(Transcript));
    }

    [LinuxFact]
    public async Task Command_adapter_passes_the_prompt_as_an_argument()
    {
        var record = Path.Combine(_bin, "record.json");
        var agent = new CommandAgent(Command($"--scenario='{WriteScenario(_bin)}' --message={{prompt}}"));
        Assert.Equal(PromptDelivery.Argument, agent.Delivery);
        var result = await agent.RunAsync(Request("") with
        {
            Prompt = "do it {model}",
            Environment = new Dictionary<string, string?> { ["HARNESS_FAKE_RECORD"] = record },
        });
        Assert.Equal(AgentOutcome.Completed, result.Outcome);
        var args = JsonNode.Parse(File.ReadAllText(record))!["args"]!.AsArray().Select(a => (string)a!).ToList();
        Assert.Contains("--message=do it {model}", args);
        Assert.Equal("fake-session-1", result.AgentSessionId); // it printed stream-json, which was used
    }

    [LinuxFact]
    public async Task Command_adapter_passes_the_prompt_in_a_file_and_deletes_it()
    {
        var record = Path.Combine(_bin, "record.json");
        var agent = new CommandAgent(Command($"--scenario='{WriteScenario(_bin)}' --prompt-file={{prompt_file}}"));
        Assert.Equal(PromptDelivery.File, agent.Delivery);
        var result = await agent.RunAsync(Request("") with
        {
            Prompt = "multi\nline 'prompt'",
            Environment = new Dictionary<string, string?> { ["HARNESS_FAKE_RECORD"] = record },
        });
        Assert.Equal(AgentOutcome.Completed, result.Outcome);
        var recorded = JsonNode.Parse(File.ReadAllText(record))!;
        Assert.Equal("multi\nline 'prompt'", (string?)recorded["prompt"]);
        var fileArg = recorded["args"]!.AsArray().Select(a => (string)a!).Single(a => a.StartsWith("--prompt-file=", StringComparison.Ordinal));
        Assert.False(File.Exists(fileArg["--prompt-file=".Length..]));
    }

    [LinuxFact]
    public async Task Command_adapter_writes_the_prompt_to_stdin_without_a_placeholder()
    {
        var record = Path.Combine(_bin, "record.json");
        var agent = new CommandAgent(Command($"--scenario='{WriteScenario(_bin)}' --prompt-stdin"));
        Assert.Equal(PromptDelivery.StandardInput, agent.Delivery);
        var result = await agent.RunAsync(Request("") with
        {
            Prompt = "from stdin",
            Environment = new Dictionary<string, string?> { ["HARNESS_FAKE_RECORD"] = record },
        });
        Assert.Equal(AgentOutcome.Completed, result.Outcome);
        Assert.Equal("from stdin", (string?)JsonNode.Parse(File.ReadAllText(record))!["prompt"]);
    }

    [UnixFact]
    public async Task Command_adapter_without_stream_json_uses_the_exit_code()
    {
        var ok = await new CommandAgent("/bin/sh -c 'echo working; echo warn >&2; exit 0'").RunAsync(Request("") with { Environment = null });
        Assert.Equal(AgentOutcome.Completed, ok.Outcome);
        Assert.Equal(1, ok.SkippedLines);
        Assert.Contains("warn", ok.StandardErrorTail);
        var failed = await new CommandAgent("/bin/sh -c 'exit 3'").RunAsync(Request("") with { Environment = null });
        Assert.Equal(AgentOutcome.Crashed, failed.Outcome);
        Assert.Equal(3, failed.ExitCode);
    }

    [Fact]
    public void Factory_picks_claude_code_for_claude_and_the_command_adapter_otherwise()
    {
        Assert.IsType<ClaudeCodeAgent>(AgentRunnerFactory.Create(new Harness.Core.Project.AgentSettings()));
        var claude = Assert.IsType<ClaudeCodeAgent>(AgentRunnerFactory.Create(new Harness.Core.Project.AgentSettings { Command = "/opt/bin/claude --debug" }));
        Assert.Equal(["--debug"], claude.LeadingArgs);
        Assert.IsType<CommandAgent>(AgentRunnerFactory.Create(new Harness.Core.Project.AgentSettings { Command = "aider --message {prompt}" }));
        Assert.IsType<CommandAgent>(AgentRunnerFactory.Create(new Harness.Core.Project.AgentSettings { Command = "claude -p {prompt}" }));
    }
}
