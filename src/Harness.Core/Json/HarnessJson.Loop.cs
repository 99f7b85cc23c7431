using System.Globalization;
using System.Text.Json;
using Harness.Core.Agents;
using Harness.Core.Loop;

namespace Harness.Core.Json;

/// <summary>The loop's JSON: one compact event per line for <c>harness loop --json</c>, and the result and plan objects.</summary>
public static partial class HarnessJson
{
    /// <summary>One line of the <c>--json</c> event stream (no line breaks inside).</summary>
    public static string SerializeLine(LoopEvent e) => Write(w => WriteLoopEvent(w, e), indented: false);

    public static string Serialize(LoopResult result) => Write(w => WriteLoopResult(w, result));

    public static string Serialize(LoopPlan plan) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("next_state", plan.Entry.NextState.ToString());
        w.WriteString("next_state_reason", plan.Entry.NextStateReason);
        w.WriteString("next_feature", plan.Entry.Features.NextFeature?.Id);
        w.WriteString("agent", plan.Agent);
        Strings(w, "agent_arguments", plan.AgentArguments);
        w.WriteString("prompt", plan.Prompt);
        w.WritePropertyName("entry");
        WriteEntryReport(w, plan.Entry);
        w.WriteEndObject();
    });

    private static void WriteLoopEvent(Utf8JsonWriter w, LoopEvent e)
    {
        w.WriteStartObject();
        w.WriteString("event", Snake(e.Kind.ToString()));
        w.WriteNumber("iteration", e.Iteration);
        w.WriteString("state", e.State?.ToString());
        w.WriteString("feature", e.FeatureId);
        w.WriteNumber("features_done", e.FeaturesDone);
        w.WriteNumber("features_total", e.FeaturesTotal);
        w.WriteNumber("cost_usd", e.CostSoFar);
        w.WriteString("message", e.Message);
        if (e.Wait is { } wait)
        {
            w.WriteNumber("wait_seconds", Math.Round(wait.TotalSeconds, 3));
        }

        if (e.AgentEvent is { } a)
        {
            w.WriteStartObject("agent");
            w.WriteString("kind", Snake(a.Kind.ToString()));
            w.WriteString("tool", a.ToolName);
            w.WriteString("text", a.Text is { Length: > 500 } t ? t[..500] : a.Text);
            if (a.Attempt is { } attempt)
            {
                w.WriteNumber("attempt", attempt);
            }

            if (a.ErrorStatus is { } status)
            {
                w.WriteNumber("error_status", status);
            }

            if (a.RateLimit is { } limit)
            {
                w.WriteString("rate_limit_status", limit.Status);
                w.WriteString("resets_at", limit.ResetsAt is { } r ? Time(r) : null);
            }

            w.WriteEndObject();
        }

        if (e.Session is { } session)
        {
            w.WritePropertyName("session");
            WriteLoopSession(w, session);
        }

        if (e.Result is { } result)
        {
            w.WritePropertyName("result");
            WriteLoopResult(w, result);
        }

        w.WriteEndObject();
    }

    private static void WriteLoopResult(Utf8JsonWriter w, LoopResult r)
    {
        w.WriteStartObject();
        w.WriteString("stop_reason", Snake(r.StopReason.ToString()));
        w.WriteString("message", r.Message);
        w.WriteBoolean("finished", r.Finished);
        w.WriteNumber("sessions_run", r.Sessions.Count);
        w.WriteNumber("total_cost_usd", r.TotalCostUsd);
        w.WriteNumber("total_tokens", r.TotalTokens);
        w.WriteNumber("duration_seconds", Math.Round(r.Duration.TotalSeconds, 3));
        w.WriteNumber("features_done", r.FeaturesDone);
        w.WriteNumber("features_total", r.FeaturesTotal);
        Strings(w, "blocked_features", r.BlockedFeatures);
        w.WriteStartArray("sessions");
        foreach (var s in r.Sessions)
        {
            WriteLoopSession(w, s);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteLoopSession(Utf8JsonWriter w, LoopSessionResult s)
    {
        w.WriteStartObject();
        w.WriteNumber("iteration", s.Iteration);
        w.WriteString("session_id", s.SessionId);
        w.WriteString("state", s.State.ToString());
        w.WriteString("feature", s.FeatureId);
        w.WriteString("outcome", Snake(s.Outcome.ToString()));
        w.WriteString("exit_reason", s.ExitReason);
        w.WriteNumber("retries", s.Retries);
        w.WriteNumber("cost_usd", s.CostUsd);
        w.WriteBoolean("cost_estimated", s.CostEstimated);
        w.WriteNumber("input_tokens", s.InputTokens);
        w.WriteNumber("output_tokens", s.OutputTokens);
        w.WriteNumber("turns", s.Turns);
        w.WriteNumber("duration_seconds", Math.Round(s.Duration.TotalSeconds, 3));
        w.WriteNumber("features_done_before", s.FeaturesDoneBefore);
        w.WriteNumber("features_done_after", s.FeaturesDoneAfter);
        w.WriteNumber("features_total", s.FeaturesTotal);
        w.WriteBoolean("advanced", s.Advanced);
        w.WriteString("health_after", s.HealthAfter.ToString());
        w.WriteString("blocked_feature", s.BlockedFeature);
        Strings(w, "integrity_violations", s.IntegrityViolations);
        w.WriteString("checkpoint_commit", s.CheckpointCommit);
        w.WriteString("summary", s.SummaryPath);
        w.WriteString("transcript", s.TranscriptPath);
        WriteDenials(w, s.PermissionDenials, s.Denials);
        w.WriteString("start_failure", s.StartFailure == AgentStartFailure.None ? null : Snake(s.StartFailure.ToString()));
        w.WriteString("stderr_tail", s.StandardErrorTail.Length == 0 ? null : s.StandardErrorTail);
        w.WriteString("result", s.ResultText);
        w.WriteEndObject();
    }

    /// <summary><c>permission_denials</c> (the count) and <c>denials</c> (<c>[{tool, target}]</c>), as a session result and a metrics line carry them.</summary>
    internal static void WriteDenials(Utf8JsonWriter w, int count, IReadOnlyList<PermissionDenial> denials)
    {
        w.WriteNumber("permission_denials", count);
        w.WriteStartArray("denials");
        foreach (var d in denials)
        {
            w.WriteStartObject();
            w.WriteString("tool", d.ToolName);
            w.WriteString("target", d.Target);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>PascalCase enum names as the snake_case the JSON uses elsewhere (SessionEnded → session_ended).</summary>
    private static string Snake(string name)
    {
        var s = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                s.Append('_');
            }

            s.Append(char.ToLower(name[i], CultureInfo.InvariantCulture));
        }

        return s.ToString();
    }
}
