using System.Management.Automation;
using Harness.Core.Git;
using Harness.Core.Project;
using Harness.Core.Summaries;

namespace Harness.PowerShell.Commands;

/// <summary>
/// New-SessionSummary: Core's <see cref="SessionSummaryBuilder"/> (<c>harness summary</c>) or, with
/// -Handoff, Core's <see cref="Handoff.Run"/> (<c>harness summary --handoff</c>) for each project folder.
/// </summary>
[Cmdlet(VerbsCommon.New, "SessionSummary", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(SessionSummary), typeof(HandoffResult))]
public sealed class NewSessionSummaryCommand : HarnessCmdlet
{
    /// <summary>Project folders (default: the current location); the project root is found upwards from each.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath")]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    /// <summary>The session id (default: session-start.json's, else state.json's).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SessionId { get; set; }

    /// <summary>The agent's result text.</summary>
    [Parameter]
    public string? ResultText { get; set; }

    /// <summary>The session's cost in USD.</summary>
    [Parameter]
    [ValidateRange(0, double.MaxValue)]
    public double CostUsd { get; set; }

    /// <summary>Input tokens used.</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long InputTokens { get; set; }

    /// <summary>Output tokens used.</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long OutputTokens { get; set; }

    /// <summary>Agent turns.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int Turns { get; set; }

    /// <summary>Why the session ended (completed, max_turns, timed_out, error, ...).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ExitReason { get; set; }

    /// <summary>End the session: summary, checkpoint, dirty: false, metrics line, cleanup.</summary>
    [Parameter]
    public SwitchParameter Handoff { get; set; }

    protected override void ProcessRecord()
    {
        // Unset numbers stay unknown (null), as the CLI's absent options do: the summary omits them.
        var outcome = new SessionOutcome
        {
            SessionId = SessionId,
            ResultText = ResultText,
            CostUsd = Bound(nameof(CostUsd)) ? CostUsd : null,
            InputTokens = Bound(nameof(InputTokens)) ? InputTokens : null,
            OutputTokens = Bound(nameof(OutputTokens)) ? OutputTokens : null,
            Turns = Bound(nameof(Turns)) ? Turns : null,
            ExitReason = ExitReason,
        };

        foreach (var path in Path ?? [null!])
        {
            var directory = ResolvePath(path);
            try
            {
                var layout = ProjectLocator.Locate(directory);
                var git = new GitCli();
                var action = Handoff
                    ? "End the session: write the summary to .claude/progress/sessions/, save a checkpoint, set dirty: false, append the metrics line, clean up"
                    : "Write the session summary to .claude/progress/sessions/<UTC stamp>.md";
                if (!ShouldProcess(layout.Root, action))
                {
                    // -WhatIf (or No): the summary as it would be written (Path is empty); nothing is written.
                    WriteObject(new SessionSummaryBuilder(git).Build(layout, outcome));
                    continue;
                }

                if (Handoff)
                {
                    var result = new Handoff(git, HarnessHost).Run(layout, outcome);
                    if (result.AlreadyDone)
                    {
                        WriteVerbose($"Session {result.SessionId} was handed off already; nothing changed.");
                    }

                    WriteObject(result);
                    continue;
                }

                WriteObject(SessionSummaryBuilder.Write(layout, new SessionSummaryBuilder(git).Build(layout, outcome)));
            }
            catch (Exception ex) when (IsReportable(ex))
            {
                ReportError(ex, directory);
            }
        }
    }

    private bool Bound(string parameter) => MyInvocation.BoundParameters.ContainsKey(parameter);
}
