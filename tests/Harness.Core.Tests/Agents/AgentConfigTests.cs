using Harness.Core.Agents;
using Harness.Core.Project;
using Harness.TestKit;

namespace Harness.Core.Tests.Agents;

public sealed class AgentConfigTests
{
    [Fact]
    public void Agent_budget_and_system_prompt_are_read_and_reach_the_request()
    {
        using var dir = TempDirectory.Create();
        ProjectFiles.WriteConfig(dir.Path, """
            {
              "agent": { "model": "m", "max_turns": 9, "max_budget_usd": 2.25, "append_system_prompt": "Be brief." },
              "loop": { "session_timeout": 90 }
            }
            """);
        var layout = ProjectLayout.ForRoot(dir.Path);
        var config = ProjectConfigStore.Load(layout);
        Assert.Equal(2.25m, config.Agent.MaxBudgetUsd);
        Assert.Equal("Be brief.", config.Agent.AppendSystemPrompt);

        var request = AgentRunnerFactory.CreateRequest(config, layout, "go", "IMPLEMENT", "s1");
        Assert.Equal(2.25m, request.MaxBudgetUsd);
        Assert.Equal(9, request.MaxTurns);
        Assert.Equal(TimeSpan.FromSeconds(90), request.Timeout);
        Assert.Equal(Path.Combine(dir.Path, ".claude", "progress", "transcripts", "s1.jsonl"), request.TranscriptPath);
        Assert.Contains("--max-budget-usd=2.25", new ClaudeCodeAgent().BuildArguments(request));
    }
}
