# Imports the module from a checkout: the build (dotnet build src/Harness.PowerShell) lays out the
# real module in module/Harness/ (manifest, assemblies, formats, help), which this one nests.
# Installed, or with module/ on PSModulePath, the module is module/Harness/Harness.psd1 itself.
@{
    ModuleVersion        = '0.1.0'
    GUID                 = '9c9ba78d-7387-4d7d-8dfb-07168c68e79d'
    Author               = 'Harness contributors'
    CompanyName          = 'Harness contributors'
    Copyright            = 'Harness contributors'
    Description          = 'Session lifecycles of autonomous coding agents (a checkout: nests module/Harness/Harness.psd1, which the build lays out).'
    CompatiblePSEditions = @('Core')
    PowerShellVersion    = '7.4'
    NestedModules        = @('module/Harness/Harness.psd1')
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
}
