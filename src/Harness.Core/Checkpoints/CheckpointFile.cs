using System.Text.Json;
using Harness.Core.IO;
using Harness.Core.Json;
using Harness.Core.Json.Contracts;

namespace Harness.Core.Checkpoints;

/// <summary>
/// <c>.claude/progress/checkpoint.json</c>: the newest checkpoint (docs/formats.md). The refs are the
/// record; this file is a copy for people and tools, so fields a tool added to it are carried into
/// the next one, and a copy that no longer parses is simply replaced.
/// </summary>
internal static class CheckpointFile
{
    public static void Write(string path, Checkpoint checkpoint) =>
        AtomicFile.Write(path, ToBytes(checkpoint, ReadUnknownFields(path)));

    internal static byte[] ToBytes(Checkpoint checkpoint, Dictionary<string, JsonElement>? unknownFields = null) =>
        HarnessJson.FileBytes(CheckpointJson.From(checkpoint) with { UnknownFields = unknownFields }, HarnessJsonContext.Default.CheckpointJson);

    private static Dictionary<string, JsonElement>? ReadUnknownFields(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(JsonFile.SkipBom(File.ReadAllBytes(path)).Span, HarnessJsonContext.Default.CheckpointJson)?.UnknownFields;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
