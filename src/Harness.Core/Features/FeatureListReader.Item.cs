using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Harness.Core.Json;

namespace Harness.Core.Features;

/// <summary>One feature object: its fields, their checks, and the record built from them.</summary>
internal static partial class FeatureListReader
{
    /// <summary>The fields of one feature object as written (null when absent or JSON null).</summary>
    private struct Fields
    {
        public string? Id;
        public string? Name;
        public string? Description;
        public string? Category;
        public List<string>? Steps;
        public string? Status;
        public bool Passes;
        public int Attempts;
        public string? Notes;
        public double? Priority;
    }

    private sealed partial class Pass
    {
        /// <summary>
        /// Reads one feature object (the reader on its '{', left on its '}'), checking every field
        /// the harness models. <paramref name="capture"/> keeps the text fields; without it they are
        /// only checked (type, valid UTF-8), which is what makes the summary fast.
        /// </summary>
        private Fields ReadItem(ref Utf8JsonReader reader, int index, bool capture)
        {
            var fields = default(Fields);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("id"u8))
                {
                    reader.Read();
                    fields.Id = reader.TokenType == JsonTokenType.Number
                        ? Encoding.UTF8.GetString(reader.ValueSpan) // Hand-written lists often number their features: 7 is "7".
                        : Text(ref reader, index, "id", capture: true);
                }
                else if (reader.ValueTextEquals("status"u8))
                {
                    reader.Read();
                    fields.Status = KnownStatus(ref reader) ?? Text(ref reader, index, "status", capture: true);
                }
                else if (_shape.HasPasses && reader.ValueTextEquals("passes"u8))
                {
                    reader.Read();
                    fields.Passes = reader.TokenType == JsonTokenType.True;
                    if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null))
                    {
                        Report(FieldPath(index, "passes"), $"expected true or false, found {Describe(ref reader)}");
                    }
                }
                else if (reader.ValueTextEquals("description"u8))
                {
                    reader.Read();
                    fields.Description = Text(ref reader, index, "description", capture);
                }
                else if (_shape.NameField is { } nameField && reader.ValueTextEquals(_shape.NameFieldUtf8))
                {
                    reader.Read();
                    fields.Name = Text(ref reader, index, nameField, capture);
                }
                else if (reader.ValueTextEquals("category"u8))
                {
                    reader.Read();
                    fields.Category = Text(ref reader, index, "category", capture);
                }
                else if (reader.ValueTextEquals("notes"u8))
                {
                    reader.Read();
                    fields.Notes = Text(ref reader, index, "notes", capture);
                }
                else if (reader.ValueTextEquals(_shape.StepsFieldUtf8))
                {
                    reader.Read();
                    fields.Steps = Steps(ref reader, index, capture);
                }
                else if (reader.ValueTextEquals("attempts"u8))
                {
                    reader.Read();
                    fields.Attempts = Attempts(ref reader, index);
                }
                else if (_shape.Format == FeatureListFormat.Ralph && reader.ValueTextEquals("priority"u8))
                {
                    // Forks write "high" or "2" too: only a number orders the work; anything else is kept and ranks last.
                    reader.Read();
                    fields.Priority = reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var priority) ? priority : null;
                    reader.Skip();
                }
                else
                {
                    // A field the harness does not model: kept by the writers, not looked at here.
                    reader.Read();
                    reader.Skip();
                }
            }

            return fields;
        }

        /// <summary>A string or null; anything else is reported. Null when not <paramref name="capture"/>d.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private string? Text(ref Utf8JsonReader reader, int index, string field, bool capture) =>
            NeedsNoLook(ref reader, capture) ? null : CheckedText(ref reader, index, field, capture);

        /// <summary>
        /// The summary's common case, kept inline (the pass meets 80,000 strings in a 10,000-feature
        /// list): plain text, not kept, assumed UTF-8 (each feature's bytes are checked as a whole).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private bool NeedsNoLook(ref Utf8JsonReader reader, bool capture) =>
            !capture && assumeUtf8 && reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped;

        private string? CheckedText(ref Utf8JsonReader reader, int index, string field, bool capture)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                return null;
            }

            if (reader.TokenType != JsonTokenType.String)
            {
                Report(FieldPath(index, field), $"expected a string, found {Describe(ref reader)}");
                return null;
            }

            if (TryText(ref reader, capture, out var text))
            {
                return text;
            }

            Report(FieldPath(index, field), NotText);
            return null;
        }

        private List<string>? Steps(ref Utf8JsonReader reader, int index, bool capture)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                return null;
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                Report(FieldPath(index, _shape.StepsField), $"expected an array of strings, found {Describe(ref reader)}");
                return null;
            }

            var steps = capture ? new List<string>() : null;
            var i = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (NeedsNoLook(ref reader, capture))
                {
                    i++;
                    continue;
                }

                if (reader.TokenType != JsonTokenType.String)
                {
                    Report(JsonPaths.Index(FieldPath(index, _shape.StepsField), i), $"expected a string, found {Describe(ref reader)}");
                }
                else if (TryText(ref reader, capture, out var step))
                {
                    steps?.Add(step!);
                }
                else
                {
                    Report(JsonPaths.Index(FieldPath(index, _shape.StepsField), i), NotText);
                }

                i++;
            }

            return steps;
        }

        private int Attempts(ref Utf8JsonReader reader, int index)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                return 0;
            }

            if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var n) && n >= 0)
            {
                return n;
            }

            Report(FieldPath(index, "attempts"), $"expected a whole number of at least 0, found {Describe(ref reader)}");
            return 0;
        }

        // Where the format has passes (quickstart, Ralph), the list is done by either field: passes
        // true (what those loops' agents set) is done whatever an older "status" says, tested when
        // that says so; passes false leaves the word to our "status" (in_progress, tested, blocked).
        private static string StatusOf(in Fields fields) =>
            fields.Passes
                ? fields.Status == FeatureStatuses.Tested ? FeatureStatuses.Tested : FeatureStatuses.Completed
                : fields.Status ?? FeatureStatuses.Pending;

        private Feature Build(in Fields f, int index, int quickstartWidth)
        {
            // The quickstart has no names (nor, usually, ids): the description's first line names it.
            var id = !string.IsNullOrWhiteSpace(f.Id) ? f.Id
                : _shape.DerivesIdsFromPosition ? QuickstartIds.For(index, quickstartWidth)
                : $"#{index + 1}";
            var name = f.Name ?? FirstLine(f.Description) ?? id;

            return new Feature
            {
                Id = id,
                Name = name,
                Description = f.Description,
                Category = f.Category,
                Steps = f.Steps ?? [],
                Status = StatusOf(f),
                Attempts = f.Attempts,
                Notes = f.Notes,
                Priority = f.Priority,
                Index = index,
                Path = path,
            };
        }
    }

    private const string NotText = "is not valid text: invalid UTF-8, or an unpaired \\uD800-\\uDFFF escape";

    /// <summary>
    /// Whether the string token decodes; its value when <paramref name="capture"/>. Text that is not
    /// kept is only validated (the summary gets here for escaped text, or on its strict second read).
    /// </summary>
    private static bool TryText(ref Utf8JsonReader reader, bool capture, out string? text)
    {
        text = null;
        if (!capture && !reader.ValueIsEscaped)
        {
            return Utf8.IsValid(reader.ValueSpan);
        }

        try
        {
            text = reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    // The five statuses cover nearly every feature: return the constants instead of 10,000 new strings.
    private static string? KnownStatus(ref Utf8JsonReader reader) =>
        reader.TokenType != JsonTokenType.String ? null
        : reader.ValueTextEquals("pending"u8) ? FeatureStatuses.Pending
        : reader.ValueTextEquals("completed"u8) ? FeatureStatuses.Completed
        : reader.ValueTextEquals("in_progress"u8) ? FeatureStatuses.InProgress
        : reader.ValueTextEquals("tested"u8) ? FeatureStatuses.Tested
        : reader.ValueTextEquals("blocked"u8) ? FeatureStatuses.Blocked
        : null;

    /// <summary>How the value under the reader reads in an error; moves the reader past it. Error path only.</summary>
    private static string Describe(ref Utf8JsonReader reader)
    {
        var value = JsonElement.ParseValue(ref reader);
        try
        {
            return JsonValidator.Describe(value);
        }
        catch (InvalidOperationException)
        {
            return "a string that is not valid text";
        }
    }

    private static string? FirstLine(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var line = text.AsSpan().Trim();
        var cut = line.IndexOfAny('\r', '\n');
        if (cut >= 0)
        {
            line = line[..cut].TrimEnd();
        }

        return line.Length <= 80 ? line.ToString() : string.Concat(line[..77], "...");
    }
}
