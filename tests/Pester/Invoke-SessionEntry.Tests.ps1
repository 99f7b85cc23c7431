BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Initialize-HarnessTestEnvironment
}

Describe 'Invoke-SessionEntry' {
    It 'returns a typed report and records the entry in state.json' {
        $repo = New-HarnessTestRepo
        $report = Invoke-SessionEntry -Path $repo -SkipHealthCheck -WarningAction SilentlyContinue

        $report | Should -BeOfType ([Harness.Core.Entry.EntryReport])
        $report.Directory | Should -Be $repo
        $report.NextState | Should -Be 'INIT'
        $report.DryRun | Should -BeFalse
        Join-Path $repo '.claude/progress/state.json' | Should -Exist
        (Get-HarnessState -Path $repo).State | Should -Be 'INIT'
    }

    It 'decides IMPLEMENT while features are pending and names the next one' {
        $repo = New-HarnessTestRepo
        Set-HarnessTestFeatures -Root $repo -Features 'f1=completed', 'f2=pending' | Out-Null

        $report = Invoke-SessionEntry -Path $repo -SkipHealthCheck -WarningAction SilentlyContinue

        $report.NextState | Should -Be 'IMPLEMENT'
        $report.Features.NextFeature.Id | Should -Be 'f2'
    }

    It 'decides FIX_BROKEN when the health check fails' {
        $repo = New-HarnessTestRepo
        New-Item -ItemType Directory -Path (Join-Path $repo '.claude/config') -Force | Out-Null
        '{ "health_check": "exit 1" }' | Set-Content -LiteralPath (Join-Path $repo '.claude/config/project.json')

        $report = Invoke-SessionEntry -Path $repo -WarningAction SilentlyContinue

        $report.HealthStatus | Should -Be 'BROKEN'
        $report.NextState | Should -Be 'FIX_BROKEN'
    }

    It '-WhatIf runs a dry run that writes nothing' {
        $repo = New-HarnessTestRepo
        Set-HarnessTestFeatures -Root $repo -Features 'f1=pending' | Out-Null
        $before = Get-TreeSnapshot $repo

        $report = Invoke-SessionEntry -Path $repo -SkipHealthCheck -WhatIf -WarningAction SilentlyContinue

        $report.DryRun | Should -BeTrue
        $report.NextState | Should -Be 'IMPLEMENT'
        Join-Path $repo '.claude/progress/state.json' | Should -Not -Exist
        Get-TreeSnapshot $repo | Should -Be $before
    }

    It 'resolves a relative -Path against the current PowerShell location' {
        $parent = Join-Path $TestDrive ('rel-' + [guid]::NewGuid().ToString('N').Substring(0, 6))
        $repo = New-HarnessTestRepo -Parent $parent -Name 'app'
        Push-Location $parent
        try {
            $report = Invoke-SessionEntry -Path ./app -SkipHealthCheck -WhatIf -WarningAction SilentlyContinue
            Push-Location ./app
            try { $default = Invoke-SessionEntry -SkipHealthCheck -WhatIf -WarningAction SilentlyContinue } finally { Pop-Location }
        }
        finally {
            Pop-Location
        }

        $report.Directory | Should -Be $repo
        $default.Directory | Should -Be $repo
    }

    It 'takes folders from Get-ChildItem -Directory' {
        $parent = Join-Path $TestDrive ('many-' + [guid]::NewGuid().ToString('N').Substring(0, 6))
        $a = New-HarnessTestRepo -Parent $parent -Name 'a'
        $b = New-HarnessTestRepo -Parent $parent -Name 'b'

        $reports = Get-ChildItem -LiteralPath $parent -Directory | Invoke-SessionEntry -SkipHealthCheck -WhatIf -WarningAction SilentlyContinue

        $reports.Directory | Sort-Object | Should -Be @($a, $b)
    }

    It '-Verbose shows what the entry protocol did' {
        $repo = New-HarnessTestRepo
        $verbose = Invoke-SessionEntry -Path $repo -SkipHealthCheck -Verbose -WarningAction SilentlyContinue 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } |
            ForEach-Object Message

        $verbose | Should -Contain "Project root: $repo"
        ($verbose -join "`n") | Should -Match 'Next state: INIT'
        ($verbose -join "`n") | Should -Match 'State: created'
    }

    It 'reports an invalid state.json as Harness.StateFileInvalid with the file as target, and leaves it alone' {
        $repo = New-HarnessTestRepo
        $state = [IO.Path]::Combine($repo, '.claude', 'progress', 'state.json')
        New-Item -ItemType Directory -Path (Split-Path $state) -Force | Out-Null
        '{ "state": ' | Set-Content -LiteralPath $state
        $before = Get-FileHash -LiteralPath $state

        $report = Invoke-SessionEntry -Path $repo -SkipHealthCheck -ErrorVariable errors -ErrorAction SilentlyContinue -WarningAction SilentlyContinue

        $report | Should -BeNullOrEmpty
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'Harness.StateFileInvalid,*'
        $errors[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $errors[0].TargetObject | Should -Be $state
        (Get-FileHash -LiteralPath $state).Hash | Should -Be $before.Hash
    }

    It 'writes one error per bad folder and goes on with the others' {
        $repo = New-HarnessTestRepo
        $missing = Join-Path $TestDrive 'does-not-exist'

        $reports = $missing, $repo | Invoke-SessionEntry -SkipHealthCheck -WhatIf -ErrorVariable errors -ErrorAction SilentlyContinue -WarningAction SilentlyContinue

        @($reports).Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'Harness.ProjectNotFound,*'
        $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'stops on a path outside the file system' {
        $err = { Invoke-SessionEntry -Path 'Env:\PATH' -WhatIf } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Harness.PathNotFileSystem,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'formats as a table and converts to JSON without errors' {
        $repo = New-HarnessTestRepo
        $report = Invoke-SessionEntry -Path $repo -SkipHealthCheck -WhatIf -WarningAction SilentlyContinue

        $table = $report | Format-Table | Out-String -Width 200
        $table | Should -Match 'Next'
        { $report | Format-List * | Out-String } | Should -Not -Throw
        ($report | ConvertTo-Json -Depth 6 | ConvertFrom-Json).NextState | Should -Not -BeNullOrEmpty
    }

    Context '-OnCrash' {
        BeforeEach {
            # A checkpoint, then a session that crashed: state.json still dirty, an untracked file left behind.
            $script:repo = New-HarnessTestRepo
            $script:checkpoint = Save-Checkpoint -Path $script:repo -WarningAction SilentlyContinue
            New-Item -ItemType Directory -Path (Join-Path $script:repo '.claude/progress') -Force | Out-Null
            '{ "state": "IMPLEMENT", "dirty": true, "session_id": "s1" }' |
                Set-Content -LiteralPath ([IO.Path]::Combine($script:repo, '.claude', 'progress', 'state.json'))
            Set-Content -LiteralPath (Join-Path $script:repo 'half-done.txt') -Value 'crashed mid-way'
        }

        It 'keeps the tree by default and reports the crash' {
            $report = Invoke-SessionEntry -Path $script:repo -SkipHealthCheck -WarningAction SilentlyContinue

            $report.Crash.SessionId | Should -Be 's1'
            $report.Crash.Policy | Should -Be 'Keep'
            $report.Crash.Action | Should -Be 'kept'
            Join-Path $script:repo 'half-done.txt' | Should -Exist
            (Get-HarnessState -Path $script:repo).Dirty | Should -BeFalse
        }

        It 'Rollback restores the checkpoint and keeps the crashed tree in the backup ref' {
            $report = Invoke-SessionEntry -Path $script:repo -SkipHealthCheck -OnCrash Rollback -WarningAction SilentlyContinue

            $report.Crash.Policy | Should -Be 'Rollback'
            $report.Crash.Action | Should -Be 'rolled_back'
            Join-Path $script:repo 'half-done.txt' | Should -Not -Exist
            (& git -C $script:repo rev-parse HEAD).Trim() | Should -Be $script:checkpoint.Commit
            (& git -C $script:repo show "$($report.Crash.BackupRef):half-done.txt") | Should -Be 'crashed mid-way'
        }

        It 'takes the policy by name, case-insensitively, and -WhatIf changes nothing' {
            $report = Invoke-SessionEntry -Path $script:repo -SkipHealthCheck -OnCrash rollback -WhatIf -WarningAction SilentlyContinue

            $report.Crash.Action | Should -Be 'none'
            Join-Path $script:repo 'half-done.txt' | Should -Exist
            (Get-HarnessState -Path $script:repo).Dirty | Should -BeTrue
        }
    }
}

Describe 'Invoke-SessionEntry outside any project' {
    # Before: in a folder that is no project (~), the entry wrote ~/.claude/progress/state.json, and
    # from then on every non-git folder under ~ resolved to ~.
    It 'writes nothing into a folder that is no project and says so' {
        $plain = Join-Path $TestDrive "plain-$([guid]::NewGuid().ToString('N').Substring(0, 6))"
        New-Item -ItemType Directory -Path $plain | Out-Null

        Invoke-SessionEntry -Path $plain -SkipHealthCheck -ErrorVariable errors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty

        $errors[0].FullyQualifiedErrorId | Should -BeLike 'Harness.ProjectNotFound,*'
        "$($errors[0].ErrorDetails.RecommendedAction)" | Should -Match 'Initialize-HarnessProject'
        Join-Path $plain '.claude' | Should -Not -Exist
    }

    It 'does not take a stray ~/.claude/progress above a plain folder for a project' {
        $home2 = Join-Path $TestDrive "home-$([guid]::NewGuid().ToString('N').Substring(0, 6))"
        New-Item -ItemType Directory -Path (Join-Path $home2 '.claude/progress'), (Join-Path $home2 'notes') -Force | Out-Null
        $saved = $env:HOME
        $env:HOME = $home2
        try {
            Invoke-SessionEntry -Path (Join-Path $home2 'notes') -SkipHealthCheck -ErrorVariable errors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }
        finally { $env:HOME = $saved }

        $errors[0].FullyQualifiedErrorId | Should -BeLike 'Harness.ProjectNotFound,*'
        Join-Path $home2 '.claude/progress/state.json' | Should -Not -Exist
        Join-Path $home2 'notes/.claude' | Should -Not -Exist
    }
}
