using System.Text;
using System.Text.Json;
using Harness.Core.Json;
using Harness.Core.Json.Contracts;
using Harness.Core.Project;

namespace Harness.Core.Metrics;

/// <summary>One line of metrics.jsonl: the seed's fields plus cost, tokens, turns, exit reason and duration.</summary>
public sealed record SessionMetrics
{
    public required string SessionId { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset EndedAt { get; init; }

    public double DurationSeconds => Math.Round((EndedAt - StartedAt).TotalSeconds, 3);

    public string HealthStatus { get; init; } = "UNKNOWN";

    public IReadOnlyList<string> StatesVisited { get; init; } = [];

    public int Compressions { get; init; }

    public int Retries { get; init; }

    public long? InputTokens { get; init; }

    public long? OutputTokens { get; init; }

    /// <summary>The seed's tokens_used: input + output.</summary>
    public long TokensUsed => (InputTokens ?? 0) + (OutputTokens ?? 0);

    public double? CostUsd { get; init; }

    /// <summary>The cost was priced from the usage the stream showed: the session ended without a result event (killed, cancelled, crashed).</summary>
    public bool CostEstimated { get; init; }

    public int? Turns { get; init; }

    public string? ExitReason { get; init; }

    /// <summary>The session ended as the agent meant it to (see <see cref="Summaries.SessionOutcome.Succeeded"/>).</summary>
    public bool Succeeded { get; init; } = true;

    public int FeaturesCompleted { get; init; }

    /// <summary>Feature-list changes the harness undid in this session.</summary>
    public IReadOnlyList<string> IntegrityViolations { get; init; } = [];

    /// <summary>Tool calls the agent was refused.</summary>
    public int PermissionDenials { get; init; }

    /// <summary>Which calls were refused (tool and target).</summary>
    public IReadOnlyList<Agents.PermissionDenial> Denials { get; init; } = [];

    /// <summary>The last lines of the agent's stderr; null when it wrote none.</summary>
    public string? StderrTail { get; init; }

    public string? Checkpoint { get; init; }

    public string? Summary { get; init; }

    /// <summary>One line for people: what PowerShell shows for <c>"$x"</c> and what logs print.</summary>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{SessionId}: {ExitReason ?? (Succeeded ? "completed" : "failed")}, {FeaturesCompleted} feature(s) completed{(CostUsd is { } cost ? $", ${cost:0.00}" : "")}");

    /// <summary>Fields of the line this version does not know (another tool's), printed with the session.</summary>
    internal Dictionary<string, JsonElement>? UnknownFields { get; init; }
}

/// <summary>The aggregate view over metrics.jsonl.</summary>
public sealed record MetricsAggregate
{
    public int Sessions { get; init; }

    public int Failed { get; init; }

    public double FailureRate => Sessions == 0 ? 0 : Math.Round((double)Failed / Sessions, 4);

    public double TotalCostUsd { get; init; }

    public long TotalInputTokens { get; init; }

    public long TotalOutputTokens { get; init; }

    public long TotalTokens => TotalInputTokens + TotalOutputTokens;

    public int FeaturesCompleted { get; init; }

    public double FeaturesPerSession => Sessions == 0 ? 0 : Math.Round((double)FeaturesCompleted / Sessions, 3);

    public double TotalDurationSeconds { get; init; }

    /// <summary>Lines that could not be read (a torn last line after a crash, a hand edit); skipped, never fatal.</summary>
    public int SkippedLines { get; init; }

    public IReadOnlyList<SessionMetrics> Lines { get; init; } = [];

    public static MetricsAggregate Of(IReadOnlyList<SessionMetrics> lines, int skipped) => new()
    {
        Sessions = lines.Count,
        Failed = lines.Count(l => !l.Succeeded),
        TotalCostUsd = Math.Round(lines.Sum(l => l.CostUsd ?? 0), 6),
        TotalInputTokens = lines.Sum(l => l.InputTokens ?? 0),
        TotalOutputTokens = lines.Sum(l => l.OutputTokens ?? 0),
        FeaturesCompleted = lines.Sum(l => l.FeaturesCompleted),
        TotalDurationSeconds = Math.Round(lines.Sum(l => l.DurationSeconds), 3),
        SkippedLines = skipped,
        Lines = lines,
    };

    /// <summary>One line for people: what PowerShell shows for <c>"$x"</c> and what logs print.</summary>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Sessions} session(s), {Failed} failed, ${TotalCostUsd:0.00}, {TotalTokens} token(s), {FeaturesCompleted} feature(s) completed");
}

/// <summary>
/// metrics.jsonl: one JSON object per line, appended. An append writes the whole line with one
/// write and flushes it to disk; if the file does not end in a newline (a crash tore the last
/// line) the append starts a fresh line first. A reader skips lines that do not parse.
/// </summary>
internal static class MetricsStore
{
    /// <summary>Appends one line; the project must hold its lock (one writer at a time, so no line interleaves).</summary>
    public static void Append(HarnessProject project, SessionMetrics metrics)
    {
        project.AssertLocked();
        var path = project.Layout.MetricsFile;
        try
        {
            AppendLine(path, ToLine(metrics));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw IO.FileErrors.CannotWrite(path, ex);
        }
    }

    private static void AppendLine(string path, byte[] line)
    {
        using var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        var needsNewline = false;
        if (stream.Length > 0)
        {
            stream.Seek(-1, SeekOrigin.End);
            needsNewline = stream.ReadByte() != '\n';
        }

        stream.Seek(0, SeekOrigin.End);
        var bytes = new byte[line.Length + (needsNewline ? 1 : 0) + 1];
        var offset = 0;
        if (needsNewline)
        {
            bytes[offset++] = (byte)'\n';
        }

        line.CopyTo(bytes, offset);
        bytes[^1] = (byte)'\n';
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Every readable line, oldest first, and how many lines were skipped.</summary>
    public static (IReadOnlyList<SessionMetrics> Lines, int Skipped) Read(ProjectLayout layout)
    {
        if (!File.Exists(layout.MetricsFile))
        {
            return ([], 0);
        }

        var lines = new List<SessionMetrics>();
        var skipped = 0;
        foreach (var text in File.ReadAllLines(layout.MetricsFile, Encoding.UTF8))
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            if (Parse(text) is { } m)
            {
                lines.Add(m);
            }
            else
            {
                skipped++;
            }
        }

        return (lines, skipped);
    }

    public static MetricsAggregate Aggregate(ProjectLayout layout)
    {
        var (lines, skipped) = Read(layout);
        return MetricsAggregate.Of(lines, skipped);
    }

    public static bool Contains(ProjectLayout layout, string sessionId) =>
        Read(layout).Lines.Any(l => l.SessionId == sessionId);

    public static byte[] ToLine(SessionMetrics m) => HarnessJson.LineBytes(MetricsLineJson.From(m), HarnessJsonContext.Default.MetricsLineJson);

    /// <summary>The session a line records; null for a line that is not JSON, holds a field of the wrong type, or names no session.</summary>
    internal static SessionMetrics? Parse(string line)
    {
        try
        {
            return JsonSerializer.Deserialize(line, HarnessJsonContext.Default.MetricsLineJson)?.ToMetrics();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
