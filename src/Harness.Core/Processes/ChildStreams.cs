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

    /// <summary>Waits for a reader or writer at most <paramref name="limit"/>; a grandchild holding the pipe must not hang the caller.</summary>
    public static async Task WaitBoundedAsync(Task task, TimeSpan limit)
    {
        try
        {
            await task.WaitAsync(limit).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Bounded on purpose; the caller goes on without it.
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The reader or writer ended badly; nothing more to get from it.
        }
    }
}
