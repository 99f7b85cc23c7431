using System.Management.Automation;
using Harness.Core.Summaries;
using Harness.PowerShell.Completion;

namespace Harness.PowerShell.Commands;

/// <summary>
/// New-SessionSummary: the session summary (<c>harness summary</c>) or, with -Handoff, the end of
/// the session (<c>harness summary --handoff</c>) for each project folder.
/// </summary>
[Cmdlet(VerbsCommon.New, "SessionSummary", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = LiteralPathSet)]
[OutputType(typeof(SessionSummary), typeof(HandoffResult))]
public sealed class NewSessionSummaryCommand : HarnessProjectCmdlet
{
    /// <summary>The session id (default: session-start.json's; else state.json's, or one derived from the last entry).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SessionIdCompleter))]
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
    [ArgumentCompleter(typeof(ExitReasonCompleter))]
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
        var action = Handoff
            ? "End the session: write the summary to .claude/progress/sessions/, save a checkpoint, set dirty: false, append the metrics line, clean up"
            : "Write the session summary to .claude/progress/sessions/<UTC stamp>.md";

        ForEachProject(Targets(), project =>
        {
            if (!ShouldProcess(project.Root, action))
            {
                // -WhatIf (or No): the summary as it would be written (Path is empty); nothing is written.
                WriteResult(project.BuildSummary(outcome), project);
                return;
            }

            if (!Handoff)
            {
                WriteResult(HarnessHost.Run(() => project.WriteSummaryAsync(outcome, CancelOnStop)), project);
                return;
            }

            var result = HarnessHost.Run(() => project.HandOffAsync(outcome, CancelOnStop));
            if (result.AlreadyDone)
            {
                WriteVerbose($"Session {result.SessionId} was handed off already; nothing changed.");
            }

            WriteResult(result, project);
        });
    }

    private bool Bound(string parameter) => MyInvocation.BoundParameters.ContainsKey(parameter);
}
