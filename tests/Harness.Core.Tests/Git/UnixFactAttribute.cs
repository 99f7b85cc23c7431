namespace Harness.Core.Tests.Git;

/// <summary>For tests that need a shell script standing in for git; reported as skipped on Windows, not passed.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "needs a POSIX shell script as a fake git executable";
        }
    }
}
