using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Core.Json;

namespace Harness.Core.Features;

/// <summary>
/// Writes an edit of some features back into the bytes of the list it was read from, touching only
/// the fields the edit changed: a changed value is replaced where it stands, a removed field is cut
/// out with its separator, a new field goes after the feature's last one, spaced like it. Everything
/// else (other features, unknown fields, their order, the indentation, escapes, comments) keeps its
/// bytes, so a list written by Ralph's agent, an editor or <c>jq</c> shows in a diff only the
/// <c>passes</c> flag that flipped.
/// </summary>
internal static class FeatureListSplice
{
    /// <summary>One feature's edit: its position in the list, its object before and after.</summary>
    public readonly record struct ItemEdit(int Index, JsonObject Before, JsonObject After);

    /// <summary>Where one field of a feature object stands in the bytes.</summary>
    private readonly record struct FieldSpan(string Name, int NameStart, int NameEnd, int ValueStart, int ValueEnd);

    /// <summary>Where one feature object stands: its braces and its fields in file order.</summary>
    private sealed record ItemSpan(int Open, int Close, List<FieldSpan> Fields);

    /// <summary>A change to the bytes: [Start, End) becomes Bytes (an insertion when Start == End).</summary>
    private readonly record struct Change(int Start, int End, byte[] Bytes);

    /// <summary>
    /// The list's bytes with <paramref name="edits"/> applied in place; null when the bytes cannot be
    /// spliced (a shape the reader accepts but this does not follow, such as a comment between a
    /// field and its comma), in which case the caller writes the edited document whole.
    /// </summary>
    public static byte[]? Apply(byte[] bytes, FeatureListShape shape, IReadOnlyList<ItemEdit> edits)
    {
        var json = JsonFile.SkipBom(bytes);
        var bom = bytes.Length - json.Length;
        var wanted = edits.Select(e => e.Index).ToHashSet();
        Dictionary<int, ItemSpan> spans;
        try
        {
            spans = Locate(json.Span, shape, wanted);
        }
        catch (JsonException)
        {
            return null;
        }

        if (spans.Count != wanted.Count)
        {
            return null;
        }

        var changes = new List<Change>();
        foreach (var edit in edits)
        {
            if (!Diff(json.Span, spans[edit.Index], edit, changes))
            {
                return null;
            }
        }

        // Sorted by position; an insertion before a cut that starts where it does (a new field after the last kept one).
        changes.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : (a.End - a.Start).CompareTo(b.End - b.Start));
        var output = new MemoryStream(bytes.Length + 64);
        output.Write(bytes, 0, bom);
        var cursor = 0;
        foreach (var change in changes)
        {
            if (change.Start < cursor)
            {
                return null;
            }

            output.Write(json.Span[cursor..change.Start]);
            output.Write(change.Bytes);
            cursor = change.End;
        }

        output.Write(json.Span[cursor..]);
        return output.ToArray();
    }

    /// <summary>The changes that turn one feature's bytes from its Before into its After; false when a separator is not plain white space.</summary>
    private static bool Diff(ReadOnlySpan<byte> json, ItemSpan item, ItemEdit edit, List<Change> changes)
    {
        var fields = item.Fields;
        var kept = fields.Where(f => edit.After.ContainsKey(f.Name)).ToList();
        var firstKept = kept.Count > 0 ? fields.IndexOf(kept[0]) : fields.Count;
        for (var k = 0; k < fields.Count; k++)
        {
            var field = fields[k];
            if (edit.After.TryGetPropertyValue(field.Name, out var value))
            {
                if (!JsonNode.DeepEquals(edit.Before[field.Name], value))
                {
                    changes.Add(new Change(field.ValueStart, field.ValueEnd, HarnessJson.LineBytes(value)));
                }
            }
            else if (k > firstKept)
            {
                // After a kept field: cut from the end of the field before it (its comma goes with it).
                changes.Add(new Change(fields[k - 1].ValueEnd, field.ValueEnd, []));
            }
            else if (k == 0)
            {
                // Leading fields removed: cut up to the first kept field's name, or all the inside when none is kept.
                changes.Add(new Change(field.NameStart, firstKept < fields.Count ? fields[firstKept].NameStart : item.Close, []));
            }
        }

        var added = edit.After.Where(p => !edit.Before.ContainsKey(p.Key)).ToList();
        if (added.Count == 0)
        {
            return true;
        }

        var text = new MemoryStream();
        if (kept.Count == 0)
        {
            // No field left to copy the spacing from: the inside becomes { "name": value }, replacing the cut of every field.
            for (var i = 0; i < added.Count; i++)
            {
                text.Write(i == 0 ? " "u8 : ", "u8);
                WriteField(text, added[i].Key, ": "u8, added[i].Value);
            }

            text.WriteByte((byte)' ');
            changes.RemoveAll(c => fields.Count > 0 && c.Start == fields[0].NameStart && c.End == item.Close);
            changes.Add(new Change(item.Open + 1, item.Close, text.ToArray()));
            return true;
        }

        // Spaced like the last field: the same white space before its name, the same around its colon.
        var last = kept[^1];
        var indent = json[WhiteSpaceStart(json, last.NameStart)..last.NameStart];
        var colon = json[last.NameEnd..last.ValueStart];
        if (!IsWhiteSpace(indent) || !IsColon(colon))
        {
            return false;
        }

        foreach (var (name, value) in added)
        {
            text.WriteByte((byte)',');
            text.Write(indent);
            WriteField(text, name, colon, value);
        }

        changes.Add(new Change(last.ValueEnd, last.ValueEnd, text.ToArray()));
        return true;
    }

    private static void WriteField(MemoryStream text, string name, ReadOnlySpan<byte> colon, JsonNode? value)
    {
        text.Write(HarnessJson.LineBytes(JsonValue.Create(name)));
        text.Write(colon);
        text.Write(HarnessJson.LineBytes(value));
    }

    /// <summary>Finds the feature objects at <paramref name="wanted"/> positions, the reader's way (first array of the list property).</summary>
    private static Dictionary<int, ItemSpan> Locate(ReadOnlySpan<byte> json, FeatureListShape shape, HashSet<int> wanted)
    {
        var found = new Dictionary<int, ItemSpan>();
        var reader = new Utf8JsonReader(json, JsonFile.ReaderOptions);
        reader.Read();
        if (shape.ListProperty is not null)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isList = reader.ValueTextEquals(shape.ListPropertyUtf8);
                reader.Read();
                if (isList)
                {
                    break;
                }

                reader.Skip();
            }
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return found;
        }

        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.StartObject && wanted.Contains(index))
            {
                found[index] = Item(ref reader);
            }
            else
            {
                reader.Skip();
            }

            index++;
        }

        return found;
    }

    private static ItemSpan Item(ref Utf8JsonReader reader)
    {
        var open = (int)reader.TokenStartIndex;
        var fields = new List<FieldSpan>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            var nameStart = (int)reader.TokenStartIndex;
            var nameEnd = nameStart + reader.ValueSpan.Length + 2;
            reader.Read();
            var valueStart = (int)reader.TokenStartIndex;
            reader.Skip();
            fields.Add(new FieldSpan(name, nameStart, nameEnd, valueStart, (int)reader.BytesConsumed));
        }

        return new ItemSpan(open, (int)reader.TokenStartIndex, fields);
    }

    /// <summary>Where the white space before <paramref name="end"/> starts (just after the comma or brace before it).</summary>
    private static int WhiteSpaceStart(ReadOnlySpan<byte> json, int end)
    {
        var start = end;
        while (start > 0 && json[start - 1] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            start--;
        }

        return start;
    }

    private static bool IsWhiteSpace(ReadOnlySpan<byte> text) => text.IndexOfAnyExcept(" \t\r\n"u8) < 0;

    private static bool IsColon(ReadOnlySpan<byte> text) => Encoding.ASCII.GetString(text).Trim() == ":";
}
