namespace Harness.Core.State;

/// <summary>
/// <c>.claude/progress/state.json</c>. Fields are DESIGN.md's; fields this version does not
/// know are kept through a read-modify-write.
/// </summary>
public sealed class HarnessState
{
    /// <summary>Most transitions kept in <see cref="History"/>; older ones are dropped on write so the file stays small.</summary>
    public const int MaxHistory = 500;

    public SessionState State { get; set; } = SessionState.START;

    /// <summary>When <see cref="State"/> was entered.</summary>
    public DateTimeOffset? EnteredAt { get; set; }

    public HealthStatus HealthStatus { get; set; } = HealthStatus.UNKNOWN;

    /// <summary>True while a session runs; still true at entry means the last session crashed.</summary>
    public bool Dirty { get; set; }

    public int Iteration { get; set; }

    public string? SessionId { get; set; }

    public string? CurrentFeature { get; set; }

    public string? LastAction { get; set; }

    /// <summary>When the file was last written.</summary>
    public DateTimeOffset? Timestamp { get; set; }

    public DateTimeOffset? CheckpointAt { get; set; }

    /// <summary>When the entry protocol last ran (harness addition).</summary>
    public DateTimeOffset? LastEntryAt { get; set; }

    /// <summary>When the health status was last measured (harness addition).</summary>
    public DateTimeOffset? HealthCheckedAt { get; set; }

    public List<StateTransition> History { get; set; } = [];

    /// <summary>The file as read, so a write keeps the fields this version does not know.</summary>
    internal System.Text.Json.JsonElement? Source { get; set; }

    /// <summary>A fresh state as the seed creates it: START, with the given health.</summary>
    public static HarnessState CreateNew(DateTimeOffset now, HealthStatus health) => new()
    {
        State = SessionState.START,
        EnteredAt = now,
        HealthStatus = health,
        Timestamp = now,
    };

    /// <summary>
    /// Records an event that does not change the state (a crash found, a checkpoint restored) as a
    /// history entry from the current state to itself, with the reason.
    /// </summary>
    public void RecordEvent(string reason, DateTimeOffset at)
    {
        History.Add(new StateTransition(State, State, at, reason));
        if (History.Count > MaxHistory)
        {
            History.RemoveRange(0, History.Count - MaxHistory);
        }
    }

    /// <summary>Moves to <paramref name="to"/> and records why; does nothing when already there.</summary>
    public bool TransitionTo(SessionState to, string reason, DateTimeOffset at)
    {
        if (State == to)
        {
            return false;
        }

        History.Add(new StateTransition(State, to, at, reason));
        if (History.Count > MaxHistory)
        {
            History.RemoveRange(0, History.Count - MaxHistory);
        }

        State = to;
        EnteredAt = at;
        return true;
    }

    /// <summary>One line for people: what PowerShell shows for <c>"$x"</c> and what logs print.</summary>
    public override string ToString() => $"{State}, health {HealthStatus}{(Dirty ? ", dirty" : "")}, iteration {Iteration}{(CurrentFeature is null ? "" : ", feature " + CurrentFeature)}";
}

/// <summary>One entry of <c>history</c>: <c>{from, to, at, reason}</c>.</summary>
public sealed record StateTransition(SessionState From, SessionState To, DateTimeOffset At, string Reason);
