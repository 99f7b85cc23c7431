namespace Harness.Core.Hosting;

/// <summary>
/// What Core may ask of whoever hosts it (a cmdlet, an MSBuild task, the CLI): progress and
/// diagnostics flow out through it, so Core never references a host's own types.
/// </summary>
public interface IHarnessHost
{
    /// <summary>Detail for -Verbose / MSBuild low importance / CLI --verbose.</summary>
    void WriteVerbose(string message);

    /// <summary>Something the user should see but that does not stop the operation.</summary>
    void WriteWarning(string message);
}

/// <summary>A host that drops everything; the default when the caller passes none.</summary>
public sealed class NullHost : IHarnessHost
{
    public static readonly NullHost Instance = new();

    private NullHost()
    {
    }

    public void WriteVerbose(string message)
    {
    }

    public void WriteWarning(string message)
    {
    }
}
