using System.Management.Automation;
using Harness.Core.State;

namespace Harness.PowerShell.Commands;

/// <summary>Get-HarnessState: what state.json says, for each project folder. Read-only.</summary>
[Cmdlet(VerbsCommon.Get, "HarnessState", DefaultParameterSetName = LiteralPathSet)]
[OutputType(typeof(HarnessState))]
public sealed class GetHarnessStateCommand : HarnessProjectCmdlet
{
    /// <summary>The name of the note property with the state file's path.</summary>
    internal const string StateFileProperty = "StateFile";

    protected override void ProcessRecord() => ForEachProject(Targets(), project =>
    {
        var state = project.ReadState();
        if (state is null)
        {
            WriteVerbose($"{project.Layout.StateFile} does not exist yet; Invoke-SessionEntry creates it.");
            return;
        }

        var output = WithProjectRoot(state, project);
        output.Properties.Add(new PSNoteProperty(StateFileProperty, project.Layout.StateFile));
        WriteObject(output);
    });
}
