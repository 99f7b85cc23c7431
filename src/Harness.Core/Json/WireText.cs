using Harness.Core.Agents;
using Harness.Core.Entry;
using Harness.Core.Features;
using Harness.Core.Health;
using Harness.Core.Json.Converters;
using Harness.Core.Loop;
using Harness.Core.State;

namespace Harness.Core.Json;

/// <summary>
/// How each enum is spelled on the wire, in one table: the seed's values as declared (<c>START</c>,
/// <c>HEALTHY</c>, <c>TIMED_OUT</c>, and the feature list's <c>Seed</c>), everything else in
/// snake_case by the one naming policy (<c>session_ended</c>, <c>timed_out</c>). The output contracts
/// carry this text rather than the enum: every value type a contract uses costs the framework-dependent
/// CLI some sixty JIT compilations at start-up, and the entry report alone would use eleven enums.
/// </summary>
internal static class WireText
{
    public static string Of(SessionState value) => EnumNames<SessionState>.Declared.Of(value);

    public static string? Of(SessionState? value) => value is { } v ? Of(v) : null;

    public static string Of(HealthStatus value) => EnumNames<HealthStatus>.Declared.Of(value);

    public static string Of(HealthOutcome value) => EnumNames<HealthOutcome>.Declared.Of(value);

    public static string Of(FeatureListStatus value) => EnumNames<FeatureListStatus>.Declared.Of(value);

    public static string Of(SessionType value) => EnumNames<SessionType>.Declared.Of(value);

    public static string? Of(FeatureListFormat? value) => value is { } v ? EnumNames<FeatureListFormat>.Declared.Of(v) : null;

    public static string Of(CrashPolicy value) => EnumNames<CrashPolicy>.SnakeCase.Of(value);

    public static string Of(LoopEventKind value) => EnumNames<LoopEventKind>.SnakeCase.Of(value);

    public static string Of(LoopStopReason value) => EnumNames<LoopStopReason>.SnakeCase.Of(value);

    public static string Of(AgentEventKind value) => EnumNames<AgentEventKind>.SnakeCase.Of(value);

    /// <summary>An agent outcome, also the loop's exit reason: <c>timed_out</c>, <c>crashed</c>, ...</summary>
    public static string Of(AgentOutcome value) => EnumNames<AgentOutcome>.SnakeCase.Of(value);

    /// <summary>Why an agent never got to work (<c>could_not_start</c>, ...); null when it did start.</summary>
    public static string? Of(AgentStartFailure value) => value == AgentStartFailure.None ? null : EnumNames<AgentStartFailure>.SnakeCase.Of(value);

    public static string Of(DateTimeOffset value) => Timestamps.Utc(value);

    public static string? Of(DateTimeOffset? value) => value is { } v ? Timestamps.Utc(v) : null;

    /// <summary>An exit reason read from a file, in today's spelling: the loop wrote <c>timeout</c> and <c>crash</c> before.</summary>
    public static string ExitReason(string reason) => reason switch
    {
        "timeout" => Of(AgentOutcome.TimedOut),
        "crash" => Of(AgentOutcome.Crashed),
        _ => reason,
    };
}
