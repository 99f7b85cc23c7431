using System.Management.Automation;
using Harness.Core.Metrics;
using Harness.PowerShell.Completion;

namespace Harness.PowerShell.Commands;

/// <summary>Get-HarnessMetrics: the lines of metrics.jsonl or their aggregate (<c>harness metrics</c>). Read-only.</summary>
[Cmdlet(VerbsCommon.Get, "HarnessMetrics", DefaultParameterSetName = LiteralPathSet)]
[OutputType(typeof(SessionMetrics), typeof(MetricsAggregate))]
public sealed class GetHarnessMetricsCommand : HarnessProjectCmdlet
{
    /// <summary>Only the lines of these sessions (with -Aggregate: the aggregate of these sessions).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SessionIdCompleter))]
    public string[]? SessionId { get; set; }

    /// <summary>One aggregate per project instead of the lines: sessions, cost, tokens, features per session, failure rate.</summary>
    [Parameter]
    public SwitchParameter Aggregate { get; set; }

    protected override void ProcessRecord() => ForEachProject(Targets(), project =>
    {
        var metrics = project.ReadMetrics();
        if (metrics.SkippedLines > 0)
        {
            WriteWarning($"Skipped {metrics.SkippedLines} unreadable line(s) in {project.Layout.MetricsFile} (a torn last line after a crash, or a hand edit).");
        }

        var lines = metrics.Lines.Where(l => SessionId is null || SessionId.Contains(l.SessionId, StringComparer.Ordinal)).ToList();
        if (Aggregate)
        {
            WriteResult(SessionId is null ? metrics : MetricsAggregate.Of(lines, metrics.SkippedLines), project);
            return;
        }

        foreach (var line in lines)
        {
            WriteResult(line, project);
        }
    });
}
