using Harness.Core.Entry;
using Harness.Core.Errors;
using Harness.Core.Project;
using System.Text.Json;
using Harness.Core.State;

namespace Harness.Core.Guard;

/// <summary>What the hook process should do: its exit code, and what (if anything) to print.</summary>
/// <param name="ExitCode">0 allow (or SessionStart context), 2 block.</param>
/// <param name="StdOut">Null: print nothing on stdout.</param>
/// <param name="StdErr">Null: print nothing on stderr; else one line.</param>
internal sealed record GuardOutcome(int ExitCode, string? StdOut, string? StdErr)
{
    public const int AllowExitCode = 0;
    public const int BlockExitCode = 2;

    public static readonly GuardOutcome Allowed = new(AllowExitCode, null, null);

    public static GuardOutcome Blocked(string line) => new(BlockExitCode, null, line.ReplaceLineEndings(" "));
}

/// <summary>
/// <c>harness guard</c> from hook input to outcome: finds the project, loads its policy, decides.
/// Fails closed: input it cannot read and a project it cannot load block the call.
/// </summary>
internal static class GuardRunner
{
    /// <summary>Where the project is: an explicit directory, else <c>CLAUDE_PROJECT_DIR</c> (set by Claude Code for hooks), else the input's cwd, else the current directory.</summary>
    public static string? ProjectStart(string? explicitProject, HookInput? input, Func<string, string?> environment) =>
        !string.IsNullOrEmpty(explicitProject) ? explicitProject
        : environment("CLAUDE_PROJECT_DIR") is { Length: > 0 } fromClaude ? fromClaude
        : !string.IsNullOrEmpty(input?.Cwd) && Directory.Exists(input.Cwd) ? input.Cwd
        : null;

    public static GuardOutcome Run(ReadOnlySpan<byte> stdin, string? explicitProject, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var input = HookInput.Parse(stdin, out var error);
        if (input is null)
        {
            return GuardOutcome.Blocked($"harness guard: blocked: {error}. The guard fails closed; run it as a Claude Code hook (it reads the hook JSON on stdin).");
        }

        var eventName = input.HookEventName ?? (input.ToolName is not null ? "PreToolUse" : null);
        if (eventName is null)
        {
            return GuardOutcome.Blocked("harness guard: blocked: the hook input has neither hook_event_name nor tool_name. The guard fails closed; run it as a Claude Code hook.");
        }

        if (eventName == "SessionStart")
        {
            return SessionStart(ProjectStart(explicitProject, input, environment), input);
        }

        if (eventName != "PreToolUse")
        {
            return GuardOutcome.Allowed;
        }

        if (input.ToolName is null || (input.ToolName != "Bash" && !GuardPolicy.WriteTools.Contains(input.ToolName)))
        {
            return input.Problem is null ? GuardOutcome.Allowed : GuardOutcome.Blocked($"harness guard: blocked: the hook input is malformed ({input.Problem}).");
        }

        GuardContext context;
        try
        {
            context = LoadContext(ProjectStart(explicitProject, input, environment));
        }
        catch (HarnessException ex)
        {
            return GuardOutcome.Blocked($"harness guard: blocked because the project's harness files cannot be read: {ex.Message}");
        }

        try
        {
            var decision = GuardPolicy.Evaluate(input, context);
            return decision.Allowed ? GuardOutcome.Allowed : GuardOutcome.Blocked(decision.Reason!);
        }
        catch (HarnessException ex)
        {
            return GuardOutcome.Blocked($"harness guard: blocked because the project's harness files cannot be read: {ex.Message}");
        }
    }

    public static GuardContext LoadContext(string? start)
    {
        using var project = HarnessProject.Open(start);
        var layout = project.Layout;
        var config = project.Config;
        return new GuardContext(
            layout.Root,
            config.Guard,
            () => ReadHealth(layout),
            config.InitScript,
            config.HealthCheck);
    }

    /// <summary>
    /// <c>health_status</c> of state.json, read with a bare <see cref="Utf8JsonReader"/>: the guard
    /// needs one field, on every Write. Anything irregular goes through <see cref="StateStore.Load"/>,
    /// which validates the whole file and names the line of a problem.
    /// </summary>
    internal static HealthStatus ReadHealth(ProjectLayout layout)
    {
        if (IO.FileBytes.ReadIfExists(layout.StateFile) is not { } bytes)
        {
            return HealthStatus.UNKNOWN;
        }

        try
        {
            var reader = new Utf8JsonReader(Json.JsonFile.SkipBom(bytes).Span, Json.JsonFile.ReaderOptions);
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                HealthStatus? found = null;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isHealth = reader.ValueTextEquals("health_status"u8);
                    reader.Read();
                    if (isHealth)
                    {
                        found = reader.TokenType != JsonTokenType.String ? null
                            : reader.ValueTextEquals("BROKEN"u8) ? HealthStatus.BROKEN
                            : reader.ValueTextEquals("HEALTHY"u8) ? HealthStatus.HEALTHY
                            : reader.ValueTextEquals("UNKNOWN"u8) ? HealthStatus.UNKNOWN
                            : null;
                        if (found is null)
                        {
                            break;
                        }
                    }

                    reader.Skip();
                }

                if (found is { } health && reader.TokenType == JsonTokenType.EndObject && !reader.Read())
                {
                    return health;
                }
            }
        }
        catch (JsonException)
        {
        }

        return StateStore.Load(layout)?.HealthStatus ?? HealthStatus.UNKNOWN;
    }

    /// <summary>
    /// The SessionStart hook: the entry report's facts as additional context, in the JSON form
    /// Claude Code documents (<c>hookSpecificOutput.additionalContext</c>). A dry run without the
    /// health check: it writes nothing and takes no lock.
    /// </summary>
    private static GuardOutcome SessionStart(string? start, HookInput input)
    {
        string context;
        try
        {
            using var project = HarnessProject.Open(start);
            var report = new SessionEntry(project).RunAsync(new EntryOptions { RunHealthCheck = false, DryRun = true })
                .GetAwaiter().GetResult();
            context = SessionContext.Format(report);
        }
        catch (HarnessException ex)
        {
            context = $"Harness: the session entry could not read the project: {ex.Message} Fix that first; then run 'harness entry'.";
        }

        return new GuardOutcome(GuardOutcome.AllowExitCode, SessionContext.HookOutput(context), null);
    }
}
