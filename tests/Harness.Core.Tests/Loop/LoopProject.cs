using System.Text.Json.Nodes;
using Harness.Core.Loop;
using Fake = Harness.Core.Tests.Agents.FakeAgent;
using Harness.TestKit;

namespace Harness.Core.Tests.Loop;

/// <summary>A git project, a fake Claude Code scripted per session, and loop options fast enough for tests.</summary>
internal sealed class LoopProject : IDisposable
{
    private readonly TempDirectory _scratch = TempDirectory.Create("harness-loop");

    private LoopProject(TempGitRepo repo) => Repo = repo;

    public TempGitRepo Repo { get; }

    public string Path => Repo.Path;

    /// <summary>The scenario file; its <c>.runs</c> sibling counts the agent's runs.</summary>
    public string ScenarioPath => System.IO.Path.Combine(_scratch.Path, "scenario.json");

    public string Shim { get; private set; } = "";

    public static LoopProject Create(params (string Id, string Status)[] features)
    {
        var repo = TempGitRepo.Init();
        repo.WriteFile("README.md", "test project\n");
        if (features.Length > 0)
        {
            ProjectFiles.WriteFeatures(repo.Path, features);
        }

        repo.Commit("initial");
        return new LoopProject(repo);
    }

    /// <summary>Scripts the agent: run N plays <paramref name="runs"/>[N-1] (the last one repeats).</summary>
    public LoopProject Script(params JsonObject[][] runs)
    {
        var array = new JsonArray();
        foreach (var steps in runs)
        {
            var stepArray = new JsonArray();
            foreach (var step in steps)
            {
                stepArray.Add(step);
            }

            array.Add((JsonNode)new JsonObject { ["steps"] = stepArray });
        }

        File.WriteAllText(ScenarioPath, new JsonObject { ["runs"] = array }.ToJsonString());

        // A `claude` on no PATH: the loop's factory picks the Claude Code adapter for it.
        Shim = System.IO.Path.Combine(_scratch.Path, "claude");
        File.WriteAllText(Shim, $"#!/bin/sh\nHARNESS_FAKE_SCENARIO='{ScenarioPath}' exec '{Fake.Dotnet}' '{Fake.DllPath}' \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Shim, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return this;
    }

    public int AgentRuns => File.Exists(ScenarioPath + ".runs") ? int.Parse(File.ReadAllText(ScenarioPath + ".runs").Trim(), System.Globalization.CultureInfo.InvariantCulture) : 0;

    public LoopOptions Options(int? maxIterations = 10) => new()
    {
        AgentCommand = Shim,
        MaxIterations = maxIterations,
        ContinueDelay = TimeSpan.Zero,
        RetryBaseDelay = TimeSpan.FromMilliseconds(50),
        CheckpointInterval = TimeSpan.FromHours(1),
        RunHealthCheck = false,

        // No harness CLI in this test project to run the guard; the real-CLI tier (tests/Harness.ClaudeCode.Tests) runs the hooks.
        UseGuardHooks = false,
    };

    public string ScratchFile(string name) => System.IO.Path.Combine(_scratch.Path, name);

    public static JsonObject Step(string action, params (string Key, JsonNode? Value)[] fields) => Fake.Step(action, fields);

    public void Dispose()
    {
        Repo.Dispose();
        _scratch.Dispose();
    }
}
