using System.Diagnostics;

namespace Harness.TestKit;

/// <summary>
/// Makes a folder unwritable for the test process, and writable again on dispose. Tests often run
/// as root, whom permission bits do not stop, so on Linux the folder is made immutable
/// (<c>chattr +i</c>), which stops root too; elsewhere its mode becomes r-x.
/// </summary>
public sealed class ReadOnlyFolder : IDisposable
{
    private readonly string _path;
    private readonly bool _immutable;

    private ReadOnlyFolder(string path, bool immutable)
    {
        _path = path;
        _immutable = immutable;
    }

    /// <summary>Makes <paramref name="path"/> unwritable; throws when this machine cannot, so no test passes without checking.</summary>
    public static ReadOnlyFolder Create(string path) =>
        TryCreate(path) ?? throw new InvalidOperationException($"{path}: cannot make a folder unwritable for this process here (as root this needs chattr on Linux).");

    private static ReadOnlyFolder? TryCreate(string path)
    {
        Directory.CreateDirectory(path);
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        if (Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root")
        {
            if (!OperatingSystem.IsLinux() || Run("chattr", "+i", path) != 0)
            {
                return null;
            }

            return Probe(new ReadOnlyFolder(path, immutable: true));
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        return Probe(new ReadOnlyFolder(path, immutable: false));
    }

    public void Dispose()
    {
        if (_immutable)
        {
            Run("chattr", "-i", _path);
        }
        else if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>The folder really refuses a new file, or the machine cannot do this and the caller must know.</summary>
    private static ReadOnlyFolder? Probe(ReadOnlyFolder folder)
    {
        try
        {
            File.WriteAllText(Path.Combine(folder._path, ".probe"), "");
            File.Delete(Path.Combine(folder._path, ".probe"));
            folder.Dispose();
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return folder;
        }
    }

    private static int Run(string program, params string[] arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(program, arguments) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true })!;
            process.WaitForExit(10_000);
            return process.HasExited ? process.ExitCode : -1;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }
}
