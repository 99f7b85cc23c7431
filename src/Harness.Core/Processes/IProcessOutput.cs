namespace Harness.Core.Processes;

/// <summary>
/// Where a child's stdout and stderr go: <see cref="OutputCollector"/> keeps them (git, health checks),
/// <see cref="LineStreamOutput"/> hands stdout on line by line as it arrives (agents). The runner starts
/// both readers right after the start, waits for them at most its drain bound once the child is gone,
/// then cancels <c>stop</c> and closes the pipes; a reader must keep what it got when that happens.
/// </summary>
internal interface IProcessOutput
{
    Task ReadStandardOutputAsync(Stream stdout, CancellationToken stop);

    Task ReadStandardErrorAsync(Stream stderr, CancellationToken stop);
}
