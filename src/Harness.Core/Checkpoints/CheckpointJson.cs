using System.Text.Encodings.Web;
using System.Text.Json;

namespace Harness.Core.Checkpoints;

/// <summary>checkpoint.json (the newest checkpoint) and the fronts' JSON for checkpoints, written field by field.</summary>
public static class CheckpointJson
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] ToBytes(Checkpoint checkpoint)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            Write(w, checkpoint);
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    public static void Write(Utf8JsonWriter w, Checkpoint c)
    {
        w.WriteStartObject();
        w.WriteString("name", c.Name);
        w.WriteString("ref", c.Ref);
        w.WriteString("commit", c.Commit);
        w.WriteBoolean("created_commit", c.CreatedCommit);
        w.WriteString("checkpoint_at", CheckpointStore.Iso(c.Time));
        w.WriteString("state", c.State?.ToString());
        w.WriteString("health_status", c.Health.ToString());
        w.WriteString("session_id", c.SessionId);
        w.WriteString("branch", c.Branch);
        w.WriteBoolean("detached", c.Detached);
        w.WriteStartObject("features");
        w.WriteNumber("total", c.FeaturesTotal);
        w.WriteNumber("done", c.FeaturesDone);
        w.WriteNumber("remaining", c.FeaturesRemaining);
        w.WriteNumber("blocked", c.FeaturesBlocked);
        w.WriteEndObject();
        w.WriteString("reason", c.Reason);
        w.WriteString("message", c.Message);
        w.WriteBoolean("harness_identity", c.UsedHarnessIdentity);
        w.WriteBoolean("last_good", c.IsLastGood);
        w.WriteEndObject();
    }
}
