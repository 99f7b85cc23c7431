using Harness.Core.Project;
using Harness.Core.State;

namespace Harness.Core.Guard;

/// <summary>What the guard decided: allow, or block with one line telling the model what to do instead.</summary>
internal sealed record GuardDecision(bool Allowed, string? Reason)
{
    public static readonly GuardDecision Allow = new(true, null);

    public static GuardDecision Block(string reason) => new(false, reason.ReplaceLineEndings(" "));
}

/// <summary>The project facts the policy needs; loaded lazily so a Bash call does not pay for what only a Write needs.</summary>
internal sealed class GuardContext
{
    // Not Lazy<HealthStatus>: a generic over a Core value type is not precompiled (ReadyToRun) and costs JIT on every hook call.
    private readonly Func<HealthStatus> _loadHealth;
    private HealthStatus? _health;

    public GuardContext(string root, GuardSettings settings, Func<HealthStatus> health, string? initScript = null, string? healthCheck = null)
    {
        Paths = new PathGuard(root);
        Settings = settings;
        InitScript = initScript;
        HealthCheck = healthCheck;
        _loadHealth = health;
    }

    public PathGuard Paths { get; }

    public GuardSettings Settings { get; }

    public string? InitScript { get; }

    public string? HealthCheck { get; }

    public HealthStatus Health => _health ??= _loadHealth();
}

/// <summary>
/// The agent hook policy (docs/guard.md): while the app is BROKEN, no edits to protected paths;
/// Bash commands only from the allowlist, with argument rules for the dangerous ones; no writes
/// outside the project or to the harness's own files.
/// </summary>
internal static class GuardPolicy
{
    public static readonly IReadOnlySet<string> WriteTools = new HashSet<string>(StringComparer.Ordinal) { "Write", "Edit", "MultiEdit", "NotebookEdit" };

    public static GuardDecision Evaluate(HookInput input, GuardContext context)
    {
        if (input.Problem is not null)
        {
            return GuardDecision.Block($"harness guard: the hook input is malformed ({input.Problem}); the call was blocked because it cannot be checked.");
        }

        var cwd = string.IsNullOrEmpty(input.Cwd) ? context.Paths.LexicalRoot : input.Cwd;
        if (input.ToolName is { } tool && WriteTools.Contains(tool))
        {
            if (string.IsNullOrEmpty(input.FilePath))
            {
                return GuardDecision.Block($"harness guard: {tool} call without tool_input.{(tool == "NotebookEdit" ? "notebook_path" : "file_path")}; the call was blocked because it cannot be checked.");
            }

            return CheckWrite(input.FilePath, [cwd], context, tool, destructive: false) is { } reason ? GuardDecision.Block(reason) : GuardDecision.Allow;
        }

        if (input.ToolName == "Bash")
        {
            if (input.Command is null)
            {
                return GuardDecision.Block("harness guard: Bash call without tool_input.command; the call was blocked because it cannot be checked.");
            }

            return CommandRules.Check(input.Command, cwd, context) is { } reason ? GuardDecision.Block(reason) : GuardDecision.Allow;
        }

        // Other tools (Read, Grep, ...) are not the guard's business; the hook matcher rarely sends them.
        return GuardDecision.Allow;
    }

    /// <summary>Null when writing <paramref name="path"/> is allowed; else the one-line reason.</summary>
    internal static string? CheckWrite(string path, IReadOnlyList<string> bases, GuardContext context, string what, bool destructive)
    {
        foreach (var baseDirectory in bases)
        {
            PathVerdict verdict;
            string resolved, relative;
            try
            {
                verdict = context.Paths.Classify(path, baseDirectory, out resolved, out relative);
            }
            catch (IOException ex)
            {
                return $"harness guard: blocked {what} of {path}: {ex.Message}. Use a path inside the project without symbolic link loops.";
            }

            switch (verdict)
            {
                case PathVerdict.Outside:
                    return $"harness guard: blocked {what} of {path}: it resolves to {resolved}, outside the project {context.Paths.Root}. Keep changes inside the project; ask the user if something elsewhere must change.";
                case PathVerdict.HarnessFile:
                    return $"harness guard: blocked {what} of {relative}: it is the harness's own file. Change it through the harness ('harness entry', 'harness features', 'harness checkpoint') or ask the user.";
            }

            if (destructive && HarnessFiles.HoldsProtectedFiles(relative))
            {
                return relative.Length == 0
                    ? $"harness guard: blocked {what} of {path}: it is the whole project. Remove only the files you mean to."
                    : $"harness guard: blocked {what} of {relative}: it holds the harness's own files. Remove only the files you mean to.";
            }

            if (context.Health == HealthStatus.BROKEN && PathGuard.IsProtected(context.Settings.ProtectedPaths, relative))
            {
                var check = context.HealthCheck is null ? "the health check" : $"the health check ({context.HealthCheck})";
                return $"harness guard: blocked {what} of {relative}: the app is BROKEN and {string.Join(", ", context.Settings.ProtectedPaths)} stay frozen until {check} passes. Fix the breakage first (tests, config, scripts are allowed), then run 'harness entry' to re-check health.";
            }
        }

        return null;
    }
}
