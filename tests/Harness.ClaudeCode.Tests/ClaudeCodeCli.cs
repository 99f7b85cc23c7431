using System.Diagnostics;
using System.Reflection;

namespace Harness.ClaudeCode.Tests;

/// <summary>
/// The pinned Claude Code CLI, installed once per test run by <c>claude-code/install.sh</c> (the same
/// script .ci/run runs first): npm into the git-ignored <c>claude-code/node_modules</c>.
/// </summary>
internal static class ClaudeCodeCli
{
    private static readonly Lazy<(string? Path, string? SkipReason, string? Error)> Installed = new(Install);

    public static string Folder { get; } = typeof(ClaudeCodeCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "ClaudeCodeFolder").Value!;

    /// <summary>Null when the CLI is there (or failed to install: the test fails then); else why the tier is skipped.</summary>
    public static string? SkipReason => Installed.Value.SkipReason;

    /// <summary>The <c>claude</c> executable; throws with install.sh's words when it could not be installed.</summary>
    public static string Executable => Installed.Value.Path ?? throw new InvalidOperationException(Installed.Value.Error ?? Installed.Value.SkipReason);

    /// <summary>The folder holding <c>claude</c>, for a PATH that finds it as <c>npm install -g</c> would.</summary>
    public static string BinFolder => System.IO.Path.GetDirectoryName(Executable)!;

    private static (string?, string?, string?) Install()
    {
        if (OperatingSystem.IsWindows())
        {
            return (null, "the real-CLI tier runs on Linux and macOS (hooks run through /bin/sh)", null);
        }

        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(System.IO.Path.Combine(Folder, "install.sh"));
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(16)))
        {
            process.Kill(entireProcessTree: true);
            return (null, null, "claude-code/install.sh did not finish in 16 minutes");
        }

        var line = (stdout.Result.Trim() + " " + stderr.Result.Trim()).Trim();
        return process.ExitCode switch
        {
            0 => (System.IO.Path.Combine(Folder, "node_modules", ".bin", "claude"), null, null),
            3 => (null, line, null),
            _ => (null, null, $"claude-code/install.sh failed (exit {process.ExitCode}): {line}"),
        };
    }
}

/// <summary>A test of the real Claude Code CLI: skipped, with install.sh's one-line reason, only where npm or its registry is unreachable.</summary>
public sealed class ClaudeCodeFactAttribute : FactAttribute
{
    public ClaudeCodeFactAttribute()
    {
        if (ClaudeCodeCli.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
