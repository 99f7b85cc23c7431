using System.Management.Automation;
using Harness.Core.Project;
using Harness.Core.State;

namespace Harness.PowerShell.Commands;

/// <summary>Get-HarnessState: what state.json says, for each project folder. Read-only.</summary>
[Cmdlet(VerbsCommon.Get, "HarnessState")]
[OutputType(typeof(HarnessState))]
public sealed class GetHarnessStateCommand : HarnessCmdlet
{
    /// <summary>Project folders (default: the current location); the project root is found upwards from each.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath")]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var path in Path ?? [null!])
        {
            var directory = ResolvePath(path);
            try
            {
                using var project = OpenProject(directory);
                var layout = project.Layout;
                var state = project.ReadState();
                if (state is null)
                {
                    WriteVerbose($"{layout.StateFile} does not exist yet; Invoke-SessionEntry creates it.");
                    continue;
                }

                // The state does not say where it came from; a pipeline over many folders needs to know.
                var output = PSObject.AsPSObject(state);
                output.Properties.Add(new PSNoteProperty("ProjectRoot", layout.Root));
                output.Properties.Add(new PSNoteProperty("StateFile", layout.StateFile));
                WriteObject(output);
            }
            catch (Exception ex) when (IsReportable(ex))
            {
                ReportError(ex, directory);
            }
        }
    }
}
