using Harness.ClaudeCode.Tests.FakeApi;
using Harness.Core.Agents;
using Harness.Core.Guard;

namespace Harness.ClaudeCode.Tests;

/// <summary>One real Claude Code session through the adapter: what the harness reads from it matches what the API billed and did.</summary>
[Collection(RealCli.Collection)]
public sealed class ClaudeCodeAgentTests
{
    [ClaudeCodeFact]
    public async Task A_completed_session_costs_what_the_api_billed_and_the_stream_alone_prices_it_the_same()
    {
        using var project = ClaudeProject.Create();
        project.Api.Script([ToolTurn.Write(project.InProject("hello.txt"), "hello\n"), ToolTurn.Bash("ls"), new TextTurn("Wrote hello.txt.")]);
        var request = project.Request();

        var result = await project.RunAgentAsync(request);

        Assert.Equal(AgentOutcome.Completed, result.Outcome);
        Assert.Equal("hello\n", File.ReadAllText(project.InProject("hello.txt")));
        var billed = project.Api.BilledUsd;
        Assert.True(billed > 0);
        Assert.Equal(billed, result.CostUsd!.Value, 6);

        // What a killed session is charged: the same stream without its result event, priced by the harness's table.
        var session = new StreamJsonSession();
        await using (var transcript = File.OpenRead(request.TranscriptPath!))
        {
            await StreamJsonPump.PumpAsync(transcript, null, session, null);
        }

        Assert.Equal(3, session.Usage.Messages);
        Assert.Equal(billed, session.Usage.Cost(PriceTable.Default), 6);
    }

    [ClaudeCodeFact]
    public async Task A_429_is_retried_by_the_cli_after_retry_after_and_the_session_completes()
    {
        using var project = ClaudeProject.Create();
        project.Api.Script([new ErrorTurn(429, "rate_limit_error", "Number of requests has exceeded your rate limit", RetryAfterSeconds: 1), new TextTurn("Done after the wait.")]);
        var log = new EventLog();

        var result = await project.RunAgentAsync(project.Request(), log);

        Assert.Equal(AgentOutcome.Completed, result.Outcome);
        var retry = Assert.Single(log.Events, e => e.Kind == AgentEventKind.ApiRetry);
        Assert.Equal(429, retry.ErrorStatus);
        Assert.InRange(retry.RetryDelayMs ?? 0, 900, 2000);
        Assert.Equal(["429", "200"], project.Api.Requests.Where(r => r.TurnIndex >= 0).Select(r => r.Status));
    }

    [ClaudeCodeFact]
    public async Task A_hook_that_cannot_run_blocks_with_the_fail_closed_suffix_and_lets_the_call_through_without_it()
    {
        // Why the harness appends "|| exit 2": Claude Code treats a hook that exits 127 as a non-blocking error.
        using var project = ClaudeProject.Create();
        project.Repo.WriteFile(".claude/settings.json", """
            {"hooks":{"PreToolUse":[{"matcher":"Write|Edit|Bash","hooks":[{"type":"command","command":"/nonexistent/bin/harness guard || exit 2"}]}]}}
            """);
        project.Api.Script([ToolTurn.Write(project.InProject("closed.txt"), "x\n"), new TextTurn("Tried.")]);

        var closed = await project.RunAgentAsync(project.Request());

        Assert.False(File.Exists(project.InProject("closed.txt")));
        Assert.Equal(AgentOutcome.PermissionDenied, closed.Outcome);
        Assert.Equal(new PermissionDenial("Write", project.InProject("closed.txt")), Assert.Single(closed.Denials));

        project.Repo.WriteFile(".claude/settings.json", """
            {"hooks":{"PreToolUse":[{"matcher":"Write|Edit|Bash","hooks":[{"type":"command","command":"/nonexistent/bin/harness guard"}]}]}}
            """);
        project.Api.Script([ToolTurn.Write(project.InProject("open.txt"), "x\n"), new TextTurn("Tried.")]);

        var open = await project.RunAgentAsync(project.Request());

        Assert.True(File.Exists(project.InProject("open.txt")), "a hook that exits 127 no longer fails open: the suffix may not be needed any more");
        Assert.Equal(AgentOutcome.Completed, open.Outcome);
    }

    [ClaudeCodeFact]
    public async Task As_root_without_IS_SANDBOX_bypass_permissions_refuses_to_start_and_says_so_on_stderr()
    {
        using var project = ClaudeProject.Create();
        project.Api.Script([new TextTurn("Hello.")]);

        var result = await project.RunAgentAsync(project.Request(sandbox: false));

        if (Environment.UserName == "root")
        {
            Assert.Equal((AgentOutcome.StartFailed, AgentStartFailure.EndedBeforeFirstTurn), (result.Outcome, result.StartFailure));
            Assert.Contains("root", result.StandardErrorTail);
            Assert.Empty(project.Api.Requests);
        }
        else
        {
            Assert.Equal(AgentOutcome.Completed, result.Outcome);
        }
    }
}

/// <summary>The real-CLI tests run one at a time: each starts a 400 MB binary on a 2-core machine, and the watchdog test times a hang.</summary>
[CollectionDefinition(Collection, DisableParallelization = true)]
public sealed class RealCli
{
    public const string Collection = "real Claude Code CLI";
}
