namespace Harness.Core.Tests;

/// <summary>
/// Real time plus every wait skipped: a timer fires at once and moves the clock on by its due time,
/// so a loop that waits out an hour-long outage runs in milliseconds and still sees the hour pass.
/// Records each wait. Periodic timers are not supported (the loop uses none); autosave must be off
/// (<c>CheckpointInterval = 0</c>), or its timer would spin.
/// </summary>
internal sealed class SkippingClock : TimeProvider
{
    private readonly object _gate = new();
    private readonly List<TimeSpan> _waits = [];
    private TimeSpan _skipped;

    public IReadOnlyList<TimeSpan> Waits
    {
        get
        {
            lock (_gate) return _waits.ToList();
        }
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate) return DateTimeOffset.UtcNow + _skipped;
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (period != Timeout.InfiniteTimeSpan && period != TimeSpan.Zero)
        {
            throw new NotSupportedException("SkippingClock: periodic timers are not supported");
        }

        if (dueTime == Timeout.InfiniteTimeSpan)
        {
            return new FiredTimer();
        }

        lock (_gate)
        {
            _skipped += dueTime;
            _waits.Add(dueTime);
        }

        ThreadPool.QueueUserWorkItem(_ => callback(state));
        return new FiredTimer();
    }

    private sealed class FiredTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => false;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
