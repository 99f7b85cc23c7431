# Inside GitHub Actions or Azure DevOps the cmdlets publish what the CLI publishes, through the
# same Core routines (EntryCi, LoopCi): masks, annotations and workflow commands on the host
# (pwsh's output, which the runner reads), step outputs and the job summary in the runner's files.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Initialize-HarnessTestEnvironment

    $script:CiVariables = 'GITHUB_ACTIONS', 'GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY', 'GITHUB_WORKSPACE', 'TF_BUILD', 'AGENT_TEMPDIRECTORY', 'BUILD_SOURCESDIRECTORY', 'HARNESS_TEST_SECRET'
    function Clear-CiEnvironment { foreach ($name in $script:CiVariables) { [Environment]::SetEnvironmentVariable($name, $null) } }
}

AfterAll { Clear-CiEnvironment }

Describe 'Invoke-SessionEntry in CI' {
    BeforeEach {
        Clear-CiEnvironment
        $script:repo = New-HarnessTestRepo
        Set-HarnessTestFeatures -Root $script:repo -Features 'F1=pending', 'F2=completed' | Out-Null
        New-Item -ItemType Directory -Path (Join-Path $script:repo '.claude/config') -Force | Out-Null
        '{ "required_env": ["HARNESS_TEST_SECRET"] }' | Set-Content -LiteralPath (Join-Path $script:repo '.claude/config/project.json')
        $env:HARNESS_TEST_SECRET = 's3cret-value'
    }

    It 'publishes outputs, the summary and the secret mask on GitHub Actions' {
        $env:GITHUB_ACTIONS = 'true'
        $env:GITHUB_OUTPUT = Join-Path $TestDrive "output-$([guid]::NewGuid())"
        $env:GITHUB_STEP_SUMMARY = Join-Path $TestDrive "summary-$([guid]::NewGuid())"

        $report = Invoke-SessionEntry -Path $script:repo -SkipHealthCheck -InformationVariable shown -WarningAction SilentlyContinue 6>$null

        $report.NextState | Should -Be 'IMPLEMENT'
        $outputs = Get-Content -Raw -LiteralPath $env:GITHUB_OUTPUT
        $outputs | Should -Match '(?m)^next_state=IMPLEMENT$'
        $outputs | Should -Match '(?m)^next_feature=F1$'
        Get-Content -Raw -LiteralPath $env:GITHUB_STEP_SUMMARY | Should -Match '### Harness session entry: IMPLEMENT'
        ($shown.MessageData.Message) | Should -Contain '::add-mask::s3cret-value'
    }

    It 'publishes output variables and an uploaded summary on Azure DevOps' {
        $env:TF_BUILD = 'True'
        $env:AGENT_TEMPDIRECTORY = Join-Path $TestDrive "agent-temp-$([guid]::NewGuid())"

        Invoke-SessionEntry -Path $script:repo -SkipHealthCheck -InformationVariable shown -WarningAction SilentlyContinue 6>$null | Out-Null

        $lines = @($shown.MessageData.Message)
        $lines | Should -Contain '##vso[task.setsecret]s3cret-value'
        $lines | Should -Contain '##vso[task.setvariable variable=next_state;isOutput=true;]IMPLEMENT'
        ($lines | Where-Object { $_ -like '##vso`[task.uploadsummary]*' }).Count | Should -Be 1
        (Get-ChildItem -LiteralPath $env:AGENT_TEMPDIRECTORY -Filter 'harness-summary-*.md').Count | Should -Be 1
    }

    It 'annotates a Core error on its file and fails the step' {
        $env:TF_BUILD = 'True'
        '{ "project_type": 5 }' | Set-Content -LiteralPath (Join-Path $script:repo '.claude/config/project.json')

        Invoke-SessionEntry -Path $script:repo -SkipHealthCheck -InformationVariable shown -ErrorAction SilentlyContinue -ErrorVariable errors 6>$null | Out-Null

        $errors[0].FullyQualifiedErrorId | Should -BeLike 'Harness.ConfigFileInvalid,*'
        $lines = @($shown.MessageData.Message)
        ($lines | Where-Object { $_ -like '##vso`[task.logissue type=error;sourcepath=*project.json;linenumber=1;*' }).Count | Should -Be 1
        ($lines | Where-Object { $_ -like '##vso`[task.complete result=Failed;]*' }).Count | Should -Be 1
    }

    It 'publishes nothing outside CI' {
        Invoke-SessionEntry -Path $script:repo -SkipHealthCheck -InformationVariable shown -WarningAction SilentlyContinue 6>$null | Out-Null
        $shown | Should -BeNullOrEmpty
    }
}

Describe 'Start-AutonomousLoop in CI' {
    It 'publishes the loop''s outputs and session table on GitHub Actions' -Skip:(-not (Get-Command sh -ErrorAction SilentlyContinue)) {
        Clear-CiEnvironment
        $repo = New-HarnessTestRepo
        Set-HarnessTestFeatures -Root $repo -Features 'F1=pending' | Out-Null
        Invoke-TestGit $repo add -A
        Invoke-TestGit $repo commit --quiet -m 'feature list'
        $agent = Join-Path $TestDrive 'ci-agent.sh'
        "#!/bin/sh`nsed -i 's/`"pending`"/`"tested`"/' .claude/progress/feature-list.json`ngit add -A && git commit -q -m done`n" | Set-Content -LiteralPath $agent -NoNewline
        $env:GITHUB_ACTIONS = 'true'
        $env:GITHUB_OUTPUT = Join-Path $TestDrive "loop-output-$([guid]::NewGuid())"
        $env:GITHUB_STEP_SUMMARY = Join-Path $TestDrive "loop-summary-$([guid]::NewGuid())"
        try {
            Start-AutonomousLoop -Path $repo -AgentCommand "sh $agent {prompt_file}" -SkipHealthCheck -ContinueDelay 0 6>$null | Out-Null
        }
        finally { Clear-CiEnvironment }

        Get-Content -Raw -LiteralPath (Get-ChildItem -LiteralPath $TestDrive -Filter 'loop-output-*').FullName | Should -Match '(?m)^stop_reason=Complete$'
        Get-Content -Raw -LiteralPath (Get-ChildItem -LiteralPath $TestDrive -Filter 'loop-summary-*').FullName | Should -Match '### Harness loop: .*Complete'
    }
}
