using System.Text.Json.Nodes;
using Harness.Core.Loop;
using Harness.Core.Prompts;
using Harness.Core.State;
using Harness.Core.Tests.Git;
using Harness.TestKit;
using static Harness.Core.Tests.Loop.LoopProject;

namespace Harness.Core.Tests.Loop;

/// <summary>The FIX_BROKEN prompt after the very first session broke the app: measured against the healthy start, and no "continue with" a feature.</summary>
public class LoopFixBrokenTests
{
    [UnixFact]
    public async Task A_first_session_that_breaks_the_app_gets_a_fix_prompt_measured_from_the_healthy_start_without_next_feature_advice()
    {
        using var project = Create(("F1", "pending"), ("F2", "pending")).Script(
            [Step("complete_features", ("count", 1))],
            [Step("text", ("text", "looking into it"))]);

        // Healthy until F1's file appears: the first session "breaks" the app by doing its feature.
        ProjectFiles.WriteConfig(project.Path, """{ "health_check": "test ! -f features/F1.txt" }""");
        project.Repo.Commit("health check");
        var record = project.ScratchFile("record.json");
        var options = project.Options(maxIterations: 2) with
        {
            RunHealthCheck = true,
            AgentEnvironment = new Dictionary<string, string?> { ["HARNESS_FAKE_RECORD"] = record },
        };

        LoopResult result;
        using (var opened = TestProject.Open(project.Path))
        {
            result = await opened.RunLoopAsync(options);
        }

        Assert.Equal([SessionState.IMPLEMENT, SessionState.FIX_BROKEN], result.Sessions.Select(s => s.State));
        var prompt = (string)JsonNode.Parse(File.ReadAllText(record))!["prompt"]!;
        Assert.Contains("Last healthy checkpoint: ", prompt);
        Assert.DoesNotContain("No healthy checkpoint", prompt);
        Assert.Contains("- A features/F1.txt", prompt);
        Assert.Contains("feat: implement F1", prompt);
        Assert.Contains("## Work Done", prompt);
        Assert.DoesNotContain("Continue with feature", prompt);
        Assert.DoesNotContain("F2: Feature F2", prompt);
        Assert.Contains(StartingCheckpoint.Reason, project.Repo.Git("log", "--all", "--format=%B"));
    }

    [Fact]
    public void Only_the_next_session_section_leaves_the_summary()
    {
        var summary = "# Session Summary\n\n## Work Done\n1. [F1] did it\n\n## Next Session\n1. Run `harness entry` first\n3. Continue with feature: F3\n\n## Files Modified\n- a.txt - added";

        var cut = PromptBuilder.WithoutNextSteps(summary);

        Assert.Equal("# Session Summary\n\n## Work Done\n1. [F1] did it\n\n## Files Modified\n- a.txt - added", cut);
        Assert.Equal("no sections", PromptBuilder.WithoutNextSteps("no sections"));
        Assert.Equal("## A\nx", PromptBuilder.WithoutNextSteps("## A\nx\n## Next Session\n3. Continue with feature: F3\n"));
    }
}
