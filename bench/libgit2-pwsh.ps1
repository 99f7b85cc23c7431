# bench/libgit2-pwsh.ps1 - the PowerShell rows of bench/libgit2-vs-cli.sh: medians in ms, in-process
# git against the git CLI (GIT_CONFIG_PARAMETERS set), alternating, in this one warm pwsh. Prints
# "name in-process-ms git-cli-ms" lines.
param(
    [Parameter(Mandatory)] [string] $Fixture,
    [Parameter(Mandatory)] [string] $Repositories,
    [int] $Runs = 20,
    [int] $Warmup = 3
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../Harness.psd1')
$forceCli = "'harness.bench'='git-cli'"

function Measure-Pair([string] $Name, [scriptblock] $Work) {
    $inProcess = [Collections.Generic.List[double]]::new(); $byCli = [Collections.Generic.List[double]]::new()
    for ($i = 0; $i -lt $Warmup + $Runs; $i++) {
        foreach ($cli in $false, $true) {
            $env:GIT_CONFIG_PARAMETERS = if ($cli) { $forceCli } else { $null }
            $watch = [Diagnostics.Stopwatch]::StartNew(); $null = & $Work; $watch.Stop()
            if ($i -ge $Warmup) { ($cli ? $byCli : $inProcess).Add($watch.Elapsed.TotalMilliseconds) }
        }
    }
    $env:GIT_CONFIG_PARAMETERS = $null
    $median = { param($v) $s = $v | Sort-Object; $n = $s.Count; if ($n % 2) { $s[($n - 1) / 2] } else { ($s[$n / 2 - 1] + $s[$n / 2]) / 2 } }
    '{0} {1:F1} {2:F1}' -f $Name, (& $median $inProcess), (& $median $byCli)
}

$folders = @(Get-ChildItem -Directory -LiteralPath $Repositories)
Measure-Pair 'Invoke-SessionEntry_(warm_pwsh),_2,000_commits' { Invoke-SessionEntry -Path $Fixture -WarningAction SilentlyContinue }
Measure-Pair "Get-HarnessState_over_$($folders.Count)_repositories" { $folders | Get-HarnessState -WarningAction SilentlyContinue }
Measure-Pair "Invoke-SessionEntry_over_$($folders.Count)_repositories" { $folders | ForEach-Object { Invoke-SessionEntry -Path $_.FullName -WarningAction SilentlyContinue } }
