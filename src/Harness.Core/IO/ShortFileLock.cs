using Harness.Core.Errors;

namespace Harness.Core.IO;

/// <summary>
/// An exclusive lock on one file, held for the milliseconds of an append or a read-modify-write,
/// never across a session. The file is opened with <see cref="FileShare.None"/>: flock(LOCK_EX) on
/// Unix, a sharing lock on Windows. Both exclude other processes and other handles of this process
/// alike, and both end with the process, so a crash never leaves a stale lock behind. A busy file
/// is retried until the patience runs out; then the error names the file and, where the system
/// tells, the holder.
/// </summary>
internal sealed class ShortFileLock : IDisposable
{
    // Windows: ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION. Unix: the flock's EWOULDBLOCK errno
    // (11 on Linux, 35 on macOS), which .NET reports as the HResult.
    private static readonly int[] BusyResults = [unchecked((int)0x80070020), unchecked((int)0x80070021), 11, 35];

    private ShortFileLock(FileStream stream) => Stream = stream;

    /// <summary>The locked file, open for reading and writing at position 0 (an append writes through it; a sidecar lock file is only held).</summary>
    public FileStream Stream { get; }

    /// <summary>
    /// Opens (creating when missing) and locks <paramref name="path"/>, waiting while another holder has it.
    /// </summary>
    /// <param name="path">The file to lock: the data itself, or a sidecar that stands for it.</param>
    /// <param name="patience">How long to wait for another holder before giving up.</param>
    /// <param name="purpose">What the lock is for, completing "cannot …" in the error (e.g. "update the feature list X").</param>
    /// <exception cref="HarnessException"><see cref="ErrorIds.LockHeld"/> when the file stays locked for <paramref name="patience"/>.</exception>
    /// <exception cref="IOException">Any other failure to open the file (missing folder, read-only file system): the caller words it.</exception>
    /// <exception cref="UnauthorizedAccessException">No permission to open or create the file.</exception>
    public static ShortFileLock Acquire(string path, TimeSpan patience, string purpose)
    {
        var deadline = Environment.TickCount64 + (long)patience.TotalMilliseconds;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new ShortFileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0));
            }
            catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException && BusyResults.Contains(ex.HResult))
            {
                if (Environment.TickCount64 >= deadline)
                {
                    var holder = FileLockHolder.Describe(path) ?? "another process or thread";
                    throw new HarnessException(ErrorIds.LockHeld, HarnessErrorCategory.ResourceBusy,
                        $"{path}: locked by {holder} for more than {patience.TotalSeconds:0.#} s; cannot {purpose}.", ex)
                    {
                        FilePath = path,
                        Fix = "The lock is held only while a file is written: wait for that process to finish and try again, or end it if it hangs.",
                    };
                }

                // Holders need a few milliseconds (a 10,000-feature list: tens); back off a little each time, at most 20 ms.
                Thread.Sleep(Math.Min(1 + attempt, 20));
            }
        }
    }

    public void Dispose() => Stream.Dispose();
}
