BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Initialize-HarnessTestEnvironment

    # A scripted agent (no model, no network), in the style of examples/scripted-agent/agent.sh:
    # it marks the first pending feature tested, commits, and appends a line to agent-runs.log
    # outside the project so a test can count the sessions that ran so far.
    $script:Agent = Join-Path $TestDrive 'agent.sh'
    $script:RunLog = Join-Path $TestDrive 'agent-runs.log'
    @'
#!/bin/sh
set -eu
prompt_file=${1:?usage: agent.sh PROMPT_FILE}
test -s "$prompt_file"
list=.claude/progress/feature-list.json
awk '!done && /"status": *"pending"/ { sub(/"status": *"pending"/, "\"status\": \"tested\""); done = 1 } { print }' "$list" > "$list.tmp"
mv "$list.tmp" "$list"
echo run >> "$HARNESS_TEST_RUN_LOG"
git add -A
git commit -q -m "scripted agent: one feature tested"
echo "Marked one feature tested and committed."
'@ -replace "`r", '' | Set-Content -LiteralPath $script:Agent -NoNewline -Encoding utf8NoBOM

    # A parallel worker's agent: it marks its own feature ($HARNESS_FEATURE_ID) tested, writes a file of its own, commits.
    $script:ParallelAgent = Join-Path $TestDrive 'parallel-agent.sh'
    @'
#!/bin/sh
set -eu
list=.claude/progress/feature-list.json
awk -v id="\"$HARNESS_FEATURE_ID\"" 'index($0, id) && /"id"/ { hit = 1 } hit && /"status"/ { sub(/"pending"/, "\"tested\""); hit = 0 } { print }' "$list" > "$list.tmp"
mv "$list.tmp" "$list"
echo "$HARNESS_FEATURE_ID by worker $HARNESS_WORKER" > "$HARNESS_FEATURE_ID.txt"
git add -A
git commit -q -m "scripted agent: $HARNESS_FEATURE_ID tested"
'@ -replace "`r", '' | Set-Content -LiteralPath $script:ParallelAgent -NoNewline -Encoding utf8NoBOM

    # An agent that never ends: the loop must kill it when the pipeline stops.
    $script:HangAgent = Join-Path $TestDrive 'hang.sh'
    "#!/bin/sh`necho started >> `"`$HARNESS_TEST_RUN_LOG`"`nsleep 300`n" | Set-Content -LiteralPath $script:HangAgent -NoNewline -Encoding utf8NoBOM

    $env:HARNESS_TEST_RUN_LOG = $script:RunLog
    $script:NoSh = -not (Get-Command sh -ErrorAction SilentlyContinue)

    function New-LoopTestProject([string[]] $Features) {
        $repo = New-HarnessTestRepo
        Set-HarnessTestFeatures -Root $repo -Features $Features | Out-Null
        Invoke-TestGit $repo add -A
        Invoke-TestGit $repo commit --quiet -m 'feature list'
        Remove-Item -LiteralPath $script:RunLog -ErrorAction SilentlyContinue
        $repo
    }

    function Get-TestRuns { if (Test-Path -LiteralPath $script:RunLog) { @(Get-Content -LiteralPath $script:RunLog).Count } else { 0 } }

    function Get-TestStatuses([string] $Repo) {
        (Get-Content -Raw -LiteralPath (Join-Path $Repo '.claude/progress/feature-list.json') | ConvertFrom-Json).features.status
    }
}

Describe 'Start-AutonomousLoop' {
    It 'writes each session as it ends, then the result with -PassThru, and stops Complete' -Skip:$script:NoSh {
        $repo = New-LoopTestProject 'F001=pending', 'F002=pending'

        # Each object is looked at as it arrives: the first session's result must come before the second session runs.
        $seen = Start-AutonomousLoop -Path $repo -AgentCommand "sh $script:Agent {prompt_file}" -SkipHealthCheck -ContinueDelay 0 -PassThru -WarningVariable warnings |
            ForEach-Object { [pscustomobject]@{ Item = $_; RunsSoFar = Get-TestRuns } }

        $seen.Count | Should -Be 3
        $seen[0].Item | Should -BeOfType ([Harness.Core.Loop.LoopSessionResult])
        $seen[0].RunsSoFar | Should -Be 1
        $seen[0].Item.Iteration | Should -Be 1
        $seen[0].Item.FeatureId | Should -Be 'F001'
        $seen[0].Item.FeaturesDoneAfter | Should -Be 1
        $seen[1].Item.FeatureId | Should -Be 'F002'
        $seen[1].Item.FeaturesDoneAfter | Should -Be 2
        $result = $seen[2].Item
        $result | Should -BeOfType ([Harness.Core.Loop.LoopResult])
        $result.StopReason | Should -Be 'Complete'
        $result.Finished | Should -BeTrue
        $result.Sessions.Count | Should -Be 2
        $warnings | Should -BeNullOrEmpty
        Get-TestStatuses $repo | Should -Be 'tested', 'tested'
        (Get-Content -Raw -LiteralPath (Join-Path $repo '.claude/progress/state.json') | ConvertFrom-Json).dirty | Should -BeFalse
    }

    It 'runs features side by side with -Parallel, each in its own worktree and merged into the main line' -Skip:$script:NoSh {
        $repo = New-LoopTestProject 'F001=pending', 'F002=pending', 'F003=pending'

        $out = @(Start-AutonomousLoop -Path $repo -AgentCommand "sh $script:ParallelAgent {prompt_file}" -SkipHealthCheck -ContinueDelay 0 -Parallel 2 -PassThru)

        $result = $out[-1]
        $result | Should -BeOfType ([Harness.Core.Loop.LoopResult])
        $result.StopReason | Should -Be 'Complete'
        $result.Sessions.Count | Should -Be 3
        @($result.Sessions.SessionId | Sort-Object -Unique).Count | Should -Be 3
        Get-TestStatuses $repo | Should -Be 'tested', 'tested', 'tested'
        foreach ($id in 'F001', 'F002', 'F003') {
            Test-Path -LiteralPath (Join-Path $repo "$id.txt") | Should -BeTrue
        }
        @(git -C $repo log --merges --format=%s).Count | Should -Be 3
        @(git -C $repo worktree list --porcelain | Where-Object { $_ -like 'worktree *' }).Count | Should -Be 1
        git -C $repo branch --list 'harness/*' | Should -BeNullOrEmpty
    }

    It 'writes only the sessions without -PassThru' -Skip:$script:NoSh {
        $repo = New-LoopTestProject 'F001=pending'

        $out = @(Start-AutonomousLoop -Path $repo -AgentCommand "sh $script:Agent {prompt_file}" -SkipHealthCheck -ContinueDelay 0)

        $out.Count | Should -Be 1
        $out[0] | Should -BeOfType ([Harness.Core.Loop.LoopSessionResult])
    }

    It 'warns with the reason when a limit stops it short, and the result carries it' -Skip:$script:NoSh {
        $repo = New-LoopTestProject 'F001=pending', 'F002=pending'

        $out = @(Start-AutonomousLoop -Path $repo -AgentCommand "sh $script:Agent {prompt_file}" -SkipHealthCheck -ContinueDelay 0 -MaxIterations 1 -PassThru -WarningVariable warnings -WarningAction SilentlyContinue)

        $result = $out[-1]
        $result.StopReason | Should -Be 'MaxIterations'
        $result.Finished | Should -BeFalse
        $result.Message | Should -Not -BeNullOrEmpty
        @($warnings).Count | Should -Be 1
        "$($warnings[0])" | Should -BeLike '*stopped short (MaxIterations)*1 of 2 features done*'
        Get-TestRuns | Should -Be 1
    }

    It 'takes plain numbers as seconds for the TimeSpan parameters' -Skip:$script:NoSh {
        $repo = New-LoopTestProject 'F001=pending'

        $out = @(Start-AutonomousLoop -Path $repo -AgentCommand "sh $script:Agent {prompt_file}" -SkipHealthCheck -ContinueDelay 0 -SessionTimeout 120 -MaxTime '00:10:00' -PassThru)

        $out[-1].StopReason | Should -Be 'Complete'
        $out[0].Duration.TotalSeconds | Should -BeLessThan 120
    }

    It '-WhatIf writes the plan and runs nothing' {
        $repo = New-LoopTestProject 'F001=pending'
        $before = Get-TreeSnapshot $repo

        $out = @(Start-AutonomousLoop -Path $repo -AgentCommand "sh $script:Agent {prompt_file}" -SkipHealthCheck -WhatIf)

        $out.Count | Should -Be 1
        $out[0] | Should -BeOfType ([Harness.Core.Loop.LoopPlan])
        $out[0].Entry.Features.NextFeature.Id | Should -Be 'F001'
        $out[0].Prompt | Should -Match 'F001'
        Get-TestRuns | Should -Be 0
        Get-TreeSnapshot $repo | Should -Be $before
    }

    It 'stops cleanly when the pipeline is stopped: the agent is killed and the session handed off' -Skip:$script:NoSh {
        $repo = New-LoopTestProject 'F001=pending'
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddCommand('Import-Module').AddParameter('Name', $script:Manifest).AddStatement()
            $null = $ps.AddCommand('Start-AutonomousLoop').AddParameter('Path', $repo).AddParameter('AgentCommand', "sh $script:HangAgent").AddParameter('SkipHealthCheck').AddParameter('ContinueDelay', 0)
            $async = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while ((Get-TestRuns) -lt 1 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            Get-TestRuns | Should -Be 1

            $stopwatch = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $stopwatch.Elapsed.TotalSeconds | Should -BeLessThan 60
            $async.AsyncWaitHandle.WaitOne(10000) | Should -BeTrue

            # Stop() returns after the cmdlet did: the hand-off is done by then.
            (Get-Content -Raw -LiteralPath (Join-Path $repo '.claude/progress/state.json') | ConvertFrom-Json).dirty | Should -BeFalse
            @(Get-Process | Where-Object { $_.CommandLine -like "*$script:HangAgent*" }).Count | Should -Be 0
        }
        finally {
            $ps.Dispose()
        }
    }
}

Describe 'Start-AutonomousLoop stopped by the pipeline' {
    It 'stops after the first session with Select-Object -First 1 and hands it off' -Skip:$script:NoSh {
        # Before: the loop ran on; the agent ran for every feature.
        $repo = New-LoopTestProject 'F001=pending', 'F002=pending', 'F003=pending'

        $first = Start-AutonomousLoop -Path $repo -AgentCommand "sh $script:Agent {prompt_file}" -SkipHealthCheck -ContinueDelay 20 | Select-Object -First 1

        @($first).Count | Should -Be 1
        Get-TestRuns | Should -Be 1
        Get-TestStatuses $repo | Should -Be 'tested', 'pending', 'pending'
        (Get-Content -Raw -LiteralPath (Join-Path $repo '.claude/progress/state.json') | ConvertFrom-Json).dirty | Should -BeFalse
    }

    It 'makes a missing agent an error that -ErrorAction Stop turns into an exception' {
        $repo = New-LoopTestProject 'F001=pending'

        { Start-AutonomousLoop -Path $repo -AgentCommand '/no/such/agent {prompt_file}' -SkipHealthCheck -ContinueDelay 0 -MaxRetries 0 -ErrorAction Stop } |
            Should -Throw -ErrorId 'Harness.ProcessFailed,Harness.PowerShell.Commands.StartAutonomousLoopCommand'
    }
}
