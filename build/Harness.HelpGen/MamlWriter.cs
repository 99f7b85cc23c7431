using System.Text;
using System.Xml;

namespace Harness.HelpGen;

/// <summary>Writes command pages as PowerShell MAML (the <c>*.dll-Help.xml</c> that Get-Help reads for binary cmdlets).</summary>
public static class MamlWriter
{
    private const string Msh = "http://msh";
    private const string Maml = "http://schemas.microsoft.com/maml/2004/10";
    private const string Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private const string Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    public static string Write(IEnumerable<CommandPage> pages)
    {
        var settings = new XmlWriterSettings
        {
            Indent = true,
            IndentChars = "  ",
            NewLineChars = "\n",
            Encoding = new UTF8Encoding(false),
        };
        var s = new StringWriterUtf8();
        using (var w = XmlWriter.Create(s, settings))
        {
            w.WriteStartDocument();
            w.WriteStartElement("helpItems", Msh);
            w.WriteAttributeString("schema", "maml");
            foreach (var page in pages)
            {
                WriteCommand(w, page);
            }

            w.WriteEndElement();
            w.WriteEndDocument();
        }

        return s.ToString() + "\n";
    }

    private static void WriteCommand(XmlWriter w, CommandPage page)
    {
        w.WriteStartElement("command", "command", Command);
        w.WriteAttributeString("xmlns", "maml", null, Maml);
        w.WriteAttributeString("xmlns", "command", null, Command);
        w.WriteAttributeString("xmlns", "dev", null, Dev);

        w.WriteStartElement("command", "details", Command);
        w.WriteElementString("command", "name", Command, page.Name);
        w.WriteElementString("command", "verb", Command, page.Verb);
        w.WriteElementString("command", "noun", Command, page.Noun);
        Description(w, page.Synopsis);
        w.WriteEndElement();

        Description(w, page.Description);

        // One syntax line per parameter set (the parameters of that set and those of all sets), as Get-Help shows them.
        w.WriteStartElement("command", "syntax", Command);
        var sets = page.Parameters.SelectMany(p => p.Sets).Distinct(StringComparer.Ordinal).ToList();
        foreach (var set in sets.Count == 0 ? [null] : sets.Cast<string?>())
        {
            w.WriteStartElement("command", "syntaxItem", Command);
            w.WriteElementString("maml", "name", Maml, page.Name);
            foreach (var p in page.Parameters.Where(p => set is null || p.Sets.Count == 0 || p.Sets.Contains(set)))
            {
                Parameter(w, p, inSyntax: true);
            }

            w.WriteEndElement();
        }

        w.WriteEndElement();

        w.WriteStartElement("command", "parameters", Command);
        foreach (var p in page.Parameters)
        {
            Parameter(w, p, inSyntax: false);
        }

        w.WriteEndElement();

        TypeList(w, "inputTypes", "inputType", page.Inputs);
        TypeList(w, "returnValues", "returnValue", page.Outputs);

        if (page.Notes.Length > 0)
        {
            w.WriteStartElement("maml", "alertSet", Maml);
            w.WriteStartElement("maml", "alert", Maml);
            Paragraphs(w, page.Notes);
            w.WriteEndElement();
            w.WriteEndElement();
        }

        w.WriteStartElement("command", "examples", Command);
        foreach (var example in page.Examples)
        {
            w.WriteStartElement("command", "example", Command);
            w.WriteElementString("maml", "title", Maml, $"-------------------------- {example.Title} --------------------------");
            w.WriteElementString("dev", "code", Dev, example.Code);
            w.WriteStartElement("dev", "remarks", Dev);
            Paragraphs(w, example.Remarks);
            w.WriteEndElement();
            w.WriteEndElement();
        }

        w.WriteEndElement();

        w.WriteStartElement("command", "relatedLinks", Command);
        foreach (var link in page.Links)
        {
            w.WriteStartElement("maml", "navigationLink", Maml);
            w.WriteElementString("maml", "linkText", Maml, link.Text);
            w.WriteElementString("maml", "uri", Maml, link.Uri);
            w.WriteEndElement();
        }

        w.WriteEndElement();
        w.WriteEndElement();
    }

    private static void Parameter(XmlWriter w, HelpParameter p, bool inSyntax)
    {
        w.WriteStartElement("command", "parameter", Command);
        w.WriteAttributeString("required", p.Required ? "true" : "false");
        w.WriteAttributeString("variableLength", p.Type.EndsWith("[]", StringComparison.Ordinal) ? "true" : "false");
        w.WriteAttributeString("globbing", p.Globbing ? "true" : "false");
        w.WriteAttributeString("pipelineInput", p.PipelineInput);
        w.WriteAttributeString("position", p.Position.Equals("Named", StringComparison.OrdinalIgnoreCase) ? "named" : p.Position);
        w.WriteAttributeString("aliases", p.Aliases.Length == 0 ? "none" : p.Aliases);
        w.WriteElementString("maml", "name", Maml, p.Name);
        Description(w, p.Description);
        if (!p.IsSwitch || !inSyntax)
        {
            w.WriteStartElement("command", "parameterValue", Command);
            w.WriteAttributeString("required", p.IsSwitch ? "false" : "true");
            w.WriteAttributeString("variableLength", "false");
            w.WriteString(p.Type);
            w.WriteEndElement();
        }

        w.WriteStartElement("dev", "type", Dev);
        w.WriteElementString("maml", "name", Maml, p.Type);
        w.WriteElementString("maml", "uri", Maml, "");
        w.WriteEndElement();
        w.WriteElementString("dev", "defaultValue", Dev, p.DefaultValue);
        w.WriteEndElement();
    }

    private static void TypeList(XmlWriter w, string list, string item, IReadOnlyList<HelpType> types)
    {
        w.WriteStartElement("command", list, Command);
        foreach (var type in types)
        {
            w.WriteStartElement("command", item, Command);
            w.WriteStartElement("dev", "type", Dev);
            w.WriteElementString("maml", "name", Maml, type.Name);
            w.WriteEndElement();
            Description(w, type.Description);
            w.WriteEndElement();
        }

        w.WriteEndElement();
    }

    private static void Description(XmlWriter w, string text)
    {
        w.WriteStartElement("maml", "description", Maml);
        Paragraphs(w, text);
        w.WriteEndElement();
    }

    private static void Paragraphs(XmlWriter w, string text)
    {
        foreach (var paragraph in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            w.WriteElementString("maml", "para", Maml, Inline(paragraph));
        }
    }

    /// <summary>Markdown inline marks mean nothing in a console: drop backticks and link targets.</summary>
    private static string Inline(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text.Replace("`", "", StringComparison.Ordinal), @"\[([^\]]+)\]\([^)]*\)", "$1");

    private sealed class StringWriterUtf8 : StringWriter
    {
        public StringWriterUtf8()
            : base(System.Globalization.CultureInfo.InvariantCulture)
        {
        }

        public override Encoding Encoding => new UTF8Encoding(false);
    }
}
