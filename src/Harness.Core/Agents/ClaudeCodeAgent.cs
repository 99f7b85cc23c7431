using System.Globalization;

namespace Harness.Core.Agents;

/// <summary>
/// Runs Claude Code headless: <c>claude -p PROMPT --output-format=stream-json --verbose ...</c>, every
/// option in <c>--flag=value</c> form (a value starting with a dash cannot be read as a flag, and a
/// variadic option such as <c>--allowedTools</c> cannot swallow the next argument), stdin empty.
/// </summary>
internal sealed class ClaudeCodeAgent : IAgentRunner
{
    /// <param name="executable">The <c>claude</c> executable (name on PATH or a path).</param>
    /// <param name="leadingArgs">Arguments placed before <c>-p</c> (e.g. the words after the executable in <c>agent.command</c>).</param>
    public ClaudeCodeAgent(string executable = "claude", IReadOnlyList<string>? leadingArgs = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(executable);
        Executable = executable;
        LeadingArgs = leadingArgs ?? [];
    }

    public string Name => "claude-code";

    public string Executable { get; }

    public IReadOnlyList<string> LeadingArgs { get; }

    /// <summary>The argument list for <paramref name="request"/>, without the executable.</summary>
    public IReadOnlyList<string> BuildArguments(AgentSessionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var args = new List<string>(LeadingArgs)
        {
            "-p",
            // -p is a switch and the prompt a positional argument: one that begins with a dash would be
            // taken for an option, so such a prompt gets a leading space (harmless to the model).
            request.Prompt.StartsWith('-') ? " " + request.Prompt : request.Prompt,
            "--output-format=stream-json",
            "--verbose", // required by -p with stream-json, or the CLI exits 1

            // message_delta events carry each API message's final output tokens: a session killed
            // before its result event can then be priced from what the stream showed.
            "--include-partial-messages",
        };
        if (request.Model is { Length: > 0 } model) args.Add("--model=" + model);
        if (request.MaxTurns is { } turns) args.Add("--max-turns=" + turns.ToString(CultureInfo.InvariantCulture));
        if (request.PermissionMode is { Length: > 0 } mode) args.Add("--permission-mode=" + mode);

        // One option per tool: a pattern such as "Bash(git log:*)" contains a space, so no joining.
        foreach (var tool in request.AllowedTools) args.Add("--allowedTools=" + tool);
        if (request.MaxBudgetUsd is { } budget) args.Add("--max-budget-usd=" + budget.ToString(CultureInfo.InvariantCulture));
        if (request.AppendSystemPrompt is { Length: > 0 } system) args.Add("--append-system-prompt=" + system);
        if (request.SettingsFile is { Length: > 0 } settings) args.Add("--settings=" + settings);
        args.AddRange(request.ExtraArgs);
        return args;
    }

    public Task<AgentSessionResult> RunAsync(AgentSessionRequest request, IProgress<AgentEvent>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return AgentProcess.RunAsync(request, Executable, BuildArguments(request), standardInput: null, resultEventRequired: true, progress, cancellationToken);
    }
}
