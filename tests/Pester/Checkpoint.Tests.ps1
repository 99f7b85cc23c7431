BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Initialize-HarnessTestEnvironment

    function Get-TestHead([string] $Repo) { (& git -C $Repo rev-parse HEAD).Trim() }
    function Get-TestRefs([string] $Repo, [string] $Prefix) { @(& git -C $Repo for-each-ref --format='%(refname)' $Prefix) }
}

Describe 'Save-Checkpoint' {
    It 'commits the whole tree, untracked files included, and returns a typed checkpoint at the new HEAD' {
        $repo = New-HarnessTestRepo
        Set-Content -LiteralPath (Join-Path $repo 'notes.txt') -Value 'never added'

        $checkpoint = Save-Checkpoint -Path $repo -Reason 'F012 tested' -WarningAction SilentlyContinue

        $checkpoint | Should -BeOfType ([Harness.Core.Checkpoints.Checkpoint])
        $checkpoint.Commit | Should -Be (Get-TestHead $repo)
        $checkpoint.CreatedCommit | Should -BeTrue
        $checkpoint.Reason | Should -Be 'F012 tested'
        $checkpoint.ProjectRoot | Should -Be $repo
        (& git -C $repo show HEAD:notes.txt) | Should -Be 'never added'
        @(Get-TestRefs $repo 'refs/harness/checkpoints/') | Should -Be $checkpoint.Ref
        Join-Path $repo '.claude/progress/checkpoint.json' | Should -Exist
    }

    It 'takes -Message as -Reason and records HEAD when there is nothing to commit' {
        $repo = New-HarnessTestRepo
        # The first write to a project adds the harness's .claude/progress/.gitignore, which the first checkpoint commits.
        $null = Save-Checkpoint -Path $repo
        $head = Get-TestHead $repo

        $checkpoint = Save-Checkpoint -Path $repo -Message 'nothing new'

        $checkpoint.CreatedCommit | Should -BeFalse
        $checkpoint.Commit | Should -Be $head
        $checkpoint.Reason | Should -Be 'nothing new'
    }

    It '-WhatIf writes nothing' {
        $repo = New-HarnessTestRepo
        Set-Content -LiteralPath (Join-Path $repo 'notes.txt') -Value 'pending'
        $head = Get-TestHead $repo
        $before = Get-TreeSnapshot $repo

        $result = Save-Checkpoint -Path $repo -WhatIf

        $result | Should -BeNullOrEmpty
        Get-TestHead $repo | Should -Be $head
        Get-TestRefs $repo 'refs/harness/' | Should -BeNullOrEmpty
        Get-TreeSnapshot $repo | Should -Be $before
    }

    It 'reports a folder outside git as Harness.NotARepository and goes on with the next folder' {
        $plain = Join-Path $TestDrive ('plain-' + [guid]::NewGuid().ToString('N').Substring(0, 6))
        New-Item -ItemType Directory -Path (Join-Path $plain '.claude/progress') -Force | Out-Null
        $repo = New-HarnessTestRepo

        $saved = $plain, $repo | Save-Checkpoint -ErrorVariable errors -ErrorAction SilentlyContinue

        @($saved).Count | Should -Be 1
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'Harness.NotARepository,*'
        $errors[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
    }
}

Describe 'Get-Checkpoint' {
    It 'lists checkpoints newest first and marks the last good one' {
        $repo = New-HarnessTestRepo
        $first = Save-Checkpoint -Path $repo -Reason 'first'
        Set-Content -LiteralPath (Join-Path $repo 'b.txt') -Value 'b'
        $second = Save-Checkpoint -Path $repo -Reason 'second'

        $list = Get-Checkpoint -Path $repo

        $list.Name | Should -Be @($second.Name, $first.Name)
        $list | ForEach-Object { $_ | Should -BeOfType ([Harness.Core.Checkpoints.Checkpoint]) }
        $list[0].ProjectRoot | Should -Be $repo
    }

    It '-LastGood returns the newest HEALTHY checkpoint, and Harness.CheckpointNotFound when there is none' {
        $repo = New-HarnessTestRepo
        Save-Checkpoint -Path $repo | Out-Null

        $none = Get-Checkpoint -Path $repo -LastGood -ErrorVariable errors -ErrorAction SilentlyContinue

        $none | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'Harness.CheckpointNotFound,*'
        $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'

        $state = [IO.Path]::Combine($repo, '.claude', 'progress', 'state.json')
        '{ "state": "IMPLEMENT", "health_status": "HEALTHY" }' | Set-Content -LiteralPath $state
        $good = Save-Checkpoint -Path $repo

        (Get-Checkpoint -Path $repo -LastGood).Name | Should -Be $good.Name
        (Get-Checkpoint -Path $repo | Where-Object IsLastGood).Name | Should -Be $good.Name
    }

    It 'takes folders from Get-ChildItem -Directory' {
        $parent = Join-Path $TestDrive ('many-' + [guid]::NewGuid().ToString('N').Substring(0, 6))
        $a = New-HarnessTestRepo -Parent $parent -Name 'a'
        $b = New-HarnessTestRepo -Parent $parent -Name 'b'
        Save-Checkpoint -Path $a, $b | Out-Null

        $list = Get-ChildItem -LiteralPath $parent -Directory | Get-Checkpoint

        $list.ProjectRoot | Sort-Object | Should -Be @($a, $b)
    }

    It 'formats as a table' {
        $repo = New-HarnessTestRepo
        Save-Checkpoint -Path $repo -Reason 'table' | Out-Null
        $table = Get-Checkpoint -Path $repo | Format-Table | Out-String -Width 200
        # The project is the group header; the last good checkpoint is marked in the Good column.
        $table | Should -Match ([regex]::Escape("Project: $repo"))
        $table | Should -Match 'Name\s+Commit\s+Health\s+State\s+Done\s+Good\s+Reason'
    }
}

Describe 'Restore-Checkpoint' {
    BeforeEach {
        # A checkpoint, then an "agent" that deletes a file, commits and leaves an untracked file.
        $script:repo = New-HarnessTestRepo
        New-Item -ItemType Directory -Path (Join-Path $script:repo '.claude/progress') -Force | Out-Null
        '{ "state": "IMPLEMENT" }' | Set-Content -LiteralPath ([IO.Path]::Combine($script:repo, '.claude', 'progress', 'state.json'))
        Set-Content -LiteralPath (Join-Path $script:repo 'keep.txt') -Value 'original'
        $script:checkpoint = Save-Checkpoint -Path $script:repo -Reason 'before the agent'
        Remove-Item -LiteralPath (Join-Path $script:repo 'keep.txt')
        Invoke-TestGit $script:repo add -A
        Invoke-TestGit $script:repo commit --quiet -m 'agent deleted keep.txt'
        Set-Content -LiteralPath (Join-Path $script:repo 'junk.txt') -Value 'agent junk'
    }

    It '-WhatIf writes nothing and returns Core''s dry-run plan' {
        $head = Get-TestHead $script:repo
        $before = Get-TreeSnapshot $script:repo

        $plan = Restore-Checkpoint -Path $script:repo -Id $script:checkpoint.Name -WhatIf -WarningVariable warnings -WarningAction SilentlyContinue

        $plan | Should -BeOfType ([Harness.Core.Checkpoints.RestoreResult])
        $plan.DryRun | Should -BeTrue
        $plan.BackupRef | Should -BeNullOrEmpty
        "$(($plan.Files | Where-Object Path -eq 'keep.txt').Status)" | Should -Be 'A'
        "$(($plan.Files | Where-Object Path -eq 'junk.txt').Status)" | Should -Be 'D'
        @($plan.CommitsDropped).Count | Should -Be 1
        $plan.CommitsDropped[0].Subject | Should -Be 'agent deleted keep.txt'
        $plan.DirtyFiles | Should -Contain 'junk.txt'
        ($warnings -join "`n") | Should -Match '-Force'
        Get-TestHead $script:repo | Should -Be $head
        Get-TestRefs $script:repo 'refs/harness/backup/' | Should -BeNullOrEmpty
        Get-TreeSnapshot $script:repo | Should -Be $before
    }

    It 'refuses a dirty tree without -Force as Harness.WorkTreeDirty and changes nothing' {
        $head = Get-TestHead $script:repo

        $result = Restore-Checkpoint -Path $script:repo -Id $script:checkpoint.Name -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue

        $result | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'Harness.WorkTreeDirty,*'
        $errors[0].Exception.Message | Should -Match 'junk.txt'
        Get-TestHead $script:repo | Should -Be $head
        Join-Path $script:repo 'junk.txt' | Should -Exist
    }

    It 'restores with -Force from Get-Checkpoint output and keeps every byte in the backup ref' {
        $oldHead = Get-TestHead $script:repo
        Push-Location $TestDrive
        try {
            $result = Get-Checkpoint -Path $script:repo | Restore-Checkpoint -Force -Reason 'agent broke it' -Confirm:$false
        }
        finally {
            Pop-Location
        }

        $result | Should -BeOfType ([Harness.Core.Checkpoints.RestoreResult])
        $result.DryRun | Should -BeFalse
        Get-TestHead $script:repo | Should -Be $script:checkpoint.Commit
        Get-Content -LiteralPath (Join-Path $script:repo 'keep.txt') | Should -Be 'original'
        Join-Path $script:repo 'junk.txt' | Should -Not -Exist
        (& git -C $script:repo show "$($result.BackupRef):junk.txt") | Should -Be 'agent junk'
        (& git -C $script:repo rev-parse "$($result.BackupRef)^1").Trim() | Should -Be $oldHead
        ((Get-HarnessState -Path $script:repo).History | Select-Object -Last 1).Reason | Should -Match 'agent broke it'
    }

    It 'restores by -Commit' {
        Remove-Item -LiteralPath (Join-Path $script:repo 'junk.txt')

        $result = Restore-Checkpoint -Path $script:repo -Commit $script:checkpoint.Commit.Substring(0, 12) -Confirm:$false

        $result.Checkpoint.Name | Should -Be $script:checkpoint.Name
        Get-TestHead $script:repo | Should -Be $script:checkpoint.Commit
    }

    It 'reports -LastGood without a HEALTHY checkpoint as Harness.CheckpointNotFound' {
        $result = Restore-Checkpoint -Path $script:repo -LastGood -Force -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue

        $result | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'Harness.CheckpointNotFound,*'
    }

    It 'reports an unknown checkpoint name as Harness.CheckpointNotFound and changes nothing' {
        Restore-Checkpoint -Path $script:repo -Id 'no-such-checkpoint' -Force -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue | Out-Null
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'Harness.CheckpointNotFound,*'
        Get-TestHead $script:repo | Should -Not -Be $script:checkpoint.Commit
    }
}
