using Harness.Core.Processes;

namespace Harness.Core.Git;

/// <summary>How one git call ended.</summary>
internal sealed record GitProcessResult(
    string CommandLine,
    int? ExitCode,
    string StandardOutput,
    string StandardError,
    bool TimedOut = false,
    string? StartError = null)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>One sentence for errors and warnings: why the call did not succeed.</summary>
    public string Describe(TimeSpan timeout) =>
        StartError is not null ? $"{CommandLine} could not be started: {StartError}"
        : TimedOut ? $"{CommandLine} timed out after {timeout.TotalSeconds:0.#} s and was killed"
        : $"{CommandLine} exited with {ExitCode}: {StandardError.Trim()}";
}

/// <summary>
/// The one place GitCli starts git, through <see cref="ProcessRunner"/> (timeout and cancellation kill
/// the tree, a grandchild holding the pipe cannot hang the call), with the settings every git call needs
/// baked in.
/// </summary>
internal sealed class GitProcess(string executable, TimeSpan timeout)
{
    /// <summary>
    /// Set for every call, before the caller's own variables. A harness started from a git hook
    /// inherits the repository variables, which would point git at the hook's repository instead of the
    /// directory we were asked about; they are removed (null).
    /// </summary>
    private static readonly Dictionary<string, string?> BaseEnvironment = new(StringComparer.Ordinal)
    {
        ["GIT_DIR"] = null,
        ["GIT_WORK_TREE"] = null,
        ["GIT_INDEX_FILE"] = null,
        ["GIT_COMMON_DIR"] = null,
        ["GIT_OBJECT_DIRECTORY"] = null,
        ["GIT_ALTERNATE_OBJECT_DIRECTORIES"] = null,
        ["GIT_PREFIX"] = null,

        // The agent runs git in the same repository at the same time; a status that refreshed the
        // index would take index.lock and make the agent's own git commands fail.
        ["GIT_OPTIONAL_LOCKS"] = "0",
        ["GIT_TERMINAL_PROMPT"] = "0",

        // English messages: "not a git repository" is matched, and must not be translated.
        ["LC_ALL"] = "C",
    };

    public TimeSpan Timeout => timeout;

    public Task<GitProcessResult> RunAsync(string directory, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        RunAsync(directory, arguments, environment: null, cancellationToken);

    /// <summary>
    /// Runs git with <paramref name="environment"/> set after the inherited repository variables are
    /// removed (the checkpoint code points GIT_INDEX_FILE at a temporary index). stdin is empty: git must
    /// never wait for input (credential or editor prompts). Cancellation kills the tree and throws
    /// <see cref="OperationCanceledException"/>: a cancelled call has no answer to give.
    /// </summary>
    public async Task<GitProcessResult> RunAsync(
        string directory,
        IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string>? environment,
        CancellationToken cancellationToken)
    {
        var commandLine = "git " + string.Join(' ', arguments);
        var spec = new ProcessSpec
        {
            FileName = executable,

            // Paths come back raw (not octal-escaped) so non-ASCII names survive.
            Arguments = ["-c", "core.quotepath=off", .. arguments],
            WorkingDirectory = directory,
            Environment = environment is null ? BaseEnvironment : WithBase(environment),
            Timeout = timeout,
            TailLines = 0,
        };
        var run = await ProcessRunner.RunAsync(spec, cancellationToken).ConfigureAwait(false);
        if (run.Cancelled)
        {
            throw new OperationCanceledException($"{commandLine} was cancelled", cancellationToken);
        }

        return new GitProcessResult(commandLine, run.ExitCode, run.StandardOutput, run.StandardError, run.TimedOut, run.StartError);
    }

    private static Dictionary<string, string?> WithBase(IReadOnlyDictionary<string, string> environment)
    {
        var merged = new Dictionary<string, string?>(BaseEnvironment, StringComparer.Ordinal);
        foreach (var (name, value) in environment)
        {
            merged[name] = value;
        }

        return merged;
    }
}
