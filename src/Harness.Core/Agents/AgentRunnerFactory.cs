using Harness.Core.Project;

namespace Harness.Core.Agents;

/// <summary>Picks the adapter for <c>agent.command</c> and builds requests from project.json.</summary>
internal static class AgentRunnerFactory
{
    /// <summary>
    /// Claude Code when the command's program is named <c>claude</c> and it has no prompt placeholder
    /// (words after it go before <c>-p</c>); the command adapter otherwise.
    /// </summary>
    public static IAgentRunner Create(AgentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var words = CommandLine.Split(settings.Command);
        if (words.Count == 0) return new ClaudeCodeAgent();
        var program = Path.GetFileNameWithoutExtension(words[0]);
        var hasPlaceholder = settings.Command.Contains("{prompt}", StringComparison.Ordinal) || settings.Command.Contains("{prompt_file}", StringComparison.Ordinal);
        if (string.Equals(program, "claude", StringComparison.OrdinalIgnoreCase) && !hasPlaceholder)
            return new ClaudeCodeAgent(words[0], words.Skip(1).ToList());
        return new CommandAgent(settings.Command);
    }

    /// <summary>A request carrying the project's agent and loop settings; the caller adds what varies per session.</summary>
    public static AgentSessionRequest CreateRequest(ProjectConfig config, ProjectLayout layout, string prompt, string? sessionType, string sessionName)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(layout);
        var agent = config.Agent;
        return new AgentSessionRequest
        {
            Prompt = prompt,
            WorkingDirectory = layout.Root,
            SessionType = sessionType,
            Model = agent.Model,
            MaxTurns = agent.MaxTurns,
            PermissionMode = agent.PermissionMode,
            AllowedTools = agent.AllowedTools,
            MaxBudgetUsd = agent.MaxBudgetUsd,
            AppendSystemPrompt = agent.AppendSystemPrompt,
            ExtraArgs = agent.ExtraArgs,
            Timeout = config.Loop.SessionTimeout is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            TranscriptPath = AgentTranscripts.PathFor(layout, sessionName),
            Prices = PriceTable.Default.With(agent.Prices),
        };
    }
}
