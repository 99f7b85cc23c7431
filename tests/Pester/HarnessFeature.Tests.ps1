BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Initialize-HarnessTestEnvironment
}

Describe 'Get-HarnessFeature' {
    BeforeAll {
        $script:repo = New-HarnessTestRepo
        $script:list = Set-HarnessTestFeatures -Root $script:repo -Features 'f1=pending', 'f2=completed', 'f3=in_progress', 'f4=pending'
    }

    It 'returns typed features that carry Id and Path' {
        $features = Get-HarnessFeature -Path $script:repo

        $features.Count | Should -Be 4
        $features[0] | Should -BeOfType ([Harness.Core.Features.Feature])
        $features.Id | Should -Be @('f1', 'f2', 'f3', 'f4')
        $features | ForEach-Object { $_.Path | Should -Be $script:list }
    }

    It 'filters by status and by id' {
        (Get-HarnessFeature -Path $script:repo -Status pending).Id | Should -Be @('f1', 'f4')
        (Get-HarnessFeature -Path $script:repo -Status pending, in_progress).Id | Should -Be @('f1', 'f3', 'f4')
        (Get-HarnessFeature -Id f2 -Path $script:repo).Status | Should -Be 'completed'
    }

    It 'writes a non-terminating Harness.FeatureNotFound per unknown id and returns the rest' {
        $found = Get-HarnessFeature -Path $script:repo -Id f1, nope -ErrorVariable errors -ErrorAction SilentlyContinue

        $found.Id | Should -Be 'f1'
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'Harness.FeatureNotFound,*'
        $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errors[0].TargetObject | Should -Be $script:list
    }

    It 'stops on a status that does not exist: -Status is a ValidateSet of the statuses' {
        $err = { Get-HarnessFeature -Path $script:repo -Status done } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
        $err.Exception.Message | Should -Match 'pending,in_progress,tested,completed,blocked'
    }

    It 'takes a bare argument as the project, not as an id' {
        (Get-HarnessFeature $script:repo).Id | Should -Be @('f1', 'f2', 'f3', 'f4')
    }

    It 'reports a project without a feature list as Harness.FeatureListMissing' {
        $empty = New-HarnessTestRepo
        Get-HarnessFeature -Path $empty -ErrorVariable errors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'Harness.FeatureListMissing,*'
    }

    It 'reads the quickstart feature_list.json' {
        $quick = New-HarnessTestRepo
        '[{"category":"functional","description":"User can log in","steps":["open"],"passes":true},{"category":"functional","description":"User can log out","steps":[],"passes":false}]' |
            Set-Content -LiteralPath (Join-Path $quick 'feature_list.json')

        $features = Get-HarnessFeature -Path $quick

        $features.Count | Should -Be 2
        $features[1].Status | Should -Be 'pending'
    }

    It 'reports an invalid list as Harness.FeatureListInvalid with the file as target' {
        $broken = New-HarnessTestRepo
        $file = Set-HarnessTestFeatures -Root $broken -Features 'x=pending'
        # Not a list of features (a numeric id or a missing status would still be valid: docs/formats.md).
        '{ "features": { "id": "F1" } }' | Set-Content -LiteralPath $file

        Get-HarnessFeature -Path $broken -ErrorVariable errors -ErrorAction SilentlyContinue | Out-Null

        $errors[0].FullyQualifiedErrorId | Should -BeLike 'Harness.FeatureListInvalid,*'
        $errors[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $errors[0].TargetObject | Should -Be $file
    }

    It 'completes feature ids with Tab' {
        $line = "Get-HarnessFeature -Path '$($script:repo)' -Id f"
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $completions | Sort-Object | Should -Be @('f1', 'f2', 'f3', 'f4')
    }

    It 'completes feature ids of the current location with Tab' {
        Push-Location $script:repo
        try {
            $line = 'Set-HarnessFeature -Status tested -Id f'
            $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        }
        finally { Pop-Location }
        $completions | Should -Contain 'f3'
    }

    It 'completes statuses with Tab' {
        $line = 'Get-HarnessFeature -Status in'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be 'in_progress'
    }

    It 'formats as a table without errors' {
        $table = Get-HarnessFeature -Path $script:repo | Format-Table | Out-String -Width 200
        $table | Should -Match 'f3'
        $table | Should -Match 'in_progress'
        { Get-HarnessFeature -Path $script:repo | ConvertTo-Json } | Should -Not -Throw
    }
}

Describe 'Set-HarnessFeature' {
    BeforeEach {
        $script:repo = New-HarnessTestRepo
        $script:list = Set-HarnessTestFeatures -Root $script:repo -Features 'f1=pending', 'f2=completed', 'f3=pending'
    }

    It 'takes features from Get-HarnessFeature' {
        Get-HarnessFeature -Path $script:repo -Status pending | Set-HarnessFeature -Status in_progress

        (Get-HarnessFeature -Path $script:repo).Status | Should -Be @('in_progress', 'completed', 'in_progress')
    }

    It 'writes nothing to the pipeline unless -PassThru' {
        Set-HarnessFeature -Path $script:repo -Id f1 -Status tested | Should -BeNullOrEmpty
        $updated = Set-HarnessFeature -Path $script:repo -Id f3 -Status blocked -Notes 'waits for the API' -PassThru

        $updated | Should -BeOfType ([Harness.Core.Features.Feature])
        $updated.Status | Should -Be 'blocked'
        $updated.Notes | Should -Be 'waits for the API'
    }

    It 'uses the current location by default' {
        Push-Location $script:repo
        try { Set-HarnessFeature f1 -Status completed } finally { Pop-Location }
        (Get-HarnessFeature -Path $script:repo -Id f1).Status | Should -Be 'completed'
    }

    It '-WhatIf writes nothing' {
        $before = Get-FileHash -LiteralPath $script:list

        Get-HarnessFeature -Path $script:repo | Set-HarnessFeature -Status blocked -WhatIf

        (Get-FileHash -LiteralPath $script:list).Hash | Should -Be $before.Hash
    }

    It 'reports an unknown id as Harness.FeatureNotFound and writes nothing' {
        $before = Get-FileHash -LiteralPath $script:list

        Set-HarnessFeature -Path $script:repo -Id f1, nope -Status tested -ErrorVariable errors -ErrorAction SilentlyContinue

        $errors[0].FullyQualifiedErrorId | Should -BeLike 'Harness.FeatureNotFound,*'
        $errors[0].TargetObject | Should -Be $script:list
        (Get-FileHash -LiteralPath $script:list).Hash | Should -Be $before.Hash
    }

    It 'stops on an unknown status before writing anything' {
        $before = Get-FileHash -LiteralPath $script:list

        $err = { Get-HarnessFeature -Path $script:repo | Set-HarnessFeature -Status done } | Should -Throw -PassThru

        $err.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError,*'
        (Get-FileHash -LiteralPath $script:list).Hash | Should -Be $before.Hash
    }
}
