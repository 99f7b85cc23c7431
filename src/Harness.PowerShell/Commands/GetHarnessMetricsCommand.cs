using System.Management.Automation;
using Harness.Core.Metrics;
using Harness.Core.Project;

namespace Harness.PowerShell.Commands;

/// <summary>Get-HarnessMetrics: the lines of metrics.jsonl (Core's <see cref="MetricsStore"/>) or their aggregate (<c>harness metrics</c>). Read-only.</summary>
[Cmdlet(VerbsCommon.Get, "HarnessMetrics", DefaultParameterSetName = LinesSet)]
[OutputType(typeof(SessionMetrics), ParameterSetName = [LinesSet])]
[OutputType(typeof(MetricsAggregate), ParameterSetName = [AggregateSet])]
public sealed class GetHarnessMetricsCommand : HarnessCmdlet
{
    private const string LinesSet = "Lines";
    private const string AggregateSet = "Aggregate";

    /// <summary>Project folders (default: the current location); the project root is found upwards from each.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath")]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    /// <summary>Only the lines of these sessions.</summary>
    [Parameter(ParameterSetName = LinesSet)]
    [ValidateNotNullOrEmpty]
    public string[]? SessionId { get; set; }

    /// <summary>One aggregate per project instead of the lines: sessions, cost, tokens, features per session, failure rate.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AggregateSet)]
    public SwitchParameter Aggregate { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var path in Path ?? [null!])
        {
            var directory = ResolvePath(path);
            try
            {
                using var project = OpenProject(directory);
                var layout = project.Layout;
                var metrics = project.ReadMetrics();
                var (lines, skipped) = (metrics.Lines, metrics.SkippedLines);
                if (skipped > 0)
                {
                    WriteWarning($"Skipped {skipped} unreadable line(s) in {layout.MetricsFile} (a torn last line after a crash, or a hand edit).");
                }

                if (Aggregate)
                {
                    var output = PSObject.AsPSObject(MetricsAggregate.Of(lines, skipped));
                    output.Properties.Add(new PSNoteProperty(CheckpointOutput.ProjectRoot, layout.Root));
                    WriteObject(output);
                    continue;
                }

                foreach (var line in lines.Where(l => SessionId is null || SessionId.Contains(l.SessionId, StringComparer.Ordinal)))
                {
                    WriteObject(line);
                }
            }
            catch (Exception ex) when (IsReportable(ex))
            {
                ReportError(ex, directory);
            }
        }
    }
}
