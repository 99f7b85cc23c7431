using System.Text.Json;
using System.Text.Json.Serialization;

namespace Harness.Core.Json.Contracts;

/// <summary>
/// One entry of <c>.claude/progress/file_history.json</c> (docs/formats.md): a path, or an object
/// with <c>path</c> or <c>file</c> (other fields ignored). Agents write it in either form; an entry
/// in neither holds no path rather than failing the list.
/// </summary>
[JsonConverter(typeof(FileHistoryEntryConverter))]
internal readonly record struct FileHistoryEntryJson(string? Path);

internal sealed class FileHistoryEntryConverter : JsonConverter<FileHistoryEntryJson>
{
    public override FileHistoryEntryJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return new(reader.GetString());
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return new(null);
        }

        string? path = null, file = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isPath = reader.ValueTextEquals("path"u8);
            var isFile = reader.ValueTextEquals("file"u8);
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                reader.Skip();
            }
            else if (isPath)
            {
                path = reader.GetString();
            }
            else if (isFile)
            {
                file = reader.GetString();
            }
        }

        return new(path ?? file);
    }

    public override void Write(Utf8JsonWriter writer, FileHistoryEntryJson value, JsonSerializerOptions options) => writer.WriteStringValue(value.Path);
}
