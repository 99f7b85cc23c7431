using System.Xml.Linq;

namespace Harness.PowerShell.Tests;

/// <summary>
/// The module's shape, read from the built assembly and the module's files. These are the
/// rules a PowerShell user relies on without reading our code: what is exported, approved verbs,
/// -WhatIf where something is written, typed output, formats and help for everything.
/// </summary>
public sealed class ModuleContractTests
{
    private static readonly IReadOnlyList<CmdletShape> Cmdlets = ModuleMetadata.Cmdlets(ModuleFiles.ModuleAssembly);
    private static readonly Dictionary<string, object?> Manifest = Psd1Reader.ReadHashtable(File.ReadAllText(ModuleFiles.ModuleManifest));
    private static readonly Dictionary<string, object?> CheckoutManifest = Psd1Reader.ReadHashtable(File.ReadAllText(ModuleFiles.Manifest));

    /// <summary>Verbs that only read; a cmdlet with any other verb changes something and must support -WhatIf.</summary>
    private static readonly HashSet<string> ReadOnlyVerbs = new(StringComparer.Ordinal) { "Get", "Find", "Search", "Test", "Measure", "Compare", "Resolve", "Show", "Watch", "Select" };

    private static readonly string[] ExpectedCmdlets =
        [
            "Get-Checkpoint", "Get-HarnessFeature", "Get-HarnessMetrics", "Get-HarnessState", "Initialize-HarnessProject", "Invoke-SessionEntry",
            "New-SessionSummary", "Restore-Checkpoint", "Save-Checkpoint", "Set-HarnessFeature", "Start-AutonomousLoop",
        ];

    [Fact]
    public void The_issue_s_cmdlets_are_all_there()
    {
        Assert.Equal(ExpectedCmdlets, Cmdlets.Select(c => c.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void CmdletsToExport_lists_every_cmdlet_class_and_nothing_else()
    {
        var exported = Strings(Manifest["CmdletsToExport"]);
        Assert.DoesNotContain(exported, e => e.Contains('*', StringComparison.Ordinal));
        Assert.Equal(Cmdlets.Select(c => c.Name).Order(StringComparer.Ordinal), exported.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_verb_is_an_approved_PowerShell_verb()
    {
        var approved = ModuleMetadata.ConstStrings(ModuleFiles.PowerShellStandardReference, "System.Management.Automation.Verbs")
            .Select(v => v.Value)
            .ToHashSet(StringComparer.Ordinal);
        Assert.Contains("Get", approved);
        Assert.Contains("Initialize", approved);
        Assert.All(Cmdlets, c => Assert.True(approved.Contains(c.Verb), $"{c.Name}: '{c.Verb}' is not an approved verb"));
    }

    [Fact]
    public void Every_cmdlet_that_writes_supports_ShouldProcess_with_a_ConfirmImpact()
    {
        var writers = Cmdlets.Where(c => !ReadOnlyVerbs.Contains(c.Verb)).ToArray();
        Assert.Equal(["Initialize-HarnessProject", "Invoke-SessionEntry", "New-SessionSummary", "Restore-Checkpoint", "Save-Checkpoint", "Set-HarnessFeature", "Start-AutonomousLoop"], writers.Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.All(writers, c =>
        {
            Assert.True(c.SupportsShouldProcess, $"{c.Name} writes but does not declare SupportsShouldProcess");
            Assert.True(c.ConfirmImpact is not null, $"{c.Name} does not declare a ConfirmImpact");
        });
    }

    [Fact]
    public void Read_only_cmdlets_do_not_offer_WhatIf()
    {
        Assert.All(Cmdlets.Where(c => ReadOnlyVerbs.Contains(c.Verb)), c => Assert.False(c.SupportsShouldProcess, c.Name));
    }

    [Fact]
    public void Every_cmdlet_declares_an_OutputType_that_exists()
    {
        var types = ModuleMetadata.PublicTypesWithProperties(ModuleFiles.CoreAssembly);
        Assert.All(Cmdlets, c =>
        {
            Assert.True(c.OutputTypes.Count > 0, $"{c.Name} has no [OutputType]");
            Assert.All(c.OutputTypes, t => Assert.True(types.ContainsKey(t), $"{c.Name}: output type {t} is not a public Harness.Core type"));
        });
    }

    [Fact]
    public void Every_cmdlet_has_Path_with_wildcards_and_LiteralPath_that_binds_ProjectRoot()
    {
        Assert.All(Cmdlets, c =>
        {
            var path = Assert.Single(c.Parameters, p => p.Name == "Path");
            var literal = Assert.Single(c.Parameters, p => p.Name == "LiteralPath");
            Assert.True(path.ByPropertyName, $"{c.Name} -Path does not bind by property name");
            Assert.True(literal.ByPropertyName, $"{c.Name} -LiteralPath does not bind by property name");
            Assert.Equal(["FullName", "LP", "PSPath", "ProjectRoot"], literal.Aliases.Order(StringComparer.Ordinal));
            Assert.False(path.Mandatory || literal.Mandatory, $"{c.Name}: the path must default to the current location");
            Assert.Equal("LiteralPath", c.DefaultParameterSet);
        });

        // 'Get-ChildItem -Directory' and strings: the cmdlets that take folders take them by value at position 0.
        foreach (var name in new[] { "Get-HarnessState", "Invoke-SessionEntry", "Initialize-HarnessProject", "Get-HarnessFeature", "Save-Checkpoint", "Get-Checkpoint", "New-SessionSummary", "Get-HarnessMetrics", "Start-AutonomousLoop" })
        {
            var path = Cmdlets.Single(c => c.Name == name).Parameters.Single(p => p.Name == "Path");
            Assert.True(path.ByValue, $"{name} -Path does not take strings from the pipeline");
            Assert.Equal(0, path.Position);
        }
    }

    [Fact]
    public void Features_from_Get_HarnessFeature_bind_to_Set_HarnessFeature()
    {
        var feature = ModuleMetadata.PublicTypesWithProperties(ModuleFiles.CoreAssembly)["Harness.Core.Features.Feature"];
        var set = Cmdlets.Single(c => c.Name == "Set-HarnessFeature");
        foreach (var name in new[] { "Id", "Path", "LiteralPath" })
        {
            Assert.True(set.Parameters.Single(p => p.Name == name).ByPropertyName, $"Set-HarnessFeature -{name} does not bind by property name");
        }

        Assert.Contains("Id", feature);
        Assert.Contains("Path", feature);

        // Status and Notes are properties of Feature too: they must not bind from it, or piping would keep the old status.
        Assert.All(set.Parameters.Where(p => p.Name is "Status" or "Notes"), p => Assert.False(p.ByPropertyName || p.ByValue, p.Name));
    }

    [Fact]
    public void Checkpoints_from_Get_Checkpoint_bind_to_Restore_Checkpoint()
    {
        // Get-Checkpoint writes Checkpoint objects with a ProjectRoot note property.
        var checkpoint = ModuleMetadata.PublicTypesWithProperties(ModuleFiles.CoreAssembly)["Harness.Core.Checkpoints.Checkpoint"];
        var restore = Cmdlets.Single(c => c.Name == "Restore-Checkpoint");
        foreach (var (property, parameter) in new[] { ("Name", "Id"), ("Commit", "Commit"), ("ProjectRoot", "LiteralPath") })
        {
            Assert.True(property == "ProjectRoot" || checkpoint.Contains(property), $"Checkpoint has no {property}");
            var p = restore.Parameters.Single(p => p.Name == parameter);
            Assert.True(p.ByPropertyName, $"Restore-Checkpoint -{parameter} does not bind by property name");
            Assert.True(p.Name == property || p.Aliases.Contains(property), $"Restore-Checkpoint -{parameter} does not bind {property}");
        }

        // Nothing else of a Checkpoint may bind: Force and Reason must come from the caller.
        Assert.All(restore.Parameters.Where(p => p.Name is "Force" or "Reason" or "LastGood"), p => Assert.False(p.ByPropertyName || p.ByValue, p.Name));
    }

    [Fact]
    public void Restore_Checkpoint_asks_before_it_moves_anything()
    {
        const int high = 3; // System.Management.Automation.ConfirmImpact.High
        Assert.Equal(high, Cmdlets.Single(c => c.Name == "Restore-Checkpoint").ConfirmImpact);
        Assert.Equal(2, Cmdlets.Single(c => c.Name == "Save-Checkpoint").ConfirmImpact);
    }

    [Fact]
    public void Ids_checkpoints_sessions_exit_reasons_and_project_types_complete_with_Tab()
    {
        foreach (var (cmdlet, parameter, completer) in new[]
                 {
                     ("Get-HarnessFeature", "Id", "FeatureIdCompleter"),
                     ("Set-HarnessFeature", "Id", "FeatureIdCompleter"),
                     ("Restore-Checkpoint", "Id", "CheckpointNameCompleter"),
                     ("Get-HarnessMetrics", "SessionId", "SessionIdCompleter"),
                     ("New-SessionSummary", "SessionId", "SessionIdCompleter"),
                     ("Save-Checkpoint", "SessionId", "SessionIdCompleter"),
                     ("New-SessionSummary", "ExitReason", "ExitReasonCompleter"),
                     ("Initialize-HarnessProject", "ProjectType", "ProjectTypeCompleter"),
                 })
        {
            var p = Cmdlets.Single(c => c.Name == cmdlet).Parameters.Single(p => p.Name == parameter);
            Assert.Contains(p.Completers, t => t.EndsWith("." + completer, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Every_type_and_property_in_the_format_file_exists()
    {
        var types = ModuleMetadata.PublicTypesWithProperties(ModuleFiles.CoreAssembly);
        // Note properties the cmdlets add to the objects they write: every one carries its project.
        var noteProperties = new Dictionary<string, string[]> { ["Harness.Core.State.HarnessState"] = ["StateFile"] };
        var format = XDocument.Load(ModuleFiles.FormatFile);
        var views = format.Descendants("View").ToArray();
        Assert.NotEmpty(views);
        foreach (var view in views)
        {
            var typeName = view.Element("ViewSelectedBy")!.Element("TypeName")!.Value.Trim();
            Assert.True(types.TryGetValue(typeName, out var properties), $"format view for {typeName}: no such public type in Harness.Core");
            foreach (var property in view.Descendants("PropertyName").Select(e => e.Value.Trim()))
            {
                var known = properties!.Contains(property) || property == "ProjectRoot" || (noteProperties.TryGetValue(typeName, out var notes) && notes.Contains(property));
                Assert.True(known, $"format view for {typeName}: no property {property}");
            }
        }

        foreach (var output in Cmdlets.SelectMany(c => c.OutputTypes).Distinct())
        {
            Assert.Contains(views, v => v.Element("ViewSelectedBy")!.Element("TypeName")!.Value.Trim() == output);
        }
    }

    [Fact]
    public void Every_cmdlet_and_parameter_has_help_in_the_generated_MAML()
    {
        XNamespace command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        XNamespace maml = "http://schemas.microsoft.com/maml/2004/10";
        XNamespace dev = "http://schemas.microsoft.com/maml/dev/2004/10";
        Assert.True(File.Exists(ModuleFiles.Maml), $"{ModuleFiles.Maml} was not generated by the build");
        var help = XDocument.Load(ModuleFiles.Maml).Root!.Elements(command + "command")
            .ToDictionary(c => c.Element(command + "details")!.Element(command + "name")!.Value, StringComparer.Ordinal);

        Assert.Equal(Cmdlets.Select(c => c.Name).Order(StringComparer.Ordinal), help.Keys.Order(StringComparer.Ordinal));
        foreach (var cmdlet in Cmdlets)
        {
            var entry = help[cmdlet.Name];
            Assert.False(string.IsNullOrWhiteSpace(entry.Element(command + "details")!.Element(maml + "description")?.Value), $"{cmdlet.Name}: no synopsis");
            Assert.False(string.IsNullOrWhiteSpace(entry.Element(maml + "description")?.Value), $"{cmdlet.Name}: no description");
            Assert.NotEmpty(entry.Element(command + "examples")!.Elements(command + "example"));

            var documented = entry.Element(command + "parameters")!.Elements(command + "parameter")
                .ToDictionary(p => p.Element(maml + "name")!.Value, StringComparer.Ordinal);
            foreach (var parameter in cmdlet.Parameters)
            {
                Assert.True(documented.TryGetValue(parameter.Name, out var doc), $"{cmdlet.Name} -{parameter.Name}: no help");
                Assert.False(string.IsNullOrWhiteSpace(doc!.Element(maml + "description")?.Value), $"{cmdlet.Name} -{parameter.Name}: empty description");

                // The page must say what the code does.
                var type = doc.Element(dev + "type")!.Element(maml + "name")!.Value;
                Assert.True(parameter.Type.EndsWith("." + type, StringComparison.Ordinal), $"{cmdlet.Name} -{parameter.Name}: help says {type}, code says {parameter.Type}");
                Assert.Equal(parameter.Mandatory ? "true" : "false", doc.Attribute("required")!.Value);
                Assert.Equal(parameter.Position?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "named", doc.Attribute("position")!.Value);
                var pipeline = doc.Attribute("pipelineInput")!.Value;
                Assert.Equal(parameter.ByValue, pipeline.Contains("ByValue", StringComparison.Ordinal));
                Assert.Equal(parameter.ByPropertyName, pipeline.Contains("ByPropertyName", StringComparison.Ordinal));
                var aliases = doc.Attribute("aliases")!.Value;
                Assert.Equal(parameter.Aliases.Order(StringComparer.Ordinal), aliases == "none" ? [] : aliases.Split(',', StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal));
            }

            // Nothing documented that the cmdlet does not have (-WhatIf/-Confirm come with ShouldProcess).
            var allowed = cmdlet.Parameters.Select(p => p.Name).Concat(cmdlet.SupportsShouldProcess ? ["WhatIf", "Confirm"] : []).ToHashSet(StringComparer.Ordinal);
            Assert.All(documented.Keys, name => Assert.True(allowed.Contains(name), $"{cmdlet.Name}: help documents -{name}, which the cmdlet does not have"));
        }
    }

    [Fact]
    public void Every_cmdlet_has_a_reference_page_and_every_page_a_cmdlet()
    {
        var pages = Directory.GetFiles(ModuleFiles.CmdletDocs, "*.md").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);
        Assert.Equal(Cmdlets.Select(c => c.Name).Order(StringComparer.Ordinal), pages);
    }

    [Fact]
    public void The_manifest_version_is_the_assembly_version()
    {
        var manifestVersion = Version.Parse((string)Manifest["ModuleVersion"]!);
        var assembly = ModuleMetadata.AssemblyVersion(ModuleFiles.ModuleAssembly);
        Assert.Equal(new Version(assembly.Major, assembly.Minor, assembly.Build), manifestVersion);
        Assert.Equal(assembly, ModuleMetadata.AssemblyVersion(ModuleFiles.CoreAssembly));
    }

    [Fact]
    public void The_manifest_has_what_the_gallery_and_PowerShell_7_4_need()
    {
        Assert.Equal("Harness.PowerShell.dll", Manifest["RootModule"]);
        Assert.True(Guid.TryParse((string?)Manifest["GUID"], out _));
        Assert.Equal(["Core"], Strings(Manifest["CompatiblePSEditions"]));
        Assert.Equal("7.4", Manifest["PowerShellVersion"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)Manifest["Description"]));
        Assert.Equal(["Harness.Format.ps1xml"], Strings(Manifest["FormatsToProcess"]));
        foreach (var key in new[] { "FunctionsToExport", "VariablesToExport", "AliasesToExport" })
        {
            Assert.Empty(Strings(Manifest[key]));
        }

        var psData = (Dictionary<string, object?>)((Dictionary<string, object?>)Manifest["PrivateData"]!)["PSData"]!;
        Assert.NotEmpty(Strings(psData["Tags"]));
        Assert.Contains("MIT", (string)psData["LicenseUri"]!, StringComparison.Ordinal);
        // No placeholder: the project has no public home yet, so the manifest names none.
        Assert.False(psData.ContainsKey("ProjectUri"));
    }

    [Fact]
    public void FileList_names_exactly_the_files_of_the_laid_out_module()
    {
        var onDisk = Directory.GetFiles(ModuleFiles.ModuleDirectory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(ModuleFiles.ModuleDirectory, f).Replace('\\', '/'))
            .Where(f => f != "Harness.psd1")
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(onDisk, Strings(Manifest["FileList"]).Order(StringComparer.Ordinal));
        Assert.Contains("en-US/Harness.PowerShell.dll-Help.xml", onDisk);
        Assert.Contains("en-US/about_Harness.help.txt", onDisk);
        Assert.Contains("dependencies/Harness.Core.dll", onDisk);
    }

    [Fact]
    public void The_checkout_manifest_nests_the_built_module_and_exports_the_same_cmdlets()
    {
        Assert.Equal(["module/Harness/Harness.psd1"], Strings(CheckoutManifest["NestedModules"]));
        Assert.Equal(Manifest["GUID"], CheckoutManifest["GUID"]);
        Assert.Equal(Manifest["ModuleVersion"], CheckoutManifest["ModuleVersion"]);
        Assert.Equal(Strings(Manifest["CmdletsToExport"]).Order(StringComparer.Ordinal), Strings(CheckoutManifest["CmdletsToExport"]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Only_the_cmdlets_assembly_is_at_the_module_base_and_everything_it_needs_is_under_dependencies()
    {
        // Harness.Core and any third-party assembly load in the module's own AssemblyLoadContext
        // from dependencies/; PowerShell would load anything next to the cmdlets into its default context.
        Assert.Equal(["Harness.PowerShell.dll"], Directory.GetFiles(ModuleFiles.ModuleDirectory, "*.dll").Select(Path.GetFileName));
        static bool Platform(string name) => name is "System.Runtime" or "netstandard" or "System.Management.Automation" || name.StartsWith("System.", StringComparison.Ordinal) || name.StartsWith("Microsoft.Win32.", StringComparison.Ordinal);
        var dependencies = Directory.GetFiles(Path.Combine(ModuleFiles.ModuleDirectory, "dependencies"), "*.dll").Select(Path.GetFileNameWithoutExtension).ToHashSet(StringComparer.Ordinal);
        Assert.All(ModuleMetadata.AssemblyReferences(ModuleFiles.ModuleAssembly), r => Assert.True(Platform(r) || dependencies.Contains(r), $"Harness.PowerShell references {r}, which the module does not ship"));
        Assert.All(ModuleMetadata.AssemblyReferences(ModuleFiles.CoreAssembly), r => Assert.True(r != "System.Management.Automation" && (Platform(r) || dependencies.Contains(r)), $"Harness.Core references {r}"));
    }

    private static IReadOnlyList<string> Strings(object? value) => value switch
    {
        null => [],
        string s => [s],
        List<object?> list => list.Select(v => (string)v!).ToArray(),
        _ => throw new InvalidOperationException($"unexpected manifest value {value}"),
    };
}
