using System.ComponentModel;
using System.Diagnostics;
using System.Text;

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
/// The one place GitCli starts git. Deliberately private to the Git folder (not ProcessRunner) so
/// the git layer stays usable on its own, with the settings every git call needs baked in.
/// </summary>
internal sealed class GitProcess(string executable, TimeSpan timeout)
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    // A harness started from a git hook inherits these, and they would point git at the hook's
    // repository instead of the directory we were asked about.
    private static readonly string[] InheritedRepositoryVariables =
    [
        "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY",
        "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_PREFIX",
    ];

    public TimeSpan Timeout => timeout;

    public Task<GitProcessResult> RunAsync(string directory, params string[] arguments) =>
        RunWithEnvironmentAsync(directory, null, arguments);

    /// <summary>
    /// As <see cref="RunAsync"/>, with extra environment variables set after the inherited
    /// repository variables are removed (the checkpoint code points GIT_INDEX_FILE at a temporary index).
    /// </summary>
    public async Task<GitProcessResult> RunWithEnvironmentAsync(string directory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var commandLine = "git " + string.Join(' ', arguments);
        var startInfo = CreateStartInfo(directory, arguments);
        if (environment is not null)
        {
            foreach (var (name, value) in environment)
            {
                startInfo.Environment[name] = value;
            }
        }

        Process process;
        try
        {
            process = Process.Start(startInfo) ?? throw new Win32Exception("Process.Start returned no process");
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            return new GitProcessResult(commandLine, null, "", "", StartError: ex.Message);
        }

        using (process)
        {
            // stdin closed at once: git must never wait for input (credential or editor prompts).
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();

            using var deadline = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                KillTree(process);
                await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
                return new GitProcessResult(commandLine, null, stdout.Result, stderr.Result, TimedOut: true);
            }

            await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
            return new GitProcessResult(commandLine, process.ExitCode, stdout.Result, stderr.Result);
        }
    }

    private ProcessStartInfo CreateStartInfo(string directory, string[] arguments)
    {
        var startInfo = new ProcessStartInfo(executable)
        {
            WorkingDirectory = directory,
            UseShellExecute = false,
            CreateNoWindow = true,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Utf8,
            StandardErrorEncoding = Utf8,
        };

        // Paths come back raw (not octal-escaped) so non-ASCII names survive.
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add("core.quotepath=off");
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var name in InheritedRepositoryVariables)
        {
            startInfo.Environment.Remove(name);
        }

        // The agent runs git in the same repository at the same time; a status that refreshed the
        // index would take index.lock and make the agent's own git commands fail.
        startInfo.Environment["GIT_OPTIONAL_LOCKS"] = "0";
        startInfo.Environment["GIT_TERMINAL_PROMPT"] = "0";

        // English messages: "not a git repository" is matched below, and must not be translated.
        startInfo.Environment["LC_ALL"] = "C";
        return startInfo;
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        catch (InvalidOperationException)
        {
            // Exited between the timeout and the kill: nothing left to stop.
        }
    }
}
