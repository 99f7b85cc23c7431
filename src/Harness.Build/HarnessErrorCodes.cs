using Harness.Core.Errors;

namespace Harness.Build;

/// <summary>
/// The MSBuild codes of Core's error ids. Codes are public: CI filters and docs/msbuild.md name
/// them, so never renumber one; add new ids at the end.
/// </summary>
internal static class HarnessErrorCodes
{
    /// <summary>A Harness error whose id has no code of its own yet.</summary>
    public const string Other = "HARN0099";

    /// <summary>The health check says the project is broken and <c>HarnessFailOnBroken</c> is true.</summary>
    public const string ProjectBroken = "HARN0100";

    /// <summary>A Harness property has a value the task does not accept (HarnessOnCrash other than keep or rollback).</summary>
    public const string InvalidProperty = "HARN0101";

    /// <summary>Any warning the entry protocol reports (dirty previous session, unknown config field, ...).</summary>
    public const string EntryWarning = "HARN0200";

    /// <summary>The HarnessLoop target's loop stopped before the project was finished and <c>HarnessLoopFailWhenStoppedShort</c> is true.</summary>
    public const string LoopStoppedShort = "HARN0300";

    public static string For(string errorId) => errorId switch
    {
        ErrorIds.StateFileInvalid => "HARN0001",
        ErrorIds.ConfigFileInvalid => "HARN0002",
        ErrorIds.FeatureListInvalid => "HARN0003",
        ErrorIds.LockHeld => "HARN0004",
        ErrorIds.LockFileInvalid => "HARN0005",
        ErrorIds.ProjectNotFound => "HARN0006",
        ErrorIds.GitFailed => "HARN0007",
        ErrorIds.ProcessFailed => "HARN0008",
        ErrorIds.IoFailed => "HARN0009",
        ErrorIds.FeatureListMissing => "HARN0010",
        ErrorIds.FeatureNotFound => "HARN0011",
        ErrorIds.FeatureStatusInvalid => "HARN0012",
        ErrorIds.FeatureIdAmbiguous => "HARN0013",
        ErrorIds.NotARepository => "HARN0014",
        ErrorIds.NothingToCheckpoint => "HARN0015",
        ErrorIds.CheckpointNotFound => "HARN0016",
        ErrorIds.WorkTreeDirty => "HARN0017",
        ErrorIds.SessionUnknown => "HARN0018",
        _ => Other,
    };
}
