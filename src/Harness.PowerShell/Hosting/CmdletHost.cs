using System.Collections.Concurrent;
using System.Management.Automation;
using Harness.Core.Hosting;

namespace Harness.PowerShell.Hosting;

/// <summary>
/// The cmdlets' <see cref="IHarnessHost"/>. PowerShell lets a cmdlet write only from its pipeline
/// thread, while Core's async work calls the host from pool threads: messages from other threads
/// are queued and written by <see cref="Run{T}"/>, which pumps them on the pipeline thread.
/// </summary>
internal sealed class CmdletHost : IHarnessHost
{
    private readonly Cmdlet _cmdlet;
    private readonly int _pipelineThread = Environment.CurrentManagedThreadId;
    private BlockingCollection<(bool Warning, string Message)>? _queue;

    public CmdletHost(Cmdlet cmdlet)
    {
        _cmdlet = cmdlet;
    }

    public void WriteVerbose(string message) => Post(false, message);

    public void WriteWarning(string message) => Post(true, message);

    /// <summary>Runs <paramref name="work"/> off the pipeline thread, writing its host messages here as they come.</summary>
    public T Run<T>(Func<Task<T>> work)
    {
        using var queue = new BlockingCollection<(bool, string)>();
        _queue = queue;
        try
        {
            var task = Task.Run(work);
            _ = task.ContinueWith(_ => queue.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            foreach (var (warning, message) in queue.GetConsumingEnumerable())
            {
                Write(warning, message);
            }

            return task.GetAwaiter().GetResult();
        }
        finally
        {
            _queue = null;
        }
    }

    private void Post(bool warning, string message)
    {
        if (Environment.CurrentManagedThreadId == _pipelineThread)
        {
            Write(warning, message);
            return;
        }

        try
        {
            _queue?.Add((warning, message));
        }
        catch (InvalidOperationException)
        {
            // The work finished and the pump stopped (or the queue is gone); nothing is left to show it.
        }
    }

    private void Write(bool warning, string message)
    {
        if (warning)
        {
            _cmdlet.WriteWarning(message);
        }
        else
        {
            _cmdlet.WriteVerbose(message);
        }
    }
}
