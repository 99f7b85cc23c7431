# The installable module's manifest. The build (src/Harness.PowerShell) writes it to module/Harness/
# with ModuleVersion set to the product version and FileList filled with the laid-out files.
@{
    RootModule           = 'Harness.PowerShell.dll'
    ModuleVersion        = '@VERSION@'
    GUID                 = '9c9ba78d-7387-4d7d-8dfb-07168c68e79d'
    Author               = 'Harness contributors'
    CompanyName          = 'Harness contributors'
    Copyright            = 'Harness contributors'
    Description          = 'Session lifecycles of autonomous coding agents: the session entry protocol, harness state, feature lists, checkpoints, session summaries, metrics and the autonomous loop, as typed objects on the pipeline.'
    CompatiblePSEditions = @('Core')
    PowerShellVersion    = '7.4'
    FormatsToProcess     = @('Harness.Format.ps1xml')
    CmdletsToExport      = @(
        'Invoke-SessionEntry'
        'Get-HarnessState'
        'Get-HarnessFeature'
        'Set-HarnessFeature'
        'Initialize-HarnessProject'
        'Save-Checkpoint'
        'Get-Checkpoint'
        'Restore-Checkpoint'
        'New-SessionSummary'
        'Get-HarnessMetrics'
        'Start-AutonomousLoop'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    FileList             = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('Harness', 'Agents', 'AI', 'Claude', 'Session', 'Automation', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            LicenseUri = 'https://opensource.org/licenses/MIT'
        }
    }
}
