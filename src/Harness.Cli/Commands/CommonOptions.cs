using System.CommandLine;
using Harness.Core.Errors;
using Harness.Core.Hosting;
using Harness.Core.Project;

namespace Harness.Cli.Commands;

/// <summary>Options every command shares, and the one place a Core error becomes exit code 1.</summary>
internal static class CommonOptions
{
    public static Option<string?> Project() => new("--project", "-p")
    {
        Description = "The project folder (default: the current directory; the root is found upwards from it).",
        HelpName = "DIR",
    };

    public static Option<bool> Json() => new("--json")
    {
        Description = "Print JSON instead of text.",
    };

    public static Option<bool> Verbose() => new("--verbose", "-v")
    {
        Description = "Show what the harness does, step by step (on stderr).",
    };

    /// <summary>Opens the project the --project option names (default: the current directory).</summary>
    public static HarnessProject Open(string? project, IHarnessHost? host = null) =>
        HarnessProject.OpenAsync(project, host).GetAwaiter().GetResult();

    /// <summary>Runs a command body; a <see cref="HarnessException"/> prints its message on stderr and exits 1.</summary>
    public static async Task<int> RunAsync(Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (HarnessException ex)
        {
            await Console.Error.WriteLineAsync($"harness: error {ex.ErrorId}: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.InputError;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Core names the file for every write it knows of; this catches a read or a folder it did not expect.
            await Console.Error.WriteLineAsync($"harness: error {ErrorIds.IoFailed}: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.InputError;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("harness: cancelled").ConfigureAwait(false);
            return 130;
        }
    }

    public static int Run(Func<int> body) => RunAsync(() => Task.FromResult(body())).GetAwaiter().GetResult();
}
