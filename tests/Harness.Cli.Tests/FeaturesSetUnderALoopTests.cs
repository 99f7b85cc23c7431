using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Harness.Core.Project;
using Harness.TestKit;

namespace Harness.Cli.Tests;

/// <summary>
/// <c>harness features set</c> while a loop holds the project: a person's change is refused (the
/// loop's integrity check would undo it), the loop's own agent, inside the running session, writes.
/// </summary>
public class FeaturesSetUnderALoopTests
{
    [Fact]
    public void A_person_is_refused_and_the_running_sessions_agent_writes()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var repo = TempGitRepo.Init();
        ProjectFiles.WriteFeatures(repo.Path, ("F1", "pending"), ("F2", "pending"));
        ProjectFiles.WriteState(repo.Path, """{ "state": "IMPLEMENT", "health_status": "HEALTHY", "dirty": true, "session_id": "s-live", "history": [] }""");
        repo.Commit("initial");

        // A live loop: a running process named as the lock's holder.
        using var loop = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        File.WriteAllText(ProjectLayout.ForRoot(repo.Path).LockFile, new JsonObject
        {
            ["pid"] = loop.Id,
            ["host"] = Environment.MachineName,
            ["started_at"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["purpose"] = "autonomous loop",
        }.ToJsonString());
        try
        {
            var person = CliRunner.Run(repo.Path, "features", "set", "F2", "--status", "blocked");
            var agent = CliRunner.Run(repo.Path, new Dictionary<string, string?> { [HarnessProject.SessionIdVariable] = "s-live" }, "features", "set", "F1", "--status", "tested");
            var staleAgent = CliRunner.Run(repo.Path, new Dictionary<string, string?> { [HarnessProject.SessionIdVariable] = "s-old" }, "features", "set", "F2", "--status", "blocked");

            Assert.Equal(1, person.ExitCode);
            Assert.Contains("Harness.LockHeld", person.StdErr);
            Assert.Contains("(autonomous loop)", person.StdErr);
            Assert.Equal(0, agent.ExitCode);
            Assert.Equal(1, staleAgent.ExitCode);
            var list = File.ReadAllText(ProjectFiles.FeatureListPath(repo.Path));
            Assert.Contains("\"tested\"", list);
            Assert.DoesNotContain("\"blocked\"", list);
        }
        finally
        {
            loop.Kill();
        }
    }
}
