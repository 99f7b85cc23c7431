using Harness.Core.Hosting;
using Harness.Core.Json;
using Harness.Core.Project;
using Harness.Core.State;
using Microsoft.Build.Framework;

namespace Harness.Build;

/// <summary>What state.json says (<c>harness state</c>, <c>Get-HarnessState</c>), read-only.</summary>
public sealed class HarnessGetState : HarnessTask
{
    /// <summary>False when the project has no state.json yet; the other outputs are then empty.</summary>
    [Output] public bool Exists { get; private set; }

    [Output] public string State { get; private set; } = "";

    [Output] public string HealthStatus { get; private set; } = "";

    [Output] public bool Dirty { get; private set; }

    [Output] public int Iteration { get; private set; }

    [Output] public string SessionId { get; private set; } = "";

    [Output] public string CurrentFeature { get; private set; } = "";

    [Output] public string LastAction { get; private set; } = "";

    /// <summary>When the state was last written, ISO 8601 UTC; empty when unknown.</summary>
    [Output] public string Timestamp { get; private set; } = "";

    [Output] public string ProjectRoot { get; private set; } = "";

    [Output] public string StateFile { get; private set; } = "";

    protected override void Run(IHarnessHost host, CancellationToken cancellationToken)
    {
        using var project = OpenProject(host, cancellationToken);
        var layout = project.Layout;
        ProjectRoot = layout.Root;
        StateFile = layout.StateFile;
        var state = project.ReadState();
        if (state is null)
        {
            host.WriteVerbose($"No state yet: {layout.StateFile} does not exist");
            return;
        }

        Exists = true;
        State = state.State.ToString();
        HealthStatus = state.HealthStatus.ToString();
        Dirty = state.Dirty;
        Iteration = state.Iteration;
        SessionId = state.SessionId ?? "";
        CurrentFeature = state.CurrentFeature ?? "";
        LastAction = state.LastAction ?? "";
        Timestamp = state.Timestamp is { } t ? Timestamps.UtcSeconds(t) : "";
    }
}
