namespace Harness.PowerShell.Tests.InProcess;

/// <summary>A test that runs a POSIX shell script as the agent.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "runs a POSIX shell script as the agent";
        }
    }
}
