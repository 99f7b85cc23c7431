using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.ClaudeCode.Tests.FakeApi;
using Harness.Core.Agents;
using Harness.Core.Features;
using Harness.Core.Loop;
using Harness.Core.Metrics;
using Harness.Core.Project;
using Xunit.Abstractions;

namespace Harness.ClaudeCode.Tests;

/// <summary>The loop with the real Claude Code CLI: the README's commands, the guard hook, the watchdog, rate limits and refusals.</summary>
[Collection(RealCli.Collection)]
public sealed class ClaudeCodeLoopTests(ITestOutputHelper output)
{
    private static string FeatureList(params (string Id, string Name, string Status)[] features) => new JsonObject
    {
        ["features"] = new JsonArray(features.Select(f => (JsonNode)new JsonObject
        {
            ["id"] = f.Id,
            ["name"] = f.Name,
            ["description"] = $"The user can {f.Name.ToLowerInvariant()}.",
            ["category"] = "functional",
            ["steps"] = new JsonArray($"run ./todo {f.Id}", "see it work"),
            ["status"] = f.Status,
            ["attempts"] = 0,
            ["notes"] = "",
        }).ToArray()),
    }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";

    /// <summary>Runs the harness CLI as installed (its apphost), in the project, with the test environment.</summary>
    private static (int ExitCode, string StdOut, string StdErr) Harness(ClaudeProject project, params string[] args)
    {
        using var process = StartHarness(project, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"harness {string.Join(' ', args)} did not finish in 5 minutes: {stderr.Result}");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Starts the harness CLI as installed (its apphost) in the project, with the test environment; stdin closed.</summary>
    private static Process StartHarness(ClaudeProject project, params string[] args)
    {
        var info = new ProcessStartInfo(ClaudeProject.Harness) { WorkingDirectory = project.Root, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var (name, value) in project.Environment())
        {
            if (value is null) info.Environment.Remove(name);
            else info.Environment[name] = value;
        }

        foreach (var ci in new[] { "CI", "GITHUB_ACTIONS", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "TF_BUILD" }) info.Environment.Remove(ci);
        var process = Process.Start(info)!;
        process.StandardInput.Close();
        return process;
    }

    [ClaudeCodeFact]
    public async Task After_kill_9_of_the_harness_the_cli_dies_with_it_and_the_next_run_kills_what_it_left_before_anything_else()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var project = ClaudeProject.Create(("F1", "pending"));
        await project.InitializeAsync();
        project.Api.Script([
            ToolTurn.Write(project.InProject("started.txt"), "working\n"),
            ToolTurn.Bash("tail -f /dev/null"),
        ]);

        List<int> cli;
        using (var loop = StartHarness(project, "loop", "--max-iterations", "1"))
        {
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (TailsIn(project.Root).Count == 0 && !loop.HasExited && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            Assert.True(TailsIn(project.Root).Count > 0, "the CLI never reached its Bash call: " + (loop.HasExited ? loop.StandardError.ReadToEnd() : "timed out"));
            cli = ChildrenOf(loop.Id);
            Assert.NotEmpty(cli);
            loop.Kill(); // SIGKILL: no handler of the harness runs
            loop.WaitForExit();
        }

        // The CLI started with the parent-death signal: it dies with the harness.
        var gone = DateTime.UtcNow.AddSeconds(10);
        while (cli.Any(IsAlive) && DateTime.UtcNow < gone)
        {
            await Task.Delay(100);
        }

        Assert.All(cli, pid => Assert.False(IsAlive(pid), $"the claude CLI {pid} outlived the killed harness"));

        // Its Bash tool's tail was re-parented away; the next lock-taker kills it first, from the process record.
        var entry = Harness(project, "entry", "--json");
        Assert.True(entry.ExitCode is 0 or 2 or 3, entry.StdOut + entry.StdErr);
        Assert.Empty(TailsIn(project.Root));
        var head = project.Repo.Git("rev-parse", "HEAD");
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(head, project.Repo.Git("rev-parse", "HEAD"));
    }

    /// <summary>The processes whose parent is <paramref name="pid"/> (Linux).</summary>
    private static List<int> ChildrenOf(int pid)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var child)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[1] == pid.ToString(System.Globalization.CultureInfo.InvariantCulture))
                {
                    found.Add(child);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    /// <summary>Alive and not a zombie.</summary>
    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] is not ('Z' or 'X');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [ClaudeCodeFact]
    public async Task The_readme_commands_run_a_fresh_project_to_complete_with_harness_off_PATH()
    {
        using var project = ClaudeProject.Create();
        var list = project.InProject(".claude/progress/feature-list.json");
        var pending = FeatureList(("F001", "Add a task", "pending"), ("F002", "List the tasks", "pending"));
        var oneDone = FeatureList(("F001", "Add a task", "tested"), ("F002", "List the tasks", "pending"));
        var bothDone = FeatureList(("F001", "Add a task", "tested"), ("F002", "List the tasks", "tested"));
        project.Api.Script(
            [
                // INIT: the feature list in the seed's layout, an init script, a commit: what the INIT prompt asks for.
                ToolTurn.Write(list, pending),
                ToolTurn.Write(project.InProject("init.sh"), "#!/bin/sh\necho ready\n"),
                ToolTurn.Bash("chmod +x init.sh && git add -A && git commit -q -m 'init: feature list and init script'"),
                new TextTurn("Listed 2 features; init.sh prints ready."),
            ],
            [
                ToolTurn.Read(list),
                ToolTurn.Write(project.InProject("src/add.sh"), "#!/bin/sh\necho \"$1\" >> tasks.txt\n"),
                ToolTurn.Write(list, oneDone),
                ToolTurn.Bash("git add -A && git commit -q -m 'F001: add a task'"),
                new TextTurn("F001 works and is committed."),
            ],
            [
                ToolTurn.Read(list),
                ToolTurn.Write(project.InProject("src/list.sh"), "#!/bin/sh\ncat tasks.txt\n"),
                ToolTurn.Write(list, bothDone),
                ToolTurn.Bash("git add -A && git commit -q -m 'F002: list the tasks'"),
                new TextTurn("F002 works and is committed."),
            ]);

        // README, "Running it with Claude Code": harness init --hooks, then harness loop --max-cost 20 --max-iterations 30.
        var init = Harness(project, "init", "--hooks");
        Assert.True(init.ExitCode == 0, init.StdOut + init.StdErr);
        var loop = Harness(project, "loop", "--max-cost", "20", "--max-iterations", "30");
        output.WriteLine(loop.StdOut + "\n" + loop.StdErr);
        foreach (var request in project.Api.Requests)
        {
            output.WriteLine($"{request.Kind} {request.Model} turn {request.TurnIndex}: {request.Status}");
        }

        Assert.True(loop.ExitCode == 0, $"exit {loop.ExitCode}\n{loop.StdOut}\n{loop.StdErr}");
        Assert.Contains("Stopped: Complete", loop.StdOut);
        var features = FeatureStore.Load(project.Layout)!;
        Assert.Equal((2, 2), (features.Counts.Done, features.Counts.Total));
        var log = project.Repo.Git("log", "--format=%s");
        Assert.Contains("init: feature list and init script", log);
        Assert.Contains("F002: list the tasks", log);
        Assert.Equal("", project.Repo.Git("status", "--porcelain"));

        var metrics = MetricsStore.Read(project.Layout).Lines;
        Assert.Equal(["completed", "completed", "completed"], metrics.Select(m => m.ExitReason));
        Assert.All(metrics, m => Assert.Equal(0, m.PermissionDenials));
        Assert.Equal((double)project.Api.BilledUsd, metrics.Sum(m => m.CostUsd ?? 0), 6);

        // The guard's hooks ran without harness on PATH: each session began with its SessionStart context.
        var firstRequests = project.Api.Requests.Where(r => r.TurnIndex == 0).ToList();
        Assert.Equal(3, firstRequests.Count);
        Assert.All(firstRequests, r => Assert.Contains("Harness session facts", r.LastUserContent));
    }

    [ClaudeCodeFact]
    public async Task The_guard_hook_blocks_a_write_outside_the_project_and_an_unlisted_command_and_allows_the_rest()
    {
        using var project = ClaudeProject.Create(("F1", "pending"));
        await project.InitializeAsync();
        var outside = Path.Combine(Path.GetTempPath(), $"harness-outside-{Guid.NewGuid():N}.txt");
        project.Api.Script([
            ToolTurn.Write(outside, "should never exist\n"),
            ToolTurn.Write(project.InProject("notes.txt"), "inside\n"),
            ToolTurn.Bash("curl -s http://example.invalid/"),
            new TextTurn("Two of three calls were blocked."),
        ]);

        var (result, _) = await project.RunLoopAsync(project.LoopOptions());

        var session = Assert.Single(result.Sessions);
        Assert.False(File.Exists(outside));
        Assert.Equal("inside\n", File.ReadAllText(project.InProject("notes.txt")));
        Assert.Equal(AgentOutcome.PermissionDenied, session.Outcome);
        Assert.Equal([new PermissionDenial("Write", outside), new PermissionDenial("Bash", "curl -s http://example.invalid/")], session.Denials);
        var toolResults = project.Api.Requests.Where(r => r.TurnIndex is 1 or 3).Select(r => r.LastUserContent).ToList();
        Assert.All(toolResults, text => Assert.Contains("harness guard: blocked", text));
        Assert.Equal(1, FeatureStore.Load(project.Layout)!.Features.Single().Attempts);
    }

    [ClaudeCodeFact]
    public async Task A_hang_is_killed_by_the_watchdog_with_its_tree_and_charged_within_5_percent_of_the_bill()
    {
        using var project = ClaudeProject.Create(("F1", "pending"));
        await project.InitializeAsync();
        project.Api.Script([
            ToolTurn.Write(project.InProject("started.txt"), "working\n"),
            ToolTurn.Bash("ls -la"),
            ToolTurn.Bash("tail -f /dev/null"),
        ]);

        var (result, _) = await project.RunLoopAsync(project.LoopOptions() with { SessionTimeout = TimeSpan.FromSeconds(20) });

        var session = Assert.Single(result.Sessions);
        Assert.Equal(AgentOutcome.TimedOut, session.Outcome);
        Assert.True(session.CostEstimated);
        var billed = project.Api.BilledUsd;
        Assert.Equal(3, project.Api.Requests.Count(r => r.TurnIndex >= 0));
        Assert.InRange(session.CostUsd, billed * 0.95m, billed * 1.05m);
        Assert.Equal((double)session.CostUsd, MetricsStore.Read(project.Layout).Lines.Single().CostUsd!.Value, 6);
        Assert.Empty(TailsIn(project.Root));
    }

    [ClaudeCodeFact]
    public async Task A_429_the_cli_gives_up_on_is_waited_out_by_the_loop_and_the_session_goes_on()
    {
        using var project = ClaudeProject.Create(("F1", "pending"));
        await project.InitializeAsync();
        project.Api.Script(
            [new ErrorTurn(429, "rate_limit_error", "Number of requests has exceeded your rate limit", RetryAfterSeconds: 1)],
            [new TextTurn("Back after the limit.")]);
        var options = project.LoopOptions();
        options = options with { AgentEnvironment = new Dictionary<string, string?>(options.AgentEnvironment!) { ["CLAUDE_CODE_MAX_RETRIES"] = "0" } };

        var (result, events) = await project.RunLoopAsync(options);

        var session = Assert.Single(result.Sessions);
        Assert.Equal(AgentOutcome.Completed, session.Outcome);
        Assert.Equal(0, session.Retries);
        Assert.Contains(events, e => e.Kind == LoopEventKind.Waiting && e.Message!.Contains("rate limit", StringComparison.Ordinal));
        Assert.Equal(["429", "200"], project.Api.Requests.Where(r => r.TurnIndex >= 0).Select(r => r.Status));
    }

    [ClaudeCodeFact]
    public async Task Overloads_and_server_errors_the_cli_gives_up_on_are_waited_out_and_never_charge_the_feature()
    {
        // Issue 15: three sessions that met only 529s (or 500s) charged F1 three attempts and blocked it.
        using var project = ClaudeProject.Create(("F1", "pending"));
        await project.InitializeAsync();
        project.Api.Script(
            [new ErrorTurn(529, "overloaded_error", "Overloaded")],
            [new ErrorTurn(529, "overloaded_error", "Overloaded")],
            [new ErrorTurn(500, "api_error", "Internal server error")],
            FinishF1(project));
        var options = NoRetries(project);

        var (result, events) = await project.RunLoopAsync(options);

        foreach (var e in events.Where(e => e.Kind == LoopEventKind.Waiting)) output.WriteLine(e.Message);
        var session = Assert.Single(result.Sessions);
        Assert.Equal((AgentOutcome.Completed, 0), (session.Outcome, session.Retries));
        Assert.Null(session.Outage);
        var waits = events.Where(e => e.Kind == LoopEventKind.Waiting).Select(e => e.Message!).ToList();
        Assert.Equal(3, waits.Count);
        Assert.Contains("API overloaded (529)", waits[0], StringComparison.Ordinal);
        Assert.Contains("API server error (500); failure 3 of this outage", waits[2], StringComparison.Ordinal);
        Assert.Equal(["529", "529", "500", "200", "200", "200"], project.Api.Requests.Where(r => r.TurnIndex >= 0).Select(r => r.Status));
        var feature = FeatureStore.Load(project.Layout)!.Features.Single();
        Assert.Equal((FeatureStatuses.Tested, 0), (feature.Status, feature.Attempts));
    }

    [ClaudeCodeFact]
    public async Task A_refused_connection_is_an_outage_waited_out_until_the_api_answers_and_not_the_features_failure()
    {
        using var project = ClaudeProject.Create(("F1", "pending"));
        await project.InitializeAsync();

        // Nothing listens at the agent's base URL until the loop waits on the first failure.
        var port = FakeAnthropicApi.FreePort();
        FakeAnthropicApi? later = null;
        var options = NoRetries(project);
        options = options with { AgentEnvironment = new Dictionary<string, string?>(options.AgentEnvironment!) { ["ANTHROPIC_BASE_URL"] = $"http://127.0.0.1:{port}" } };
        var events = new List<LoopEvent>();
        LoopResult result;
        try
        {
            await using var opened = await HarnessProject.OpenAsync(project.Root);
            result = await opened.RunLoopAsync(options, e =>
            {
                lock (events) events.Add(e);
                if (e.Kind == LoopEventKind.Waiting && later is null)
                {
                    later = new FakeAnthropicApi(port).Script(FinishF1(project));
                }
            });
        }
        finally
        {
            later?.Dispose();
        }

        foreach (var e in events.Where(e => e.Kind is LoopEventKind.Waiting or LoopEventKind.Agent)) output.WriteLine($"{e.Kind} {e.Message} {e.AgentEvent?.Kind} {e.AgentEvent?.Text}");
        var session = Assert.Single(result.Sessions);
        Assert.Equal((AgentOutcome.Completed, 0), (session.Outcome, session.Retries));
        var wait = Assert.Single(events, e => e.Kind == LoopEventKind.Waiting);
        Assert.Contains("API outage: API connection failure", wait.Message, StringComparison.Ordinal);
        var feature = FeatureStore.Load(project.Layout)!.Features.Single();
        Assert.Equal((FeatureStatuses.Tested, 0), (feature.Status, feature.Attempts));
    }

    [ClaudeCodeFact]
    public async Task A_session_on_F1_that_writes_F2_tested_gets_F2_restored_and_the_violation_reported()
    {
        // Issue 15: the loop ended "Complete (all 2 features done)" with F2 never built.
        using var project = ClaudeProject.Create(("F1", "pending"), ("F2", "pending"));
        await project.InitializeAsync();
        var list = project.InProject(".claude/progress/feature-list.json");
        var both = File.ReadAllText(list).Replace("\"pending\"", "\"tested\"", StringComparison.Ordinal);
        project.Api.Script([ToolTurn.Read(list), ToolTurn.Write(list, both), new TextTurn("F1 and F2 are done.")]);

        var (result, _) = await project.RunLoopAsync(project.LoopOptions());

        var session = Assert.Single(result.Sessions);
        Assert.Equal("F1", session.FeatureId);
        Assert.Equal(["F2 had its status changed from pending to tested (a session on F1 may change only F1's status); restored"], session.IntegrityViolations);
        Assert.Equal([FeatureStatuses.Tested, FeatureStatuses.Pending], FeatureStore.Load(project.Layout)!.Features.Select(f => f.Status));
        Assert.Equal((1, 2), (result.FeaturesDone, result.FeaturesTotal));
    }

    [ClaudeCodeFact]
    public async Task Sessions_that_get_nowhere_stop_stalled_after_stall_limit_although_a_feature_is_blocked()
    {
        using var project = ClaudeProject.Create(("F1", "pending"), ("F2", "pending"), ("F3", "pending"));
        await project.InitializeAsync();
        project.Api.Script([new TextTurn("Not today.")], [new TextTurn("Still no.")], [new TextTurn("No.")], [new TextTurn("Never.")]);

        var (result, _) = await project.RunLoopAsync(project.LoopOptions(maxIterations: 10) with { StallLimit = 3, FeatureAttempts = 3 });

        Assert.Equal(LoopStopReason.Stalled, result.StopReason);
        Assert.Equal(3, result.Sessions.Count);
        Assert.Equal(["F1"], result.BlockedFeatures);
    }

    [ClaudeCodeFact]
    public async Task Under_acceptEdits_the_cli_refuses_the_feature_list_and_the_loop_shows_it_instead_of_completed()
    {
        // The first real run of issue 11: the old starter's acceptEdits, and Claude Code protecting .claude/ as sensitive.
        using var project = ClaudeProject.Create(("F1", "pending"));
        await project.InitializeAsync(permissionMode: "acceptEdits");
        var list = project.InProject(".claude/progress/feature-list.json");
        var before = File.ReadAllText(list);
        project.Api.Script([ToolTurn.Read(list), ToolTurn.Write(list, before.Replace("\"pending\"", "\"tested\"", StringComparison.Ordinal)), new TextTurn("I could not update the list.")]);

        var (result, events) = await project.RunLoopAsync(project.LoopOptions());

        var session = Assert.Single(result.Sessions);
        Assert.Equal((AgentOutcome.PermissionDenied, "permission_denied"), (session.Outcome, session.ExitReason));
        Assert.Equal(new PermissionDenial("Write", list), Assert.Single(session.Denials));
        var feature = FeatureStore.Load(project.Layout)!.Features.Single();
        Assert.Equal((FeatureStatuses.Pending, 1), (feature.Status, feature.Attempts));
        Assert.Contains(events, e => e.Kind == LoopEventKind.SessionEnded && e.Message!.Contains("1 tool call(s) refused: Write " + list, StringComparison.Ordinal));
        Assert.Contains("Refused tool calls: 1", File.ReadAllText(session.SummaryPath!));
    }

    /// <summary>A session that does F1: reads the list, marks F1 tested, says so.</summary>
    private static Turn[] FinishF1(ClaudeProject project)
    {
        var list = project.InProject(".claude/progress/feature-list.json");
        var done = File.ReadAllText(list).Replace("\"pending\"", "\"tested\"", StringComparison.Ordinal);
        return [ToolTurn.Read(list), ToolTurn.Write(list, done), new TextTurn("F1 done.")];
    }

    /// <summary>Neither the CLI nor the loop retries by itself, and one failed attempt blocks F1: only an outage wait can save the session.</summary>
    private static LoopOptions NoRetries(ClaudeProject project)
    {
        var options = project.LoopOptions() with { MaxRetries = 0, FeatureAttempts = 1 };
        return options with { AgentEnvironment = new Dictionary<string, string?>(options.AgentEnvironment!) { ["CLAUDE_CODE_MAX_RETRIES"] = "0" } };
    }

    /// <summary>`tail -f /dev/null` processes still running in <paramref name="root"/> (their cwd).</summary>
    private static List<int> TailsIn(string root)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                if (cmdline.StartsWith("tail\0-f\0/dev/null", StringComparison.Ordinal) && new DirectoryInfo(Path.Combine(dir, "cwd")).ResolveLinkTarget(false)?.FullName == root)
                {
                    found.Add(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }

        return found;
    }
}
