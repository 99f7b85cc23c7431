using System.Text;

namespace Harness.Core.Ci;

/// <summary>
/// GitHub Actions workflow commands (<c>::error file=..::msg</c>) and file commands
/// (<c>$GITHUB_OUTPUT</c>, <c>$GITHUB_STEP_SUMMARY</c>), escaped as actions/toolkit's
/// <c>packages/core/src/command.ts</c> and <c>file-command.ts</c> do.
/// </summary>
internal sealed class GitHubActionsReporter(TextWriter commands, string? outputFile, string? summaryFile, string? workspace) : ICiReporter
{
    public CiSystem System => CiSystem.GitHubActions;

    public bool IsActive => true;

    /// <summary>Message data: <c>%</c>, CR, LF (in that order, so the escapes themselves survive).</summary>
    public static string EscapeData(string value) => value.Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A");

    /// <summary>Property values: as data, plus <c>:</c> and <c>,</c>, which delimit properties.</summary>
    public static string EscapeProperty(string value) => EscapeData(value).Replace(":", "%3A").Replace(",", "%2C");

    public void Annotate(CiAnnotation annotation)
    {
        var s = new StringBuilder("::").Append(annotation.Level switch
        {
            AnnotationLevel.Error => "error",
            AnnotationLevel.Warning => "warning",
            _ => "notice",
        });
        var properties = new List<string>(4);
        if (annotation.File is { Length: > 0 } file)
        {
            properties.Add("file=" + EscapeProperty(CiFiles.RelativeToWorkspace(workspace, file)));
            if (annotation.Line is > 0 and var line)
            {
                properties.Add("line=" + line.ToString(global::System.Globalization.CultureInfo.InvariantCulture));
                if (annotation.Column is > 0 and var column)
                {
                    properties.Add("col=" + column.ToString(global::System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }

        if (annotation.Title is { Length: > 0 } title)
        {
            properties.Add("title=" + EscapeProperty(title));
        }

        if (properties.Count > 0)
        {
            s.Append(' ').AppendJoin(',', properties);
        }

        s.Append("::").Append(EscapeData(annotation.Message));
        commands.WriteLine(s.ToString());
    }

    public void StartGroup(string title) => commands.WriteLine("::group::" + EscapeData(title));

    public void EndGroup() => commands.WriteLine("::endgroup::");

    public void Mask(string secret)
    {
        foreach (var part in CiFiles.SecretParts(secret))
        {
            commands.WriteLine("::add-mask::" + EscapeData(part));
        }
    }

    public void SetOutput(string name, string value) => SetOutputs([new KeyValuePair<string, string>(name, value)]);

    public void SetOutputs(IReadOnlyList<KeyValuePair<string, string>> outputs)
    {
        if (outputFile is null || outputs.Count == 0)
        {
            return;
        }

        var record = new StringBuilder();
        foreach (var (name, value) in outputs)
        {
            AppendOutput(record, name, value);
        }

        CiFiles.Append(outputFile, record.ToString());
    }

    /// <summary>
    /// One output in <c>$GITHUB_OUTPUT</c>'s format: <c>name=value</c>, or for a value with a line
    /// break <c>name&lt;&lt;ghadelimiter_&lt;uuid&gt;</c>, the value, the delimiter (a fresh one until it
    /// occurs in neither name nor value).
    /// </summary>
    public static void AppendOutput(StringBuilder record, string name, string value)
    {
        CiFiles.ValidateOutputName(name);
        var nl = Environment.NewLine;
        if (!value.Contains('\n') && !value.Contains('\r'))
        {
            record.Append(name).Append('=').Append(value).Append(nl);
            return;
        }

        string delimiter;
        do
        {
            delimiter = "ghadelimiter_" + Guid.NewGuid().ToString();
        }
        while (value.Contains(delimiter, StringComparison.Ordinal));

        record.Append(name).Append("<<").Append(delimiter).Append(nl)
            .Append(value).Append(nl)
            .Append(delimiter).Append(nl);
    }

    public void AppendSummary(string markdown)
    {
        if (summaryFile is null)
        {
            return;
        }

        CiFiles.Append(summaryFile, markdown.EndsWith('\n') ? markdown : markdown + Environment.NewLine);
    }

    public void Complete(CiResult result, string? message = null)
    {
        // GitHub takes a step's result from its exit code alone.
    }

    public void WriteUntrusted(string text)
    {
        // Nothing in between is read as a command; the token cannot be guessed by the text's author.
        var token = Guid.NewGuid().ToString("N");
        commands.WriteLine("::stop-commands::" + token);
        commands.WriteLine(text);
        commands.WriteLine("::" + token + "::");
    }
}
