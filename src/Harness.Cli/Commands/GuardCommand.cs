using System.CommandLine;
using Harness.Core.Guard;

namespace Harness.Cli.Commands;

/// <summary><c>harness guard</c>: the Claude Code hook (PreToolUse and SessionStart). Reads the hook JSON on stdin.</summary>
internal static class GuardCommand
{
    public const string Name = "guard";

    /// <summary>Hook input larger than this is refused (fail closed) rather than read without bound.</summary>
    private const int MaxInputBytes = 16 * 1024 * 1024;

    public static Command Create()
    {
        var project = CommonOptions.Project();
        var command = new Command(Name, "Claude Code hook: reads the hook JSON on stdin; exit 0 allows, exit 2 blocks with the reason on stderr. SessionStart prints the session facts as context. See docs/guard.md.")
        {
            project,
        };
        command.SetAction(parse => Run(parse.GetValue(project)));
        return command;
    }

    /// <summary>The whole hook, synchronous and lean: it runs on every tool call of the agent.</summary>
    public static int Run(string? project)
    {
        GuardOutcome outcome;
        var input = ReadStdin(out var readError);
        if (input is null)
        {
            outcome = GuardOutcome.Blocked($"harness guard: blocked: stdin could not be read ({readError}). The guard fails closed.");
        }
        else
        {
            try
            {
                outcome = GuardRunner.Run(input, project);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                outcome = GuardOutcome.Blocked($"harness guard: blocked: {ex.Message}. The guard fails closed.");
            }
        }

        if (outcome.StdOut is not null)
        {
            using var stdout = Console.OpenStandardOutput();
            stdout.Write(System.Text.Encoding.UTF8.GetBytes(outcome.StdOut + "\n"));
        }

        if (outcome.StdErr is not null)
        {
            using var stderr = Console.OpenStandardError();
            stderr.Write(System.Text.Encoding.UTF8.GetBytes(outcome.StdErr + "\n"));
        }

        return outcome.ExitCode;
    }

    private static byte[]? ReadStdin(out string? error)
    {
        error = null;
        try
        {
            using var stdin = Console.OpenStandardInput();
            using var buffer = new MemoryStream();
            var chunk = new byte[16384];
            int n;
            while ((n = stdin.Read(chunk, 0, chunk.Length)) > 0)
            {
                buffer.Write(chunk, 0, n);
                if (buffer.Length > MaxInputBytes)
                {
                    error = $"more than {MaxInputBytes / (1024 * 1024)} MB of input";
                    return null;
                }
            }

            return buffer.ToArray();
        }
        catch (IOException ex)
        {
            error = ex.Message;
            return null;
        }
    }
}
