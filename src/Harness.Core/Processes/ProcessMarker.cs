using System.Globalization;
using System.Text;

namespace Harness.Core.Processes;

/// <summary>
/// An environment variable a child's whole tree carries (the loop's <c>HARNESS_SESSION_ID</c>): a
/// process that holds it is that child's, wherever it was re-parented, unless it cleared its
/// environment. Read from <c>/proc/&lt;pid&gt;/environ</c> (Linux; the environment the process
/// started with). Reading another user's process is refused, which reads as "not ours".
/// </summary>
internal readonly record struct ProcessMarker(string Variable, string Value)
{
    /// <summary>
    /// The variable the runner gives every child that dies with the harness and is watched: one new
    /// value per child run, inherited by all it starts, which is how the watchdog and the next run's
    /// crash recovery know a process of that tree wherever it was re-parented.
    /// </summary>
    public const string TreeVariable = "HARNESS_PROCESS_TREE";

    /// <summary>A fresh marker for one child run.</summary>
    public static ProcessMarker NewTree() => new(TreeVariable, Guid.NewGuid().ToString("N")[..16]);

    /// <summary><paramref name="environment"/> (a spec's; null: none) with this marker set.</summary>
    public IReadOnlyDictionary<string, string?> AddTo(IReadOnlyDictionary<string, string?>? environment)
    {
        var withMarker = environment is null ? new Dictionary<string, string?>(StringComparer.Ordinal) : new Dictionary<string, string?>(environment, StringComparer.Ordinal);
        withMarker[Variable] = Value;
        return withMarker;
    }

    /// <summary>True when <paramref name="pid"/>'s environment holds the variable with exactly this value.</summary>
    public bool IsCarriedBy(int pid) => ValuesIn(pid, Variable).Contains(Value);

    /// <summary>The values of <paramref name="variable"/> in <paramref name="pid"/>'s starting environment (empty when unreadable or absent).</summary>
    public static IReadOnlyList<string> ValuesIn(int pid, string variable)
    {
        if (!OperatingSystem.IsLinux())
        {
            return [];
        }

        byte[] environ;
        try
        {
            environ = File.ReadAllBytes($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/environ");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        var prefix = Encoding.UTF8.GetBytes(variable + "=");
        var found = new List<string>(1);
        var span = environ.AsSpan();
        while (span.Length > 0)
        {
            var end = span.IndexOf((byte)0);
            var entry = end < 0 ? span : span[..end];
            if (entry.StartsWith(prefix))
            {
                found.Add(Encoding.UTF8.GetString(entry[prefix.Length..]));
            }

            span = end < 0 ? [] : span[(end + 1)..];
        }

        return found;
    }
}
