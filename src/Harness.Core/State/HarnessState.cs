using System.Text.Json;
using System.Text.Json.Serialization;
using Harness.Core.Json.Converters;

namespace Harness.Core.State;

/// <summary>
/// <c>.claude/progress/state.json</c>, field for field in file order (docs/formats.md); fields this
/// version does not know are kept through a read-modify-write, after the known ones.
/// </summary>
public sealed class HarnessState
{
    private List<StateTransition> _history = [];

    /// <summary>Most transitions kept in <see cref="History"/>; older ones are dropped on write so the file stays small.</summary>
    public const int MaxHistory = 500;

    public SessionState State { get; set; } = SessionState.START;

    /// <summary>When <see cref="State"/> was entered.</summary>
    [JsonConverter(typeof(UtcTimestampConverter))]
    public DateTimeOffset? EnteredAt { get; set; }

    public HealthStatus HealthStatus { get; set; } = HealthStatus.UNKNOWN;

    /// <summary>True while a session runs; still true at entry means the last session crashed.</summary>
    [JsonConverter(typeof(NullAsDefaultConverter<bool>))]
    public bool Dirty { get; set; }

    [JsonConverter(typeof(NullAsDefaultConverter<int>))]
    public int Iteration { get; set; }

    public string? SessionId { get; set; }

    public string? CurrentFeature { get; set; }

    public string? LastAction { get; set; }

    /// <summary>When the file was last written.</summary>
    [JsonConverter(typeof(UtcTimestampConverter))]
    public DateTimeOffset? Timestamp { get; set; }

    [JsonConverter(typeof(UtcTimestampConverter))]
    public DateTimeOffset? CheckpointAt { get; set; }

    /// <summary>When the entry protocol last ran (harness addition).</summary>
    [JsonConverter(typeof(UtcTimestampConverter))]
    public DateTimeOffset? LastEntryAt { get; set; }

    /// <summary>When the health status was last measured (harness addition).</summary>
    [JsonConverter(typeof(UtcTimestampConverter))]
    public DateTimeOffset? HealthCheckedAt { get; set; }

    /// <summary>Oldest first; <c>"history": null</c> reads as none.</summary>
    public List<StateTransition> History
    {
        get => _history;
        set => _history = value ?? [];
    }

    /// <summary>Fields of the file this version does not know (and the agent's <c>decisions</c>, <c>blockers</c>), as read.</summary>
    [JsonExtensionData]
    [JsonInclude]
    internal Dictionary<string, JsonElement>? UnknownFields { get; set; }

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

/// <summary>One entry of <c>history</c>: <c>{from, to, at, reason}</c>; a missing reason reads as empty.</summary>
public sealed record StateTransition(SessionState From, SessionState To, [property: JsonConverter(typeof(UtcTimestampConverter))] DateTimeOffset At, string Reason)
{
    public string Reason { get; init; } = Reason ?? "";
}
