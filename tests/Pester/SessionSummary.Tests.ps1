BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Initialize-HarnessTestEnvironment

    # A repository with a feature list and a state.json naming session s1.
    function New-SessionTestRepo {
        $repo = New-HarnessTestRepo
        Set-HarnessTestFeatures -Root $repo -Features 'F1=completed', 'F2=pending' | Out-Null
        '{ "state": "IMPLEMENT", "health_status": "HEALTHY", "dirty": true, "session_id": "s1" }' |
            Set-Content -LiteralPath ([IO.Path]::Combine($repo, '.claude', 'progress', 'state.json'))
        $repo
    }
}

Describe 'New-SessionSummary' {
    It 'writes the summary under .claude/progress/sessions and returns it' {
        $repo = New-SessionTestRepo

        $summary = New-SessionSummary -Path $repo -ResultText 'Implemented F1' -ExitReason completed -Turns 12

        $summary | Should -BeOfType ([Harness.Core.Summaries.SessionSummary])
        $summary.SessionId | Should -Be 's1'
        $summary.Path | Should -Exist
        (Split-Path $summary.Path -Parent) | Should -Be ([IO.Path]::Combine($repo, '.claude', 'progress', 'sessions'))
        $summary.Markdown | Should -Match '# Session Summary'
        $summary.Markdown | Should -Match 'Implemented F1'
        Get-Content -LiteralPath $summary.Path -Raw | Should -Be $summary.Markdown
    }

    It '-WhatIf writes nothing and returns the summary it would write' {
        $repo = New-SessionTestRepo
        $before = Get-TreeSnapshot $repo

        $preview = New-SessionSummary -Path $repo -WhatIf
        $handoffPreview = New-SessionSummary -Path $repo -Handoff -WhatIf

        $preview.Path | Should -BeNullOrEmpty
        $preview.Markdown | Should -Match '# Session Summary'
        $handoffPreview | Should -BeOfType ([Harness.Core.Summaries.SessionSummary])
        Join-Path $repo '.claude/progress/sessions' | Should -Not -Exist
        Get-TreeSnapshot $repo | Should -Be $before
    }

    It '-Handoff ends the session once: summary, checkpoint, dirty false, one metrics line' {
        $repo = New-SessionTestRepo

        $first = New-SessionSummary -Path $repo -Handoff -CostUsd 1.25 -InputTokens 40000 -OutputTokens 5000 -Turns 30 -ExitReason completed -WarningAction SilentlyContinue
        $second = New-SessionSummary -Path $repo -Handoff -WarningAction SilentlyContinue

        $first | Should -BeOfType ([Harness.Core.Summaries.HandoffResult])
        $first.SessionId | Should -Be 's1'
        $first.AlreadyDone | Should -BeFalse
        $first.SummaryPath | Should -Exist
        $first.Checkpoint.Commit | Should -Be (& git -C $repo rev-parse HEAD).Trim()
        (Get-HarnessState -Path $repo).Dirty | Should -BeFalse
        $second.AlreadyDone | Should -BeTrue
        @(Get-Content -LiteralPath ([IO.Path]::Combine($repo, '.claude', 'progress', 'metrics.jsonl'))).Count | Should -Be 1
    }

    It 'stops a handoff without a session id with Harness.SessionUnknown' {
        $repo = New-HarnessTestRepo

        $err = { New-SessionSummary -Path $repo -Handoff } | Should -Throw -PassThru

        $err.FullyQualifiedErrorId | Should -BeLike 'Harness.SessionUnknown,*'
        Join-Path $repo '.claude/progress/metrics.jsonl' | Should -Not -Exist
    }

    It 'formats as a table' {
        $repo = New-SessionTestRepo
        (New-SessionSummary -Path $repo -WhatIf | Format-Table | Out-String -Width 200) | Should -Match 'SessionId'
    }
}
