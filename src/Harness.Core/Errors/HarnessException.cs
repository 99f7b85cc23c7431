namespace Harness.Core.Errors;

/// <summary>
/// The one error type every front understands. Fronts map it to their host:
/// PowerShell builds an ErrorRecord from <see cref="ErrorId"/>, <see cref="Category"/> and
/// <see cref="FilePath"/>; MSBuild logs <c>file(line,col): error HARNxxxx</c>; the CLI prints
/// the message and exits 1.
/// </summary>
public class HarnessException : Exception
{
    public HarnessException(string errorId, HarnessErrorCategory category, string message, Exception? inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Category = category;
    }

    /// <summary>Stable identifier such as <c>Harness.StateFileInvalid</c>; scripts may match on it.</summary>
    public string ErrorId { get; }

    public HarnessErrorCategory Category { get; }

    /// <summary>The file the error is about, when there is one.</summary>
    public string? FilePath { get; init; }

    /// <summary>1-based line in <see cref="FilePath"/>, when known.</summary>
    public int? Line { get; init; }

    /// <summary>1-based column in <see cref="FilePath"/>, when known.</summary>
    public int? Column { get; init; }

    /// <summary>JSON path of the offending value (<c>$.timeout_seconds.health_check</c>), when known.</summary>
    public string? JsonPath { get; init; }

    /// <summary>What the user can do about it, one sentence.</summary>
    public string? Fix { get; init; }
}

/// <summary>Mirrors the PowerShell ErrorCategory values the fronts need, without referencing PowerShell.</summary>
public enum HarnessErrorCategory
{
    NotSpecified,
    InvalidArgument,
    InvalidData,
    ObjectNotFound,
    ResourceBusy,
    ResourceUnavailable,
    OperationTimeout,
    PermissionDenied,
    InvalidOperation,
}

/// <summary>Stable error ids. Never rename one: scripts and CI match on them.</summary>
public static class ErrorIds
{
    public const string ConfigFileInvalid = "Harness.ConfigFileInvalid";
    public const string StateFileInvalid = "Harness.StateFileInvalid";
    public const string FeatureListInvalid = "Harness.FeatureListInvalid";
    public const string FeatureNotFound = "Harness.FeatureNotFound";
    public const string FeatureStatusInvalid = "Harness.FeatureStatusInvalid";
    public const string FeatureIdAmbiguous = "Harness.FeatureIdAmbiguous";
    public const string FeatureListMissing = "Harness.FeatureListMissing";
    public const string FeatureListExists = "Harness.FeatureListExists";
    public const string LockHeld = "Harness.LockHeld";
    public const string LockFileInvalid = "Harness.LockFileInvalid";
    public const string ProjectNotFound = "Harness.ProjectNotFound";
    public const string GitFailed = "Harness.GitFailed";
    public const string ProcessFailed = "Harness.ProcessFailed";
    public const string IoFailed = "Harness.IoFailed";
    public const string PromptInvalid = "Harness.PromptInvalid";
    public const string NotARepository = "Harness.NotARepository";
    public const string NothingToCheckpoint = "Harness.NothingToCheckpoint";
    public const string CheckpointNotFound = "Harness.CheckpointNotFound";
    public const string WorkTreeDirty = "Harness.WorkTreeDirty";
    public const string SessionUnknown = "Harness.SessionUnknown";
    public const string SettingsFileInvalid = "Harness.SettingsFileInvalid";
}
