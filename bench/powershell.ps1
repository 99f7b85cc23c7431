#Requires -Version 7.4
<#
.SYNOPSIS
    Times the PowerShell front on the 2,000-commit / 10,000-feature fixture (bench/make-fixture.sh):
    warm in-process Invoke-SessionEntry -SkipHealthCheck, and 100 piped features into
    Set-HarnessFeature against one call with the same 100 ids.
.DESCRIPTION
    dotnet tool restore; dotnet build src/Harness.PowerShell
    dotnet pwsh -NoProfile -File bench/powershell.ps1 [-Manifest path/to/Harness.psd1] [-Runs 50]
    -Manifest times another build of the module (an older commit's, for a before/after in one run).
#>
[CmdletBinding()]
param(
    [string] $Manifest = (Join-Path $PSScriptRoot '../Harness.psd1'),
    [string] $Fixture = (Join-Path $PSScriptRoot 'fixtures/entry-c2000-f10000'),
    [int] $Runs = 50
)
$ErrorActionPreference = 'Stop'

if (-not (Test-Path -LiteralPath (Join-Path $Fixture '.claude/progress/feature-list.json'))) {
    & bash (Join-Path $PSScriptRoot 'make-fixture.sh') $Fixture | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "make-fixture.sh failed" }
}
Import-Module $Manifest -Force

function Measure-Runs([scriptblock] $Action, [int] $Count) {
    $times = foreach ($i in 1..$Count) {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        & $Action | Out-Null
        $watch.Elapsed.TotalMilliseconds
    }
    $sorted = @($times | Sort-Object)
    [pscustomobject]@{
        MedianMs = [math]::Round($sorted[[int][math]::Floor(($sorted.Count - 1) / 2)], 2)
        P90Ms    = [math]::Round($sorted[[int][math]::Floor(($sorted.Count - 1) * 0.9)], 2)
        MinMs    = [math]::Round($sorted[0], 2)
        Runs     = $sorted.Count
    }
}

# Warm: the module, Core and the JIT are loaded by the first calls.
1..5 | ForEach-Object { Invoke-SessionEntry -Path $Fixture -SkipHealthCheck | Out-Null }
$entry = Measure-Runs { Invoke-SessionEntry -Path $Fixture -SkipHealthCheck } $Runs
"Invoke-SessionEntry -SkipHealthCheck (warm, in-process): median $($entry.MedianMs) ms, p90 $($entry.P90Ms) ms, min $($entry.MinMs) ms over $($entry.Runs) runs"

# Set-HarnessFeature on a copy of the fixture's list (a project of its own: .claude/progress).
# -Path, not -LiteralPath: the paths have no wildcard characters, and older builds have no -LiteralPath.
$copy = Join-Path ([IO.Path]::GetTempPath()) "harness-bench-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
New-Item -ItemType Directory -Path (Join-Path $copy '.claude/progress') -Force | Out-Null
try {
    $list = Join-Path $copy '.claude/progress/feature-list.json'
    Copy-Item -LiteralPath (Join-Path $Fixture '.claude/progress/feature-list.json') -Destination $list
    $original = [IO.File]::ReadAllBytes($list)
    $ids = @(Get-HarnessFeature -Path $copy -Status pending | Select-Object -First 100 | ForEach-Object Id)

    [IO.File]::WriteAllBytes($list, $original)
    $features = @(Get-HarnessFeature -Path $copy -Id $ids)
    $piped = Measure-Command { $features | Set-HarnessFeature -Status in_progress }
    [IO.File]::WriteAllBytes($list, $original)
    $once = Measure-Command { Set-HarnessFeature -Path $copy -Id $ids -Status in_progress }
    "Set-HarnessFeature, 100 piped features on a 10,000-feature list: $([math]::Round($piped.TotalMilliseconds)) ms; the same 100 ids in one call: $([math]::Round($once.TotalMilliseconds)) ms"
}
finally {
    Remove-Item -Path $copy -Recurse -Force
}
