# The installable module: what `dotnet build src/Harness.PowerShell` lays out in module/Harness/
# (build/module.sh OUTDIR makes the same in Release). Each test starts a fresh pwsh, so what it
# sees is what a user's session would.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Initialize-HarnessTestEnvironment
    $script:ModuleDir = Join-Path $script:RepoRoot 'module/Harness'
    $script:Pwsh, $script:PwshArguments = Get-TestPwshCommand

    # Compiles C# into an assembly named $Name (Add-Type names its output at random, and a
    # dependency is found by its name). Roslyn comes with PowerShell.
    function New-TestAssembly([string] $Name, [string] $Source, [string] $Path, [string[]] $References = @()) {
        Add-Type -AssemblyName Microsoft.CodeAnalysis, Microsoft.CodeAnalysis.CSharp
        $tree = [Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree]::ParseText($Source)
        $refs = [Microsoft.CodeAnalysis.MetadataReference[]] @(@([object].Assembly.Location) + $References | ForEach-Object { [Microsoft.CodeAnalysis.MetadataReference]::CreateFromFile($_) })
        $options = [Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions]::new([Microsoft.CodeAnalysis.OutputKind]::DynamicallyLinkedLibrary)
        $compilation = [Microsoft.CodeAnalysis.CSharp.CSharpCompilation]::Create($Name, [Microsoft.CodeAnalysis.SyntaxTree[]] @($tree), $refs, $options)
        $stream = [IO.File]::Create($Path)
        try { $result = $compilation.Emit($stream) } finally { $stream.Dispose() }
        if (-not $result.Success) { throw "$Name does not compile: $(@($result.Diagnostics | ForEach-Object { $_.ToString() }) -join '; ')" }
    }

    # Runs a script in a fresh pwsh with the given environment additions; returns its output lines, throws when it fails.
    function Invoke-FreshPwsh([string] $Script, [hashtable] $Environment = @{}, [string] $WorkingDirectory = $TestDrive) {
        $saved = @{}
        foreach ($name in $Environment.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $Environment[$name]) }
        Push-Location -LiteralPath $WorkingDirectory
        try {
            $output = & $script:Pwsh @script:PwshArguments -NoProfile -NonInteractive -Command "`$ErrorActionPreference = 'Stop'; $Script" 2>&1
            if ($LASTEXITCODE -ne 0) { throw "pwsh failed ($LASTEXITCODE): $($output -join "`n")" }
            $output | ForEach-Object { "$_" }
        }
        finally {
            Pop-Location
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        }
    }
}

Describe 'The installable module' {
    It 'imports by name when module/ is on PSModulePath, with its help' {
        $modules = Join-Path $script:RepoRoot 'module'
        $out = Invoke-FreshPwsh "`$env:PSModulePath = '$modules' + [IO.Path]::PathSeparator + `$env:PSModulePath; Import-Module Harness; (Get-Module Harness).ModuleBase; (Get-Command -Module Harness).Count; (Get-Help Invoke-SessionEntry -Full).Synopsis"
        $out[0] | Should -Be $script:ModuleDir
        $out[1] | Should -Be '11'
        $out[2] | Should -Match 'session entry protocol'
    }

    It 'keeps its help and formats when copied anywhere (help travels with the module)' {
        $copy = Join-Path $TestDrive 'elsewhere/Harness'
        New-Item -ItemType Directory -Path (Split-Path $copy) -Force | Out-Null
        Copy-Item -LiteralPath $script:ModuleDir -Destination $copy -Recurse
        $out = Invoke-FreshPwsh "Import-Module '$copy/Harness.psd1'; @((Get-Help Start-AutonomousLoop -Full).Examples.Example).Count -gt 0; (Get-Help about_Harness | Out-String) -match 'Start-AutonomousLoop'; [bool](Get-FormatData Harness.Core.Entry.EntryReport)"
        $out | Should -Be @('True', 'True', 'True')
    }

    It 'has a manifest that Test-ModuleManifest accepts, whose FileList exists' {
        $info = Test-ModuleManifest -Path (Join-Path $script:ModuleDir 'Harness.psd1') -ErrorAction Stop
        $info.FileList.Count | Should -BeGreaterThan 4
        $info.FileList | ForEach-Object { $_ | Should -Exist }
        $info.PrivateData.PSData.ProjectUri | Should -BeNullOrEmpty
    }

    It 'publishes to a local folder repository and installs from it by name, offline, with help' {
        # A home of its own: PSResourceGet keeps its repositories and installs its modules under it.
        $home2 = Join-Path $TestDrive 'home'
        $feed = Join-Path $TestDrive 'feed'
        New-Item -ItemType Directory -Path $home2, $feed -Force | Out-Null
        $script = @"
Register-PSResourceRepository -Name HarnessLocal -Uri '$feed' -Trusted
Publish-PSResource -Path '$($script:ModuleDir)' -Repository HarnessLocal
Install-PSResource -Name Harness -Repository HarnessLocal -TrustRepository -Quiet
Import-Module Harness
(Get-Module Harness).ModuleBase
(Get-Help Invoke-SessionEntry -Full).Synopsis
@((Get-Help Invoke-SessionEntry -Full).Examples.Example).Count -gt 0
"@
        $out = Invoke-FreshPwsh $script -Environment @{ HOME = $home2; XDG_DATA_HOME = $null; XDG_CONFIG_HOME = $null; XDG_CACHE_HOME = $null }
        (Get-ChildItem -LiteralPath $feed -Filter 'Harness.*.nupkg').Count | Should -Be 1
        $out[-3] | Should -BeLike "$home2*Harness*"
        $out[-2] | Should -Match 'session entry protocol'
        $out[-1] | Should -Be 'True'
    }

    It 'loads Harness.Core in its own AssemblyLoadContext and types still resolve by name' {
        $out = Invoke-FreshPwsh "Import-Module '$($script:Manifest)'; `$core = [Harness.Core.Loop.LoopResult].Assembly; [Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$core).Name; `$core.Location"
        $out[0] | Should -Be 'Harness'
        $out[1] | Should -Be (Join-Path $script:ModuleDir 'dependencies/Harness.Core.dll')
    }

    It 'resolves a dependency from its own folder when the default context has another version' {
        # Two versions of one library and a library that uses it, compiled here: version 2 goes
        # into PowerShell's default context first (another module's copy), version 1 and its user
        # into a copy of the module's dependencies/. Loaded through the module, the user must get
        # version 1; PowerShell's default context keeps version 2.
        $copy = Join-Path $TestDrive 'alc/Harness'
        New-Item -ItemType Directory -Path (Split-Path $copy) -Force | Out-Null
        Copy-Item -LiteralPath $script:ModuleDir -Destination $copy -Recurse
        $v2 = Join-Path $TestDrive 'alc/other-module'
        New-Item -ItemType Directory -Path $v2 -Force | Out-Null
        $dep = '[assembly: System.Reflection.AssemblyVersion("{0}.0.0.0")] namespace Harness.Probe {{ public static class Dep {{ public static string Version => "{0}"; }} }}'
        New-TestAssembly Harness.ProbeDep ($dep -f 1) (Join-Path $copy 'dependencies/Harness.ProbeDep.dll')
        New-TestAssembly Harness.ProbeDep ($dep -f 2) (Join-Path $v2 'Harness.ProbeDep.dll')
        New-TestAssembly Harness.ProbeUser 'namespace Harness.Probe { public static class User { public static string DepVersion => Dep.Version; } }' `
            (Join-Path $copy 'dependencies/Harness.ProbeUser.dll') -References (Join-Path $copy 'dependencies/Harness.ProbeDep.dll')

        $script = @"
Add-Type -Path '$v2/Harness.ProbeDep.dll'
Import-Module '$copy/Harness.psd1'
`$user = [Reflection.Assembly]::Load('Harness.ProbeUser')
[Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$user).Name
`$user.GetType('Harness.Probe.User')::DepVersion
[Harness.Probe.Dep]::Version
# The same library loaded the ordinary way binds the default context's version: what the module's context prevents.
[Reflection.Assembly]::LoadFile('$copy/dependencies/Harness.ProbeUser.dll').GetType('Harness.Probe.User')::DepVersion
"@
        Invoke-FreshPwsh $script | Should -Be @('Harness', '1', '2', '2')
    }
}
