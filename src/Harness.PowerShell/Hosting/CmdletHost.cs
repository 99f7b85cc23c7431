using System.Collections.Concurrent;
using System.Management.Automation;
using System.Runtime.ExceptionServices;
using Harness.Core.Hosting;

namespace Harness.PowerShell.Hosting;

/// <summary>
/// The cmdlets' <see cref="IHarnessHost"/>. PowerShell lets a cmdlet write only from its pipeline
/// thread, while Core's async work calls the host (and the loop's event callback) from pool
/// threads: whatever other threads want written is queued and run by <see cref="Run{T}"/>, which
/// pumps the queue on the pipeline thread until the work has finished.
/// </summary>
internal sealed class CmdletHost : IHarnessHost
{
    private readonly Cmdlet _cmdlet;
    private readonly CancellationTokenSource _stop;
    private readonly int _pipelineThread = Environment.CurrentManagedThreadId;
    private BlockingCollection<Action>? _queue;

    /// <param name="cmdlet">The cmdlet whose pipeline thread writes.</param>
    /// <param name="stop">The work's cancellation: cancelled here when a write finds the pipeline stopped.</param>
    public CmdletHost(Cmdlet cmdlet, CancellationTokenSource stop)
    {
        _cmdlet = cmdlet;
        _stop = stop;
    }

    public void WriteVerbose(string message) => Post(() => _cmdlet.WriteVerbose(message));

    public void WriteWarning(string message) => Post(() => _cmdlet.WriteWarning(message));

    /// <summary>
    /// Runs <paramref name="work"/> off the pipeline thread, running what it posts here as it comes.
    /// When a write finds the pipeline stopped (a downstream <c>Select-Object -First</c>, which
    /// calls no StopProcessing; or Ctrl+C, which did) the work is cancelled at once, then still
    /// waited for: Core needs the time to kill its processes and hand off. The stop is rethrown after.
    /// </summary>
    public T Run<T>(Func<Task<T>> work)
    {
        using var queue = new BlockingCollection<Action>();
        _queue = queue;
        ExceptionDispatchInfo? stopped = null;
        try
        {
            var task = Task.Run(work);
            _ = task.ContinueWith(_ => queue.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            foreach (var action in queue.GetConsumingEnumerable())
            {
                if (stopped is not null)
                {
                    continue;
                }

                try
                {
                    action();
                }
                catch (PipelineStoppedException ex)
                {
                    stopped = ExceptionDispatchInfo.Capture(ex);
                    _stop.Cancel();
                }
            }

            T result;
            try
            {
                result = task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // Core gave up because the pipeline stopped: that is the outcome, not an error.
                stopped?.Throw();
                throw new PipelineStoppedException();
            }

            stopped?.Throw();
            return result;
        }
        finally
        {
            _queue = null;
        }
    }

    /// <summary>Runs <paramref name="action"/> on the pipeline thread: now when called there, else by the pump of <see cref="Run{T}"/>.</summary>
    public void Post(Action action)
    {
        if (Environment.CurrentManagedThreadId == _pipelineThread)
        {
            action();
            return;
        }

        try
        {
            _queue?.Add(action);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
        {
            // The work finished and the pump stopped (or the queue is gone); nothing is left to show it.
        }
    }
}
