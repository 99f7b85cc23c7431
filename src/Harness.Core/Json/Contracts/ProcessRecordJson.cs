using System.Text.Json.Serialization;
using Harness.Core.Json.Converters;

namespace Harness.Core.Json.Contracts;

/// <summary>
/// One line of <c>.claude/progress/processes.jsonl</c> (docs/formats.md): a process of a running
/// child's tree, with what tells it from a later process that got the same pid (its start time and
/// the boot it ran in) and which harness ran it. Read leniently: a line that does not parse (a
/// harness killed mid-write) is skipped.
/// </summary>
internal sealed class ProcessRecordLineJson
{
    public int Pid { get; set; }

    /// <summary>Linux: clock ticks after boot when the process started (<c>/proc/&lt;pid&gt;/stat</c> field 22).</summary>
    public long? StartTicks { get; set; }

    public int ParentPid { get; set; }

    /// <summary>The kernel's command name (<c>comm</c>), for the report of what was killed.</summary>
    public string? Name { get; set; }

    /// <summary><c>agent</c> or <c>health_check</c>: what the harness started the tree for.</summary>
    public string? Role { get; set; }

    /// <summary>The <c>HARNESS_PROCESS_TREE</c> value every process of the tree carries: one child run of the harness, whose lines are removed together when it ends.</summary>
    public string? Tree { get; set; }

    public int HarnessPid { get; set; }

    public long? HarnessStartTicks { get; set; }

    /// <summary>Linux's <c>/proc/sys/kernel/random/boot_id</c>: after a reboot no recorded process is alive, whatever the pids.</summary>
    public string? BootId { get; set; }

    [JsonConverter(typeof(UtcTimestampConverter))]
    public DateTimeOffset? SeenAt { get; set; }
}
