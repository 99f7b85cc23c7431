#Requires -Version 7.4
<#
.SYNOPSIS
    Runs the Pester tests of the Harness module; exits 1 when any test fails.
.DESCRIPTION
    The module must be built first (dotnet build src/Harness.PowerShell), or pass -Build.
    From the repository root, with the PowerShell pinned in .config/dotnet-tools.json:
        dotnet tool restore
        dotnet pwsh -NoProfile -File tests/Pester/run.ps1 -Build
    Run it in a fresh process so the module under test is the one just built.

    Pester: -PesterPath if given; else the version pinned in tests/Pester/Pester.proj when it is
    restored in tests/Pester/packages; else a Pester 5 installed as a module (Install-Module);
    else this script restores the pinned one (dotnet restore tests/Pester/Pester.proj) and uses it.
#>
[CmdletBinding()]
param(
    # Build the module before testing.
    [switch] $Build,
    # Pester output: None, Normal, Detailed, Diagnostic.
    [string] $Verbosity = 'Detailed',
    # Pester's manifest (…/Pester.psd1) or its folder, to run on that Pester instead.
    [string] $PesterPath
)

$ErrorActionPreference = 'Stop'
$root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).ProviderPath

if ($Build) {
    & dotnet build (Join-Path $root 'src/Harness.PowerShell') --nologo -v quiet
    if ($LASTEXITCODE -ne 0) { Write-Error 'dotnet build failed'; exit 1 }
}

if (-not (Test-Path -LiteralPath (Join-Path $root 'module/Harness/Harness.PowerShell.dll'))) {
    Write-Error "The module is not built: run 'dotnet build src/Harness.PowerShell' (or pass -Build)."
    exit 1
}

# Where `dotnet restore Pester.proj` puts the pinned Pester: packages/pester/<version>/tools/Pester.psd1.
function Get-PinnedPesterManifest {
    $project = Join-Path $PSScriptRoot 'Pester.proj'
    $download = ([xml] (Get-Content -Raw -LiteralPath $project)).Project.ItemGroup.PackageDownload | Where-Object Include -EQ 'Pester'
    if (-not $download) { throw "${project}: no <PackageDownload Include=""Pester"" Version=""[x.y.z]"" />; restore it from git." }
    $version = $download.Version.Trim('[', ']')
    [IO.Path]::Combine($PSScriptRoot, 'packages', 'pester', $version, 'tools', 'Pester.psd1')
}

if ($PesterPath) {
    $pester = if (Test-Path -LiteralPath $PesterPath -PathType Container) { Join-Path $PesterPath 'Pester.psd1' } else { $PesterPath }
    if (-not (Test-Path -LiteralPath $pester -PathType Leaf)) { Write-Error "-PesterPath ${PesterPath}: no Pester.psd1 there; pass the manifest or the folder holding it."; exit 1 }
}
else {
    $pester = Get-PinnedPesterManifest
    if (-not (Test-Path -LiteralPath $pester)) {
        $installed = Get-Module Pester -ListAvailable | Where-Object { $_.Version.Major -eq 5 } | Sort-Object Version -Descending | Select-Object -First 1
        if ($installed) {
            $pester = $installed.Path
        }
        else {
            & dotnet restore (Join-Path $PSScriptRoot 'Pester.proj') --nologo -v quiet
            if ($LASTEXITCODE -ne 0 -or -not (Test-Path -LiteralPath $pester)) {
                Write-Error "Pester 5 is not installed and 'dotnet restore tests/Pester/Pester.proj' did not provide $pester (Install-Module Pester -RequiredVersion 5.x, or pass -PesterPath)."
                exit 1
            }
        }
    }
}
Import-Module $pester
Write-Host "Pester $((Get-Module Pester).Version) from $((Get-Module Pester).ModuleBase)"

$configuration = New-PesterConfiguration
# The test files of this folder only: packages/ holds Pester itself.
$configuration.Run.Path = @(Get-ChildItem -LiteralPath $PSScriptRoot -Filter '*.Tests.ps1' -File | ForEach-Object FullName)
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = $Verbosity
$result = Invoke-Pester -Configuration $configuration

if ($result.Result -ne 'Passed' -or $result.FailedCount -gt 0) {
    exit 1
}

exit 0
