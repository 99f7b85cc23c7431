using System.Management.Automation;
using Harness.Core.Errors;
using Harness.PowerShell.Hosting;

namespace Harness.PowerShell.Commands;

/// <summary>
/// What every Harness cmdlet shares: provider-path resolution, the host, cancellation on Ctrl+C,
/// and the one mapping from a Core error to an <see cref="ErrorRecord"/>. No Harness behaviour lives here.
/// </summary>
public abstract class HarnessCmdlet : PSCmdlet
{
    /// <summary>Error id when -Path names something outside the file system (a registry key, a variable).</summary>
    public const string PathNotFileSystemErrorId = "Harness.PathNotFileSystem";

    private readonly CancellationTokenSource _stopping = new();
    private CmdletHost? _host;

    /// <summary>Cancelled when the user presses Ctrl+C.</summary>
    internal CancellationToken CancelOnStop => _stopping.Token;

    internal CmdletHost HarnessHost => _host ??= new CmdletHost(this);

    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>
    /// A file-system path for Core: PowerShell's current location when <paramref name="path"/> is
    /// empty, else <paramref name="path"/> resolved literally (no wildcards) against the current
    /// location and drives, as PowerShell users expect (Core's process directory is not the location).
    /// </summary>
    internal string ResolvePath(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return SessionState.Path.CurrentFileSystemLocation.ProviderPath;
        }

        var resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
        if (!string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase))
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException($"{path}: not a file system path (provider {provider.Name}). Pass a project folder."),
                PathNotFileSystemErrorId,
                ErrorCategory.InvalidArgument,
                path));
        }

        return resolved;
    }

    /// <summary>Opens the project a resolved folder (or file) is in; dispose it when the item is done, which releases the lock.</summary>
    internal Harness.Core.Project.HarnessProject OpenProject(string directory) =>
        Harness.Core.Project.HarnessProject.OpenAsync(directory, HarnessHost, cancellationToken: CancelOnStop).GetAwaiter().GetResult();

    /// <summary>
    /// Reports a failure of one item: bad input (a Core InvalidArgument) stops the command; anything
    /// else is written as a non-terminating error so the pipeline goes on with the next item.
    /// </summary>
    internal void ReportError(Exception exception, object? target)
    {
        var record = ToErrorRecord(exception, target);
        if (exception is HarnessException { Category: HarnessErrorCategory.InvalidArgument })
        {
            ThrowTerminatingError(record);
        }

        WriteError(record);
    }

    /// <summary>True for the exceptions a Harness cmdlet reports as errors rather than letting them escape.</summary>
    internal static bool IsReportable(Exception exception) =>
        exception is HarnessException or IOException or UnauthorizedAccessException;

    /// <summary>An ErrorRecord with Core's stable error id, the matching category and the file as target.</summary>
    internal static ErrorRecord ToErrorRecord(Exception exception, object? target)
    {
        if (exception is HarnessException harness)
        {
            var record = new ErrorRecord(harness, harness.ErrorId, Map(harness.Category), harness.FilePath ?? target);
            if (harness.Fix is not null)
            {
                record.ErrorDetails = new ErrorDetails(harness.Message) { RecommendedAction = harness.Fix };
            }

            return record;
        }

        var category = exception is UnauthorizedAccessException ? ErrorCategory.PermissionDenied : ErrorCategory.WriteError;
        return new ErrorRecord(exception, ErrorIds.IoFailed, category, target);
    }

    internal static ErrorCategory Map(HarnessErrorCategory category) => category switch
    {
        HarnessErrorCategory.InvalidArgument => ErrorCategory.InvalidArgument,
        HarnessErrorCategory.InvalidData => ErrorCategory.InvalidData,
        HarnessErrorCategory.ObjectNotFound => ErrorCategory.ObjectNotFound,
        HarnessErrorCategory.ResourceBusy => ErrorCategory.ResourceBusy,
        HarnessErrorCategory.ResourceUnavailable => ErrorCategory.ResourceUnavailable,
        HarnessErrorCategory.OperationTimeout => ErrorCategory.OperationTimeout,
        HarnessErrorCategory.PermissionDenied => ErrorCategory.PermissionDenied,
        HarnessErrorCategory.InvalidOperation => ErrorCategory.InvalidOperation,
        _ => ErrorCategory.NotSpecified,
    };
}
