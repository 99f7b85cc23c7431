namespace Harness.Cli;

/// <summary>DESIGN.md's exit codes 0-4, and 5 (Outage) added by docs/loop.md; scripts and CI branch on them, so they never change meaning.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int InputError = 1;
    public const int Blocked = 2;
    public const int Broken = 3;
    public const int StoppedShort = 4;

    /// <summary><c>harness loop</c> gave up on an API outage or a usage limit (<c>Outage</c>): nothing is wrong with the project; run it again later.</summary>
    public const int Outage = 5;
}
