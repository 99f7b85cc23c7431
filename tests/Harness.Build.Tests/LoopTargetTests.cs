using Harness.TestKit;

namespace Harness.Build.Tests;

/// <summary>The HarnessLoop target (HarnessRunLoop task), in a real <c>dotnet msbuild</c> process with a scripted agent.</summary>
[Collection(MSBuildCollection.Name)]
public sealed class LoopTargetTests(PackageFeed feed)
{
    private static readonly string[] LoopProperties =
    [
        "HarnessLoopStopReason", "HarnessLoopFinished", "HarnessLoopSessionsRun", "HarnessLoopTotalCostUsd",
        "HarnessLoopFeaturesDone", "HarnessLoopFeaturesTotal", "HarnessLoopBlockedFeatures",
    ];

    [Fact]
    public void HarnessLoop_runs_the_agent_until_the_project_is_complete()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // the scripted agent is a POSIX sh script
        }

        using var scratch = TempDirectory.Create("harness-loop-agent");
        // Marks the first pending feature tested and commits, like examples/scripted-agent/agent.sh does for real work.
        var agent = Path.Combine(scratch.Path, "agent.sh");
        File.WriteAllText(agent, """
            #!/bin/sh
            set -eu
            test -s "$1"
            list=.claude/progress/feature-list.json
            awk '!done && /"status": *"pending"/ { sub(/"status": *"pending"/, "\"status\": \"tested\""); done = 1 } { print }' "$list" > "$list.tmp"
            mv "$list.tmp" "$list"
            echo run >> "$(dirname "$0")/runs.log"
            git add -A
            git -c user.name=agent -c user.email=agent@example.invalid commit -q -m "scripted agent: feature tested"
            echo "Marked the feature tested and committed."
            """.Replace("\r", "", StringComparison.Ordinal));
        using var repo = BuildRepo.WithProject(feed);
        ProjectFiles.WriteFeatures(repo.Root, ("F1", "pending"));
        repo.Commit();

        var (result, p, _) = repo.MSBuild(
            "HarnessLoop",
            LoopProperties,
            extra:
            [
                $"-p:HarnessLoopAgentCommand=sh {agent} {{prompt_file}}",
                "-p:HarnessLoopContinueDelay=0",
                "-p:HarnessLoopRunHealthCheck=false",
                "-p:HarnessLoopMaxIterations=3",
                "-p:HarnessLoopFailWhenStoppedShort=true",
            ]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("Complete", p["HarnessLoopStopReason"]);
        Assert.Equal("true", p["HarnessLoopFinished"], ignoreCase: true);
        Assert.Equal("1", p["HarnessLoopSessionsRun"]);
        Assert.Equal("1", p["HarnessLoopFeaturesDone"]);
        Assert.Equal("1", p["HarnessLoopFeaturesTotal"]);
        Assert.Equal("", p["HarnessLoopBlockedFeatures"]);
        Assert.Equal("run", File.ReadAllText(Path.Combine(scratch.Path, "runs.log")).Trim());
        Assert.Contains("\"status\": \"tested\"", File.ReadAllText(ProjectFiles.FeatureListPath(repo.Root)), StringComparison.Ordinal);
        Assert.Matches("\"dirty\":\\s*false", File.ReadAllText(repo.StateFile));
    }
}
