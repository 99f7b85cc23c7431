BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Initialize-HarnessTestEnvironment
}

Describe 'Get-HarnessState' {
    It 'returns nothing for a project without state.json' {
        $repo = New-HarnessTestRepo
        Get-HarnessState -Path $repo | Should -BeNullOrEmpty
    }

    It 'returns the state with where it came from' {
        $repo = New-HarnessTestRepo
        Invoke-SessionEntry -Path $repo -SkipHealthCheck -WarningAction SilentlyContinue | Out-Null

        $state = Get-HarnessState -Path $repo

        $state | Should -BeOfType ([Harness.Core.State.HarnessState])
        $state.State | Should -Be 'INIT'
        $state.ProjectRoot | Should -Be $repo
        $state.StateFile | Should -Be ([IO.Path]::Combine($repo, '.claude', 'progress', 'state.json'))
        $state.History.Count | Should -BeGreaterThan 0
    }

    It 'reads the current location by default' {
        $repo = New-HarnessTestRepo
        Invoke-SessionEntry -Path $repo -SkipHealthCheck -WarningAction SilentlyContinue | Out-Null
        Push-Location $repo
        try { $state = Get-HarnessState } finally { Pop-Location }
        $state.ProjectRoot | Should -Be $repo
    }

    It 'works over Get-ChildItem -Directory' {
        $parent = Join-Path $TestDrive ('states-' + [guid]::NewGuid().ToString('N').Substring(0, 6))
        $a = New-HarnessTestRepo -Parent $parent -Name 'a'
        $b = New-HarnessTestRepo -Parent $parent -Name 'b'
        New-HarnessTestRepo -Parent $parent -Name 'c-without-state' | Out-Null
        $a, $b | Invoke-SessionEntry -SkipHealthCheck -WarningAction SilentlyContinue | Out-Null

        $states = Get-ChildItem -LiteralPath $parent -Directory | Get-HarnessState

        $states.ProjectRoot | Sort-Object | Should -Be @($a, $b)
    }

    It 'reports an invalid state.json as Harness.StateFileInvalid' {
        $repo = New-HarnessTestRepo
        $state = [IO.Path]::Combine($repo, '.claude', 'progress', 'state.json')
        New-Item -ItemType Directory -Path (Split-Path $state) -Force | Out-Null
        '[1, 2' | Set-Content -LiteralPath $state

        Get-HarnessState -Path $repo -ErrorVariable errors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'Harness.StateFileInvalid,*'
        $errors[0].TargetObject | Should -Be $state
        { Get-HarnessState -Path $repo -ErrorAction Stop } | Should -Throw
    }

    It 'formats as a table without errors' {
        $repo = New-HarnessTestRepo
        Invoke-SessionEntry -Path $repo -SkipHealthCheck -WarningAction SilentlyContinue | Out-Null
        $table = Get-HarnessState -Path $repo | Format-Table | Out-String -Width 200
        # The project root is the group header, whole at any width; the table itself fits 80 columns.
        $table | Should -Match ([regex]::Escape("Project: $repo"))
        (Get-HarnessState -Path $repo | Out-String -Width 80) -split "`n" | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 80 }
        { Get-HarnessState -Path $repo | ConvertTo-Json -Depth 4 } | Should -Not -Throw
    }
}
