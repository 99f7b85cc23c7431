using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Harness.Core.Json;
using Harness.Core.Json.Converters;

namespace Harness.Core.State;

/// <summary>What harness.lock says about its holder: <c>{pid, host, started_at, purpose}</c>.</summary>
internal sealed record LockInfo(
    [property: JsonRequired] int Pid,
    [property: JsonRequired] string Host,
    [property: JsonRequired, JsonConverter(typeof(UtcTimestampConverter))] DateTimeOffset StartedAt,
    string Purpose)
{
    /// <summary>A lock this old whose content cannot be read is considered abandoned.</summary>
    private static readonly TimeSpan UnreadableGrace = TimeSpan.FromSeconds(10);

    /// <summary>The start time is whole milliseconds, as the file holds it, so the holder read back is the same holder.</summary>
    internal static LockInfo ForCurrentProcess(string purpose)
    {
        var now = DateTimeOffset.UtcNow;
        return new(Environment.ProcessId, Environment.MachineName, now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond)), purpose);
    }

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
    [JsonIgnore]
    public bool IsCurrentProcess =>
        Pid == Environment.ProcessId && string.Equals(Host, Environment.MachineName, StringComparison.OrdinalIgnoreCase);

    internal bool SameHolder(LockInfo other) =>
        Pid == other.Pid && Host == other.Host && StartedAt == other.StartedAt;

    internal byte[] ToBytes() => HarnessJson.FileBytes(this, HarnessJsonContext.Default.LockInfo);

    /// <summary>The holder the file names; null when it is half-written, garbage, or lacks pid, host or start time.</summary>
    internal static LockInfo? Parse(byte[] bytes)
    {
        try
        {
            return JsonSerializer.Deserialize(JsonFile.SkipBom(bytes).Span, HarnessJsonContext.Default.LockInfo) is { Host: not null } info
                ? info with { Purpose = info.Purpose ?? "" }
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
