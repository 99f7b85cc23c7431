using System.Globalization;

namespace Harness.Core.Agents;

/// <summary>How a <see cref="CommandAgent"/> hands the prompt over.</summary>
internal enum PromptDelivery
{
    /// <summary><c>{prompt}</c> in the command line: the prompt text is (part of) an argument.</summary>
    Argument,

    /// <summary><c>{prompt_file}</c> in the command line: the path of a temporary file holding the prompt.</summary>
    File,

    /// <summary>No placeholder: the prompt is written to stdin, which is then closed.</summary>
    StandardInput,
}

/// <summary>
/// Runs any agent executable (aider, codex, a script) from a command-line template. Placeholders:
/// <c>{prompt}</c>, <c>{prompt_file}</c>, <c>{model}</c>, <c>{max_turns}</c>, <c>{session_type}</c>.
/// The outcome comes from the exit code, unless the command prints Claude-shaped stream-json with a
/// result event, which is then classified like Claude Code's.
/// </summary>
internal sealed class CommandAgent : IAgentRunner
{
    public CommandAgent(string commandLine)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(commandLine);
        CommandLineTemplate = commandLine;
        Template = CommandLine.Split(commandLine);
        if (Template.Count == 0) throw new ArgumentException("the agent command is empty", nameof(commandLine));
        Delivery = Template.Any(w => w.Contains("{prompt}", StringComparison.Ordinal)) ? PromptDelivery.Argument
            : Template.Any(w => w.Contains("{prompt_file}", StringComparison.Ordinal)) ? PromptDelivery.File
            : PromptDelivery.StandardInput;
    }

    public string Name => "command";

    public string CommandLineTemplate { get; }

    public IReadOnlyList<string> Template { get; }

    public PromptDelivery Delivery { get; }

    /// <summary>The program and its arguments for <paramref name="request"/>; <paramref name="promptFile"/> replaces <c>{prompt_file}</c>.</summary>
    public IReadOnlyList<string> Expand(AgentSessionRequest request, string? promptFile)
    {
        ArgumentNullException.ThrowIfNull(request);
        var words = Template.Select(w => w
            .Replace("{prompt_file}", promptFile ?? "", StringComparison.Ordinal)
            .Replace("{model}", request.Model ?? "", StringComparison.Ordinal)
            .Replace("{max_turns}", request.MaxTurns?.ToString(CultureInfo.InvariantCulture) ?? "", StringComparison.Ordinal)
            .Replace("{session_type}", request.SessionType ?? "", StringComparison.Ordinal)
            // Last, so placeholders inside the prompt text itself are left alone.
            .Replace("{prompt}", request.Prompt, StringComparison.Ordinal)).ToList();
        words.AddRange(request.ExtraArgs);
        return words;
    }

    public async Task<AgentSessionResult> RunAsync(AgentSessionRequest request, IProgress<AgentEvent>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? promptFile = null;
        try
        {
            if (Delivery == PromptDelivery.File)
            {
                promptFile = Path.Combine(Path.GetTempPath(), "harness-prompt-" + Guid.NewGuid().ToString("N") + ".md");
                await File.WriteAllTextAsync(promptFile, request.Prompt, cancellationToken).ConfigureAwait(false);
            }

            var words = Expand(request, promptFile);
            var standardInput = Delivery == PromptDelivery.StandardInput ? request.Prompt : null;
            return await AgentProcess.RunAsync(request, words[0], words.Skip(1).ToList(), standardInput, resultEventRequired: false, progress, cancellationToken)
                .ConfigureAwait(false);
        }
        finally
        {
            if (promptFile is not null)
            {
                try
                {
                    File.Delete(promptFile);
                }
                catch (IOException)
                {
                    // Left in temp; harmless.
                }
            }
        }
    }
}
