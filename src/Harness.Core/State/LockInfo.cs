using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Harness.Core.State;

/// <summary>What harness.lock says about its holder.</summary>
public sealed record LockInfo(int Pid, string Host, DateTimeOffset StartedAt, string Purpose)
{
    /// <summary>A lock this old whose content cannot be read is considered abandoned.</summary>
    private static readonly TimeSpan UnreadableGrace = TimeSpan.FromSeconds(10);

    internal static LockInfo ForCurrentProcess(string purpose) =>
        new(Environment.ProcessId, Environment.MachineName, DateTimeOffset.UtcNow, purpose);

    internal static LockInfo Unreadable(DateTime writtenUtc) =>
        new(0, "", new DateTimeOffset(writtenUtc, TimeSpan.Zero), "unreadable lock file");

    /// <summary>
    /// Whether the holder still runs. A holder on another host cannot be checked and counts as
    /// alive; a pid now used by a process that started after the lock was written is not the holder.
    /// </summary>
    public bool IsAlive()
    {
        if (Pid == 0)
        {
            // Half-written or garbage: give a writer a moment, then treat it as abandoned.
            return DateTimeOffset.UtcNow - StartedAt < UnreadableGrace;
        }

        if (!string.Equals(Host, Environment.MachineName, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        try
        {
            using var process = Process.GetProcessById(Pid);
            if (process.HasExited)
            {
                return false;
            }

            var started = new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero);
            return started <= StartedAt + TimeSpan.FromSeconds(5);
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Exists but we may not inspect it: assume it is the holder.
            return true;
        }
    }

    /// <summary>True when the lock was written by this very process.</summary>
    public bool IsCurrentProcess =>
        Pid == Environment.ProcessId && string.Equals(Host, Environment.MachineName, StringComparison.OrdinalIgnoreCase);

    internal bool SameHolder(LockInfo other) =>
        Pid == other.Pid && Host == other.Host && StartedAt == other.StartedAt;

    internal byte[] ToBytes()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("pid", Pid);
            w.WriteString("host", Host);
            w.WriteString("started_at", StartedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            w.WriteString("purpose", Purpose);
            w.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    internal static LockInfo? Parse(byte[] bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes);
            var o = document.RootElement;
            if (o.ValueKind == JsonValueKind.Object &&
                o.TryGetProperty("pid", out var pid) && pid.TryGetInt32(out var pidValue) &&
                o.TryGetProperty("host", out var host) && host.ValueKind == JsonValueKind.String &&
                o.TryGetProperty("started_at", out var started) && started.ValueKind == JsonValueKind.String &&
                DateTimeOffset.TryParse(started.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var startedAt))
            {
                var purpose = o.TryGetProperty("purpose", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()! : "";
                return new LockInfo(pidValue, host.GetString()!, startedAt, purpose);
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }
}
