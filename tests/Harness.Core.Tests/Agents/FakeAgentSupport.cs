using System.Text.Json.Nodes;

namespace Harness.Core.Tests.Agents;

/// <summary>Runs tests/Harness.FakeAgent: as a plain command, or as a shim named <c>claude</c>.</summary>
internal static class FakeAgent
{
    public static string DllPath { get; } = Path.Combine(AppContext.BaseDirectory, "Harness.FakeAgent.dll");

    public static string Dotnet { get; } =
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : File.Exists("/usr/share/dotnet/dotnet") ? "/usr/share/dotnet/dotnet"
        : "dotnet";

    /// <summary>Writes an executable <c>claude</c> in <paramref name="directory"/> that execs the fake agent with all arguments.</summary>
    public static string CreateClaudeShim(string directory)
    {
        var path = Path.Combine(directory, "claude");
        File.WriteAllText(path, $"#!/bin/sh\nexec '{Dotnet}' '{DllPath}' \"$@\"\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    /// <summary>A command line for the command adapter: <c>dotnet Harness.FakeAgent.dll ARGS</c>.</summary>
    public static string Command(string args) => $"'{Dotnet}' '{DllPath}' {args}";

    public static string WriteScenario(string directory, params JsonObject[] steps)
    {
        var array = new JsonArray();
        foreach (var step in steps) array.Add(step);
        var path = Path.Combine(directory, "scenario-" + Guid.NewGuid().ToString("N")[..8] + ".json");
        File.WriteAllText(path, new JsonObject { ["session_id"] = "fake-session-1", ["steps"] = array }.ToJsonString());
        return path;
    }

    public static JsonObject Step(string action, params (string Key, JsonNode? Value)[] fields)
    {
        var step = new JsonObject { ["action"] = action };
        foreach (var (key, value) in fields) step[key] = value;
        return step;
    }
}

/// <summary>Collects progress events synchronously (Progress&lt;T&gt; would post them to the thread pool).</summary>
internal sealed class EventLog : IProgress<Harness.Core.Agents.AgentEvent>
{
    private readonly List<Harness.Core.Agents.AgentEvent> _events = [];

    public IReadOnlyList<Harness.Core.Agents.AgentEvent> Events
    {
        get
        {
            lock (_events) return _events.ToList();
        }
    }

    public void Report(Harness.Core.Agents.AgentEvent value)
    {
        lock (_events) _events.Add(value);
    }
}
