namespace Harness.PowerShell;
