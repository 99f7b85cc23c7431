using System.Globalization;
using Harness.Core.Errors;
using Harness.Core.Project;

namespace Harness.Core.State;

/// <summary>
/// The single-writer lock, <c>.claude/progress/harness.lock</c>: one harness at a time changes a
/// project. The file names its holder (pid, host, start time) so a second harness can say who
/// holds it, and so the lock of a process that died can be taken over. There is no re-entrancy:
/// the handle is owned by one <see cref="HarnessProject"/> and passed down explicitly, so a second
/// opener in the same process (a thread job, another runspace, a second MSBuild task) is refused
/// exactly like another process.
/// </summary>
internal sealed class HarnessLock : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly string _path;
    private bool _disposed;

    private HarnessLock(string path, LockInfo info)
    {
        _path = path;
        Info = info;
    }

    public LockInfo Info { get; }

    /// <summary>
    /// Takes the lock, waiting up to <paramref name="wait"/> for a live holder to release it (a
    /// short command such as another <c>features set</c>), or throws <see cref="HarnessException"/>
    /// (<see cref="ErrorIds.LockHeld"/>) naming the holder. A lock left by a dead process on this host is taken over.
    /// </summary>
    internal static async Task<HarnessLock> AcquireAsync(ProjectLayout layout, string purpose, TimeSpan wait, CancellationToken cancellationToken)
    {
        var path = layout.LockFile;
        var deadline = DateTimeOffset.UtcNow + wait;
        CreateProgressDirectory(layout);
        var takeovers = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var info = LockInfo.ForCurrentProcess(purpose);
            if (TryCreate(path, info))
            {
                return new HarnessLock(path, info);
            }

            var existing = ReadHolder(path);
            if (existing is null)
            {
                // Vanished between our create and read: its holder just released it.
                continue;
            }

            if (!existing.IsAlive())
            {
                if (++takeovers > 5)
                {
                    throw new HarnessException(ErrorIds.LockHeld, HarnessErrorCategory.ResourceBusy, $"{path}: could not take the harness lock; other processes keep taking it. Try again.") { FilePath = path };
                }

                TakeOverStale(path, existing);
                continue;
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                throw HeldError(path, existing);
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
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
        catch (UnauthorizedAccessException)
        {
        }
    }

    internal static HarnessException HeldError(string path, LockInfo holder)
    {
        var since = Json.Timestamps.Display(holder.StartedAt);
        var what = string.IsNullOrEmpty(holder.Purpose) ? "" : $" ({holder.Purpose})";
        var who = holder.IsCurrentProcess ? $"this process (pid {holder.Pid}) already has the project open" : $"another harness is running (pid {holder.Pid} on {holder.Host} since {since})";
        return new HarnessException(
            ErrorIds.LockHeld,
            HarnessErrorCategory.ResourceBusy,
            $"{who}{what}. Wait for it to finish, or stop it; if that process is gone, delete {path}.")
        {
            FilePath = path,
            Fix = $"Wait for pid {holder.Pid} to finish, or delete {path} if that process no longer exists.",
        };
    }

    private static void CreateProgressDirectory(ProjectLayout layout)
    {
        try
        {
            Directory.CreateDirectory(layout.ProgressDirectory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw IO.FileErrors.CannotWrite(layout.ProgressDirectory, ex);
        }
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
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw IO.FileErrors.CannotWrite(path, ex);
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
        if (IO.FileBytes.ReadIfExists(path) is not { } bytes)
        {
            return null;
        }

        return LockInfo.Parse(bytes) ?? LockInfo.Unreadable(File.GetLastWriteTimeUtc(path));
    }
}
