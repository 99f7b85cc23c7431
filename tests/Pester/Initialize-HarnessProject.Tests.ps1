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

    Context '-ImportFeatureList' {
        BeforeAll {
            # Ralph's prd.json: a root field, priorities out of file order, a story field the seed has no place for.
            $script:prd = @'
{
  "branchName": "ralph/task-priority",
  "userStories": [
    { "id": "US-002", "title": "Badge", "acceptanceCriteria": ["Badge shows"], "priority": 2, "passes": false, "notes": "" },
    { "id": "US-001", "title": "Field", "acceptanceCriteria": ["Migration runs"], "priority": 1, "passes": true, "dependencies": [], "notes": "" }
  ]
}
'@
        }

        It 'imports a prd.json (relative to the current location) into the seed list, keeping every field and saying where' {
            $repo = New-HarnessTestRepo
            $source = Join-Path $repo 'prd.json'
            [IO.File]::WriteAllText($source, $prd)
            $seed = [IO.Path]::Combine($repo, '.claude', 'progress', 'feature-list.json')

            Push-Location -LiteralPath $repo
            try { $result = Initialize-HarnessProject -Path $repo -ImportFeatureList prd.json } finally { Pop-Location }

            $result.Import.SourcePath | Should -Be $source
            $result.Import.SourceFormat | Should -Be ([Harness.Core.Features.FeatureListFormat]::Ralph)
            $result.Import.TargetPath | Should -Be $seed
            $result.Import.Features | Should -Be 2
            $result.Import.ReadByHarness | Should -BeTrue
            $result.Import.Kept | Should -Be @('$.branchName', '$.features[*].priority', '$.features[*].dependencies')
            $result.Created | Should -Contain $seed
            [IO.File]::ReadAllText($source) | Should -BeExactly $prd
            $features = (Get-Content -LiteralPath $seed -Raw | ConvertFrom-Json).features
            $features.id | Should -Be @('US-001', 'US-002')
            $features.status | Should -Be @('completed', 'pending')
            (Get-HarnessFeature -Path $repo).Id | Should -Be @('US-001', 'US-002')
        }

        It 'writes the Ralph format with -ImportTo Ralph' {
            $repo = New-HarnessTestRepo
            $seedList = [IO.Path]::Combine($TestDrive, "seed-$([guid]::NewGuid().ToString('N').Substring(0, 6)).json")
            [IO.File]::WriteAllText($seedList, '{ "features": [ { "id": "F1", "name": "Login", "steps": ["open"], "status": "tested" } ] }')

            $result = Initialize-HarnessProject -Path $repo -ImportFeatureList $seedList -ImportTo Ralph

            $story = (Get-Content -LiteralPath (Join-Path $repo 'prd.json') -Raw | ConvertFrom-Json).userStories[0]
            $result.Import.TargetFormat | Should -Be ([Harness.Core.Features.FeatureListFormat]::Ralph)
            $story.title | Should -Be 'Login'
            $story.acceptanceCriteria | Should -Be @('open')
            $story.passes | Should -BeTrue
            $story.status | Should -Be 'tested'
            $story.priority | Should -Be 1
        }

        It '-WhatIf reports the import and writes nothing' {
            $repo = New-HarnessTestRepo
            [IO.File]::WriteAllText((Join-Path $repo 'prd.json'), $prd)
            $before = Get-TreeSnapshot $repo

            $result = Initialize-HarnessProject -Path $repo -ImportFeatureList (Join-Path $repo 'prd.json') -WhatIf

            $result.DryRun | Should -BeTrue
            $result.Import.Features | Should -Be 2
            Get-TreeSnapshot $repo | Should -Be $before
        }

        It 'never writes over a list: Harness.FeatureListExists, and nothing else is created' {
            $repo = New-HarnessTestRepo
            $source = Join-Path $repo 'prd.json'
            [IO.File]::WriteAllText($source, $prd)

            Initialize-HarnessProject -Path $repo -ImportFeatureList $source -ImportTo Ralph -ErrorVariable errors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty

            $errors[0].FullyQualifiedErrorId | Should -BeLike 'Harness.FeatureListExists,*'
            [IO.File]::ReadAllText($source) | Should -BeExactly $prd
            [IO.Path]::Combine($repo, '.claude', 'config', 'project.json') | Should -Not -Exist
        }

        It '-ImportTo without -ImportFeatureList is refused before anything is written' {
            $repo = New-HarnessTestRepo
            { Initialize-HarnessProject -Path $repo -ImportTo Ralph -ErrorAction Stop } | Should -Throw -ErrorId 'Harness.ImportSourceMissing*'
            Join-Path $repo '.claude' | Should -Not -Exist
        }
    }
}
