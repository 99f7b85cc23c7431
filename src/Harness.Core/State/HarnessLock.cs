using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Harness.Core.Errors;
using Harness.Core.Project;

namespace Harness.Core.State;

/// <summary>
/// The single-writer lock, <c>.claude/progress/harness.lock</c>: one harness at a time changes a
/// project. The file names its holder (pid, host, start time) so a second harness can say who
/// holds it, and so the lock of a process that died can be taken over.
/// </summary>
public sealed class HarnessLock : IDisposable
{
    // Re-entrancy within one process: the loop holds the lock and calls the entry, which takes it again.
    private static readonly ConcurrentDictionary<string, Holder> HeldByThisProcess = new(StringComparer.Ordinal);

    private readonly string _path;
    private bool _disposed;

    private HarnessLock(string path, LockInfo info)
    {
        _path = path;
        Info = info;
    }

    public LockInfo Info { get; }

    /// <summary>
    /// Takes the lock or throws <see cref="HarnessException"/> (<see cref="ErrorIds.LockHeld"/>)
    /// naming the live holder. A lock left by a dead process on this host is taken over.
    /// </summary>
    public static HarnessLock Acquire(ProjectLayout layout, string purpose)
    {
        var path = layout.LockFile;
        lock (HeldByThisProcess)
        {
            if (HeldByThisProcess.TryGetValue(path, out var held))
            {
                held.Count++;
                return new HarnessLock(path, held.Info);
            }

            Directory.CreateDirectory(layout.ProgressDirectory);
            var info = LockInfo.ForCurrentProcess(purpose);
            for (var attempt = 0; attempt < 5; attempt++)
            {
                if (TryCreate(path, info))
                {
                    HeldByThisProcess[path] = new Holder(info);
                    return new HarnessLock(path, info);
                }

                var existing = ReadHolder(path);
                if (existing is null)
                {
                    // Vanished between our create and read: its holder just released it. Try again.
                    continue;
                }

                if (existing.IsAlive())
                {
                    throw HeldError(path, existing);
                }

                TakeOverStale(path, existing);
            }

            throw new HarnessException(ErrorIds.LockHeld, HarnessErrorCategory.ResourceBusy, $"{path}: could not take the harness lock; other processes keep taking it. Try again.") { FilePath = path };
        }
    }

    /// <summary>Who holds the lock now, or null when nobody does (or the holder is dead).</summary>
    public static LockInfo? CurrentHolder(ProjectLayout layout)
    {
        var holder = ReadHolder(layout.LockFile);
        return holder is not null && holder.IsAlive() ? holder : null;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        lock (HeldByThisProcess)
        {
            if (!HeldByThisProcess.TryGetValue(_path, out var held) || --held.Count > 0)
            {
                return;
            }

            HeldByThisProcess.TryRemove(_path, out _);
            try
            {
                // Only remove a file that is still ours: a stale-lock takeover may have replaced it.
                if (ReadHolder(_path) is { } onDisk && onDisk.SameHolder(Info))
                {
                    File.Delete(_path);
                }
            }
            catch (IOException)
            {
            }
        }
    }

    internal static HarnessException HeldError(string path, LockInfo holder)
    {
        var since = Json.Timestamps.Display(holder.StartedAt);
        var what = string.IsNullOrEmpty(holder.Purpose) ? "" : $" ({holder.Purpose})";
        return new HarnessException(
            ErrorIds.LockHeld,
            HarnessErrorCategory.ResourceBusy,
            $"another harness is running (pid {holder.Pid} on {holder.Host} since {since}){what}. Wait for it to finish, or stop it; if that process is gone, delete {path}.")
        {
            FilePath = path,
            Fix = $"Wait for pid {holder.Pid} to finish, or delete {path} if that process no longer exists.",
        };
    }

    private static bool TryCreate(string path, LockInfo info)
    {
        try
        {
            // CreateNew is atomic (O_EXCL): of two harnesses racing here, exactly one wins.
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
            stream.Write(info.ToBytes());
            stream.Flush(flushToDisk: true);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
    }

    private static void TakeOverStale(string path, LockInfo stale)
    {
        // Rename rather than delete: if two harnesses both see the stale lock, only one rename
        // succeeds, and the loser's next CreateNew attempt sees the winner's fresh lock.
        var aside = $"{path}.stale-{stale.Pid}-{Guid.NewGuid():N}";
        try
        {
            File.Move(path, aside);
            File.Delete(aside);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static LockInfo? ReadHolder(string path)
    {
        // No lock is the common case (every dry run asks): a stat is far cheaper than an exception.
        if (!File.Exists(path))
        {
            return null;
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }

        return LockInfo.Parse(bytes) ?? LockInfo.Unreadable(File.GetLastWriteTimeUtc(path));
    }

    private sealed class Holder(LockInfo info)
    {
        public LockInfo Info { get; } = info;

        public int Count { get; set; } = 1;
    }
}
