namespace Harness.Core.IO;

/// <summary>
/// Who holds a <see cref="ShortFileLock"/>, for the error when it cannot be had. The lock file
/// cannot be read while it is held (that is the lock), so the holder is asked of the system:
/// Linux lists flock holders in /proc/locks. Elsewhere the holder is not named. Error path only.
/// </summary>
internal static class FileLockHolder
{
    /// <summary>"this process (another thread)", "process 4242 (dotnet harness.dll features set …)", or null when unknown.</summary>
    public static string? Describe(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            var full = Path.GetFullPath(path);
            foreach (var line in File.ReadLines("/proc/locks"))
            {
                // "3: FLOCK  ADVISORY  WRITE 4242 08:01:1234567 0 EOF"; waiters' lines carry "->" and hold nothing.
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length > 4 && parts[1] == "FLOCK" && int.TryParse(parts[4], out var pid) && HasOpen(pid, full))
                {
                    return pid == Environment.ProcessId ? "this process (another thread)" : $"process {pid} ({CommandLine(pid)})";
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Naming the holder is a courtesy; the error names the file either way.
        }

        return null;
    }

    private static bool HasOpen(int pid, string path)
    {
        try
        {
            return Directory.EnumerateFiles($"/proc/{pid}/fd").Any(fd => new FileInfo(fd).LinkTarget == path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Another user's process, or one that ended meanwhile.
            return false;
        }
    }

    private static string CommandLine(int pid)
    {
        try
        {
            var command = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
            return command.Length <= 120 ? command : string.Concat(command.AsSpan(0, 117), "...");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "ended";
        }
    }
}
