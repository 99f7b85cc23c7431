BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Initialize-HarnessTestEnvironment
}

# Issue 14 in the PowerShell host: LibGit2Sharp and libgit2 load from the module folder, and the
# entry and a checkpoint run git in-process. A recording git first on PATH sees no call.
Describe 'git in-process' -Skip:$IsWindows {
    BeforeEach {
        $script:recorder = Join-Path $TestDrive "bin-$([guid]::NewGuid().ToString('N'))"
        $null = New-Item -ItemType Directory -Path $script:recorder
        $script:calls = Join-Path $script:recorder 'calls.log'
        $realGit = (Get-Command git -CommandType Application | Select-Object -First 1).Source
        Set-Content -LiteralPath (Join-Path $script:recorder 'git') -Value "#!/bin/sh`necho `"`$*`" >> '$script:calls'`nexec '$realGit' `"`$@`"`n" -NoNewline
        & chmod +x (Join-Path $script:recorder 'git')
        $script:savedPath = $env:PATH
    }

    AfterEach { $env:PATH = $script:savedPath }

    It 'Invoke-SessionEntry and Save-Checkpoint start no git process' {
        $repo = New-HarnessTestRepo
        Set-Content -LiteralPath (Join-Path $repo 'notes.txt') -Value 'written by the agent'
        $env:PATH = $script:recorder + [IO.Path]::PathSeparator + $env:PATH

        $entry = Invoke-SessionEntry -Path $repo -WarningAction SilentlyContinue
        $checkpoint = Save-Checkpoint -Path $repo -Reason 'in-process' -WarningAction SilentlyContinue
        $env:PATH = $script:savedPath

        $entry.Git.Repository.IsRepository | Should -BeTrue
        $entry.Git.Repository.Error | Should -BeNullOrEmpty
        $checkpoint.Commit | Should -Be (& git -C $repo rev-parse HEAD).Trim()
        (& git -C $repo show HEAD:notes.txt) | Should -Be 'written by the agent'
        $(if (Test-Path $script:calls) { Get-Content $script:calls }) | Should -BeNullOrEmpty -Because 'no git process may start'
    }

    It 'loads LibGit2Sharp in the module''s own load context and libgit2 from the module folder' {
        $repo = New-HarnessTestRepo
        $null = Invoke-SessionEntry -Path $repo -WarningAction SilentlyContinue

        $libgit2Sharp = [AppDomain]::CurrentDomain.GetAssemblies().Where({ $_.GetName().Name -eq 'LibGit2Sharp' })
        $libgit2Sharp.Count | Should -Be 1
        $dependencies = Split-Path $libgit2Sharp[0].Location
        $dependencies | Should -BeLike '*/module/Harness/dependencies'
        [Runtime.Loader.AssemblyLoadContext]::GetLoadContext($libgit2Sharp[0]).Name | Should -Be 'Harness'
        if ($IsLinux) {
            "$(Get-Content /proc/self/maps | Select-String 'git2-' | Select-Object -First 1)" | Should -BeLike "*$dependencies/runtimes/*/native/*git2*"
        }
        foreach ($rid in 'linux-x64', 'win-x64', 'osx-arm64') {
            @(Get-ChildItem (Join-Path $dependencies "runtimes/$rid/native") -Filter '*git2*').Count | Should -Be 1 -Because "the module carries libgit2 for $rid"
        }
    }

}
