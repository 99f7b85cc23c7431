BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Initialize-HarnessTestEnvironment

    # metrics.jsonl with two sessions (one failed) and, optionally, a line torn by a crash.
    function New-MetricsTestProject([switch] $Torn) {
        $repo = New-HarnessTestRepo
        $progress = Join-Path $repo '.claude/progress'
        New-Item -ItemType Directory -Path $progress -Force | Out-Null
        $lines = @(
            '{"session_id":"s1","started_at":"2026-01-15T10:00:00Z","ended_at":"2026-01-15T11:00:00Z","health_status":"HEALTHY","input_tokens":40000,"output_tokens":5000,"cost_usd":1.25,"turns":30,"exit_reason":"completed","succeeded":true,"features_completed":2}'
            '{"session_id":"s2","started_at":"2026-01-15T12:00:00Z","ended_at":"2026-01-15T12:30:00Z","health_status":"BROKEN","input_tokens":1000,"output_tokens":500,"cost_usd":0.75,"turns":3,"exit_reason":"error","succeeded":false,"features_completed":0}'
        )
        if ($Torn) { $lines += '{"session_id":"s3","started_at":"2026-01' }
        [IO.File]::WriteAllText((Join-Path $progress 'metrics.jsonl'), ($lines -join "`n"))
        $repo
    }
}

Describe 'Get-HarnessMetrics' {
    It 'returns one typed object per session, oldest first' {
        $repo = New-MetricsTestProject

        $lines = Get-HarnessMetrics -Path $repo

        $lines.SessionId | Should -Be @('s1', 's2')
        $lines[0] | Should -BeOfType ([Harness.Core.Metrics.SessionMetrics])
        $lines[0].CostUsd | Should -Be 1.25
        $lines[0].TokensUsed | Should -Be 45000
        $lines[0].DurationSeconds | Should -Be 3600
        $lines[1].Succeeded | Should -BeFalse
        (Get-HarnessMetrics -Path $repo -SessionId s2).SessionId | Should -Be 's2'
    }

    It '-Aggregate returns sessions, cost, tokens, features per session and the failure rate' {
        $repo = New-MetricsTestProject

        $aggregate = Get-HarnessMetrics -Path $repo -Aggregate

        $aggregate | Should -BeOfType ([Harness.Core.Metrics.MetricsAggregate])
        $aggregate.Sessions | Should -Be 2
        $aggregate.Failed | Should -Be 1
        $aggregate.FailureRate | Should -Be 0.5
        $aggregate.TotalCostUsd | Should -Be 2.0
        $aggregate.TotalTokens | Should -Be 46500
        $aggregate.FeaturesPerSession | Should -Be 1
        $aggregate.ProjectRoot | Should -Be $repo
    }

    It 'skips a torn last line with a warning and never fails' {
        $repo = New-MetricsTestProject -Torn

        $lines = Get-HarnessMetrics -Path $repo -WarningVariable warnings -WarningAction SilentlyContinue -ErrorAction Stop
        $aggregate = Get-HarnessMetrics -Path $repo -Aggregate -WarningAction SilentlyContinue

        @($lines).Count | Should -Be 2
        ($warnings -join "`n") | Should -Match 'Skipped 1 unreadable line'
        $aggregate.SkippedLines | Should -Be 1
        $aggregate.Sessions | Should -Be 2
    }

    It 'returns nothing for a project without metrics, and a zero aggregate' {
        $repo = New-HarnessTestRepo

        Get-HarnessMetrics -Path $repo | Should -BeNullOrEmpty
        (Get-HarnessMetrics -Path $repo -Aggregate).Sessions | Should -Be 0
    }

    It 'takes folders from Get-ChildItem -Directory and formats as tables' {
        $parent = Join-Path $TestDrive ('many-' + [guid]::NewGuid().ToString('N').Substring(0, 6))
        New-Item -ItemType Directory -Path $parent | Out-Null
        Move-Item -LiteralPath (New-MetricsTestProject) -Destination (Join-Path $parent 'a')
        Move-Item -LiteralPath (New-MetricsTestProject) -Destination (Join-Path $parent 'b')

        $all = Get-ChildItem -LiteralPath $parent -Directory | Get-HarnessMetrics

        @($all).Count | Should -Be 4
        ($all | Format-Table | Out-String -Width 200) | Should -Match 'CostUsd'
        (Get-ChildItem -LiteralPath $parent -Directory | Get-HarnessMetrics -Aggregate | Format-Table | Out-String -Width 200) | Should -Match 'FailureRate'
    }
}
