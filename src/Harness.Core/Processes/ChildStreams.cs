namespace Harness.Core.Processes;

/// <summary>Stream chores every child process shares (health checks, git, agents): stdin that cannot block, waits that cannot hang.</summary>
internal static class ChildStreams
{
    /// <summary>
    /// Writes <paramref name="text"/> (if any) and closes stdin. Run in the background: a child that
    /// never reads stdin must not block the caller on a full pipe, and one that exits early is its own business.
    /// </summary>
    public static async Task WriteStandardInputAsync(StreamWriter stdin, string? text)
    {
        try
        {
            if (!string.IsNullOrEmpty(text))
            {
                await stdin.WriteAsync(text).ConfigureAwait(false);
                await stdin.FlushAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The child exited without reading all of it.
        }
        finally
        {
            try
            {
                stdin.Close();
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                // Closing flushes; a broken pipe here means the same as above.
            }
        }
    }

    /// <summary>
    /// Waits for a reader, writer or exit at most <paramref name="limit"/>; a grandchild holding the pipe
    /// must not hang the caller. True when the task ended in time, however it ended (the caller looks
    /// at the task itself if that matters).
    /// </summary>
    public static async Task<bool> WaitBoundedAsync(Task task, TimeSpan limit)
    {
        try
        {
            await task.WaitAsync(limit).ConfigureAwait(false);
            return true;
        }
        catch (Exception) when (task.IsCompleted)
        {
            return true;
        }
        catch (TimeoutException)
        {
            // Bounded on purpose; the caller goes on without it.
            return false;
        }
    }
}
