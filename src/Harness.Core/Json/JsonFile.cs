using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Core.Errors;

namespace Harness.Core.Json;

/// <summary>A JSON file as read from disk: its bytes (for locating errors) and its parsed root.</summary>
public sealed class JsonFile
{
    internal static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private JsonFile(string path, byte[] bytes, JsonNode? root)
    {
        Path = path;
        Bytes = bytes;
        Root = root;
    }

    public string Path { get; }

    public byte[] Bytes { get; }

    public JsonNode? Root { get; }

    /// <summary>Null when the file does not exist. Throws <see cref="HarnessException"/> naming the line when it does not parse.</summary>
    public static JsonFile? TryRead(string path, string errorId, string fix)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        catch (IOException ex)
        {
            throw new HarnessException(ErrorIds.IoFailed, HarnessErrorCategory.ResourceUnavailable, $"{path}: cannot be read: {ex.Message}", ex) { FilePath = path };
        }

        return Parse(path, bytes, errorId, fix);
    }

    /// <summary>A file whose bytes are parsed some other (faster) way; only used to locate problems.</summary>
    internal static JsonFile Unparsed(string path, byte[] bytes) => new(path, bytes, null);

    public static JsonFile Parse(string path, byte[] bytes, string errorId, string fix)
    {
        var span = SkipBom(bytes);
        if (span.Length == 0 || span.Trim(" \t\r\n"u8).Length == 0)
        {
            throw new HarnessException(errorId, HarnessErrorCategory.InvalidData, $"{path}: the file is empty; expected a JSON document. {fix}")
            {
                FilePath = path,
                Line = 1,
                Column = 1,
                Fix = fix,
            };
        }

        try
        {
            return new JsonFile(path, bytes, JsonNode.Parse(span, nodeOptions: null, DocumentOptions));
        }
        catch (JsonException ex)
        {
            var line = (int)(ex.LineNumber ?? 0) + 1;
            var column = (int)(ex.BytePositionInLine ?? 0) + 1;
            throw new HarnessException(
                errorId,
                HarnessErrorCategory.InvalidData,
                $"{path}({line},{column}): not valid JSON: {FirstSentence(ex.Message)} {fix}",
                ex)
            {
                FilePath = path,
                Line = line,
                Column = column,
                Fix = fix,
            };
        }
    }

    /// <summary>Serializes a node the way every harness file is written: indented, UTF-8, readable non-ASCII, trailing newline.</summary>
    public static byte[] Serialize(JsonNode node)
    {
        var text = node.ToJsonString(WriteOptions);
        return System.Text.Encoding.UTF8.GetBytes(text + "\n");
    }

    public (int Line, int Column)? Locate(string jsonPath) => JsonLocator.Find(SkipBom(Bytes), jsonPath);

    private static ReadOnlySpan<byte> SkipBom(byte[] bytes) =>
        bytes.AsSpan().StartsWith("\uFEFF"u8) ? bytes.AsSpan(3) : bytes;

    private static string FirstSentence(string message)
    {
        // System.Text.Json appends "Path: $ | LineNumber: 0 | BytePositionInLine: 5." which we already report, 0-based.
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).Trim();
    }
}
