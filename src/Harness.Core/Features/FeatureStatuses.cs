namespace Harness.Core.Features;

/// <summary>The statuses a feature may have (DESIGN.md). Strings, because files may hold others, which validation reports.</summary>
public static class FeatureStatuses
{
    public const string Pending = "pending";
    public const string InProgress = "in_progress";
    public const string Tested = "tested";
    public const string Completed = "completed";
    public const string Blocked = "blocked";

    public static readonly IReadOnlyList<string> All = [Pending, InProgress, Tested, Completed, Blocked];

    public static bool IsKnown(string? status) => status is Pending or InProgress or Tested or Completed or Blocked;

    /// <summary>Done, as the seed counts it: tested or completed.</summary>
    public static bool IsDone(string? status) => status is Tested or Completed;

    /// <summary>
    /// Work still to do. The seed counts only "pending"; we count "in_progress" too, because a
    /// session that crashed mid-feature leaves it there, and calling that project complete would
    /// stop the loop with work undone.
    /// </summary>
    public static bool IsRemaining(string? status) => status is Pending or InProgress;
}
