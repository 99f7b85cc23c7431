using System.Diagnostics;
using System.Text;

namespace Harness.TestKit;

/// <summary>
/// Runs git for test fixtures with the developer's and the machine's git config shut out, so a
/// global <c>commit.gpgsign</c>, hook path or default branch cannot change what a test sees.
/// </summary>
internal static class IsolatedGit
{
    public const string AuthorName = "Harness Test";
    public const string AuthorEmail = "harness-test@example.invalid";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    // Set when the test runner itself runs inside a git hook; they would redirect git to another repository.
    private static readonly string[] InheritedRepositoryVariables =
    [
        "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY",
        "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_CEILING_DIRECTORIES", "GIT_NAMESPACE", "GIT_PREFIX",
    ];

    private static readonly string[] IdentityVariables =
        ["GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL"];

    /// <summary>Runs git and returns stdout; throws with stderr when git exits non-zero.</summary>
    public static string Run(string workingDirectory, bool withIdentity, IReadOnlyList<string> arguments, string? standardInput = null)
    {
        var (exitCode, stdout, stderr) = TryRun(workingDirectory, withIdentity, arguments, standardInput);
        if (exitCode != 0)
        {
            throw new InvalidOperationException(
                $"git {string.Join(' ', arguments)} exited with {exitCode} in {workingDirectory}: {stderr.Trim()}");
        }

        return stdout;
    }

    public static (int ExitCode, string StandardOutput, string StandardError) TryRun(
        string workingDirectory, bool withIdentity, IReadOnlyList<string> arguments, string? standardInput = null)
    {
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        var startInfo = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = utf8,
            StandardOutputEncoding = utf8,
            StandardErrorEncoding = utf8,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        ConfigureEnvironment(startInfo.Environment, withIdentity);

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException("git could not be started");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
        }

        process.StandardInput.Close();

        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"git {string.Join(' ', arguments)} did not finish within {Timeout}");
        }

        return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    private static void ConfigureEnvironment(IDictionary<string, string?> environment, bool withIdentity)
    {
        environment["GIT_CONFIG_GLOBAL"] = OperatingSystem.IsWindows() ? "NUL" : "/dev/null";
        environment["GIT_CONFIG_NOSYSTEM"] = "1";
        environment["GIT_TERMINAL_PROMPT"] = "0";
        environment["LC_ALL"] = "C";
        foreach (var name in InheritedRepositoryVariables)
        {
            environment.Remove(name);
        }

        foreach (var name in IdentityVariables)
        {
            environment.Remove(name);
        }

        if (withIdentity)
        {
            environment["GIT_AUTHOR_NAME"] = AuthorName;
            environment["GIT_AUTHOR_EMAIL"] = AuthorEmail;
            environment["GIT_COMMITTER_NAME"] = AuthorName;
            environment["GIT_COMMITTER_EMAIL"] = AuthorEmail;
        }
    }
}
