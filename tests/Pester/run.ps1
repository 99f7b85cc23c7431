#Requires -Version 7.4
<#
.SYNOPSIS
    Runs the Pester tests of the Harness module; exits 1 when any test fails.
.DESCRIPTION
    The module must be built first (dotnet build src/Harness.PowerShell), or pass -Build.
    Run it in a fresh process so the module under test is the one just built:
        pwsh -NoProfile -File tests/Pester/run.ps1
#>
[CmdletBinding()]
param(
    # Build the module before testing.
    [switch] $Build,
    # Pester output: None, Normal, Detailed, Diagnostic.
    [string] $Verbosity = 'Detailed'
)

$ErrorActionPreference = 'Stop'
$root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).ProviderPath

if ($Build) {
    & dotnet build (Join-Path $root 'src/Harness.PowerShell') --nologo -v quiet
    if ($LASTEXITCODE -ne 0) { Write-Error 'dotnet build failed'; exit 1 }
}

if (-not (Test-Path -LiteralPath (Join-Path $root 'module/bin/Harness.PowerShell.dll'))) {
    Write-Error "The module is not built: run 'dotnet build src/Harness.PowerShell' (or pass -Build)."
    exit 1
}

$pester = Get-Module Pester -ListAvailable | Where-Object Version -GE ([version]'5.0') | Sort-Object Version -Descending | Select-Object -First 1
if (-not $pester) { Write-Error 'Pester 5 is not installed (Install-Module Pester -MinimumVersion 5.0).'; exit 1 }
Import-Module $pester

$configuration = New-PesterConfiguration
$configuration.Run.Path = $PSScriptRoot
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = $Verbosity
$result = Invoke-Pester -Configuration $configuration

if ($result.Result -ne 'Passed' -or $result.FailedCount -gt 0) {
    exit 1
}

exit 0
