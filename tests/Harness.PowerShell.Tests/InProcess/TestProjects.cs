using Harness.TestKit;

namespace Harness.PowerShell.Tests.InProcess;

/// <summary>Real projects for the cmdlet tests: git repositories with a feature list, and scripted agents.</summary>
internal static class TestProjects
{
    /// <summary>A git repository with one commit and the features, committed.</summary>
    public static TempGitRepo WithFeatures(params (string Id, string Status)[] features)
    {
        var repo = TempGitRepo.Init();
        repo.Commit("initial", ("README.md", "# test\n"));
        ProjectFiles.WriteFeatures(repo.Path, features);
        repo.Commit("feature list");
        return repo;
    }

    /// <summary>
    /// A scripted agent (no model): marks the first pending feature tested, commits, and appends a
    /// line to <paramref name="runLog"/> (outside the project) so a test can count the sessions.
    /// </summary>
    public static string Agent(string folder, string runLog)
    {
        var path = System.IO.Path.Combine(folder, "agent.sh");
        File.WriteAllText(path, $$"""
            #!/bin/sh
            set -eu
            list=.claude/progress/feature-list.json
            awk '!done && /"status": *"pending"/ { sub(/"status": *"pending"/, "\"status\": \"tested\""); done = 1 } { print }' "$list" > "$list.tmp"
            mv "$list.tmp" "$list"
            echo run >> '{{runLog}}'
            git add -A
            git -c user.name=agent -c user.email=agent@example.invalid commit -q -m "scripted agent: one feature tested"
            echo "Marked one feature tested."
            """.Replace("\r", ""));
        return path;
    }

    /// <summary>An agent that writes its pid to <paramref name="pidFile"/> and never ends: the loop must kill it.</summary>
    public static string HangingAgent(string folder, string pidFile)
    {
        var path = System.IO.Path.Combine(folder, "hang.sh");
        File.WriteAllText(path, $"#!/bin/sh\necho $$ > '{pidFile}'\nexec sleep 300\n");
        return path;
    }

    public static int Lines(string file) => File.Exists(file) ? File.ReadAllLines(file).Length : 0;
}
