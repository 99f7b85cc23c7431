namespace Harness.Core.Processes;

/// <summary>How a user's shell command string (health checks, test commands) is run on this OS.</summary>
internal static class PlatformShell
{
    /// <summary>
    /// Unix: <c>/bin/sh -c &lt;command&gt;</c>. Windows: <c>cmd.exe /d /s /c "&lt;command&gt;"</c>, where /d skips
    /// AutoRun macros that would make checks machine-dependent and /s strips exactly the outer quotes,
    /// leaving the user's own quoting intact.
    /// </summary>
    public static ProcessSpec ForCommand(string command, string workingDirectory, TimeSpan timeout)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        if (OperatingSystem.IsWindows())
        {
            return new ProcessSpec
            {
                FileName = System.Environment.GetEnvironmentVariable("ComSpec") ?? "cmd.exe",
                // Raw, because ArgumentList would escape inner quotes with backslashes, which cmd.exe does not understand.
                RawArguments = $"/d /s /c \"{command}\"",
                WorkingDirectory = workingDirectory,
                Timeout = timeout,
            };
        }
        return new ProcessSpec
        {
            FileName = "/bin/sh",
            Arguments = ["-c", command],
            WorkingDirectory = workingDirectory,
            Timeout = timeout,
        };
    }
}
