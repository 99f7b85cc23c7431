BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Initialize-HarnessTestEnvironment
    $script:Cmdlets = 'Get-Checkpoint', 'Get-HarnessFeature', 'Get-HarnessMetrics', 'Get-HarnessState', 'Initialize-HarnessProject', 'Invoke-SessionEntry', 'New-SessionSummary', 'Restore-Checkpoint', 'Save-Checkpoint', 'Set-HarnessFeature', 'Start-AutonomousLoop'
}

Describe 'The Harness module' {
    It 'imports in a fresh process and exports exactly its eleven cmdlets' {
        $pwsh, $pwshArguments = Get-TestPwshCommand
        $command = "Import-Module '$($script:Manifest -replace "'", "''")' -ErrorAction Stop; (Get-Command -Module Harness | Sort-Object Name).Name -join ','"
        $output = & $pwsh @pwshArguments -NoProfile -NonInteractive -Command $command
        $LASTEXITCODE | Should -Be 0
        $output | Should -Be ($script:Cmdlets -join ',')
    }

    It 'has a valid manifest whose version is the assembly version' {
        $info = Test-ModuleManifest -Path $script:Manifest -ErrorAction Stop
        $info.CompatiblePSEditions | Should -Be @('Core')
        $info.PowerShellVersion | Should -Be ([version]'7.4')
        $assembly = [Harness.PowerShell.Commands.HarnessCmdlet].Assembly.GetName().Version
        $info.Version | Should -Be ([version]::new($assembly.Major, $assembly.Minor, $assembly.Build))
    }

    It 'exports cmdlets, not functions, and every verb is approved' {
        $approved = (Get-Verb).Verb
        foreach ($name in $script:Cmdlets) {
            $command = Get-Command $name -Module Harness
            $command.CommandType | Should -Be 'Cmdlet'
            $approved | Should -Contain $command.Verb
        }
    }

    It '<_> declares its output type' -ForEach @('Get-Checkpoint', 'Get-HarnessFeature', 'Get-HarnessMetrics', 'Get-HarnessState', 'Initialize-HarnessProject', 'Invoke-SessionEntry', 'New-SessionSummary', 'Restore-Checkpoint', 'Save-Checkpoint', 'Set-HarnessFeature', 'Start-AutonomousLoop') {
        (Get-Command $_).OutputType.Type | Should -Not -BeNullOrEmpty
    }

    It '<_> supports -WhatIf and -Confirm' -ForEach @('Initialize-HarnessProject', 'Invoke-SessionEntry', 'New-SessionSummary', 'Restore-Checkpoint', 'Save-Checkpoint', 'Set-HarnessFeature', 'Start-AutonomousLoop') {
        (Get-Command $_).Parameters.Keys | Should -Contain 'WhatIf'
        (Get-Command $_).Parameters.Keys | Should -Contain 'Confirm'
    }

    It 'loads a format view for <_>' -ForEach @('Harness.Core.Entry.EntryReport', 'Harness.Core.State.HarnessState', 'Harness.Core.Features.Feature', 'Harness.Core.Project.InitResult', 'Harness.Core.Checkpoints.Checkpoint', 'Harness.Core.Checkpoints.RestoreResult', 'Harness.Core.Summaries.SessionSummary', 'Harness.Core.Summaries.HandoffResult', 'Harness.Core.Metrics.SessionMetrics', 'Harness.Core.Metrics.MetricsAggregate', 'Harness.Core.Loop.LoopSessionResult', 'Harness.Core.Loop.LoopResult', 'Harness.Core.Loop.LoopPlan') {
        Get-FormatData -TypeName $_ | Should -Not -BeNullOrEmpty
    }

    It 'finds the about topic' {
        (Get-Help about_Harness | Out-String) | Should -Match 'Start-AutonomousLoop'
    }
}

Describe 'Help for <_>' -ForEach @('Get-Checkpoint', 'Get-HarnessFeature', 'Get-HarnessMetrics', 'Get-HarnessState', 'Initialize-HarnessProject', 'Invoke-SessionEntry', 'New-SessionSummary', 'Restore-Checkpoint', 'Save-Checkpoint', 'Set-HarnessFeature', 'Start-AutonomousLoop') {
    BeforeAll {
        $script:name = $_
        $script:help = Get-Help $_ -Full
    }

    It 'comes from the MAML (a synopsis, not the generated syntax line)' {
        $script:help.Synopsis | Should -Not -BeNullOrEmpty
        $script:help.Synopsis | Should -Not -Match '^\s*\S+-\S+ \['
    }

    It 'has a description' {
        ($script:help.Description.Text -join ' ') | Should -Not -BeNullOrEmpty
    }

    It 'has at least one example' {
        @($script:help.Examples.Example).Count | Should -BeGreaterThan 0
        @($script:help.Examples.Example)[0].Code | Should -Not -BeNullOrEmpty
    }

    It 'describes every parameter' {
        $common = @([System.Management.Automation.Cmdlet]::CommonParameters) + @([System.Management.Automation.Cmdlet]::OptionalCommonParameters)
        $parameters = (Get-Command $script:name).Parameters.Keys | Where-Object { $_ -notin $common }
        foreach ($parameter in $parameters) {
            $parameterHelp = Get-Help $script:name -Parameter $parameter
            ($parameterHelp.Description.Text -join ' ') | Should -Not -BeNullOrEmpty -Because "-$parameter needs help"
        }
    }
}
