using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace Harness.PowerShell.Tests.InProcess;

/// <summary>
/// A PowerShell 7.6 runspace in this process (Microsoft.PowerShell.SDK) with the built module
/// imported from module/Harness/Harness.psd1, its location set to <paramref name="location"/>.
/// No ExecutionPolicy is set: on Linux setting one throws.
/// </summary>
internal sealed class ModuleSession : IDisposable
{
    private readonly Runspace _runspace;

    public ModuleSession(string? location = null)
    {
        var state = InitialSessionState.CreateDefault();
        state.ImportPSModule(ModuleFiles.ModuleManifest);
        _runspace = RunspaceFactory.CreateRunspace(state);
        _runspace.Open();
        if (location is not null)
        {
            Run("Set-Location -LiteralPath $args[0]", location);
        }
    }

    /// <summary>A PowerShell on this session's runspace, to stop, inspect streams or invoke asynchronously.</summary>
    public System.Management.Automation.PowerShell Create()
    {
        var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = _runspace;
        return ps;
    }

    /// <summary>Runs a script (arguments as $args); returns its output.</summary>
    public Collection<PSObject> Run(string script, params object[] arguments) => Run(script, out _, arguments);

    /// <summary>Runs a script and hands back what its streams held (errors, warnings, verbose, progress).</summary>
    public Collection<PSObject> Run(string script, out Streams streams, params object[] arguments)
    {
        using var ps = Create();
        ps.AddScript(script);
        foreach (var argument in arguments)
        {
            ps.AddArgument(argument);
        }

        var output = ps.Invoke();
        // A copy: disposing the PowerShell clears its streams.
        streams = new Streams([.. ps.Streams.Error], [.. ps.Streams.Warning], [.. ps.Streams.Verbose], [.. ps.Streams.Progress], [.. ps.Streams.Information]);
        return output;
    }

    /// <summary>The error records a script wrote, terminating ones included (a script goes on after them).</summary>
    public IReadOnlyList<ErrorRecord> Errors(string script, params object[] arguments)
    {
        Run(script, out var streams, arguments);
        return streams.Error;
    }

    public void Dispose() => _runspace.Dispose();
}

/// <summary>What a script wrote besides its output.</summary>
internal sealed record Streams(
    IReadOnlyList<ErrorRecord> Error,
    IReadOnlyList<WarningRecord> Warning,
    IReadOnlyList<VerboseRecord> Verbose,
    IReadOnlyList<ProgressRecord> Progress,
    IReadOnlyList<InformationRecord> Information);
