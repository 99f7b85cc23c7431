# Shared by the *.Tests.ps1 files (dot-sourced in BeforeAll). Not a test file itself.

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).ProviderPath
$script:Manifest = Join-Path $script:RepoRoot 'Harness.psd1'

function Initialize-HarnessTestEnvironment {
    # Git must not see the developer's configuration, and commits need an identity.
    $global:gitConfig = Join-Path $TestDrive 'gitconfig'
    Set-Content -LiteralPath $global:gitConfig -Value ''
    $env:GIT_CONFIG_GLOBAL = $global:gitConfig
    $env:GIT_CONFIG_NOSYSTEM = '1'
    $env:GIT_AUTHOR_NAME = 'Harness Test'
    $env:GIT_AUTHOR_EMAIL = 'harness-test@example.invalid'
    $env:GIT_COMMITTER_NAME = 'Harness Test'
    $env:GIT_COMMITTER_EMAIL = 'harness-test@example.invalid'
    $env:GIT_TERMINAL_PROMPT = '0'
    Import-Module $script:Manifest -Force -ErrorAction Stop
}

# Runs git in a folder: Invoke-TestGit DIRECTORY GIT-ARGUMENTS...; throws with git's output when git fails.
# A simple function with no declared parameters on purpose: git's options must reach git as they are,
# while a declared parameter takes any option that is a prefix of its name (`add -A` bound -Arguments).
function Invoke-TestGit {
    if ($args.Count -lt 2) { throw 'Invoke-TestGit DIRECTORY GIT-ARGUMENTS...' }
    $directory = [string] $args[0]
    $gitArguments = [string[]] $args[1..($args.Count - 1)]
    $output = & git -C $directory @gitArguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "git $gitArguments failed in ${directory}: $output" }
}

# The command that starts a fresh pwsh of the same installation: its executable, or, for the
# PowerShell dotnet tool (whose process is dotnet), dotnet with $PSHOME/pwsh.dll.
# Usage: $pwsh, $pwshArguments = Get-TestPwshCommand; & $pwsh @pwshArguments -NoProfile ...
function Get-TestPwshCommand {
    $executable = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($executable) -eq 'dotnet') {
        return $executable, @(Join-Path $PSHOME 'pwsh.dll')
    }
    $executable, @()
}

# A new git repository under $TestDrive with one commit; returns its full path.
function New-HarnessTestRepo {
    param([string] $Parent = $TestDrive, [string] $Name = ('repo-' + [guid]::NewGuid().ToString('N').Substring(0, 8)))
    $dir = Join-Path $Parent $Name
    New-Item -ItemType Directory -Path $dir -Force | Out-Null
    Invoke-TestGit $dir -c init.defaultBranch=main init --quiet
    Set-Content -LiteralPath (Join-Path $dir 'README.md') -Value '# test project'
    Invoke-TestGit $dir add README.md
    Invoke-TestGit $dir commit --quiet -m 'initial commit'
    $dir
}

# Writes .claude/progress/feature-list.json with features given as 'id=status' strings.
function Set-HarnessTestFeatures {
    param([Parameter(Mandatory)] [string] $Root, [Parameter(Mandatory)] [string[]] $Features)
    $progress = Join-Path $Root '.claude/progress'
    New-Item -ItemType Directory -Path $progress -Force | Out-Null
    $list = [ordered]@{
        features = @($Features | ForEach-Object {
                $id, $status = $_ -split '=', 2
                [ordered]@{ id = $id; name = "Feature $id"; description = "Does $id"; category = 'functional'; steps = @('do it'); status = $status; attempts = 0; notes = '' }
            })
    }
    $path = [IO.Path]::Combine($Root, '.claude', 'progress', 'feature-list.json')
    $list | ConvertTo-Json -Depth 5 | Set-Content -LiteralPath $path -Encoding utf8NoBOM
    $path
}

# Every file under a folder (except .git) with its content hash: to prove -WhatIf wrote nothing.
function Get-TreeSnapshot {
    param([Parameter(Mandatory)] [string] $Root)
    Get-ChildItem -LiteralPath $Root -Recurse -Force -File |
        Where-Object { $_.FullName -notmatch '[\\/]\.git([\\/]|$)' } |
        ForEach-Object { '{0} {1}' -f $_.FullName.Substring($Root.Length), (Get-FileHash -LiteralPath $_.FullName).Hash } |
        Sort-Object
}
