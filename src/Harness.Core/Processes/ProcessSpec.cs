namespace Harness.Core.Processes;

/// <summary>What to run. Every child process the harness starts goes through <c>ProcessRunner</c>.</summary>
public sealed record ProcessSpec
{
    public required string FileName { get; init; }

    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>
    /// A command line passed verbatim instead of <see cref="Arguments"/>. Only for Windows programs such as
    /// cmd.exe that do not parse their command line by the quoting rules <see cref="Arguments"/> applies.
    /// </summary>
    public string? RawArguments { get; init; }

    public required string WorkingDirectory { get; init; }

    /// <summary>Variables to set for the child; a null value removes the variable.</summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }

    /// <summary>Hard limit: past it the whole process tree is killed and the result says TimedOut.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Text written to the child's stdin, which is then closed. Null: stdin is empty (closed at once).</summary>
    public string? StandardInput { get; init; }

    /// <summary>Keep the whole of stdout in <see cref="ProcessResult.StandardOutput"/> (git needs it; health checks do not).</summary>
    public bool CaptureStandardOutput { get; init; } = true;

    /// <summary>Keep the whole of stderr in <see cref="ProcessResult.StandardError"/>.</summary>
    public bool CaptureStandardError { get; init; } = true;

    /// <summary>How many trailing lines of combined stdout+stderr to keep in <see cref="ProcessResult.OutputTail"/>.</summary>
    public int TailLines { get; init; } = 40;
}

/// <summary>How a child process ended.</summary>
public sealed record ProcessResult
{
    /// <summary>Null when the process was killed (timeout or cancellation) or could not start.</summary>
    public int? ExitCode { get; init; }

    public bool TimedOut { get; init; }

    public bool Cancelled { get; init; }

    /// <summary>Set when the program could not be started at all (not found, not executable).</summary>
    public string? StartError { get; init; }

    public TimeSpan Duration { get; init; }

    public string StandardOutput { get; init; } = "";

    public string StandardError { get; init; } = "";

    /// <summary>The last <see cref="ProcessSpec.TailLines"/> lines of stdout and stderr, interleaved as they arrived.</summary>
    public string OutputTail { get; init; } = "";

    public int ProcessId { get; init; }

    public bool Succeeded => ExitCode == 0 && !TimedOut && !Cancelled && StartError is null;
}
