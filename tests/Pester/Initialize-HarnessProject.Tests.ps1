BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Initialize-HarnessTestEnvironment
}

Describe 'Initialize-HarnessProject' {
    It 'creates the folders and a starter project.json' {
        $repo = New-HarnessTestRepo
        $config = [IO.Path]::Combine($repo, '.claude', 'config', 'project.json')

        $result = Initialize-HarnessProject -Path $repo -ProjectType python

        $result | Should -BeOfType ([Harness.Core.Project.InitResult])
        $result.DryRun | Should -BeFalse
        $result.Created | Should -Contain $config
        $config | Should -Exist
        (Get-Content -LiteralPath $config -Raw | ConvertFrom-Json).project_type | Should -Be 'python'
    }

    It 'keeps what exists' {
        $repo = New-HarnessTestRepo
        Initialize-HarnessProject -Path $repo | Out-Null
        $config = [IO.Path]::Combine($repo, '.claude', 'config', 'project.json')
        $before = Get-FileHash -LiteralPath $config

        $again = Initialize-HarnessProject -Path $repo -ProjectType rust

        $again.Created | Should -BeNullOrEmpty
        $again.Existing | Should -Contain $config
        (Get-FileHash -LiteralPath $config).Hash | Should -Be $before.Hash
    }

    It '-WhatIf creates nothing and says what it would create' {
        $repo = New-HarnessTestRepo
        $before = Get-TreeSnapshot $repo

        $result = Initialize-HarnessProject -Path $repo -WhatIf

        $result.DryRun | Should -BeTrue
        Join-Path $repo '.claude' | Should -Not -Exist
        Get-TreeSnapshot $repo | Should -Be $before

        # The plan names exactly what a real run creates in the same kind of folder.
        $other = New-HarnessTestRepo
        $real = Initialize-HarnessProject -Path $other
        $result.Created | Should -Contain ([IO.Path]::Combine($repo, '.claude', 'config', 'project.json'))
        @($result.Created | ForEach-Object { $_.Substring($repo.Length) }) | Should -Be @($real.Created | ForEach-Object { $_.Substring($other.Length) })
    }

    It 'takes folders from Get-ChildItem -Directory' {
        $parent = Join-Path $TestDrive ('init-' + [guid]::NewGuid().ToString('N').Substring(0, 6))
        $a = New-HarnessTestRepo -Parent $parent -Name 'a'
        $b = New-HarnessTestRepo -Parent $parent -Name 'b'

        $results = Get-ChildItem -LiteralPath $parent -Directory | Initialize-HarnessProject

        $results.Directory | Sort-Object | Should -Be @($a, $b)
    }

    It 'reports a missing folder as Harness.ProjectNotFound' {
        $missing = Join-Path $TestDrive 'missing-project'
        Initialize-HarnessProject -Path $missing -ErrorVariable errors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'Harness.ProjectNotFound,*'
        $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'formats as a table without errors' {
        $repo = New-HarnessTestRepo
        $table = Initialize-HarnessProject -Path $repo -WhatIf | Format-Table | Out-String -Width 200
        $table | Should -Match 'ProjectType'
    }
}
