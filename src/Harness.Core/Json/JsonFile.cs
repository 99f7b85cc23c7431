using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Core.Errors;

namespace Harness.Core.Json;

/// <summary>
/// A JSON file as read from disk: its bytes (for locating errors and for the deserializer) and its
/// root element, which <see cref="JsonValidator"/> checks before anything is built from the file.
/// Writers that edit a document they do not own take a <see cref="JsonNode"/> from <see cref="ParseNode"/>.
/// </summary>
internal sealed class JsonFile
{
    /// <summary>How every JSON file and input is read: comments and trailing commas allowed, as people write them.</summary>
    internal static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary><see cref="ReaderOptions"/> for <see cref="JsonDocument"/> and <see cref="JsonNode"/>.</summary>
    internal static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = ReaderOptions.CommentHandling,
        AllowTrailingCommas = ReaderOptions.AllowTrailingCommas,
    };

    /// <summary>Longest line of an error message; the reader's own messages can quote the rest of the file.</summary>
    private const int MaxMessageLine = 300;

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
        if (IO.FileBytes.ReadIfExists(path) is not { } bytes)
        {
            return null;
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
            throw NotJson(path, json.Span, ex, errorId, fix);
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
            throw NotJson(path, json.Span, ex, errorId, fix);
        }
    }

    /// <summary>Serializes a node the way every harness file is written: indented, UTF-8, readable non-ASCII, trailing newline.</summary>
    public static byte[] Serialize(JsonNode node) => System.Text.Encoding.UTF8.GetBytes(HarnessJson.Serialize(node) + "\n");

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

    /// <summary>
    /// One line: where, the JSON path, the reader's reason. The reader quotes an invalid literal with
    /// everything after it (<c>'tru, "iteration": ...'</c>, the rest of the file) and points past it;
    /// the error points at the word and quotes only the word.
    /// </summary>
    private static HarnessException NotJson(string path, ReadOnlySpan<byte> json, JsonException ex, string errorId, string fix)
    {
        var line = (int)(ex.LineNumber ?? 0) + 1;
        var (lineStart, start, end) = WordAt(json, line, (int)(ex.BytePositionInLine ?? 0));
        var column = System.Text.Encoding.UTF8.GetCharCount(json[lineStart..start]) + 1;
        var reason = FirstSentences(ex.Message);
        if (reason.StartsWith('\'') && reason.IndexOf("' is ", 1, StringComparison.Ordinal) is var quoteEnd and > 0 && quoteEnd - 1 > end - start && end > start)
        {
            reason = $"'{JsonValidator.Cut(System.Text.Encoding.UTF8.GetString(json[start..end]))}{reason[quoteEnd..]}";
        }

        var jsonPath = JsonLocator.PathOfError(json);
        return new HarnessException(errorId, HarnessErrorCategory.InvalidData, $"{path}({line},{column}): {jsonPath}: not valid JSON: {OneLine(reason)}\n{fix}", ex)
        {
            FilePath = path,
            Line = line,
            Column = column,
            JsonPath = jsonPath,
            Fix = fix,
        };
    }

    /// <summary>
    /// Byte offsets of a 1-based line and of the word at (or just before) a 0-based byte position in
    /// it: a run of anything but spaces, quotes and JSON punctuation; empty when there is none.
    /// </summary>
    private static (int LineStart, int Start, int End) WordAt(ReadOnlySpan<byte> json, int line, int byteInLine)
    {
        var lineStart = 0;
        for (var l = 1; l < line && lineStart < json.Length; lineStart++)
        {
            if (json[lineStart] == (byte)'\n')
            {
                l++;
            }
        }

        var at = Math.Min(lineStart + byteInLine, json.Length);
        var start = at;
        while (start > lineStart && IsWordByte(json[start - 1]))
        {
            start--;
        }

        var end = start;
        while (end < json.Length && IsWordByte(json[end]))
        {
            end++;
        }

        return end > start ? (lineStart, start, end) : (lineStart, at, at);
    }

    private static bool IsWordByte(byte b) => " \t\r\n,:[]{}\"/"u8.IndexOf(b) < 0;

    /// <summary>The reader's or serializer's message without the position it appends, as one bounded line.</summary>
    internal static string Reason(JsonException ex) => OneLine(FirstSentences(ex.Message));

    /// <summary>A message as one line of bounded length.</summary>
    internal static string OneLine(string message)
    {
        var text = string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return text.Length <= MaxMessageLine ? text : text[..(MaxMessageLine - 3)] + "...";
    }

    private static string FirstSentences(string message)
    {
        // System.Text.Json appends "Path: $.x | LineNumber: 0 | BytePositionInLine: 5.", which we report ourselves.
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal) is var path and > 0 ? path : message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).Trim();
    }
}
