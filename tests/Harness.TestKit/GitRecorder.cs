namespace Harness.TestKit;

/// <summary>
/// A <c>git</c> that records each call and then runs the real one, for a PATH that puts it first:
/// what a test of "no git process" checks (issue 14). A POSIX shell script, so Linux and macOS only.
/// </summary>
public sealed class GitRecorder : IDisposable
{
    private readonly TempDirectory _folder = TempDirectory.Create("harness-git-recorder");

    public GitRecorder()
    {
        CallsFile = System.IO.Path.Combine(_folder.Path, "calls.log");
        var realGit = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator)
            .Select(d => System.IO.Path.Combine(d, "git"))
            .First(File.Exists);
        var script = _folder.Write("git", $"#!/bin/sh\necho \"$*\" >> '{CallsFile}'\nexec '{realGit}' \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public string CallsFile { get; }

    /// <summary>PATH with the recorder first.</summary>
    public string SearchPath => _folder.Path + System.IO.Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");

    /// <summary>The recorded calls, one argument line each; empty when git was never started.</summary>
    public IReadOnlyList<string> Calls => File.Exists(CallsFile) ? File.ReadAllLines(CallsFile) : [];

    public void Dispose() => _folder.Dispose();
}
