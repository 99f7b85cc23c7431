using System.Text;
using Harness.Core.Errors;
using Harness.Core.Project;
using Harness.Core.State;

namespace Harness.Core.Prompts;

/// <summary>
/// The prompt template for each session state: built in (embedded), or the project's own file
/// named in project.json <c>prompts</c>. Templates use <c>{{name}}</c> placeholders (see
/// <see cref="PromptBuilder"/>); an unknown placeholder is an error, so a typo in a project's
/// template never reaches the agent as literal braces.
/// </summary>
internal static class PromptTemplates
{
    /// <summary>The template name for a state: initializer, coding, fix_broken or test.</summary>
    public static string NameFor(SessionState state) => state switch
    {
        SessionState.INIT => "initializer",
        SessionState.IMPLEMENT => "coding",
        SessionState.FIX_BROKEN => "fix_broken",
        SessionState.TEST => "test",
        _ => throw new HarnessException(ErrorIds.PromptInvalid, HarnessErrorCategory.InvalidArgument,
            $"no agent session runs in state {state}; prompts exist for INIT, IMPLEMENT, FIX_BROKEN and TEST."),
    };

    /// <summary>The built-in template text.</summary>
    public static string BuiltIn(SessionState state)
    {
        var name = NameFor(state);
        using var stream = typeof(PromptTemplates).Assembly.GetManifestResourceStream($"Harness.Prompts.{name}.md")
            ?? throw new InvalidOperationException($"built-in prompt '{name}' is missing from the assembly");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>The project's override for the state when project.json names one, else the built-in; with where it came from.</summary>
    public static (string Text, string Source) Resolve(SessionState state, ProjectConfig config, ProjectLayout layout)
    {
        var file = state switch
        {
            SessionState.INIT => config.Prompts.Initializer,
            SessionState.IMPLEMENT => config.Prompts.Coding,
            SessionState.FIX_BROKEN => config.Prompts.FixBroken,
            SessionState.TEST => config.Prompts.Test,
            _ => null,
        };
        if (file is null)
        {
            return (BuiltIn(state), $"built-in {NameFor(state)} prompt");
        }

        var path = Path.GetFullPath(Path.Combine(layout.Root, file));
        try
        {
            return (File.ReadAllText(path), path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new HarnessException(ErrorIds.PromptInvalid, HarnessErrorCategory.ObjectNotFound,
                $"{config.FilePath}: prompts.{NameFor(state)} names {file}, which does not exist ({path}). Fix the path or remove the entry to use the built-in prompt.")
            {
                FilePath = config.FilePath,
            };
        }
    }

    /// <summary>Replaces every <c>{{name}}</c> with its value; throws naming the template and the placeholder when one is unknown.</summary>
    public static string Render(string template, IReadOnlyDictionary<string, string> values, string source)
    {
        var result = new StringBuilder(template.Length + 2048);
        var position = 0;
        while (true)
        {
            var open = template.IndexOf("{{", position, StringComparison.Ordinal);
            if (open < 0)
            {
                result.Append(template, position, template.Length - position);
                return result.ToString();
            }

            var close = template.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                throw Unknown(source, template[open..Math.Min(template.Length, open + 40)], values);
            }

            var name = template[(open + 2)..close].Trim();
            if (!values.TryGetValue(name, out var value))
            {
                throw Unknown(source, template[open..(close + 2)], values);
            }

            result.Append(template, position, open - position).Append(value);
            position = close + 2;
        }
    }

    private static HarnessException Unknown(string source, string placeholder, IReadOnlyDictionary<string, string> values) =>
        new(ErrorIds.PromptInvalid, HarnessErrorCategory.InvalidData,
            $"{source}: unknown placeholder {placeholder}; the placeholders are {string.Join(", ", values.Keys.Order(StringComparer.Ordinal).Select(k => "{{" + k + "}}"))}.")
        {
            FilePath = File.Exists(source) ? source : null,
        };
}
