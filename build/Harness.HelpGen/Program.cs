using Harness.HelpGen;

// Usage: Harness.HelpGen <docs/cmdlets folder> <output MAML file>
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: Harness.HelpGen <folder of <Cmdlet>.md pages> <output -Help.xml>");
    return 1;
}

try
{
    var pages = Directory.GetFiles(args[0], "*-*.md")
        .Order(StringComparer.Ordinal)
        .Select(path => CommandPage.Parse(path, File.ReadAllText(path)))
        .ToArray();
    if (pages.Length == 0)
    {
        Console.Error.WriteLine($"{args[0]}: no <Verb>-<Noun>.md pages");
        return 1;
    }

    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(args[1]))!);
    var xml = MamlWriter.Write(pages);
    var existing = File.Exists(args[1]) ? File.ReadAllText(args[1]) : null;
    if (existing != xml)
    {
        File.WriteAllText(args[1], xml);
    }

    Console.WriteLine($"Harness.HelpGen: {pages.Length} commands -> {args[1]}");
    return 0;
}
catch (HelpFormatException ex)
{
    // MSBuild's canonical error format, so the build points at the page.
    Console.Error.WriteLine($"{ex.File}({ex.Line}): error HELP001: {ex.Message}");
    return 1;
}
