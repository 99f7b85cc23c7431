using System.Text.Json.Nodes;
using Harness.Core.Processes;
using Harness.Core.Project;

namespace Harness.Core.Guard;

/// <summary>A guard hook that does not work, and where it is configured.</summary>
/// <param name="Command">The hook's command line.</param>
/// <param name="Source">The settings file it is in, or "the loop's --settings".</param>
/// <param name="Problem">What the probe saw.</param>
internal sealed record HookProblem(string Command, string Source, string Problem);

/// <summary>
/// Proves, before an agent runs, that each guard hook it will get actually runs the guard: the
/// command is run as Claude Code runs hooks (through a shell, in the project, with
/// <c>CLAUDE_PROJECT_DIR</c>) on a PreToolUse Write to a path outside the project. The guard must
/// block it with its own message; exit 127 ("not found"), a crash, or an allow all mean the hook
/// would not protect anything (or, failing closed, would block every call).
/// </summary>
internal static class HookCheck
{
    /// <summary>The hook JSON Claude Code sends, and the guard's answer, take milliseconds; a cold start of a JIT-compiled CLI takes a second.</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The start of every message the guard prints when it blocks.</summary>
    private const string GuardMessagePrefix = "harness guard:";

    /// <summary>Null when <paramref name="command"/> runs the guard and it blocks a write outside the project; else what went wrong.</summary>
    /// <param name="command">The hook's command line, run through the shell.</param>
    /// <param name="layout">The project: the hook runs in its root, with CLAUDE_PROJECT_DIR set to it.</param>
    /// <param name="cancellationToken">Kills the probe.</param>
    /// <param name="environment">The agent's own variables (a null value removes one): the hook runs with them, as Claude Code passes its environment on.</param>
    public static async Task<string?> ProbeAsync(string command, ProjectLayout layout, IReadOnlyDictionary<string, string?>? environment = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        ArgumentNullException.ThrowIfNull(layout);
        var outside = Path.Combine(Path.GetDirectoryName(layout.Root) is { Length: > 0 } parent ? parent : Path.GetTempPath(), $".harness-hook-check-{Guid.NewGuid():N}");
        var input = new JsonObject
        {
            ["session_id"] = "harness-hook-check",
            ["hook_event_name"] = "PreToolUse",
            ["tool_name"] = "Write",
            ["tool_input"] = new JsonObject { ["file_path"] = outside, ["content"] = "hook check\n" },
            ["cwd"] = layout.Root,
        }.ToJsonString();

        var run = await ProcessRunner.RunAsync(new ProcessSpec
        {
            // Claude Code runs hook commands through a shell: sh on Unix, Git Bash on Windows.
            FileName = OperatingSystem.IsWindows() ? "bash" : "/bin/sh",
            Arguments = ["-c", command],
            WorkingDirectory = layout.Root,
            Environment = new Dictionary<string, string?>(environment ?? new Dictionary<string, string?>()) { ["CLAUDE_PROJECT_DIR"] = layout.Root },
            StandardInput = input,
            Timeout = ProbeTimeout,
            TailLines = 5,
        }, cancellationToken).ConfigureAwait(false);

        var said = (run.StandardError.Trim() is { Length: > 0 } stderr ? stderr : run.StandardOutput.Trim()).ReplaceLineEndings(" ");
        if (said.Length > 300)
        {
            said = said[..300] + "…";
        }

        if (run.StartError is not null) return $"no shell to run it: {run.StartError}";
        if (run.TimedOut) return $"it did not answer within {ProbeTimeout.TotalSeconds:0} s";
        if (run.Cancelled) throw new OperationCanceledException(cancellationToken);
        if (run.ExitCode == 2 && said.Contains(GuardMessagePrefix, StringComparison.Ordinal)) return null;
        if (run.ExitCode == 0) return $"it allowed a write outside the project ({outside}); it does not run the harness guard";
        return $"exit code {run.ExitCode}{(said.Length > 0 ? $": {said}" : "")}";
    }

    /// <summary>
    /// The guard hooks a Claude Code session in this project will run: the loop's own
    /// (<paramref name="loopCommand"/>, null when it passes none) and the harness guard entries of
    /// <c>.claude/settings.json</c> and <c>.claude/settings.local.json</c>; each probed once.
    /// </summary>
    public static async Task<IReadOnlyList<HookProblem>> CheckAsync(ProjectLayout layout, string? loopCommand, IReadOnlyDictionary<string, string?>? environment = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var hooks = new List<(string Command, string Source)>();
        if (loopCommand is not null) hooks.Add((loopCommand, "the loop's --settings"));
        foreach (var file in new[] { layout.ClaudeSettingsFile, Path.Combine(Path.GetDirectoryName(layout.ClaudeSettingsFile)!, "settings.local.json") })
        {
            hooks.AddRange(HookSettings.GuardCommandsIn(file).Select(c => (c, file)));
        }

        var problems = new List<HookProblem>();
        foreach (var group in hooks.GroupBy(h => h.Command, StringComparer.Ordinal))
        {
            if (await ProbeAsync(group.Key, layout, environment, cancellationToken).ConfigureAwait(false) is { } problem)
            {
                problems.AddRange(group.Select(h => new HookProblem(h.Command, h.Source, problem)));
            }
        }

        return problems;
    }
}
