using Harness.Core.Agents;
using Harness.Core.Guard;
using Harness.Core.Hosting;
using Harness.Core.Project;

namespace Harness.Core.Loop;

/// <summary>
/// What the loop checks once, before its first session, so that a set-up that cannot work stops
/// with the fix named instead of charging failed sessions to a feature: the agent program exists,
/// Claude Code will not refuse to run as root, and every guard hook really runs the guard.
/// </summary>
internal static class LoopPreflight
{
    /// <summary>Claude Code's "I am in a sandbox" switch: without it, it refuses bypassPermissions as root.</summary>
    public const string SandboxVariable = "IS_SANDBOX";

    public const string BypassPermissions = "bypassPermissions";

    /// <summary>Null when the loop may start; else why not, with the fix.</summary>
    public static async Task<(LoopStopReason Reason, string Message)?> CheckAsync(
        ProjectLayout layout, ProjectConfig config, LoopOptions options, IAgentRunner agent, string? loopHookCommand, IHarnessHost host, CancellationToken cancellationToken)
    {
        if (options.Agent is null && MissingProgram(agent, layout.Root, options.AgentEnvironment) is { } missing)
        {
            return (LoopStopReason.AgentUnavailable, missing);
        }

        if (agent is ClaudeCodeAgent claude && RefusesRoot(claude, config.Agent, options.AgentEnvironment, IsRoot()) is { } refusal)
        {
            return (LoopStopReason.AgentUnavailable, refusal);
        }

        var problems = await HookCheck.CheckAsync(layout, loopHookCommand, options.AgentEnvironment, cancellationToken).ConfigureAwait(false);
        if (problems.Count > 0)
        {
            return (LoopStopReason.GuardUnavailable, Describe(problems[0], problems.Count));
        }

        if (agent is ClaudeCodeAgent && loopHookCommand is null && HookSettings.GuardCommandsIn(layout.ClaudeSettingsFile).Count == 0)
        {
            host.WriteWarning($"No guard hook: the loop passes none (its own hooks are off) and {layout.ClaudeSettingsFile} has none, so nothing checks the agent's tool calls. Setting the project up with hooks (init with hooks) adds them.");
        }

        return null;
    }

    /// <summary>The agent's program when it is not there to run: not on the agent's PATH, or a path to nothing.</summary>
    internal static string? MissingProgram(IAgentRunner agent, string workingDirectory, IReadOnlyDictionary<string, string?>? environment)
    {
        var program = agent switch
        {
            ClaudeCodeAgent claude => claude.Executable,
            CommandAgent command => command.Template[0],
            _ => null,
        };
        if (program is null || program.Contains('{', StringComparison.Ordinal))
        {
            return null;
        }

        var path = environment is not null && environment.TryGetValue("PATH", out var own) ? own : Environment.GetEnvironmentVariable("PATH");
        var isPath = program.Contains('/') || program.Contains('\\');
        var found = isPath
            ? File.Exists(Path.Combine(workingDirectory, program))
            : !string.Equals(CommandLine.ResolveExecutable(program, path), program, StringComparison.Ordinal);
        if (found)
        {
            return null;
        }

        var install = agent is ClaudeCodeAgent ? "Install Claude Code (npm install -g @anthropic-ai/claude-code), or fix" : "Fix";
        return isPath
            ? $"the agent program {program} does not exist. {install} agent.command in .claude/config/project.json (or the agent command given to the loop)"
            : $"the agent program '{program}' is not on PATH. {install} PATH, or name the program by its full path in agent.command in .claude/config/project.json (or in the agent command given to the loop)";
    }

    /// <summary>Claude Code exits at once, as root, with bypassPermissions unless IS_SANDBOX=1: say so before a session is spent on it.</summary>
    internal static string? RefusesRoot(ClaudeCodeAgent claude, AgentSettings settings, IReadOnlyDictionary<string, string?>? environment, bool isRoot)
    {
        var bypass = string.Equals(settings.PermissionMode, BypassPermissions, StringComparison.Ordinal)
            || claude.LeadingArgs.Concat(settings.ExtraArgs).Any(a => a is "--dangerously-skip-permissions" || a == "--permission-mode=" + BypassPermissions);
        if (!bypass || !isRoot)
        {
            return null;
        }

        var sandbox = environment is not null && environment.TryGetValue(SandboxVariable, out var own) ? own : Environment.GetEnvironmentVariable(SandboxVariable);
        if (sandbox == "1")
        {
            return null;
        }

        return $"the loop runs as root, and Claude Code refuses permission_mode {BypassPermissions} as root. Run it as a normal user; or, on a machine that is itself the sandbox (a container or VM with nothing else to protect), opt in with {SandboxVariable}=1 in the environment (export {SandboxVariable}=1). See docs/agents.md, \"Permissions and the guard\"";
    }

    /// <summary>Root as Claude Code sees it (uid 0 is named root); never on Windows.</summary>
    internal static bool IsRoot() => !OperatingSystem.IsWindows() && Environment.UserName == "root";

    private static string Describe(HookProblem problem, int count)
    {
        var more = count > 1 ? $" ({count - 1} more hook(s) fail the same check)" : "";
        var fix = problem.Source.StartsWith("the loop", StringComparison.Ordinal)
            ? problem.Command == HookCommand.Unresolved
                ? "The harness executable could not be found for the hook: install the harness CLI (README, \"Running it with Claude Code\"), or give the loop a guard command that runs it, e.g. '/path/to/harness guard'."
                : "Give the loop a guard command that runs the harness guard, e.g. '/path/to/harness guard'."
            : $"Set the project up with hooks again (init with hooks), which rewrites the hook with this harness's absolute path, or fix it in {problem.Source}.";
        return $"the guard hook '{problem.Command}' ({problem.Source}) does not work: {problem.Problem}. No session was started.{more} {fix} The loop can also run without its own hooks";
    }
}
