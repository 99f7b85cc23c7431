using System.Diagnostics;

namespace Harness.Cli.Tests;

/// <summary>Runs the real built <c>harness</c> (harness.dll copied next to the tests) as a child process.</summary>
internal static class CliRunner
{
    private static readonly string HarnessDll = Path.Combine(AppContext.BaseDirectory, "harness.dll");

    // CI systems' variables must not change what the CLI prints in tests.
    private static readonly string[] ScrubbedVariables = ["CI", "GITHUB_ACTIONS", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "TF_BUILD"];

    public sealed record Result(int ExitCode, string StdOut, string StdErr, TimeSpan Elapsed);

    public static Result Run(string workingDirectory, params string[] args) => Start(workingDirectory, args).WaitAndCollect();

    /// <summary>Runs with extra environment variables (null removes one), set after the CI variables are scrubbed.</summary>
    public static Result Run(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] args) => Start(workingDirectory, environment, args).WaitAndCollect();

    public static RunningCli Start(string workingDirectory, params string[] args) => Start(workingDirectory, new Dictionary<string, string?>(), args);

    public static RunningCli Start(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(HarnessDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var name in ScrubbedVariables)
        {
            info.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        var stopwatch = Stopwatch.StartNew();
        var process = Process.Start(info)!;
        process.StandardInput.Close();
        return new RunningCli(process, stopwatch);
    }

    internal sealed class RunningCli(Process process, Stopwatch stopwatch)
    {
        private readonly Task<string> _out = process.StandardOutput.ReadToEndAsync();
        private readonly Task<string> _err = process.StandardError.ReadToEndAsync();

        public int ProcessId => process.Id;

        /// <summary>Sends a POSIX signal (INT, TERM) to the CLI, as Ctrl+C or a CI runner's cancel would.</summary>
        public void Signal(string name)
        {
            using var kill = Process.Start(new ProcessStartInfo("kill", $"-{name} {process.Id}") { UseShellExecute = false })!;
            kill.WaitForExit();
        }

        public Result WaitAndCollect()
        {
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("harness did not exit within 2 minutes");
            }

            var result = new Result(process.ExitCode, _out.Result, _err.Result, stopwatch.Elapsed);
            process.Dispose();
            return result;
        }
    }
}
