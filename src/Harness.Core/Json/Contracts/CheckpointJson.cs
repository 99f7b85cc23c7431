using System.Text.Json;
using System.Text.Json.Serialization;
using Harness.Core.Checkpoints;

namespace Harness.Core.Json.Contracts;

/// <summary>
/// checkpoint.json (the newest checkpoint) and every checkpoint in the fronts' output
/// (docs/formats.md, "Checkpoints"). Fields another tool added to checkpoint.json are carried into
/// the next one the harness writes.
/// </summary>
internal sealed record CheckpointJson
{
    public required string Name { get; init; }

    public required string Ref { get; init; }

    public required string Commit { get; init; }

    public bool CreatedCommit { get; init; }

    public required string CheckpointAt { get; init; }

    public string? State { get; init; }

    public required string HealthStatus { get; init; }

    public string? SessionId { get; init; }

    public string? Branch { get; init; }

    public bool Detached { get; init; }

    public required CheckpointFeaturesJson Features { get; init; }

    public string? Reason { get; init; }

    public string? Message { get; init; }

    public bool HarnessIdentity { get; init; }

    public bool LastGood { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? UnknownFields { get; set; }

    public static CheckpointJson From(Checkpoint c) => new()
    {
        Name = c.Name,
        Ref = c.Ref,
        Commit = c.Commit,
        CreatedCommit = c.CreatedCommit,
        CheckpointAt = WireText.Of(c.Time),
        State = WireText.Of(c.State),
        HealthStatus = WireText.Of(c.Health),
        SessionId = c.SessionId,
        Branch = c.Branch,
        Detached = c.Detached,
        Features = new CheckpointFeaturesJson(c.FeaturesTotal, c.FeaturesDone, c.FeaturesRemaining, c.FeaturesBlocked),
        Reason = c.Reason,
        Message = c.Message,
        HarnessIdentity = c.UsedHarnessIdentity,
        LastGood = c.IsLastGood,
    };
}

/// <summary>A checkpoint's <c>features</c>: the counts when it was taken.</summary>
internal sealed record CheckpointFeaturesJson(int Total, int Done, int Remaining, int Blocked);
