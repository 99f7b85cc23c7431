using System.Globalization;
using System.Text;

namespace Harness.Core.Ci;

/// <summary>
/// Azure Pipelines logging commands (<c>##vso[area.action key=value;]data</c>) and formatting
/// commands (<c>##[group]</c>), escaped as azure-pipelines-task-lib's <c>taskcommand.ts</c> does.
/// </summary>
internal sealed class AzureDevOpsReporter(TextWriter commands, string? summaryDirectory, string? workspace) : ICiReporter
{
    public CiSystem System => CiSystem.AzureDevOps;

    public bool IsActive => true;

    /// <summary>Message data: <c>%</c> (as <c>%AZP25</c>), CR, LF.</summary>
    public static string EscapeData(string value) => value.Replace("%", "%AZP25").Replace("\r", "%0D").Replace("\n", "%0A");

    /// <summary>Property values: as data, plus <c>]</c> (ends the properties) and <c>;</c> (separates them).</summary>
    public static string EscapeProperty(string value) => EscapeData(value).Replace("]", "%5D").Replace(";", "%3B");

    /// <summary>
    /// The agent reads <c>##vso[</c> anywhere in a line and <c>##[</c> formatting commands; text that
    /// must not command it gets a zero-width space between the two hashes.
    /// </summary>
    public static string Defuse(string text) => text
        .Replace("##vso[", "#\u200B#vso[", StringComparison.OrdinalIgnoreCase)
        .Replace("##[", "#\u200B#[", StringComparison.Ordinal);

    /// <summary>A logging command: every property followed by <c>;</c>, as the task library writes them.</summary>
    public static string Command(string name, IEnumerable<KeyValuePair<string, string?>> properties, string data)
    {
        var s = new StringBuilder("##vso[").Append(name);
        var first = true;
        foreach (var (key, value) in properties)
        {
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            s.Append(first ? " " : "").Append(key).Append('=').Append(EscapeProperty(value)).Append(';');
            first = false;
        }

        return s.Append(']').Append(EscapeData(data)).ToString();
    }

    public void Annotate(CiAnnotation annotation)
    {
        var message = annotation.Title is { Length: > 0 } title ? $"{title}: {annotation.Message}" : annotation.Message;
        if (annotation.Level == AnnotationLevel.Notice)
        {
            // logissue knows only error and warning; a section line stands out in the log without counting as an issue.
            commands.WriteLine("##[section]" + Defuse(message.Replace("\r", "").Replace('\n', ' ')));
            return;
        }

        string? file = annotation.File is { Length: > 0 } f ? CiFiles.RelativeToWorkspace(workspace, f) : null;
        string? line = file is not null && annotation.Line is > 0 and var l ? l.ToString(CultureInfo.InvariantCulture) : null;
        string? column = line is not null && annotation.Column is > 0 and var c ? c.ToString(CultureInfo.InvariantCulture) : null;
        commands.WriteLine(Command(
            "task.logissue",
            [
                new("type", annotation.Level == AnnotationLevel.Error ? "error" : "warning"),
                new("sourcepath", file),
                new("linenumber", line),
                new("columnnumber", column),
            ],
            message));
    }

    public void StartGroup(string title) => commands.WriteLine("##[group]" + Defuse(title.Replace("\r", "").Replace('\n', ' ')));

    public void EndGroup() => commands.WriteLine("##[endgroup]");

    public void Mask(string secret)
    {
        foreach (var part in CiFiles.SecretParts(secret))
        {
            commands.WriteLine(Command("task.setsecret", [], part));
        }
    }

    public void SetOutput(string name, string value)
    {
        CiFiles.ValidateOutputName(name);
        commands.WriteLine(Command("task.setvariable", [new("variable", name), new("isOutput", "true")], value));
    }

    public void SetOutputs(IReadOnlyList<KeyValuePair<string, string>> outputs)
    {
        foreach (var (name, value) in outputs)
        {
            SetOutput(name, value);
        }
    }

    /// <summary>Writes the markdown to a file of its own under the agent's temp folder and uploads it as a summary tab.</summary>
    public void AppendSummary(string markdown)
    {
        var directory = summaryDirectory ?? Path.GetTempPath();
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"harness-summary-{Guid.NewGuid():N}.md");
        File.WriteAllText(path, markdown, new UTF8Encoding(false));
        commands.WriteLine(Command("task.uploadsummary", [], path));
    }

    public void Complete(CiResult result, string? message = null) =>
        commands.WriteLine(Command("task.complete", [new("result", result.ToString())], message ?? ""));

    public void WriteUntrusted(string text) => commands.WriteLine(Defuse(text));
}
