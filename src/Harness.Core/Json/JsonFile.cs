using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Core.Errors;

namespace Harness.Core.Json;

/// <summary>
/// A JSON file as read from disk: its bytes (for locating errors) and its root element. Reading
/// uses <see cref="JsonElement"/> on purpose: the node API's generic value types cost a burst of
/// JIT compilation at start-up, and config and state are read at every session entry. Writers
/// that edit a document take a <see cref="JsonNode"/> from <see cref="ParseNode"/>.
/// </summary>
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

    private JsonFile(string path, byte[] bytes, JsonElement root)
    {
        Path = path;
        Bytes = bytes;
        Root = root;
    }

    public string Path { get; }

    public byte[] Bytes { get; }

    /// <summary>The parsed root; <see cref="JsonValueKind.Undefined"/> for a file built with <see cref="Unparsed"/>.</summary>
    public JsonElement Root { get; }

    /// <summary>Null when the file does not exist. Throws <see cref="HarnessException"/> naming the line when it does not parse.</summary>
    public static JsonFile? TryRead(string path, string errorId, string fix)
    {
        // A missing file is the common case (no project.json): a stat is far cheaper than an exception.
        if (!File.Exists(path))
        {
            return null;
        }

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
    internal static JsonFile Unparsed(string path, byte[] bytes) => new(path, bytes, default);

    public static JsonFile Parse(string path, byte[] bytes, string errorId, string fix)
    {
        var json = Content(path, bytes, errorId, fix);
        try
        {
            using var document = JsonDocument.Parse(json, DocumentOptions);
            return new JsonFile(path, bytes, document.RootElement.Clone());
        }
        catch (JsonException ex)
        {
            throw NotJson(path, ex, errorId, fix);
        }
    }

    /// <summary>The file as an editable node tree, for read-modify-write of documents whose unknown fields must survive.</summary>
    public static JsonNode ParseNode(string path, byte[] bytes, string errorId, string fix)
    {
        var json = Content(path, bytes, errorId, fix);
        try
        {
            return JsonNode.Parse(json.Span, nodeOptions: null, DocumentOptions)!;
        }
        catch (JsonException ex)
        {
            throw NotJson(path, ex, errorId, fix);
        }
    }

    /// <summary>Serializes a node the way every harness file is written: indented, UTF-8, readable non-ASCII, trailing newline.</summary>
    public static byte[] Serialize(JsonNode node)
    {
        var text = node.ToJsonString(WriteOptions);
        return System.Text.Encoding.UTF8.GetBytes(text + "\n");
    }

    public (int Line, int Column)? Locate(string jsonPath) => JsonLocator.Find(SkipBom(Bytes).Span, jsonPath);

    internal static ReadOnlyMemory<byte> SkipBom(byte[] bytes) =>
        bytes.AsSpan().StartsWith("\uFEFF"u8) ? bytes.AsMemory(3) : bytes;

    private static ReadOnlyMemory<byte> Content(string path, byte[] bytes, string errorId, string fix)
    {
        var json = SkipBom(bytes);
        if (json.Span.Trim(" \t\r\n"u8).Length == 0)
        {
            throw new HarnessException(errorId, HarnessErrorCategory.InvalidData, $"{path}: the file is empty; expected a JSON document. {fix}")
            {
                FilePath = path,
                Line = 1,
                Column = 1,
                Fix = fix,
            };
        }

        return json;
    }

    private static HarnessException NotJson(string path, JsonException ex, string errorId, string fix)
    {
        var line = (int)(ex.LineNumber ?? 0) + 1;
        var column = (int)(ex.BytePositionInLine ?? 0) + 1;
        return new HarnessException(errorId, HarnessErrorCategory.InvalidData, $"{path}({line},{column}): not valid JSON: {FirstSentence(ex.Message)} {fix}", ex)
        {
            FilePath = path,
            Line = line,
            Column = column,
            Fix = fix,
        };
    }

    private static string FirstSentence(string message)
    {
        // System.Text.Json appends "LineNumber: 0 | BytePositionInLine: 5." which we already report, 1-based.
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        }

        return (cut > 0 ? message[..cut] : message).Trim();
    }
}
