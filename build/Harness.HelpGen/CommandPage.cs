using System.Text;
using System.Text.RegularExpressions;

namespace Harness.HelpGen;

/// <summary>A problem in a reference page, with where it is.</summary>
public sealed class HelpFormatException(string file, int line, string message) : Exception(message)
{
    public string File { get; } = file;

    public int Line { get; } = line;
}

public sealed record HelpParameter
{
    public required string Name { get; init; }

    public required string Description { get; init; }

    public string Type { get; init; } = "String";

    public string Aliases { get; init; } = "";

    public bool Required { get; init; }

    public string Position { get; init; } = "Named";

    public string DefaultValue { get; init; } = "None";

    public string PipelineInput { get; init; } = "False";

    public bool Globbing { get; init; }

    /// <summary>The parameter sets it belongs to (<c>Parameter Sets: Path, Named</c>); empty: all of them.</summary>
    public IReadOnlyList<string> Sets { get; init; } = [];

    public bool IsSwitch => Type is "SwitchParameter" or "Switch";
}

public sealed record HelpExample(string Title, string Code, string Remarks);

public sealed record HelpType(string Name, string Description);

public sealed record HelpLink(string Text, string Uri);

/// <summary>
/// One <c>docs/cmdlets/&lt;Verb-Noun&gt;.md</c> page in the platyPS layout: <c># Name</c>, then
/// <c>## SYNOPSIS</c>, <c>## SYNTAX</c>, <c>## DESCRIPTION</c>, <c>## EXAMPLES</c> (<c>### title</c>,
/// a code block, remarks), <c>## PARAMETERS</c> (<c>### -Name</c>, text, a yaml block),
/// <c>## INPUTS</c>, <c>## OUTPUTS</c>, <c>## NOTES</c>, <c>## RELATED LINKS</c>.
/// </summary>
public sealed record CommandPage
{
    public required string Name { get; init; }

    public required string Synopsis { get; init; }

    public required string Description { get; init; }

    public IReadOnlyList<HelpExample> Examples { get; init; } = [];

    public IReadOnlyList<HelpParameter> Parameters { get; init; } = [];

    public IReadOnlyList<HelpType> Inputs { get; init; } = [];

    public IReadOnlyList<HelpType> Outputs { get; init; } = [];

    public string Notes { get; init; } = "";

    public IReadOnlyList<HelpLink> Links { get; init; } = [];

    public string Verb => Name[..Name.IndexOf('-', StringComparison.Ordinal)];

    public string Noun => Name[(Name.IndexOf('-', StringComparison.Ordinal) + 1)..];

    public static CommandPage Parse(string file, string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var start = SkipFrontMatter(lines);
        string? name = null;
        var sections = new Dictionary<string, (int Line, List<string> Body)>(StringComparer.OrdinalIgnoreCase);
        List<string>? current = null;
        var inCode = false;
        for (var i = start; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inCode = !inCode;
            }

            if (!inCode && line.StartsWith("# ", StringComparison.Ordinal) && name is null)
            {
                name = line[2..].Trim();
                continue;
            }

            if (!inCode && line.StartsWith("## ", StringComparison.Ordinal))
            {
                current = [];
                sections[line[3..].Trim()] = (i + 1, current);
                continue;
            }

            current?.Add(line);
        }

        if (name is null || !Regex.IsMatch(name, "^[A-Z][a-z]+-[A-Za-z]+$"))
        {
            throw new HelpFormatException(file, 1, "the page must start with '# Verb-Noun'");
        }

        string Required(string section)
        {
            if (!sections.TryGetValue(section, out var s))
            {
                throw new HelpFormatException(file, 1, $"{name}: missing section '## {section}'");
            }

            var text = Prose(s.Body);
            if (text.Length == 0)
            {
                throw new HelpFormatException(file, s.Line, $"{name}: section '## {section}' is empty");
            }

            return text;
        }

        var page = new CommandPage
        {
            Name = name,
            Synopsis = Required("SYNOPSIS"),
            Description = Required("DESCRIPTION"),
            Examples = sections.TryGetValue("EXAMPLES", out var ex) ? ParseExamples(file, ex.Line, ex.Body) : [],
            Parameters = sections.TryGetValue("PARAMETERS", out var ps) ? ParseParameters(file, ps.Line, ps.Body) : [],
            Inputs = sections.TryGetValue("INPUTS", out var ins) ? ParseTypes(ins.Body) : [],
            Outputs = sections.TryGetValue("OUTPUTS", out var outs) ? ParseTypes(outs.Body) : [],
            Notes = sections.TryGetValue("NOTES", out var notes) ? Prose(notes.Body) : "",
            Links = sections.TryGetValue("RELATED LINKS", out var links) ? ParseLinks(links.Body) : [],
        };
        if (page.Examples.Count == 0)
        {
            throw new HelpFormatException(file, ex.Line, $"{name}: at least one example is required under '## EXAMPLES'");
        }

        return page;
    }

    private static int SkipFrontMatter(string[] lines)
    {
        if (lines.Length == 0 || lines[0].Trim() != "---")
        {
            return 0;
        }

        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Trim() == "---")
            {
                return i + 1;
            }
        }

        return 0;
    }

    /// <summary>Paragraphs of text: blank lines separate them, line breaks inside one become spaces.</summary>
    internal static string Prose(IEnumerable<string> body)
    {
        var paragraphs = new List<string>();
        var current = new StringBuilder();
        foreach (var raw in body)
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                Flush();
                continue;
            }

            // List items start their own line.
            if (current.Length > 0 && (line.StartsWith("- ", StringComparison.Ordinal) || line.StartsWith("* ", StringComparison.Ordinal)))
            {
                current.Append('\n');
            }
            else if (current.Length > 0)
            {
                current.Append(' ');
            }

            current.Append(line);
        }

        Flush();
        return string.Join("\n\n", paragraphs);

        void Flush()
        {
            if (current.Length > 0)
            {
                paragraphs.Add(current.ToString());
                current.Clear();
            }
        }
    }

    private static List<(string Title, int Line, List<string> Body)> Subsections(int firstLine, IReadOnlyList<string> body)
    {
        var result = new List<(string, int, List<string>)>();
        var inCode = false;
        for (var i = 0; i < body.Count; i++)
        {
            var line = body[i];
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inCode = !inCode;
            }

            if (!inCode && line.StartsWith("### ", StringComparison.Ordinal))
            {
                result.Add((line[4..].Trim(), firstLine + i, []));
            }
            else if (result.Count > 0)
            {
                result[^1].Item3.Add(line);
            }
        }

        return result;
    }

    /// <summary>Splits a body into its text and its first fenced code block.</summary>
    private static (List<string> Text, string? Code) SplitCode(IEnumerable<string> body)
    {
        var text = new List<string>();
        StringBuilder? code = null;
        var inCode = false;
        var done = false;
        foreach (var line in body)
        {
            if (line.StartsWith("```", StringComparison.Ordinal) && !done)
            {
                if (inCode)
                {
                    inCode = false;
                    done = true;
                }
                else
                {
                    inCode = true;
                    code = new StringBuilder();
                }

                continue;
            }

            if (inCode)
            {
                code!.Append(code.Length > 0 ? "\n" : "").Append(line);
            }
            else
            {
                text.Add(line);
            }
        }

        return (text, code?.ToString());
    }

    private static List<HelpExample> ParseExamples(string file, int line, List<string> body) =>
        Subsections(line, body).Select(s =>
        {
            var (text, code) = SplitCode(s.Body);
            if (string.IsNullOrWhiteSpace(code))
            {
                throw new HelpFormatException(file, s.Line, $"example '{s.Title}' has no code block");
            }

            return new HelpExample(s.Title, code, Prose(text));
        }).ToList();

    private static List<HelpParameter> ParseParameters(string file, int line, List<string> body)
    {
        var result = new List<HelpParameter>();
        foreach (var (title, at, lines) in Subsections(line, body))
        {
            if (title.Equals("CommonParameters", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!title.StartsWith('-'))
            {
                throw new HelpFormatException(file, at, $"parameter headings are '### -Name', found '### {title}'");
            }

            var (text, yaml) = SplitCode(lines);
            var description = Prose(text);
            if (description.Length == 0)
            {
                throw new HelpFormatException(file, at, $"parameter {title} has no description");
            }

            var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var field in (yaml ?? "").Split('\n'))
            {
                var colon = field.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    fields[field[..colon].Trim()] = field[(colon + 1)..].Trim();
                }
            }

            string Field(string key, string fallback) => fields.TryGetValue(key, out var v) && v.Length > 0 ? v : fallback;
            result.Add(new HelpParameter
            {
                Name = title[1..],
                Description = description,
                Type = Field("Type", "String"),
                Aliases = Field("Aliases", ""),
                Required = Field("Required", "False").StartsWith("True", StringComparison.OrdinalIgnoreCase),
                Position = Field("Position", "Named"),
                DefaultValue = Field("Default value", "None"),
                PipelineInput = Field("Accept pipeline input", "False"),
                Globbing = Field("Accept wildcard characters", "False").StartsWith("True", StringComparison.OrdinalIgnoreCase),
                Sets = Field("Parameter Sets", "(All)") is "(All)" ? [] : Field("Parameter Sets", "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
            });
        }

        return result;
    }

    private static List<HelpType> ParseTypes(List<string> body) =>
        Subsections(0, body).Select(s => new HelpType(s.Title, Prose(s.Body))).ToList();

    private static List<HelpLink> ParseLinks(List<string> body)
    {
        var result = new List<HelpLink>();
        foreach (var line in body)
        {
            var m = Regex.Match(line, @"\[(?<text>[^\]]+)\]\((?<uri>[^)]*)\)");
            if (m.Success)
            {
                var uri = m.Groups["uri"].Value;
                // Links to sibling pages are help topics, not URIs.
                result.Add(new HelpLink(m.Groups["text"].Value, uri.StartsWith("http", StringComparison.OrdinalIgnoreCase) ? uri : ""));
            }
        }

        return result;
    }
}
